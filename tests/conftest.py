import os

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.utils import translation

from tests.factories import make_editor
from tests.smtp import serving_smtp


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "postgres_only: needs PostgreSQL (full text, trigrams, locking); skipped on SQLite, "
        "but fails instead when CI_REQUIRE_POSTGRES=1",
    )


def require_postgres() -> None:
    """Skip on another database, unless CI says PostgreSQL is required: then fail.

    The PostgreSQL run of `.ci/run` sets CI_REQUIRE_POSTGRES=1, so a misconfigured
    DATABASE_URL cannot turn the PostgreSQL-only tests into silent skips.
    """
    if connection.vendor == "postgresql":
        return
    if os.environ.get("CI_REQUIRE_POSTGRES") == "1":
        pytest.fail(
            f"CI_REQUIRE_POSTGRES=1 but the database is {connection.vendor}, not PostgreSQL",
            pytrace=False,
        )
    pytest.skip(f"needs PostgreSQL; the database is {connection.vendor}")


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres_only"):
        require_postgres()


@pytest.fixture
def postgres_only() -> None:
    """For fixtures and tests that need PostgreSQL: the same as `@pytest.mark.postgres_only`."""
    require_postgres()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SECURE_SSL_REDIRECT = False
    # Page statistics only where a test turns them on (tests/ikpob_portal/test_statistics.py):
    # counts buffered by other tests would be written at exit, after the test database is gone.
    settings.STATISTICS = False
    # The test client leaves the last request's language active; URLs we reverse are Dutch.
    with translation.override("nl"):
        yield


@pytest.fixture(autouse=True)
def _no_form_fill_time(settings):
    """Tests post forms at once and search often, all from one address: no minimum fill time
    (ikpob_portal/platform/antispam.py) and no search or list filter rate limit, unless a test
    sets them again to test those checks."""
    settings.FORM_MIN_FILL_SECONDS = 0
    settings.SEARCH_RATE_LIMIT_PER_MINUTE = 1_000_000
    settings.LIST_FILTER_RATE_LIMIT_PER_MINUTE = 1_000_000


@pytest.fixture(autouse=True)
def _empty_local_rate_limits():
    """The per-process fallback of the rate limits (used while the cache is down) starts empty
    for every test, and the next fallback is logged again."""
    from ikpob_portal.platform import ratelimit

    ratelimit.local_store.clear()
    ratelimit.fallback.active = False
    yield
    ratelimit.local_store.clear()
    ratelimit.fallback.active = False


@pytest.fixture
def editor(db):
    return make_editor()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture(scope="session")
def _groups_as_migrated(django_db_setup, django_db_blocker) -> dict[str, list[tuple[str, str]]]:
    """The groups the data migrations made (Redacteur, Hoofdredactie, Ingang) and their
    permissions, as (app label, codename)."""
    with django_db_blocker.unblock():
        return {
            group.name: list(group.permissions.values_list("content_type__app_label", "codename"))
            for group in Group.objects.all()
        }


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return (
        "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
        or bool(marker and marker.kwargs.get("transaction"))
    )


@pytest.fixture(autouse=True)
def _groups_survive_flushes(request):
    """A transactional test (browser journeys, locking) ends by flushing every table, groups
    included, and only permissions come back by themselves. The groups come from data
    migrations, so the next such test would find no Redacteur: put them back as migrated."""
    if not _is_transactional(request):
        return
    groups = request.getfixturevalue("_groups_as_migrated")
    request.getfixturevalue("transactional_db")
    if Group.objects.exists():
        return
    permissions = {
        (app_label, codename): pk
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for name, granted in groups.items():
        group = Group.objects.create(name=name)
        group.permissions.set([permissions[key] for key in granted if key in permissions])


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on this machine (aiosmtpd) that keeps what it receives."""
    received: list[bytes] = []

    class Keep:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope.original_content)
            return "250 OK"

    with serving_smtp(settings, Keep()):
        yield received
