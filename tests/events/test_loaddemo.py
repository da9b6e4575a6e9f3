import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from events.demo import KBS_PARTICIPANTS, demo_events, next_anniversary, weekday_from
from events.models import Event, Registration, RegistrationState, Session
from ikpob_portal.kernel.models import ThemedItem

CONGRESS = "tussen-participatie-en-populisme"
CLOSING_CONFERENCE = "slotconferentie-ambtelijk-vakmanschap-in-de-participatiemaatschappij"
WEBINAR = "webinar-leren-van-doen"
KBS = "kbs-gesprek-als-waarden-botsen"
ONLINE = "webinar-aandacht-voor-wat-werkt"
NOT_YET_OPEN = "leesbijeenkomst-waarden-die-botsen"


@pytest.fixture
def load_demo(django_capture_on_commit_callbacks):
    """Run loaddemo and its after-commit work (the registration mails), as in real use."""

    def run() -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("loaddemo", stdout=out)
        return out.getvalue()

    return run


def snapshot() -> dict:
    def rows(model, *fields):
        return sorted(model.objects.values_list("pk", *fields))

    return {
        "events": rows(Event, "updated", "starts_at", "registration_closes_at"),
        "sessions": rows(Session, "event_id", "slot", "capacity", "starts_at"),
        "registrations": rows(Registration, "status", "email"),
        "organisers": rows(Event.organisers.through, "organisation_id"),
        "speakers": rows(Event.speakers.through, "person_id"),
        "publications": rows(Event.publications.through, "publication_id"),
        "themed_items": rows(ThemedItem, "tag_id"),
    }


@pytest.mark.django_db
def test_loaddemo_second_run_changes_no_event_and_sends_no_mail(load_demo):
    first_output = load_demo()
    first = snapshot()
    mails_after_first_run = len(mail.outbox)

    output = load_demo()

    assert snapshot() == first
    assert len(first["events"]) == len(demo_events(timezone.localdate()))
    assert mails_after_first_run == len(KBS_PARTICIPANTS)
    assert len(mail.outbox) == mails_after_first_run
    assert f"Aanmeldingen:    {len(KBS_PARTICIPANTS)} nieuw" in first_output
    assert "Evenementen:     0 nieuw, 0 bijgewerkt" in output
    assert "Sessies:         0 nieuw, 0 bijgewerkt, 6 ongewijzigd, 0 verwijderd" in output
    assert f"Aanmeldingen:    0 nieuw, {len(KBS_PARTICIPANTS)} al aanwezig" in output


@pytest.mark.django_db
def test_loaddemo_every_event_is_valid_and_published(load_demo):
    load_demo()

    for event in Event.objects.all():
        event.full_clean()  # a venue or online link, dates in order
    assert Event.objects.published().count() == Event.objects.count()


@pytest.mark.django_db
def test_loaddemo_congress_is_upcoming_with_registration_open_and_two_workshop_rounds(
    client, load_demo
):
    load_demo()
    event = Event.objects.get(slug=CONGRESS)
    starts = timezone.localtime(event.starts_at)

    response = client.get(event.get_absolute_url())

    assert (starts.month, starts.day) == (11, 20)
    assert event in Event.objects.published().upcoming()
    assert event.registration_state() == RegistrationState.OPEN
    assert event.registration_closes_at.date() == (starts - datetime.timedelta(days=1)).date()
    rounds = {}
    for session in event.sessions.all():
        rounds.setdefault(session.slot, []).append(session)
    assert sorted(rounds) == [1, 2]
    assert all(2 <= len(sessions) <= 3 for sessions in rounds.values())
    assert all(session.capacity for session in event.sessions.all())
    assert "slotcongres" in event.summary
    assert "Ronde 2" in response.text
    assert "Nog 150 plaatsen" in response.text


@pytest.mark.django_db
def test_loaddemo_kbs_conversation_is_nearly_full(client, load_demo):
    load_demo()
    event = Event.objects.get(slug=KBS)

    response = client.get(event.get_absolute_url())

    assert 1 <= event.places_left() <= 3
    assert event.registration_state() == RegistrationState.OPEN
    assert event.learning_circle.slug == "programma-innovatie-toezicht-professionalisering"
    registrations = event.registrations.all()
    assert {registration.status for registration in registrations} == {"confirmed"}
    assert all(registration.email.endswith("@example.org") for registration in registrations)
    assert f"Nog {event.places_left()} plaatsen" in response.text


@pytest.mark.django_db
def test_loaddemo_webinar_lists_its_six_speakers_and_the_recording(client, load_demo):
    load_demo()
    event = Event.objects.get(slug=WEBINAR)

    response = client.get(event.get_absolute_url())

    assert event.is_past
    assert event.speakers.count() == 6
    for name in (
        "Ruben Maes",
        "Martijn van der Steen",
        "Leonard Geluk",
        "Annelies Kroeskamp",
        "Regina Bouius",
        "Gritta Nottelman",
    ):
        assert name in response.text
    assert "/publicaties/webinar-leren-van-doen/" in response.text


@pytest.mark.django_db
def test_loaddemo_closing_conference_is_linked_to_the_leerkring(client, load_demo):
    load_demo()
    event = Event.objects.get(slug=CLOSING_CONFERENCE)

    response = client.get(event.get_absolute_url())

    assert event.kind == Event.Kind.CLOSING_CONFERENCE
    assert timezone.localtime(event.starts_at).date() == datetime.date(2019, 1, 16)
    assert event.learning_circle.slug == "ambtelijk-vakmanschap-in-de-participatiemaatschappij"
    assert event.learning_circle.get_absolute_url() in response.text
    assert event in event.learning_circle.events.all()


@pytest.mark.django_db
def test_loaddemo_upcoming_meetings_show_unlimited_and_not_yet_open(load_demo):
    load_demo()
    online = Event.objects.get(slug=ONLINE)
    later = Event.objects.get(slug=NOT_YET_OPEN)

    assert online.places_left() is None
    assert online.registration_state() == RegistrationState.OPEN
    assert later.registration_state() == RegistrationState.NOT_YET_OPEN
    assert later.registration_opens_at > timezone.now()


def test_demo_dates_follow_today_and_fall_on_working_days():
    assert next_anniversary(datetime.date(2026, 11, 17), 11, 20) == datetime.date(2026, 11, 20)
    # Too late to register the day before: next year.
    assert next_anniversary(datetime.date(2026, 11, 19), 11, 20) == datetime.date(2027, 11, 20)
    assert next_anniversary(datetime.date(2026, 11, 24), 11, 20) == datetime.date(2027, 11, 20)
    saturday = datetime.date(2026, 11, 28)
    thursday = weekday_from(saturday, days=21, weekday=3)
    assert thursday.weekday() == 3
    assert 21 <= (thursday - saturday).days < 28
