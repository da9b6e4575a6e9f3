"""Issue 17, finding 5: admin login throttling was per username and address only.

Replayed as found: the right password from a new address succeeded after lockouts elsewhere;
4 addresses × 5 guesses were all allowed; many usernames from one address were never
throttled. Then the second factor that staff accounts need when it is required.
"""

import re
from base64 import b32decode
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ikpob_portal.kernel.logins import LOCKED_MAIL
from ikpob_portal.kernel.models import OutgoingMail
from tests.factories import make_editor, make_publication

ADMIN = "/beheer/"
LOGIN = f"{ADMIN}login/"
SETUP = f"{ADMIN}tweede-factor/instellen/"
VERIFY = f"{ADMIN}tweede-factor/code/"
CODES = f"{ADMIN}tweede-factor/herstelcodes/"
PASSWORD = "een-lang-genoeg-wachtwoord"
WRONG = "fout-wachtwoord"


@pytest.fixture
def editor_with_password(db):
    editor = make_editor("redacteur", email="redacteur@example.nl")
    editor.set_password(PASSWORD)
    editor.save()
    return editor


def log_in(
    client: Client, password: str, *, username: str = "redacteur", address: str = "192.0.2.10"
):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": ADMIN},
        REMOTE_ADDR=address,
    )


def logged_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


# --- Lockout per username, from any address ----------------------------------------------------


def test_the_right_password_from_a_new_address_is_refused_after_failures_elsewhere(
    editor_with_password,
):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(Client(), WRONG, address="192.0.2.10")

    from_elsewhere = log_in(Client(), PASSWORD, address="198.51.100.7")

    assert from_elsewhere.status_code == 429
    assert not logged_in(from_elsewhere)


def test_four_addresses_with_five_guesses_each_lock_the_username_after_five(editor_with_password):
    statuses = []
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"):
        client = Client()
        statuses += [log_in(client, WRONG, address=address).status_code for _guess in range(5)]

    assert statuses[:4] == [200] * 4  # the form again, with its usual message
    assert statuses[4:] == [429] * 16  # locked from the fifth failure on, wherever it comes from
    assert log_in(Client(), PASSWORD, address="203.0.113.9").status_code == 429


def test_the_lockout_page_does_not_tell_whether_the_username_exists(editor_with_password):
    def locked_page(username: str) -> str:
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            response = log_in(Client(), WRONG, username=username, address="192.0.2.20")
        return response.content.decode().replace(username, "<naam>")

    assert locked_page("redacteur") == locked_page("bestaat-niet")


def test_the_locked_account_gets_one_mail(
    editor_with_password, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for index in range(settings.AXES_FAILURE_LIMIT + 3):
            log_in(Client(), WRONG, address=f"192.0.2.{30 + index}")

    assert OutgoingMail.objects.filter(kind=LOCKED_MAIL).count() == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["redacteur@example.nl"]
    assert "tijdelijk geblokkeerd" in message.subject
    assert "'redacteur'" in message.body
    assert "15 minuten" in message.body
    assert "Wachtwoord wijzigen" in message.body


def test_no_mail_for_a_username_without_account(db, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            response = log_in(Client(), WRONG, username="bestaat-niet")

    assert response.status_code == 429
    assert mailoutbox == []


# --- Limit per address, over usernames ---------------------------------------------------------


def test_many_usernames_from_one_address_are_throttled(editor_with_password):
    statuses = [
        log_in(Client(), WRONG, username=f"gebruiker{index}", address="192.0.2.50").status_code
        for index in range(25)
    ]

    limit = settings.ADMIN_LOGIN_ADDRESS_ATTEMPTS
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert statuses[limit - 1 :] == [429] * (25 - limit + 1)
    # Even the right password of a real account is refused from that address now …
    assert log_in(Client(), PASSWORD, address="192.0.2.50").status_code == 429
    # … but not from another one: those 25 usernames never locked "redacteur".
    assert logged_in(log_in(Client(), PASSWORD, address="198.51.100.8"))


def test_the_address_limit_is_a_setting(editor_with_password, settings):
    settings.ADMIN_LOGIN_ADDRESS_ATTEMPTS = 3
    statuses = [
        log_in(Client(), WRONG, username=f"gebruiker{index}", address="192.0.2.51").status_code
        for index in range(4)
    ]

    assert statuses == [200, 200, 429, 429]


# --- The second factor -------------------------------------------------------------------------


@pytest.fixture
def second_factor(settings):
    settings.ADMIN_REQUIRE_SECOND_FACTOR = True


def app_code(secret: str, *, later_steps: int = 0) -> str:
    """The code the authenticator app shows for this secret (django-otp's own TOTP)."""
    key = b32decode(secret.replace(" ", ""))
    return f"{totp(key, t0=-30 * later_steps):06d}"


def set_up(client: Client) -> tuple[str, list[str]]:
    """Log in, set up the app from the setup page; the secret and the recovery codes shown."""
    response = log_in(client, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(SETUP)
    page = client.get(response.headers["Location"]).content.decode()
    secret = re.search(r'id="second-factor-secret"[^>]*>([A-Z2-7 ]+)<', page)[1]
    confirmed = client.post(SETUP, {"code": app_code(secret), "next": ADMIN})
    assert confirmed.headers["Location"].startswith(CODES)
    codes_page = client.get(confirmed.headers["Location"]).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>", codes_page)
    return secret, codes


def test_the_first_login_sets_up_the_app_and_shows_ten_recovery_codes_once(
    editor_with_password, second_factor
):
    client = Client()
    _secret, codes = set_up(client)

    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=editor_with_password).confirmed
    assert client.get(ADMIN).status_code == 200
    again = client.get(CODES)
    assert again.status_code == 302  # shown once only
    assert "<code>" not in client.get(again.headers["Location"]).content.decode()


def test_the_setup_page_is_accessible_and_in_dutch(editor_with_password, second_factor):
    client = Client()
    page = client.get(log_in(client, PASSWORD).headers["Location"]).content.decode()

    assert '<label for="id_code" class="required">Code uit de app</label>' in page
    assert 'autocomplete="one-time-code"' in page
    assert 'inputmode="numeric"' in page
    assert '<svg role="img"' in page  # the QR code, named for screen readers

    wrong = client.post(SETUP, {"code": "12", "next": ADMIN}).content.decode()
    assert 'aria-invalid="true"' in wrong
    assert 'aria-describedby="id_code_error"' in wrong
    assert "Vul de 6 cijfers in die de app nu toont." in wrong


def test_a_later_login_asks_for_a_code_from_the_app(editor_with_password, second_factor):
    secret, _codes = set_up(Client())

    client = Client()
    response = log_in(client, PASSWORD)
    assert response.headers["Location"].startswith(VERIFY)
    assert client.get(ADMIN).status_code == 302  # not before the code

    # The code of the next time step: the setup used this one, and a code counts once.
    verified = client.post(VERIFY, {"code": app_code(secret, later_steps=1), "next": ADMIN})

    assert verified.headers["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_a_wrong_code_is_refused_with_a_message(editor_with_password, second_factor):
    set_up(Client())
    client = Client()
    log_in(client, PASSWORD)

    response = client.post(VERIFY, {"code": "000000", "next": ADMIN})

    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert client.get(ADMIN).status_code == 302


def test_after_many_wrong_codes_even_the_right_one_waits(editor_with_password, second_factor):
    secret, _codes = set_up(Client())
    # As after 10 wrong codes in a row: django-otp's back-off asks 2⁹ seconds now.
    TOTPDevice.objects.filter(user=editor_with_password).update(
        throttling_failure_count=10, throttling_failure_timestamp=timezone.now()
    )
    client = Client()
    log_in(client, PASSWORD)

    response = client.post(VERIFY, {"code": app_code(secret, later_steps=1), "next": ADMIN})

    assert response.status_code == 200
    assert "Te vaak een verkeerde code achter elkaar. Wacht" in response.content.decode()
    assert client.get(ADMIN).status_code == 302


def test_a_recovery_code_works_once(editor_with_password, second_factor):
    _secret, codes = set_up(Client())

    first = Client()
    log_in(first, PASSWORD)
    used = first.post(VERIFY, {"recovery_code": codes[0].upper(), "next": ADMIN})
    assert used.headers["Location"] == ADMIN
    assert first.get(ADMIN).status_code == 200

    second = Client()
    log_in(second, PASSWORD)
    again = second.post(VERIFY, {"recovery_code": codes[0], "next": ADMIN})
    assert again.status_code == 200
    assert "al gebruikt" in again.content.decode()
    assert second.get(ADMIN).status_code == 302
    assert StaticDevice.objects.get(user=editor_with_password).token_set.count() == 9


def test_the_admin_refuses_a_session_without_the_second_factor(editor_with_password, second_factor):
    client = Client()
    client.force_login(editor_with_password)  # the password alone

    index = client.get(ADMIN)
    assert index.status_code == 302
    assert client.get(index.headers["Location"]).headers["Location"].startswith(SETUP)
    for path in (
        "publications/publication/",
        "auth/user/",
        "markdown-voorbeeld/",
        "events/event/aanwezigheid/",  # the door's check-in
    ):
        assert client.get(f"{ADMIN}{path}").status_code == 302


def test_drafts_are_previewed_only_after_the_second_factor(editor_with_password, second_factor):
    draft = make_publication("Concept over toezicht", status="draft", published_at=None)
    secret, _codes = set_up(Client())
    client = Client()
    log_in(client, PASSWORD)

    assert client.get(draft.get_absolute_url()).status_code == 404  # the password alone
    client.post(VERIFY, {"code": app_code(secret, later_steps=1), "next": ADMIN})
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_without_the_requirement_the_password_is_enough(editor_with_password, settings):
    settings.ADMIN_REQUIRE_SECOND_FACTOR = False
    client = Client()

    response = log_in(client, PASSWORD)

    assert response.headers["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_logging_out_from_the_second_factor_page(editor_with_password, second_factor):
    client = Client()
    log_in(client, PASSWORD)

    response = client.post(f"{ADMIN}tweede-factor/afmelden/")

    assert response.headers["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


def test_reset_second_factor_for_a_lost_phone(editor_with_password, second_factor):
    secret, _codes = set_up(Client())
    verified = Client()
    log_in(verified, PASSWORD)
    verified.post(VERIFY, {"code": app_code(secret, later_steps=1), "next": ADMIN})
    assert verified.get(ADMIN).status_code == 200

    call_command("reset_second_factor", "redacteur", stdout=StringIO())

    assert not TOTPDevice.objects.filter(user=editor_with_password).exists()
    assert not StaticDevice.objects.filter(user=editor_with_password).exists()
    assert verified.get(ADMIN).status_code == 302  # the session opened with the old app
    assert log_in(Client(), PASSWORD).headers["Location"].startswith(SETUP)


def test_a_code_counts_once(editor_with_password, second_factor):
    """django-otp refuses a code of a time step it accepted before: the setup's code again."""
    secret, _codes = set_up(Client())
    device = TOTPDevice.objects.get(user=editor_with_password)
    used = TOTP(b32decode(secret.replace(" ", "")))
    used.time = device.last_t * device.step
    client = Client()
    log_in(client, PASSWORD)

    replayed = client.post(VERIFY, {"code": f"{used.token():06d}", "next": ADMIN})

    assert replayed.status_code == 200
    assert client.get(ADMIN).status_code == 302
