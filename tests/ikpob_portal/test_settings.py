"""Settings are read at import, so each case imports them in a fresh interpreter."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

PROJECT_DIR = settings.BASE_DIR
# Variables the settings read; none may leak in from the shell running the tests.
SETTINGS_VARIABLES = ("DJANGO_", "DATABASE_", "REDIS_URL")

SHOW_SETTINGS = """
import json
from ikpob_portal import settings
print(json.dumps({
    "debug": settings.DEBUG,
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION"),
    "static_storage": settings.STORAGES["staticfiles"]["BACKEND"],
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
}))
"""


def import_settings(code: str = SHOW_SETTINGS, **env: str) -> subprocess.CompletedProcess:
    clean = {
        name: value for name, value in os.environ.items() if not name.startswith(SETTINGS_VARIABLES)
    }
    clean["PYTHONPATH"] = str(PROJECT_DIR)
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def loaded_settings(**env: str) -> dict:
    result = import_settings(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("debug", [None, "0", "false"])
def test_settings_without_debug_and_secret_key_refuse_to_start(debug):
    env = {} if debug is None else {"DJANGO_DEBUG": debug}

    result = import_settings("import ikpob_portal.settings", **env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_settings_with_secret_key_start_in_production_mode():
    config = loaded_settings(DJANGO_SECRET_KEY="een-echte-geheime-sleutel-voor-productie")

    assert config["debug"] is False
    assert config["session_cookie_secure"] is True
    assert config["static_storage"] == "ikpob_portal.platform.storage.StaticStorage"


def test_settings_debug_without_secret_key_starts_for_development():
    config = loaded_settings(DJANGO_DEBUG="1")

    assert config["debug"] is True
    assert config["static_storage"] == "django.contrib.staticfiles.storage.StaticFilesStorage"


def test_settings_without_database_url_use_sqlite_file_in_project_dir():
    config = loaded_settings(DJANGO_DEBUG="1")

    assert config["engine"] == "django.db.backends.sqlite3"
    assert config["name"] == str(PROJECT_DIR / "db.sqlite3")


def test_settings_database_url_selects_postgresql():
    config = loaded_settings(
        DJANGO_DEBUG="1", DATABASE_URL="postgres://ikpob:geheim@db.example.nl:5432/ikpob"
    )

    assert config["engine"] == "django.db.backends.postgresql"
    assert config["name"] == "ikpob"


def test_settings_redis_url_selects_redis_cache():
    config = loaded_settings(DJANGO_DEBUG="1", REDIS_URL="redis://cache.example.nl:6379/1")

    assert config["cache"] == "ikpob_portal.platform.cache_backends.ResilientRedisCache"
    assert config["cache_location"] == "redis://cache.example.nl:6379/1"


def test_settings_without_redis_url_use_local_memory_cache():
    config = loaded_settings(DJANGO_DEBUG="1")

    assert config["cache"] == "django.core.cache.backends.locmem.LocMemCache"


def test_settings_dutch_language_and_amsterdam_time():
    assert settings.LANGUAGE_CODE == "nl"
    assert settings.TIME_ZONE == "Europe/Amsterdam"
    assert settings.USE_TZ is True
    assert [code for code, _name in settings.LANGUAGES] == ["nl", "en"]


SHOW_MEDIA_STORAGE = """
import json
from ikpob_portal import settings
print(json.dumps(settings.STORAGES["default"]))
"""


def media_storage(**env: str) -> dict:
    result = import_settings(SHOW_MEDIA_STORAGE, DJANGO_DEBUG="1", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("value", [None, "filesystem", "FileSystem"])
def test_settings_media_storage_is_the_file_system_by_default(value):
    env = {} if value is None else {"DJANGO_MEDIA_STORAGE": value}

    storage = media_storage(**env)

    assert storage == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_settings_media_storage_s3_uses_the_bucket_privately():
    storage = media_storage(
        DJANGO_MEDIA_STORAGE="s3",
        DJANGO_S3_BUCKET="ikpob-uploads",
        DJANGO_S3_ENDPOINT_URL="https://minio.example.nl:9000",
        DJANGO_S3_REGION="eu-west-1",
        DJANGO_S3_ACCESS_KEY_ID="toegangssleutel",
        DJANGO_S3_SECRET_ACCESS_KEY="geheim",
        DJANGO_S3_CUSTOM_DOMAIN="bestanden.ikpob.nl",
    )

    assert storage == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "ikpob-uploads",
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "endpoint_url": "https://minio.example.nl:9000",
            "region_name": "eu-west-1",
            "access_key": "toegangssleutel",
            "secret_key": "geheim",
            "custom_domain": "bestanden.ikpob.nl",
        },
    }


def test_settings_media_storage_s3_leaves_out_options_that_are_not_set():
    storage = media_storage(DJANGO_MEDIA_STORAGE="s3", DJANGO_S3_BUCKET="ikpob-uploads")

    assert storage["OPTIONS"] == {
        "bucket_name": "ikpob-uploads",
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
    }


def test_settings_media_storage_s3_options_are_accepted_by_django_storages():
    code = """
import django
django.setup()
from django.core.files.storage import default_storage
print(default_storage.__class__.__name__, default_storage.bucket_name)
print(default_storage.default_acl, default_storage.querystring_auth, default_storage.file_overwrite)
"""
    result = import_settings(
        code,
        DJANGO_SETTINGS_MODULE="ikpob_portal.settings",
        DJANGO_DEBUG="1",
        DJANGO_MEDIA_STORAGE="s3",
        DJANGO_S3_BUCKET="ikpob-uploads",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["S3Storage", "ikpob-uploads", "None", "True", "False"]


def test_settings_media_storage_s3_without_bucket_refuses_to_start():
    result = import_settings(
        "import ikpob_portal.settings", DJANGO_DEBUG="1", DJANGO_MEDIA_STORAGE="s3"
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_MEDIA_STORAGE=s3 needs DJANGO_S3_BUCKET" in result.stderr


def test_settings_unknown_media_storage_refuses_to_start():
    result = import_settings(
        "import ikpob_portal.settings", DJANGO_DEBUG="1", DJANGO_MEDIA_STORAGE="ftp"
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_MEDIA_STORAGE='ftp' is not known" in result.stderr
