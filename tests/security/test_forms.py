"""Issue 17, finding 1: the registration form could fill events and send IKPOB-branded mail to
any address. Replayed as reproduced: one fetched form accepted 10 times, a signed value valid
for every event, 30 addresses all accepted, no limit with Redis down, free text echoed in the
mail; and the per-event switch that asks registrants to confirm their address."""

import datetime
import re
import time

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from events import services
from events.models import Event, Registration
from ikpob_portal.kernel import outbox
from ikpob_portal.kernel.models import OutgoingMail
from ikpob_portal.platform import antispam
from tests.factories import make_event, make_learning_circle
from tests.html import control, notices, parse

pytestmark = pytest.mark.django_db

RESUBMIT = (
    "Het formulier is nog niet verwerkt: controleer uw gegevens en verstuur het formulier opnieuw."
)
ALERT = "events.registration_alert"
# Nothing listens here: a Redis that is down.
CLOSED_PORT = "redis://127.0.0.1:1/0"


class _clock:
    """The clock the form token check reads: real time plus an offset that `fetched_token`
    moves on, as if the visitor took a minute to fill in the form."""

    offset = 0.0

    @classmethod
    def time(cls) -> float:
        return time.time() + cls.offset


@pytest.fixture(autouse=True)
def _production_like(settings, monkeypatch):
    """The form token checked as in production (the suite turns it off), a visitor limit out of
    the way (each test says which limit it is about), and a form filled in a minute later:
    the clock the token check reads moves a minute on per fetched form, so no test waits."""
    settings.FORM_MIN_FILL_SECONDS = 3
    settings.REGISTRATION_RATE_LIMIT_PER_HOUR = 1000
    settings.JOIN_RATE_LIMIT_PER_HOUR = 1000

    monkeypatch.setattr(antispam, "time", _clock)
    _clock.offset = 0.0
    cache.clear()
    yield
    cache.clear()


def url(event: Event) -> str:
    return f"/evenementen/{event.slug}/aanmelden/"


def person(number: int, **overrides) -> dict:
    return {
        "name": f"Deelnemer {number}",
        "email": f"deelnemer{number}@example.org",
        "organisation": "Gemeente Utrecht",
        "consent": "on",
        **overrides,
    }


def fetched_token(client, path: str) -> str:
    """The signed form token in the form as a visitor gets it, a minute before sending it."""
    token = control(parse(client.get(path)), antispam.TIMESTAMP_FIELD).get("value")
    _clock.offset += 60
    return token


def says(response, message: str) -> bool:
    page = parse(response, status=response.status_code)
    return any(message in notice for notice in notices(page))


def post(client, event: Event, data: dict, token: str, **extra):
    return client.post(url(event), {**data, antispam.TIMESTAMP_FIELD: token}, **extra)


# --- One fetched form, once -------------------------------------------------------------------


def test_one_fetched_form_posted_ten_times_is_accepted_once(client):
    event = make_event("Slotconferentie")
    token = fetched_token(client, url(event))

    responses = [post(client, event, person(n), token) for n in range(10)]

    assert [r.status_code for r in responses] == [302] + [200] * 9
    assert Registration.objects.filter(event=event).count() == 1
    replay = responses[1]
    assert says(replay, RESUBMIT)
    # Nothing lost: the form comes back as filled in, with a fresh token that counts.
    page = parse(replay)
    assert control(page, "name").get("value") == "Deelnemer 1"
    fresh = control(page, antispam.TIMESTAMP_FIELD).get("value")
    assert fresh != token
    _clock.offset += 60  # the visitor checks the form and sends it again
    assert post(client, event, person(1), fresh).status_code == 302
    assert Registration.objects.filter(event=event).count() == 2


def test_a_token_for_one_event_is_refused_for_another(client):
    first = make_event("Slotconferentie")
    second = make_event("Voorjaarscongres")
    token = fetched_token(client, url(first))

    response = post(client, second, person(1), token)

    assert response.status_code == 200
    assert says(response, RESUBMIT)
    assert not Registration.objects.exists()


def test_a_join_form_token_is_bound_to_its_circle_and_used_once(client):
    circle = make_learning_circle("Toezicht in de praktijk")
    other = make_learning_circle("Ethiek in het sociaal domein")
    path = f"/leerkringen/{circle.slug}/aanmelden/"
    token = fetched_token(client, path)
    data = {
        "organisation_name": "Gemeente Berkelland",
        "name": "Anna",
        "email": "anna@berkelland.nl",
        "motivation": "Wij willen leren hoe andere gemeenten toezicht houden.",
        "consent": "on",
        antispam.TIMESTAMP_FIELD: token,
    }

    elsewhere = client.post(f"/leerkringen/{other.slug}/aanmelden/", data)
    first = client.post(path, data)
    again = client.post(path, {**data, "email": "bram@berkelland.nl"})

    assert (elsewhere.status_code, first.status_code, again.status_code) == (200, 302, 200)
    assert says(again, RESUBMIT)


def test_a_form_with_a_mistake_keeps_its_token(client):
    event = make_event("Slotconferentie")
    token = fetched_token(client, url(event))

    mistake = post(client, event, person(1, name=""), token)
    corrected = post(client, event, person(1), token)

    assert mistake.status_code == 200
    assert not says(mistake, RESUBMIT)
    assert corrected.status_code == 302


def test_a_form_refused_after_its_token_was_used_comes_back_with_a_fresh_one(client):
    """The service refuses (the address is registered already): the token was claimed, so the
    form shown again carries a new one and can be sent with another address."""
    event = make_event("Slotconferentie")
    assert post(client, event, person(1), fetched_token(client, url(event))).status_code == 302
    token = fetched_token(client, url(event))

    refused = post(client, event, person(1), token)
    fresh = control(parse(refused), antispam.TIMESTAMP_FIELD).get("value")

    assert refused.status_code == 200
    assert fresh != token
    _clock.offset += 60
    assert post(client, event, person(2), fresh).status_code == 302


# --- Limits per event, per address, and with Redis down ---------------------------------------


def test_thirty_addresses_for_one_event_alert_the_editors_once(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.REGISTRATION_ALERT_COUNT = 20
    settings.REGISTRATION_ALERT_MINUTES = 10
    settings.EDITORS_EMAIL = "redactie@ikpob.nl"
    event = make_event("Slotconferentie")

    statuses = []
    for n in range(30):
        address = f"10.0.{n}.1"
        token = fetched_token(client, url(event))
        with django_capture_on_commit_callbacks(execute=True):
            response = post(client, event, person(n), token, REMOTE_ADDR=address)
        statuses.append(response.status_code)

    assert statuses == [302] * 30
    assert OutgoingMail.objects.filter(kind=ALERT).count() == 1
    [alert] = [m for m in mailoutbox if m.to == ["redactie@ikpob.nl"]]
    assert "Slotconferentie" in alert.subject
    assert "21 aanmeldingen binnen in 10 minuten" in alert.body
    assert "e-mailadres laten bevestigen" in alert.body
    event.refresh_from_db()
    assert event.registration_alert_at is not None


def test_the_alert_shows_as_a_banner_on_the_events_admin_page(editor_client):
    event = make_event("Slotconferentie")
    Event.objects.filter(pk=event.pk).update(registration_alert_at=timezone.now())

    page = editor_client.get(f"/beheer/events/event/{event.pk}/change/")

    assert "ongewoon veel aanmeldingen" in page.content.decode()
    assert 'name="confirm_email"' in page.content.decode()


def test_per_event_limit_stops_a_flood_from_many_addresses(client, settings):
    settings.REGISTRATION_RATE_LIMIT_PER_EVENT_PER_HOUR = 5
    event = make_event("Slotconferentie")

    statuses = [
        post(
            client, event, person(n), fetched_token(client, url(event)), REMOTE_ADDR=f"10.1.{n}.1"
        ).status_code
        for n in range(7)
    ]

    assert statuses == [302] * 5 + [429] * 2
    assert Registration.objects.filter(event=event).count() == 5


def test_per_address_limit_stops_mail_to_one_mailbox_across_events(client, settings):
    settings.REGISTRATION_RATE_LIMIT_PER_ADDRESS_PER_HOUR = 3
    events = [make_event(f"Bijeenkomst {n}") for n in range(4)]
    # The same mailbox, spelt differently each time.
    spellings = ["doel@example.org", "Doel@Example.org", "doel@EXAMPLE.ORG", "DOEL@example.org"]

    responses = [
        post(client, event, person(n, email=spellings[n]), fetched_token(client, url(event)))
        for n, event in enumerate(events)
    ]

    assert [r.status_code for r in responses] == [302, 302, 302, 429]
    assert says(responses[-1], "Met dit e-mailadres is het afgelopen uur al te vaak aangemeld.")
    assert Registration.objects.count() == 3


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.redis.RedisCache",
        "ikpob_portal.platform.cache_backends.ResilientRedisCache",
    ],
    ids=["redis-raises", "redis-misses"],
)
def test_redis_down_limits_and_single_use_still_hold(client, settings, backend):
    settings.REGISTRATION_RATE_LIMIT_PER_ADDRESS_PER_HOUR = 1
    event = make_event("Slotconferentie")
    with override_settings(CACHES={"default": {"BACKEND": backend, "LOCATION": CLOSED_PORT}}):
        token = fetched_token(client, url(event))
        first = post(client, event, person(1), token)
        replay = post(client, event, person(2), token)
        same_mailbox = post(
            client,
            event,
            person(3, email="deelnemer1@example.org"),
            fetched_token(client, url(event)),
        )

    assert first.status_code == 302
    assert replay.status_code == 200
    assert says(replay, RESUBMIT)
    assert same_mailbox.status_code == 429
    assert Registration.objects.count() == 1


# --- What the mail says -----------------------------------------------------------------------


def test_the_mail_does_not_echo_the_needs_text(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event("Slotconferentie")
    spam = "Win een prijs op https://spam.example/claim"
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client, event, person(1, needs=spam, job_title=spam), fetched_token(client, url(event))
        )

    assert response.status_code == 302
    [message] = mailoutbox
    html = message.alternatives[0][0]
    assert "Uw wensen voor toegankelijkheid of eten: doorgegeven." in message.body
    assert "spam.example" not in message.body
    assert "spam.example" not in html
    assert Registration.objects.get().needs == spam  # stored for the organisers, not mailed


# --- Confirm the address first (Event.confirm_email) ------------------------------------------


def verify_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/aanmelding/bevestigen/[^\s]+/)", message.body).group(1)


def test_confirm_email_holds_the_place_and_only_the_button_confirms(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.REGISTRATION_HOLD_MINUTES = 30
    event = make_event("Slotconferentie", capacity=1, confirm_email=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, event, person(1), fetched_token(client, url(event)))

    registration = Registration.objects.get()
    assert response.status_code == 200
    assert "Kijk in uw e-mail" in response.content.decode()
    assert registration.token not in response.content.decode()  # no way round the mailbox
    assert registration.status == Registration.Status.UNVERIFIED
    assert registration.hold_until > timezone.now()
    event.refresh_from_db()
    assert event.places_left() == 0  # the hold counts
    [message] = mailoutbox
    assert message.subject == "Bevestig uw e-mailadres: Slotconferentie"
    link = verify_link(message)

    page = client.get(link)  # what a mail scanner does
    registration.refresh_from_db()
    assert page.status_code == 200
    assert registration.status == Registration.Status.UNVERIFIED
    assert "Bevestig mijn aanmelding" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(link)
    registration.refresh_from_db()
    assert confirmed.status_code == 302
    assert confirmed["Location"] == registration.get_absolute_url()
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.hold_until is None
    assert mailoutbox[-1].subject == "Bevestiging van uw aanmelding: Slotconferentie"


def test_a_forged_verify_link_confirms_nothing(client):
    event = make_event("Slotconferentie", confirm_email=True)
    post(client, event, person(1), fetched_token(client, url(event)))
    registration = Registration.objects.get()

    response = client.post(f"/aanmelding/bevestigen/{registration.pk}/")

    registration.refresh_from_db()
    assert response.status_code == 404
    assert registration.status == Registration.Status.UNVERIFIED


def test_an_expired_hold_frees_the_place_and_old_unverified_registrations_go(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.UNVERIFIED_REGISTRATION_HOURS = 24
    event = make_event("Slotconferentie", capacity=1, confirm_email=True)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, event, person(1), fetched_token(client, url(event)))
    first = Registration.objects.get()
    link = verify_link(mailoutbox[-1])
    # Someone else while the place is held: no hold for them, the event is full.
    with django_capture_on_commit_callbacks(execute=True):
        post(client, event, person(2), fetched_token(client, url(event)))
    second = Registration.objects.exclude(pk=first.pk).get()
    assert second.hold_until is None

    # The first hold runs out; the second confirms and gets the freed place.
    Registration.objects.filter(pk=first.pk).update(
        hold_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    services.release_expired_holds()
    event.refresh_from_db()
    assert event.places_left() == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(verify_link(mailoutbox[-1]))
    second.refresh_from_db()
    assert second.status == Registration.Status.CONFIRMED

    # The first confirms late: the place is gone, so the waiting list.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)
    first.refresh_from_db()
    assert first.status == Registration.Status.WAITING


def test_unverified_registrations_older_than_a_day_are_deleted_by_the_scheduled_job(client):
    event = make_event("Slotconferentie", capacity=1, confirm_email=True)
    post(client, event, person(1), fetched_token(client, url(event)))
    Registration.objects.update(created=timezone.now() - datetime.timedelta(hours=25))

    outbox.run_scheduled()

    assert not Registration.objects.exists()
    event.refresh_from_db()
    assert event.places_left() == 1
    # The address is free again: registering anew works.
    assert post(client, event, person(1), fetched_token(client, url(event))).status_code == 200
    assert Registration.objects.filter(status=Registration.Status.UNVERIFIED).count() == 1
