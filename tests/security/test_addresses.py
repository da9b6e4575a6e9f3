"""Issue 17, findings 2 and 3, replayed as they were reproduced.

2. Equivalent e-mail addresses slipped past the duplicate check: `dup@ｅxample.org` (a
   full-width e), `"dup"@example.org` and a Kelvin-sign domain became second active
   registrations beside `dup@example.org`.
3. An address that can never be mailed (`"a\\x0bb"@example.org`) was accepted, and its mail
   failed on every run of the mail task, logging an error each time.

Everything goes through the real forms (GET, then POST with what the page carries), a real SMTP
server on this machine (aiosmtpd) and the real database.
"""

import importlib
import logging
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from events import invitations, services
from events.models import Event, Invitation, Registration
from ikpob_portal.kernel import outbox
from ikpob_portal.kernel.models import OutgoingMail
from learning_circles.models import JoinRequest, LearningCircle
from tests.factories import (
    make_event,
    make_join_request,
    make_learning_circle,
    make_registration,
)
from tests.html import find_link, parse
from tests.smtp import serving_smtp

FULL_WIDTH_E = "dup@\uff45xample.org"
KELVIN = "dup@\u212axample.org"  # KELVIN SIGN, which NFKC makes a K
QUOTED = '"dup"@example.org'
UNMAILABLE = '"a\x0bb"@example.org'
UNUSABLE_MESSAGE = "laat aanhalingstekens, spaties en onzichtbare tekens weg"
REGISTERED_MAIL = "events.registration.registered"
PARKED = OutgoingMail.Outcome.PARKED


@pytest.fixture(autouse=True)
def _empty_rate_limit():
    cache.clear()
    yield
    cache.clear()


def hidden_fields(page) -> dict[str, str]:
    return {
        field.get("name"): field.get("value", "")
        for field in parse(page).iter("input")
        if field.get("type") == "hidden" and field.get("name")
    }


def register(event: Event, email: str):
    """One visitor fills in the registration form, as in a browser."""
    client = Client()
    url = f"/evenementen/{event.slug}/aanmelden/"
    form = client.get(url)
    assert form.status_code == 200
    data = {
        **hidden_fields(form),
        "name": "Dirk Uppel",
        "email": email,
        "organisation": "Gemeente Utrecht",
        "consent": "on",
    }
    return client.post(url, data, follow=True)


def join(circle: LearningCircle, email: str):
    client = Client()
    url = f"/leerkringen/{circle.slug}/aanmelden/"
    form = client.get(url)
    assert form.status_code == 200
    data = {
        **hidden_fields(form),
        "organisation_name": "Gemeente Utrecht",
        "name": "Dirk Uppel",
        "email": email,
        "motivation": "Wij willen graag meedoen.",
        "consent": "on",
    }
    return client.post(url, data, follow=True)


def active_addresses(event: Event) -> list[str]:
    return sorted(Registration.objects.active().filter(event=event).values_list("email", flat=True))


# --- Finding 2: one mailbox, one registration -------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("dup@example.org", FULL_WIDTH_E),
        ("dup@kxample.org", KELVIN),
        ("dup@example.org", "Dup@EXAMPLE.org"),
        (FULL_WIDTH_E, "dup@example.org"),
    ],
)
def test_lookalike_address_is_refused_as_a_duplicate_by_the_registration_form(first, second):
    event = make_event("Congres Vakmanschap", capacity=10)
    assert "Gelukt" in parse(register(event, first)).text

    page = parse(register(event, second))

    assert "Met dit e-mailadres is al iemand aangemeld voor dit evenement" in page.text
    assert len(active_addresses(event)) == 1


@pytest.mark.django_db
def test_registration_stores_the_normal_form_of_the_address():
    event = make_event("Congres Vakmanschap")

    register(event, KELVIN)

    assert active_addresses(event) == ["dup@kxample.org"]


@pytest.mark.django_db
@pytest.mark.parametrize("typed", [QUOTED, UNMAILABLE])
def test_registration_form_refuses_quoted_and_unmailable_addresses(typed):
    event = make_event("Congres Vakmanschap")
    register(event, "dup@example.org")

    page = parse(register(event, typed))

    assert UNUSABLE_MESSAGE in page.text
    assert active_addresses(event) == ["dup@example.org"]


@pytest.mark.django_db
@pytest.mark.parametrize("second", [FULL_WIDTH_E, "DUP@EXAMPLE.ORG"])
def test_lookalike_address_is_refused_as_a_duplicate_by_the_join_form(second):
    circle = make_learning_circle("Toezicht in het sociaal domein")
    join(circle, "dup@example.org")

    page = parse(join(circle, second))

    assert "Met dit e-mailadres is al belangstelling gemeld voor deze leerkring" in page.text
    assert list(JoinRequest.objects.values_list("email", flat=True)) == ["dup@example.org"]


@pytest.mark.django_db
@pytest.mark.parametrize("typed", [QUOTED, UNMAILABLE])
def test_join_form_refuses_quoted_and_unmailable_addresses(typed):
    circle = make_learning_circle("Toezicht in het sociaal domein")

    page = parse(join(circle, typed))

    assert UNUSABLE_MESSAGE in page.text
    assert not JoinRequest.objects.exists()


def test_invitation_list_keeps_one_of_each_mailbox_and_reports_unusable_lines():
    parsed = invitations.parse_addresses(
        f"dup@example.org\n{FULL_WIDTH_E}; Dup@EXAMPLE.org\n{QUOTED}\n{UNMAILABLE}\n{KELVIN}"
    )

    assert parsed.valid == ["dup@example.org", "dup@kxample.org"]
    assert len(parsed.invalid) == 2  # the quoted and the unmailable line, as typed


@pytest.mark.django_db
def test_editor_inviting_a_lookalike_of_an_invited_address_is_told_it_was_invited(
    editor_client, django_capture_on_commit_callbacks
):
    event = make_event("Congres Vakmanschap", access=Event.Access.INVITATION)
    url = f"/{settings.ADMIN_URL}events/event/{event.pk}/uitnodigingen/"
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(url, {"addresses": "dup@example.org"}, follow=True)
        editor_client.post(url, {"addresses": f"{FULL_WIDTH_E}\n{KELVIN}"}, follow=True)

    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "dup@example.org",
        "dup@kxample.org",
    ]


# --- Finding 2: addresses stored before the fix ---------------------------------------------


def migration(name: str):
    return importlib.import_module(name)


@pytest.mark.django_db
def test_migration_normalises_stored_addresses_and_leaves_a_colliding_duplicate_as_typed():
    event = make_event("Congres Vakmanschap")
    other = make_event("Tweede congres")
    # Three active registrations of one mailbox, as the finding made them.
    normal = make_registration(event, email="dup@example.org")
    full_width = make_registration(event, email=FULL_WIDTH_E)
    quoted = make_registration(event, email=QUOTED)
    # Two lookalikes of which neither is normal yet: the earlier gets the normal form.
    earlier = make_registration(other, email=FULL_WIDTH_E)
    later = make_registration(other, email="dup@\uff45\uff58ample.org")
    cancelled = make_registration(other, email=KELVIN.upper(), status=Registration.Status.CANCELLED)
    invited = Invitation.objects.create(event=event, email=KELVIN, sent_at=timezone.now())

    migration("events.migrations.0013_normalise_email_addresses").normalise_addresses(apps, None)

    def email(row) -> str:
        return type(row).objects.get(pk=row.pk).email

    assert email(normal) == "dup@example.org"
    assert email(full_width) == FULL_WIDTH_E  # would collide: left as typed
    assert email(quoted) == QUOTED  # unusable: left as typed
    assert email(earlier) == "dup@example.org"
    assert email(later) == "dup@\uff45\uff58ample.org"
    assert email(cancelled) == "DUP@kxample.org"
    assert email(invited) == "dup@kxample.org"


@pytest.mark.django_db
def test_migration_normalises_join_requests_without_failing_on_open_duplicates():
    circle = make_learning_circle("Toezicht in het sociaal domein")
    first = make_join_request(circle, email=FULL_WIDTH_E)
    second = make_join_request(circle, email="dup@example.org")
    closed = make_join_request(circle, email=KELVIN, status=JoinRequest.Status.DECLINED)

    migration("learning_circles.migrations.0007_normalise_email_addresses").normalise_addresses(
        apps, None
    )

    emails = dict(JoinRequest.objects.values_list("pk", "email"))
    assert emails == {
        first.pk: FULL_WIDTH_E,
        second.pk: "dup@example.org",
        closed.pk: "dup@kxample.org",
    }


# --- Finding 3: mail that can never be delivered is parked, once ------------------------------


@pytest.fixture
def refusing_smtp_server(settings):
    """A real SMTP server on this machine: 550 for anyone at weg.example, 451 ("try later")
    for anyone at later.example, and it keeps what it accepts."""
    received: list[str] = []

    class Server:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.endswith("@weg.example"):
                return f"550 5.1.1 <{address}>: Recipient address rejected"
            if address.endswith("@later.example"):
                return "451 4.3.0 Try again later"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            received.extend(envelope.rcpt_tos)
            return "250 OK"

    with serving_smtp(settings, Server()):
        yield received


def queue_confirmation(registration: Registration, capture) -> OutgoingMail:
    with capture(execute=True), transaction.atomic():
        return outbox.enqueue(REGISTERED_MAIL, registration)


def problems(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.levelno >= logging.WARNING]


@pytest.mark.django_db
def test_mail_to_a_refused_address_is_parked_once_and_logged_once(
    refusing_smtp_server, django_capture_on_commit_callbacks, caplog
):
    event = make_event("Congres Vakmanschap")
    with caplog.at_level(logging.INFO):
        with django_capture_on_commit_callbacks(execute=True):
            services.register(
                event=event,
                data={"name": "Dirk", "email": "dup@weg.example", "organisation": "VNG"},
            )
        call_command("send_pending_mails")
        call_command("send_pending_mails")

    mail = OutgoingMail.objects.get(kind=REGISTERED_MAIL)
    assert (mail.outcome, mail.failure, mail.attempts) == (PARKED, "refused", 1)
    assert mail.done_at is not None
    assert mail.last_error == "SMTPRecipientsRefused 550"
    [logged] = problems(caplog)
    assert logged.name == "ikpob_portal.kernel.outbox"
    assert logged.levelno == logging.WARNING
    assert "parked" in logged.getMessage()
    assert "dup@weg.example" not in logged.getMessage()
    assert refusing_smtp_server == []


@pytest.mark.django_db
def test_mail_to_an_unmailable_address_stored_before_the_fix_is_parked_once(
    refusing_smtp_server, django_capture_on_commit_callbacks, caplog
):
    registration = make_registration(make_event("Congres Vakmanschap"), email=UNMAILABLE)
    with caplog.at_level(logging.INFO):
        mail = queue_confirmation(registration, django_capture_on_commit_callbacks)
        call_command("send_pending_mails")
        call_command("send_pending_mails")

    mail.refresh_from_db()
    assert (mail.outcome, mail.failure, mail.attempts) == (PARKED, "unusable", 1)
    assert mail.last_error == "ValueError"
    assert len(problems(caplog)) == 1


@pytest.mark.django_db
def test_try_later_is_retried_and_given_up_only_after_many_tries_over_a_day(
    refusing_smtp_server, django_capture_on_commit_callbacks, settings
):
    registration = make_registration(make_event("Congres Vakmanschap"), email="dup@later.example")
    mail = queue_confirmation(registration, django_capture_on_commit_callbacks)
    call_command("send_pending_mails")

    mail.refresh_from_db()
    assert (mail.outcome, mail.done_at, mail.attempts) == ("", None, 2)
    assert mail.last_error == "SMTPRecipientsRefused 451"

    # Many tries, but the mail is young: tried again.
    OutgoingMail.objects.filter(pk=mail.pk).update(attempts=outbox.GIVE_UP_AFTER_ATTEMPTS)
    call_command("send_pending_mails")
    mail.refresh_from_db()
    assert mail.done_at is None

    # Many tries over more than OUTBOX_GIVE_UP_HOURS: given up, and not tried again.
    created = timezone.now() - timedelta(hours=settings.OUTBOX_GIVE_UP_HOURS + 1)
    OutgoingMail.objects.filter(pk=mail.pk).update(created_at=created)
    call_command("send_pending_mails")
    call_command("send_pending_mails")
    mail.refresh_from_db()
    assert (mail.outcome, mail.failure) == (PARKED, "gave-up")
    assert mail.attempts == outbox.GIVE_UP_AFTER_ATTEMPTS + 2


@pytest.mark.django_db
def test_editors_see_parked_mail_on_the_dashboard_and_in_a_read_only_list(
    refusing_smtp_server, django_capture_on_commit_callbacks, editor_client
):
    registration = make_registration(make_event("Congres Vakmanschap"), email="dup@weg.example")
    mail = queue_confirmation(registration, django_capture_on_commit_callbacks)

    dashboard = parse(editor_client.get(f"/{settings.ADMIN_URL}"))

    link = find_link(dashboard, text="1 bericht kon niet worden bezorgd")
    listing = editor_client.get(link.get("href"))
    assert listing.status_code == 200
    text = parse(listing).text
    assert REGISTERED_MAIL in text
    assert "geweigerd door de mailserver" in text
    change_url = f"/{settings.ADMIN_URL}ikpob_portal/outgoingmail/{mail.pk}/change/"
    assert editor_client.post(change_url, {"outcome": ""}).status_code == 403
    assert (
        editor_client.get(f"/{settings.ADMIN_URL}ikpob_portal/outgoingmail/add/").status_code == 403
    )
    delete_url = f"/{settings.ADMIN_URL}ikpob_portal/outgoingmail/{mail.pk}/delete/"
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert OutgoingMail.objects.get(pk=mail.pk).outcome == PARKED


@pytest.mark.django_db
def test_dashboard_says_nothing_when_no_mail_is_parked(editor_client):
    dashboard = parse(editor_client.get(f"/{settings.ADMIN_URL}"))

    assert "niet worden bezorgd" not in dashboard.text
