"""Graceful failure: Redis or the database going away, health checks, logs and error mail.

Faults are real: the cache points at a port nobody listens on, the database connection runs
through a TCP proxy that the test stops and starts, and the site runs as a gunicorn process
where a whole outage and its recovery are needed.
"""

import json
import logging
import re
import sys
import uuid
from urllib.parse import quote

import pytest
import redis
from django.core import mail
from django.core.cache import cache, caches
from django.db import connection, transaction
from django.test import Client

from ikpob_portal.platform.cache_backends import ResilientRedisCache
from ikpob_portal.platform.logs import JsonFormatter
from tests.factories import (
    make_event,
    make_learning_circle,
    make_organisation,
    make_person,
    make_publication,
    make_theme,
)
from tests.faults import (
    QUERY_IN_MIDDLEWARE,
    TcpProxy,
    app_server,
    closed_port,
    is_listening,
    server_env,
)

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
BACKEND = "ikpob_portal.platform.cache_backends.ResilientRedisCache"
TRACEBACK_WORDS = ("Traceback", "OperationalError", 'File "')


def redis_cache_at(port: int, **options) -> dict:
    return {
        "default": {
            "BACKEND": BACKEND,
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            # A prefix of its own, so nothing of another test or process is touched.
            "KEY_PREFIX": f"test-resilience-{uuid.uuid4().hex[:8]}",
            "OPTIONS": options,
        }
    }


def cache_warnings(caplog) -> list[logging.LogRecord]:
    return [
        record
        for record in caplog.records
        if record.name == "ikpob_portal.platform.cache_backends"
        and record.levelno == logging.WARNING
    ]


@pytest.fixture
def site():
    """One published item of every kind, and the pages that show them."""
    theme = make_theme("Toezicht")
    organisation = make_organisation("Gemeente Utrecht", themes=[theme])
    person = make_person(given_name="Anna", family_name="Jansen")
    publication = make_publication("Leren van doen", themes=[theme])
    circle = make_learning_circle("Vakmanschap in de praktijk", themes=[theme])
    event = make_event("Slotconferentie", themes=[theme])
    return [
        "/",
        "/en/",
        "/publicaties/",
        publication.get_absolute_url(),
        "/leerkringen/",
        circle.get_absolute_url(),
        "/evenementen/",
        event.get_absolute_url(),
        "/netwerk/",
        organisation.get_absolute_url(),
        person.get_absolute_url(),
        "/themas/",
        "/themas/toezicht/",
        "/zoeken/?q=leren",
    ]


# Redis down -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_redis_down_every_page_still_answers_with_the_page_cache_on(settings, site, caplog):
    # Retried on every call: many real failures, to show they are not logged one by one.
    settings.CACHES = redis_cache_at(closed_port(), RETRY_AFTER_SECONDS=0)
    settings.PAGE_CACHE = True
    settings.QUERY_CACHE = True
    caplog.set_level(logging.WARNING)

    for url in site + site:
        response = Client().get(url)
        assert response.status_code == 200, url
        assert response.get("X-Page-Cache") != "hit", url

    # Every cache call failed, but the outage is reported once (a minute), not per page.
    warnings = cache_warnings(caplog)
    assert 1 <= len(warnings) < len(site)
    assert "cache unavailable" in warnings[0].getMessage()


def hidden_inputs(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


@pytest.mark.django_db
def test_redis_down_a_registration_still_goes_through(settings):
    settings.CACHES = redis_cache_at(closed_port())
    settings.PAGE_CACHE = True
    settings.FORM_MIN_FILL_SECONDS = 0
    event = make_event("Slotconferentie")
    visitor = Client()
    url = f"/evenementen/{event.slug}/aanmelden/"
    form = visitor.get(url)
    assert form.status_code == 200

    response = visitor.post(
        url,
        {
            **hidden_inputs(form.content.decode()),
            "name": "Anna Jansen",
            "email": "anna@utrecht.nl",
            "organisation": "Gemeente Utrecht",
            "consent": "on",
        },
    )

    assert response.status_code == 302
    assert event.registrations.filter(email="anna@utrecht.nl").exists()


def test_redis_down_the_cache_answers_every_operation_as_a_miss(settings):
    settings.CACHES = redis_cache_at(closed_port())
    assert isinstance(caches["default"], ResilientRedisCache)

    assert cache.get("a") is None
    assert cache.get("a", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("a", 1) is False
    assert cache.set("a", 1) is False
    assert cache.touch("a") is False
    assert cache.delete("a") is False
    assert cache.has_key("a") is False
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.delete_many(["a", "b"]) is None
    assert cache.get_or_set("a", lambda: "fresh") == "fresh"
    with pytest.raises(ValueError, match="not found"):
        cache.incr("a")
    with pytest.raises(ValueError, match="not found"):
        cache.decr("a")


def test_redis_down_the_cache_stops_trying_for_a_moment_after_a_failure(settings, caplog):
    settings.CACHES = redis_cache_at(closed_port(), RETRY_AFTER_SECONDS=60)
    caplog.set_level(logging.WARNING)

    for _ in range(50):
        assert cache.get("a") is None

    # One attempt failed and was logged; the other 49 did not wait for Redis.
    assert len(cache_warnings(caplog)) == 1


@pytest.fixture
def redis_proxy():
    # Redis is a test service like PostgreSQL (.ci/run checks it is up): missing is a failure.
    assert is_listening(REDIS_HOST, REDIS_PORT), (
        f"needs a Redis on {REDIS_HOST}:{REDIS_PORT} to put the proxy in front of"
    )
    with TcpProxy(REDIS_HOST, REDIS_PORT) as proxy:
        yield proxy


@pytest.fixture
def cache_through(settings, redis_proxy):
    settings.CACHES = redis_cache_at(redis_proxy.port, RETRY_AFTER_SECONDS=0)
    settings.PAGE_CACHE = True
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    yield redis_proxy
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=0, socket_timeout=5)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.mark.django_db
def test_redis_back_the_page_cache_serves_stored_pages_again(cache_through, caplog):
    make_publication("Leren van doen")
    caplog.set_level(logging.WARNING)
    Client().get("/publicaties/")
    assert Client().get("/publicaties/")["X-Page-Cache"] == "hit"

    cache_through.stop()
    response = Client().get("/publicaties/")
    assert response.status_code == 200
    assert response.get("X-Page-Cache") != "hit"
    assert "Leren van doen" in response.content.decode()

    cache_through.start()
    assert Client().get("/publicaties/")["X-Page-Cache"] == "hit"
    messages = [record.getMessage() for record in cache_warnings(caplog)]
    assert any("cache unavailable" in message for message in messages)
    assert any("cache reachable again" in message for message in messages)


# Health check -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_reports_database_and_local_cache(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "cache": "local"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_reports_redis_down_but_stays_200(settings, client):
    settings.CACHES = redis_cache_at(closed_port(), RETRY_AFTER_SECONDS=60)
    settings.PAGE_CACHE = True

    response = client.get("/healthz/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "unavailable"}


@pytest.mark.django_db
def test_healthz_reports_redis_ok_and_is_never_stored_by_the_page_cache(cache_through):
    first = Client().get("/healthz/")
    second = Client().get("/healthz/")

    assert first.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "X-Page-Cache" not in second


# Database down ------------------------------------------------------------------------------


def parsed_log(text: str) -> list[dict]:
    """Every line of a JSON log that is a JSON object (gunicorn's own lines are not)."""
    records = []
    for line in text.splitlines():
        if line.startswith("{"):
            records.append(json.loads(line))
    return records


def assert_friendly_503(answer) -> None:
    assert answer.status == 503
    assert answer.headers["Retry-After"].isdigit()
    assert "tijdelijk niet beschikbaar" in answer.body
    assert "temporarily unavailable" in answer.body
    for word in TRACEBACK_WORDS:
        assert word not in answer.body


def test_database_missing_sqlite_every_page_is_a_friendly_503(tmp_path):
    env = server_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'no-such-directory' / 'db.sqlite3'}",
        DJANGO_ADMINS="beheer@ikpob.nl",
    )
    with app_server(env, tmp_path / "gunicorn.log") as server:
        for path in ("/", "/publicaties/", "/zoeken/?q=toezicht", "/en/evenementen/"):
            assert_friendly_503(server.get(path))
        # Raised in a middleware, not in a view: the same page (through handler500).
        assert_friendly_503(server.get("/privacy/", headers={QUERY_IN_MIDDLEWARE: "1"}))
        health = server.get("/healthz/")
        log = server.log()

    assert health.status == 503
    assert json.loads(health.body) == {
        "status": "unavailable",
        "database": "unavailable",
        "cache": "local",
    }
    records = parsed_log(log)  # JSON: the default without DEBUG
    errors = [r for r in records if r["logger"] == "ikpob_portal.platform.resilience"]
    assert {r["path"] for r in errors} == {
        "/",
        "/publicaties/",
        "/zoeken/",
        "/en/evenementen/",
        "/privacy/",
        "/healthz/",
    }
    assert all(r["level"] == "ERROR" and r["status"] == 503 for r in errors)
    assert any("unable to open database file" in r["message"] for r in errors)
    # Logged once, by us, and not again as a request error: that would mail ADMINS per request.
    assert not [r for r in records if r["logger"] == "django.request"]
    assert "Subject:" not in log


@pytest.fixture
def database_proxy(transactional_db, postgres_only):
    database = connection.settings_dict
    with TcpProxy(database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)) as proxy:
        yield proxy


def database_url_through(port: int, *, options: str = "") -> str:
    """The test database, through `port` (a proxy's, or PostgreSQL's own)."""
    database = connection.settings_dict
    credentials = database["USER"]
    if database["PASSWORD"]:
        credentials += f":{database['PASSWORD']}"
    query = "connect_timeout=5" + (f"&options={quote(options)}" if options else "")
    return f"postgres://{credentials}@127.0.0.1:{port}/{database['NAME']}?{query}"


def proxied_database_url(proxy: TcpProxy) -> str:
    return database_url_through(proxy.port)


def test_database_down_and_back_postgresql_503_then_200_without_restart(database_proxy, tmp_path):
    publication = make_publication("Leren van doen")
    env = server_env(
        DATABASE_URL=proxied_database_url(database_proxy),
        DATABASE_CONN_MAX_AGE="60",
        # One thread: each gunicorn thread keeps a connection of its own, and the counts below
        # follow one connection through the outage.
        GUNICORN_CMD_ARGS="--threads 1",
    )
    pages = ["/", "/publicaties/", publication.get_absolute_url(), "/zoeken/?q=leren"]
    with app_server(env, tmp_path / "gunicorn.log") as server:
        for path in pages:
            assert server.get(path).status == 200, path
        # Persistent: one connection served every request so far.
        assert database_proxy.connections == 1

        database_proxy.stop()
        for path in pages:
            assert_friendly_503(server.get(path))
        health = server.get("/healthz/")
        assert health.status == 503
        assert json.loads(health.body)["database"] == "unavailable"

        database_proxy.start()
        answer = server.get(publication.get_absolute_url())
        assert answer.status == 200
        assert "Leren van doen" in answer.body
        assert server.get("/healthz/").status == 200
        for path in pages:
            assert server.get(path).status == 200, path
        # The broken connection was dropped and a new one made, in the same server process.
        assert database_proxy.connections == 2
        log = server.log()

    errors = [r for r in parsed_log(log) if r["logger"] == "ikpob_portal.platform.resilience"]
    assert errors
    assert all(r["level"] == "ERROR" for r in errors)
    # The traceback once (a minute), not with every request.
    assert 1 <= sum("exception" in r for r in errors) < len(errors)


# Logs and error mail ------------------------------------------------------------------------


def test_json_log_line_has_time_level_logger_and_message():
    record = logging.LogRecord(
        "ikpob_portal.platform.cache",
        logging.WARNING,
        __file__,
        1,
        "page cache unavailable at %s",
        ("redis://:geheim@redis.intern:6379/0",),
        None,
    )

    line = JsonFormatter().format(record)

    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "ikpob_portal.platform.cache"
    assert entry["message"] == "page cache unavailable at redis://:********@redis.intern:6379/0"
    assert entry["time"].endswith("+00:00")


def server_error_record(request, error: Exception) -> logging.LogRecord:
    """The record django.request logs for an unhandled `error` in a view."""
    try:
        raise error
    except type(error):
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "django.request",
        logging.ERROR,
        __file__,
        1,
        "Internal Server Error: %s",
        (request.path,),
        exc_info,
    )
    record.request = request
    record.status_code = 500
    return record


def test_json_log_line_of_a_request_error_has_method_path_status_and_exception(rf):
    request = rf.post("/evenementen/slot/aanmelden/?utm=x", {"email": "anna@utrecht.nl"})
    record = server_error_record(request, RuntimeError("boom for anna@utrecht.nl"))

    line = JsonFormatter().format(record)

    entry = json.loads(line)
    assert entry["method"] == "POST"
    assert entry["path"] == "/evenementen/slot/aanmelden/"
    assert entry["status"] == 500
    assert "RuntimeError" in entry["exception"]
    assert "anna@utrecht.nl" not in line


def test_settings_choose_the_json_log_format_without_debug():
    from tests.ikpob_portal.test_settings import import_settings

    code = (
        "from ikpob_portal import settings; "
        "print(settings.LOGGING['handlers']['console']['formatter'], settings.ADMINS)"
    )
    result = import_settings(
        code,
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ADMINS='Beheer IKPOB <beheer@ikpob.nl>, "Jansen, P." <p@ikpob.nl>',
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "json ['Beheer IKPOB <beheer@ikpob.nl>', '\"Jansen, P.\" <p@ikpob.nl>']"
    )


@pytest.fixture
def broken_form_templates(settings):
    """The registration and join forms' templates fail to render: an unhandled error."""
    broken = "{% url 'no-such-page' %}"
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "APP_DIRS": False,
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {
                            "events/register.html": broken,
                            "learning_circles/join.html": broken,
                        },
                    ),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("form", ["event", "circle"])
def test_error_mail_to_admins_leaves_out_what_the_visitor_posted(
    settings, broken_form_templates, form
):
    settings.ADMINS = ["Beheer <beheer@ikpob.nl>"]
    settings.REDIS_URL = "redis://:geheim-wachtwoord@redis.intern:6379/0"
    if form == "event":
        url = f"/evenementen/{make_event('Slotconferentie').slug}/aanmelden/"
    else:
        circle = make_learning_circle("Vakmanschap", accepts_join_requests=True)
        url = f"/leerkringen/{circle.slug}/aanmelden/"
    visitor = Client(raise_request_exception=False)

    # No consent: the form is shown again, and its template fails.
    response = visitor.post(
        url,
        {
            "name": "Anna Jansen",
            "email": "anna@utrecht.nl",
            "organisation": "Gemeente Utrecht",
            "organisation_name": "Gemeente Utrecht",
            "motivation": "Ik wil graag meedoen.",
        },
    )

    assert response.status_code == 500
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Beheer <beheer@ikpob.nl>"]
    assert "Internal Server Error" in message.subject
    text = message.message().as_string()
    assert "NoReverseMatch" in text  # the report is there
    for personal in ("anna@utrecht.nl", "Anna Jansen", "meedoen"):
        assert personal not in text
    assert "REDIS_URL" in text
    assert "geheim-wachtwoord" not in text


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_database_up_but_a_query_fails_is_a_server_error_not_an_outage(tmp_path):
    publication = make_publication("Leren van doen")
    env = server_env(
        DATABASE_URL=database_url_through(
            int(connection.settings_dict["PORT"] or 5432), options="-c lock_timeout=200"
        ),
        DJANGO_ADMINS="beheer@ikpob.nl",
    )
    with app_server(env, tmp_path / "gunicorn.log") as server:
        # An editor's long transaction holds the table: the page's query gives up waiting.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f'LOCK TABLE "{publication._meta.db_table}" IN ACCESS EXCLUSIVE MODE')
            answer = server.get("/publicaties/")
            health = server.get("/healthz/")
        log = server.log()

    assert answer.status == 500
    assert "Er ging iets mis" in answer.body
    assert health.status == 200
    records = parsed_log(log)
    assert [r["status"] for r in records if r["logger"] == "django.request"] == [500]
    assert "Subject: [Django] ERROR" in log  # the mail to ADMINS (console backend)


def test_registration_tokens_are_blanked_in_log_lines(rf):
    request = rf.get("/en/aanmelding/Zx81-geheim_token/")
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (request.path,), None
    )
    record.request = request
    record.status_code = 404

    line = JsonFormatter().format(record)

    assert "Zx81-geheim_token" not in line
    assert json.loads(line)["path"] == "/en/aanmelding/[code]/"


def test_error_mail_blanks_emails_and_tokens_in_the_exception_and_path(rf, settings):
    from ikpob_portal.platform.logs import PrivateAdminEmailHandler

    settings.ADMINS = ["Beheer <beheer@ikpob.nl>"]
    request = rf.get("/aanmelding/Zx81-geheim_token/")
    error = RuntimeError("duplicate key: DETAIL: Key (email)=(anna@utrecht.nl) already exists")
    record = server_error_record(request, error)

    PrivateAdminEmailHandler(include_html=True).emit(record)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    # The plain text and the HTML report, decoded (not as they travel, encoded).
    text = message.subject + message.body + "".join(str(a[0]) for a in message.alternatives)
    assert "RuntimeError" in message.body
    assert message.alternatives, "the HTML report is there too"
    assert "/aanmelding/[code]/" in message.subject
    for personal in ("anna@utrecht.nl", "Zx81-geheim_token"):
        assert personal not in text
