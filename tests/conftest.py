import os

import pytest
from django.db import connection
from django.utils import translation

from tests.factories import make_editor


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
    (ikpob_portal/platform/antispam.py) and no search rate limit, unless a test sets them again to
    test those checks."""
    settings.FORM_MIN_FILL_SECONDS = 0
    settings.SEARCH_RATE_LIMIT_PER_MINUTE = 1_000_000


@pytest.fixture
def editor(db):
    return make_editor()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
