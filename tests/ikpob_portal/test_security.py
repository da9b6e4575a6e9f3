"""Production security: headers, Content Security Policy, admin login lockout and admin access."""

import json
import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from tests.factories import make_editor, make_event, make_publication
from tests.ikpob_portal.test_settings import import_settings

ADMIN = "/beheer/"
LOGIN = f"{ADMIN}login/"
PASSWORD = "een-lang-genoeg-wachtwoord"
PRODUCTION = {
    "DJANGO_SECRET_KEY": "een-echte-geheime-sleutel-voor-productie-" + "x" * 30,
    "DJANGO_ALLOWED_HOSTS": "portal.example.nl",
    "DJANGO_EMAIL_HOST": "smtp.example.nl",
}


# --- Content Security Policy --------------------------------------------------------------


def policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/publicaties/",
        "/publicaties/toezicht/",
        "/zoeken/?q=toezicht",
        "/en/",
        "/bestaat-niet/",
    ],
)
def test_every_page_carries_a_strict_content_security_policy(client, path):
    make_publication("Toezicht")

    directives = policy(client.get(path))

    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]  # no inline script, no eval, no other origin
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert not any("unsafe" in value for values in directives.values() for value in values)


@pytest.mark.django_db
def test_admin_pages_carry_the_policy_too(client):
    assert "default-src 'self'" in client.get(LOGIN).headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_a_page_from_the_page_cache_keeps_the_policy(client, settings):
    settings.PAGE_CACHE = True
    make_publication("Toezicht")
    client.get("/publicaties/")

    stored = client.get("/publicaties/")

    assert "default-src 'self'" in stored.headers["Content-Security-Policy"]


# --- Production settings, in a fresh interpreter (settings are read at import) ---------------

REQUEST_HEADERS = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
plain = client.get("/robots.txt")
proxied = client.get("/robots.txt", headers={"X-Forwarded-Proto": "https"})
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.headers.get("Location"),
    "proxied_status": proxied.status_code,
    "headers": dict(proxied.headers),
    "cookies": {
        "session_secure": settings.SESSION_COOKIE_SECURE,
        "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
        "csrf_secure": settings.CSRF_COOKIE_SECURE,
        "csrf_httponly": settings.CSRF_COOKIE_HTTPONLY,
        "language_secure": settings.LANGUAGE_COOKIE_SECURE,
    },
}))
"""


def production_request(**env: str) -> dict:
    result = import_settings(
        REQUEST_HEADERS,
        DJANGO_SETTINGS_MODULE="ikpob_portal.settings",
        DATABASE_URL="sqlite:///:memory:",
        DJANGO_ALLOWED_HOSTS="testserver",
        **{key: value for key, value in PRODUCTION.items() if key != "DJANGO_ALLOWED_HOSTS"},
        **env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_redirects_http_to_https_and_trusts_the_proxy_header():
    answer = production_request()

    assert answer["plain_status"] == 301
    assert answer["plain_location"] == "https://testserver/robots.txt"
    assert answer["proxied_status"] == 200


def test_production_sends_the_security_headers():
    headers = production_request()["headers"]

    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_production_cookies_are_secure_and_http_only():
    cookies = production_request()["cookies"]

    assert all(cookies.values()), cookies


def test_without_a_proxy_the_forwarded_proto_header_is_not_believed():
    answer = production_request(DJANGO_SECURE_PROXY_SSL_HEADER="off")

    assert answer["proxied_status"] == 301


def test_another_proxy_header_can_be_named():
    code = "from ikpob_portal import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    result = import_settings(
        code, **PRODUCTION, DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Ssl: on"
    )

    assert result.stdout.strip() == "('HTTP_X_FORWARDED_SSL', 'on')"


def test_a_malformed_proxy_header_setting_refuses_to_start():
    result = import_settings(
        "import ikpob_portal.settings", **PRODUCTION, DJANGO_SECURE_PROXY_SSL_HEADER="https"
    )

    assert result.returncode != 0
    assert "DJANGO_SECURE_PROXY_SSL_HEADER" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env={
            **import_settings_env(),
            **PRODUCTION,
            "DATABASE_URL": "sqlite:///:memory:",
            # security.txt: a contact and an expiry within a year (portal.E101, E103-W105).
            "DJANGO_SECURITY_CONTACT": "mailto:security@example.nl",
            "DJANGO_SECURITY_TXT_EXPIRES": (timezone.now() + timedelta(days=180)).isoformat(),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def import_settings_env() -> dict[str, str]:
    import os

    from tests.ikpob_portal.test_settings import SETTINGS_VARIABLES

    return {k: v for k, v in os.environ.items() if not k.startswith(SETTINGS_VARIABLES)}


def test_the_admin_address_is_configurable():
    code = (
        "import django; django.setup()\n"
        "from django.urls import resolve, reverse, Resolver404\n"
        "print(reverse('admin:index'))\n"
        # /beheer/ may still resolve (a page could be called so), but not to the admin.
        "try:\n    match = resolve('/beheer/')\n"
        "    print('beheer', 'admin' if match.namespace == 'admin' else 'gone')\n"
        "except Resolver404:\n    print('beheer gone')\n"
    )
    result = import_settings(
        code,
        DJANGO_SETTINGS_MODULE="ikpob_portal.settings",
        DJANGO_DEBUG="1",
        DJANGO_ADMIN_URL="/redactie-7f3a/",
    )

    assert result.stdout.split() == ["/redactie-7f3a/", "beheer", "gone"], result.stderr


# --- Admin login lockout ---------------------------------------------------------------------


@pytest.fixture
def editor_with_password(db):
    editor = make_editor("redacteur")
    editor.set_password(PASSWORD)
    editor.save()
    return editor


def log_in(client: Client, password: str, *, username: str = "redacteur", address="192.0.2.10"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": ADMIN},
        REMOTE_ADDR=address,
    )


def fail_until_locked(client: Client) -> None:
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "fout-wachtwoord")


def test_a_wrong_password_gets_the_usual_message_before_the_limit(client, editor_with_password):
    response = log_in(client, "fout-wachtwoord")

    assert response.status_code == 200
    assert "Voer de correcte gebruikersnaam en wachtwoord" in response.content.decode()


def test_repeated_wrong_passwords_lock_the_login_with_a_clear_message(client, editor_with_password):
    fail_until_locked(client)

    response = log_in(client, PASSWORD)  # even the right password, now

    html = response.content.decode()
    assert response.status_code == 429
    assert "Inloggen tijdelijk geblokkeerd" in html
    assert "te vaak een verkeerd wachtwoord ingevuld" in html
    assert "de komende 15 minuten" in html
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_username_from_any_address(client, editor_with_password):
    # Issue 17: the right password from a new address used to get in (tests/security/).
    fail_until_locked(client)

    from_elsewhere = log_in(Client(), PASSWORD, address="198.51.100.7")

    assert from_elsewhere.status_code == 429


def test_the_lockout_ends_after_the_cool_off_time(client, editor_with_password):
    fail_until_locked(client)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )

    response = log_in(client, PASSWORD)

    assert response.status_code == 302


def test_a_successful_login_clears_earlier_failures(client, editor_with_password):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "fout-wachtwoord")
    assert log_in(client, PASSWORD).status_code == 302
    client.logout()

    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "fout-wachtwoord")

    assert log_in(client, PASSWORD).status_code == 302


def test_failed_attempts_store_no_password(client, editor_with_password):
    log_in(client, "geheim-fout-wachtwoord")

    stored = json.dumps(list(AccessAttempt.objects.values()), default=str)
    assert "geheim-fout-wachtwoord" not in stored


# --- Who sees what in the admin ----------------------------------------------------------------


@pytest.fixture
def staff_without_group(db):
    return get_user_model().objects.create_user(
        "medewerker", "medewerker@example.nl", PASSWORD, is_staff=True
    )


def test_a_staff_account_without_the_editor_group_sees_nothing(client, staff_without_group):
    client.force_login(staff_without_group)

    html = client.get(ADMIN).content.decode()

    assert "U hebt geen rechten om iets te bekijken of te bewerken." in html
    for app in ("publications", "events", "network", "learning_circles", "auth", "axes"):
        assert f'href="{ADMIN}{app}/' not in html


@pytest.mark.parametrize(
    "path",
    [
        "publications/publication/",
        "events/event/",
        "events/registration/",
        "network/person/",
        "learning_circles/joinrequest/",
        "auth/user/",
        "axes/accessattempt/",
    ],
)
def test_a_staff_account_without_the_editor_group_is_refused_every_list(
    client, staff_without_group, path
):
    client.force_login(staff_without_group)
    make_event("Congres")

    assert client.get(f"{ADMIN}{path}").status_code == 403


def test_editors_cannot_see_or_clear_login_lockouts(editor_client):
    assert editor_client.get(f"{ADMIN}axes/accessattempt/").status_code == 403
