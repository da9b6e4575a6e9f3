"""Backup and restore as docs/backup.md describes them, into databases that start out empty.

The site is seeded once for the module (demo content plus everything an operator would hate to
lose: registrations in every state with sessions, join requests, an editor, a PDF and a logo,
merged themes, search rows, history, an admin session, a failed admin login), exported with the
documented `dumpdata` command and rolled back again, so no other test sees it. The export is then
restored the documented way, by separate `manage.py` processes with DATABASE_URL pointing at a
fresh SQLite file or a freshly created PostgreSQL database, and dumped again: the two exports must
hold the same records. On PostgreSQL the real backup, `pg_dump -Fc`, is restored with the
documented `pg_restore` command into yet another new database and compared the same way.
"""

import io
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections import defaultdict
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings

from events import services as event_services
from events.models import Registration
from ikpob_portal.kernel import search
from ikpob_portal.kernel.themes import merge_themes
from learning_circles.models import LearningCircle
from network.models import Organisation
from publications.models import Publication
from tests.factories import (
    make_editor,
    make_event,
    make_join_request,
    make_publication,
    make_session,
    make_theme,
)

BASE_DIR = Path(settings.BASE_DIR)
# The export of docs/backup.md. contenttypes and auth.permission are recreated by `migrate`
# and every reference to them is written as a natural key; the search index is rebuilt.
EXPORT_OPTIONS = [
    "--natural-foreign",
    "--exclude=contenttypes",
    "--exclude=auth.permission",
    "--exclude=ikpob_portal.searchentry",
    "--exclude=ikpob_portal.searchword",
    "--exclude=ikpob_portal.summary",
    "--exclude=ikpob_portal.summarystamp",
]
# The media listing of docs/backup.md: every stored file name a record refers to.
LIST_MEDIA = (
    "from django.apps import apps; from django.db.models import FileField; "
    "[print(name) for model in apps.get_models() for field in model._meta.fields "
    "if isinstance(field, FileField) "
    "for name in model._default_manager.exclude(**{field.name: ''})"
    ".values_list(field.name, flat=True)]"
)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

pytestmark = pytest.mark.django_db  # runs with the database tests, before any flushing one


# --- Seeding and the export -------------------------------------------------------------------


def seed() -> None:
    call_command("loaddemo", stdout=io.StringIO())
    editor = make_editor("marieke", email="marieke@ikpob.nl", first_name="Marieke")

    event = make_event("Congres Vakmanschap", capacity=1)
    morning = make_session(event, "Workshop toezicht", slot=1, capacity=5)
    data = {"organisation": "Gemeente Utrecht", "job_title": "Adviseur", "needs": "Ringleiding"}
    confirmed = event_services.register(
        event=event, data={**data, "name": "Anna", "email": "anna@utrecht.nl"}, sessions=[morning]
    )
    event_services.register(
        event=event, data={**data, "name": "Bert", "email": "bert@utrecht.nl"}, sessions=[morning]
    )
    event_services.register(event=event, data={**data, "name": "Cas", "email": "cas@utrecht.nl"})
    event_services.cancel(token=confirmed.token)  # Bert moves up, Cas keeps waiting
    assert {r.status for r in Registration.objects.filter(event=event)} == {
        Registration.Status.CONFIRMED,
        Registration.Status.WAITING,
        Registration.Status.CANCELLED,
    }

    circle = LearningCircle.objects.order_by("pk").first()
    make_join_request(circle, name="Dirk", email="dirk@berkelland.nl", motivation="Toezicht.")
    make_join_request(circle, name="Eva", status="benaderd", notes="Gebeld op maandag.")

    publication = make_publication(
        "Het handwerk van de toezichthouder", pdf=PDF, themes=[make_theme("Praktijk van toezicht")]
    )
    organisation = Organisation.objects.order_by("pk").first()
    organisation.logo.save("logo.png", ContentFile(PNG), save=False)
    organisation.logo_alt = f"Logo van {organisation.name}"
    organisation.save()

    # Two spellings of one theme merged: the items move, the old address redirects.
    old = make_theme("Toezichtspraktijk")
    make_publication("Toezicht in de wijk", themes=[old])
    merge_themes(target=publication.themes.get(), others=[old])
    search.log_zero_result("toezicht op drones")

    # What editors leave behind: history in the admin, a revision, a session, a failed login.
    import reversion

    if reversion.is_registered(Publication):
        with reversion.create_revision():
            reversion.set_user(editor)
            reversion.set_comment("Samenvatting aangescherpt.")
            publication.summary = "Wat toezichthouders dagelijks doen, en waarom."
            publication.save()
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(publication),
        object_id=str(publication.pk),
        object_repr=str(publication),
        action_flag=CHANGE,
        change_message="Samenvatting gewijzigd.",
    )
    session = SessionStore()
    session["_auth_user_id"] = str(editor.pk)
    session.create()
    Client().post(
        f"/{settings.ADMIN_URL}login/", {"username": "marieke", "password": "niet-het-wachtwoord"}
    )


@pytest.fixture(scope="module")
def export(django_db_setup, django_db_blocker, tmp_path_factory) -> dict:
    """Seed, export (data and the media listing's answer), and roll everything back."""
    folder = tmp_path_factory.mktemp("backup")
    media_root = folder / "media"
    path = folder / "export.json"
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media_root,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            FORM_MIN_FILL_SECONDS=0,
        ),
        transaction.atomic(),
    ):
        seed()
        call_command("dumpdata", *EXPORT_OPTIONS, "--indent=1", f"--output={path}")
        index = search_rows(
            (entry.content_type.natural_key(), entry.object_id, entry)
            for entry in search.SearchEntry.objects.select_related("content_type")
        )
        transaction.set_rollback(True)
    return {"path": path, "media_root": media_root, "search": index}


def search_rows(entries) -> dict:
    return {
        (tuple(content_type), object_id): {
            name: getattr(entry, name) if hasattr(entry, name) else entry[name]
            for name in ("title", "summary", "body", "words", "url")
        }
        for content_type, object_id, entry in entries
    }


# --- Comparing exports ------------------------------------------------------------------------


WHOLE_SECOND = re.compile(r'(T\d\d:\d\d:\d\d)\.000(?=Z"|[+-]\d\d:\d\d"|")')


def records(path: Path) -> dict[str, list[dict]]:
    """An export as {model: records}, in a fixed order; many-to-many lists are sets."""
    by_model: dict[str, list[dict]] = defaultdict(list)
    # Django's JSON export keeps milliseconds: a time with 1-999 microseconds is written as
    # ".000", and the same moment loaded back (0 microseconds) without a fraction at all.
    text = WHOLE_SECOND.sub(r"\1", path.read_text())
    for record in json.loads(text):
        model = apps.get_model(record["model"])
        for field in model._meta.many_to_many:
            if field.name in record["fields"]:
                record["fields"][field.name] = sorted(record["fields"][field.name], key=json.dumps)
        by_model[record["model"]].append(record)
    return {
        label: sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
        for label, items in sorted(by_model.items())
    }


def test_the_export_holds_the_content_and_personal_data(export):
    exported = records(export["path"])

    assert "contenttypes.contenttype" not in exported
    assert "auth.permission" not in exported
    registrations = {r["fields"]["email"]: r["fields"] for r in exported["events.registration"]}
    assert registrations["anna@utrecht.nl"]["status"] == "cancelled"
    assert registrations["bert@utrecht.nl"]["status"] == "confirmed"
    assert registrations["cas@utrecht.nl"]["status"] == "waiting"
    assert registrations["bert@utrecht.nl"]["needs"] == "Ringleiding"
    assert registrations["bert@utrecht.nl"]["sessions"]
    assert {r["fields"]["name"] for r in exported["learning_circles.joinrequest"]} >= {
        "Dirk",
        "Eva",
    }
    [editor] = [u for u in exported["auth.user"] if u["fields"]["username"] == "marieke"]
    assert editor["fields"]["groups"] == [["Redacteur"]]
    assert [r["fields"]["old_slug"] for r in exported["ikpob_portal.themeredirect"]] == [
        "toezichtspraktijk"
    ]
    assert exported["sessions.session"]
    assert exported["admin.logentry"]
    assert exported["axes.accessattempt"]
    if "reversion.version" in exported:
        versions = [v["fields"]["content_type"] for v in exported["reversion.version"]]
        assert ["publications", "publication"] in versions
        assert [r["fields"]["comment"] for r in exported["reversion.revision"]] == [
            "Samenvatting aangescherpt."
        ]


def manage(*arguments: str, database_url: str, media_root: Path | None = None) -> str:
    """`manage.py <arguments>` in a process of its own, on the given database."""
    environment = {
        key: value
        for key, value in os.environ.items()
        # A shared Redis or a worker queue has no business in a restore test.
        if key not in {"REDIS_URL", "DJANGO_TASKS_BACKEND", "DJANGO_MEDIA_STORAGE"}
    }
    environment.update(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="1",
        DJANGO_SECRET_KEY="backup-restore-test",
        DJANGO_LOG_LEVEL="WARNING",
    )
    if media_root is not None:
        environment["DJANGO_MEDIA_ROOT"] = str(media_root)
    finished = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert finished.returncode == 0, f"manage.py {' '.join(arguments)}:\n{finished.stderr}"
    return finished.stdout


def restore_export(export_path: Path, database_url: str) -> None:
    """The restore of docs/backup.md for an export: migrate, load, rebuild the search index."""
    manage("migrate", "--no-input", database_url=database_url)
    manage("loaddata", str(export_path), database_url=database_url)
    manage("rebuild_search_index", database_url=database_url)


def export_again(database_url: str, path: Path, *options: str) -> Path:
    manage("dumpdata", *options, "--indent=1", f"--output={path}", database_url=database_url)
    return path


def restored_search_rows(database_url: str, folder: Path) -> dict:
    path = export_again(database_url, folder / "search.json", "--natural-foreign", "ikpob_portal")
    entries = [
        record["fields"]
        for record in json.loads(path.read_text())
        if record["model"] == "ikpob_portal.searchentry"
    ]
    return search_rows((e["content_type"], e["object_id"], e) for e in entries)


# --- PostgreSQL databases of our own ------------------------------------------------------------


def server_url(database: str) -> str:
    options = connection.settings_dict
    user = options["USER"] or "postgres"
    password = f":{options['PASSWORD']}" if options["PASSWORD"] else ""
    host = options["HOST"] or "127.0.0.1"
    port = options["PORT"] or "5432"
    return f"postgres://{user}{password}@{host}:{port}/{database}"


def pg_command(program: str, *arguments: str) -> None:
    options = connection.settings_dict
    environment = {**os.environ}
    if options["PASSWORD"]:
        environment["PGPASSWORD"] = options["PASSWORD"]
    finished = subprocess.run(
        [
            program,
            f"--host={options['HOST'] or '127.0.0.1'}",
            f"--port={options['PORT'] or '5432'}",
            f"--username={options['USER'] or 'postgres'}",
            *arguments,
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert finished.returncode == 0, f"{program} {' '.join(arguments)}:\n{finished.stderr}"


@pytest.fixture(scope="module")
def new_postgres_database():
    """Creates empty databases on the test's PostgreSQL server; drops them at the end."""
    created: list[str] = []

    def create() -> str:
        name = f"ikpob_restore_{uuid.uuid4().hex[:10]}"
        pg_command("createdb", name)
        created.append(name)
        return name

    yield create
    for name in created:
        pg_command("dropdb", "--if-exists", "--force", name)


@pytest.fixture(scope="module")
def loaded_postgres(export, new_postgres_database) -> str:
    """A fresh PostgreSQL database with the export restored into it (shared by two tests)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    url = server_url(new_postgres_database())
    restore_export(export["path"], url)
    return url


# --- The tests ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def loaded_sqlite(export, tmp_path_factory) -> str:
    """A new SQLite file with the export restored into it (shared by two tests)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'restored.sqlite3'}"
    restore_export(export["path"], url)
    return url


def test_the_export_restores_into_an_empty_sqlite_file_with_nothing_lost(
    export, loaded_sqlite, tmp_path
):
    again = export_again(loaded_sqlite, tmp_path / "again.json", *EXPORT_OPTIONS)

    assert records(again) == records(export["path"])
    assert restored_search_rows(loaded_sqlite, tmp_path) == export["search"]


@pytest.mark.postgres_only
def test_the_export_restores_into_an_empty_postgresql_database_with_nothing_lost(
    export, loaded_postgres, tmp_path
):
    again = export_again(loaded_postgres, tmp_path / "again.json", *EXPORT_OPTIONS)

    assert records(again) == records(export["path"])
    assert restored_search_rows(loaded_postgres, tmp_path) == export["search"]


@pytest.mark.postgres_only
def test_pg_dump_restores_into_a_new_database_with_every_row_and_index(
    export, loaded_postgres, new_postgres_database, tmp_path
):
    backup = tmp_path / "ikpob.dump"
    source = loaded_postgres.rsplit("/", 1)[1]
    pg_command("pg_dump", "--format=custom", f"--file={backup}", source)
    target = new_postgres_database()

    pg_command("pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={target}", backup)

    target_url = server_url(target)
    # Nothing left out this time: content types, permissions, sessions and the search index
    # come back with the same ids, and no migration is left to run.
    full = export_again(loaded_postgres, tmp_path / "source.json", "--natural-foreign")
    restored = export_again(target_url, tmp_path / "restored.json", "--natural-foreign")
    assert records(restored) == records(full)
    assert records(export_again(target_url, tmp_path / "again.json", *EXPORT_OPTIONS)) == (
        records(export["path"])
    )
    assert "[ ]" not in manage("showmigrations", "--list", database_url=target_url)
    assert postgres_schema(source) == postgres_schema(target)


def postgres_schema(database: str) -> dict:
    """Indexes (with their method), constraints and extensions of a database.

    Only names and methods: PostgreSQL prints a restored `IN (...)` condition with its casts
    in another, equivalent order, so the full definitions differ in text, not in meaning.
    """
    import psycopg2

    options = connection.settings_dict
    with (
        psycopg2.connect(
            dbname=database,
            host=options["HOST"] or "127.0.0.1",
            port=options["PORT"] or "5432",
            user=options["USER"] or "postgres",
            password=options["PASSWORD"] or None,
        ) as database_connection,
        database_connection.cursor() as cursor,
    ):
        cursor.execute(
            "SELECT indexname, substring(indexdef from ' USING ([a-z]+) ') FROM pg_indexes "
            "WHERE schemaname = 'public' ORDER BY 1"
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, contype FROM pg_constraint "
            "WHERE connamespace = 'public'::regnamespace ORDER BY 1"
        )
        constraints = cursor.fetchall()
        cursor.execute("SELECT extname FROM pg_extension ORDER BY 1")
        extensions = [name for (name,) in cursor.fetchall()]
    database_connection.close()
    assert "pg_trgm" in extensions
    assert ("gin",) in {(method,) for _name, method in indexes}  # full text and trigrams
    return {"indexes": indexes, "constraints": constraints, "extensions": extensions}


def test_the_media_listing_names_every_uploaded_file_to_copy(export, loaded_sqlite, tmp_path):
    assert LIST_MEDIA in (BASE_DIR / "docs" / "backup.md").read_text()  # the command documented
    listed = manage("shell", "--verbosity=0", "-c", LIST_MEDIA, database_url=loaded_sqlite).split()

    referenced = {
        record["fields"][field]
        for record in json.loads(export["path"].read_text())
        # PDFs, logos, cover images and portraits; renditions are derived (make_renditions).
        for field in ("pdf", "logo", "image")
        if record["fields"].get(field)
    }
    assert sorted(listed) == sorted(referenced)
    assert any(name.endswith(".pdf") for name in listed)
    assert any(name.endswith(".png") for name in listed)
    # Copying these from MEDIA_ROOT (or the bucket) is all the restored site needs.
    copy = tmp_path / "media"
    for name in listed:
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(export["media_root"] / name, copy / name)
    assert (copy / next(n for n in listed if n.endswith(".pdf"))).read_bytes().startswith(b"%PDF")
