from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from events.models import Event, Registration, RegistrationState
from tests.factories import make_event, make_registration, make_session

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


# --- Events -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_event_urls_live_under_evenementen():
    event = make_event("Tussen Participatie en Populisme")

    assert event.get_absolute_url() == "/evenementen/tussen-participatie-en-populisme/"
    assert str(event) == "Tussen Participatie en Populisme"


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["archief", "agenda"])
def test_event_slug_may_not_take_a_fixed_path(slug):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event("Vaste pagina", slug=slug)


@pytest.mark.django_db
def test_event_may_not_end_before_it_starts():
    start = timezone.now() + DAY

    with pytest.raises(IntegrityError), transaction.atomic():
        make_event("Achterstevoren", starts_at=start, ends_at=start - HOUR)


@pytest.mark.django_db
def test_event_capacity_is_at_least_one():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event("Nul plaatsen", capacity=0)


@pytest.mark.django_db
def test_session_capacity_is_at_least_one():
    event = make_event()

    with pytest.raises(IntegrityError), transaction.atomic():
        make_session(event, capacity=0)


@pytest.mark.django_db
def test_registration_may_not_close_before_it_opens():
    now = timezone.now()

    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(registration_opens_at=now + DAY, registration_closes_at=now)


@pytest.mark.django_db
def test_event_needs_a_venue_or_to_be_online():
    event = make_event("Nergens", venue_name="", venue_address="")

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert error.value.messages == ["Geef een locatie op of zet 'online' aan (of allebei)."]
    event.online = True
    event.full_clean()
    event.online, event.online_url = False, "https://example.org/webinar"
    event.full_clean()


@pytest.mark.django_db
def test_upcoming_includes_a_running_event_and_past_is_newest_first():
    now = timezone.now()
    make_event("Volgende maand", starts_at=now + 30 * DAY)
    make_event("Morgen", starts_at=now + DAY)
    make_event("Nu bezig", starts_at=now - HOUR, ends_at=now + HOUR)
    make_event("Vorige week", starts_at=now - 7 * DAY)
    make_event("Vorig jaar", starts_at=now - 365 * DAY)

    upcoming = [event.title for event in Event.objects.upcoming()]
    past = [event.title for event in Event.objects.past()]

    assert upcoming == ["Nu bezig", "Morgen", "Volgende maand"]
    assert past == ["Vorige week", "Vorig jaar"]


@pytest.mark.django_db
def test_multi_day_is_judged_in_amsterdam_time():
    start = datetime(2030, 3, 1, 22, 0, tzinfo=AMSTERDAM)  # 21:00 UTC

    evening = make_event("Avond", starts_at=start, ends_at=start + timedelta(hours=1, minutes=30))
    two_days = make_event("Twee dagen", starts_at=start, ends_at=start + DAY)

    assert not evening.is_multi_day  # 22:00–23:30 Amsterdam time, one day (though 2 dates in UTC)
    assert two_days.is_multi_day


# --- Places and registration state ------------------------------------------------------------


@pytest.mark.django_db
def test_places_left_counts_only_confirmed_registrations():
    event = make_event(capacity=5)
    make_registration(event)
    make_registration(event)
    make_registration(event, status=Registration.Status.WAITING)
    make_registration(event, status=Registration.Status.CANCELLED)

    assert event.places_left() == 3
    assert Event.objects.with_counts().get(pk=event.pk).places_left() == 3


@pytest.mark.django_db
def test_places_left_is_none_when_unlimited_and_never_negative():
    unlimited = make_event("Onbeperkt")
    overfull = make_event("Overvol", capacity=1)
    make_registration(overfull)
    make_registration(overfull)  # an editor promoted someone by hand

    assert unlimited.places_left() is None
    assert overfull.places_left() == 0


STATE_CASES = [
    ("open", {}, RegistrationState.OPEN),
    ("opens-later", {"registration_opens_at": "+1"}, RegistrationState.NOT_YET_OPEN),
    ("opened", {"registration_opens_at": "-1"}, RegistrationState.OPEN),
    ("closed", {"registration_closes_at": "-1"}, RegistrationState.CLOSED),
    ("started", {"starts_at": "-0.1", "ends_at": "+0.1"}, RegistrationState.CLOSED),
    ("past", {"starts_at": "-2", "ends_at": "-1"}, RegistrationState.PAST),
    ("not-required", {"registration_required": False}, RegistrationState.NOT_REQUIRED),
    (
        "past-not-required",
        {"starts_at": "-2", "ends_at": "-1", "registration_required": False},
        RegistrationState.PAST,
    ),
    ("full", {"capacity": 1, "_confirmed": 1}, RegistrationState.FULL),
    (
        "full-but-closed",
        {"capacity": 1, "_confirmed": 1, "registration_closes_at": "-1"},
        RegistrationState.CLOSED,
    ),
]


def event_in_state(**spec) -> Event:
    """An event from a spec whose times are days relative to now ("+1", "-0.1")."""
    now = timezone.now()
    confirmed = spec.pop("_confirmed", 0)
    fields = {
        name: now + DAY * float(value) if isinstance(value, str) else value
        for name, value in spec.items()
    }
    event = make_event(**fields)
    for _number in range(confirmed):
        make_registration(event)
    return event


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("spec", "expected"), [case[1:] for case in STATE_CASES], ids=[case[0] for case in STATE_CASES]
)
def test_registration_state(spec, expected):
    event = event_in_state(**spec)

    assert event.registration_state() == expected


# --- Registrations ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_one_active_registration_per_email_is_a_database_rule_ignoring_case():
    event = make_event()
    make_registration(event, email="anna.jansen@utrecht.nl")

    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            event=event,
            status=Registration.Status.WAITING,
            name="Anna",
            email="Anna.Jansen@Utrecht.NL",
            organisation="Gemeente Utrecht",
            consent_at=timezone.now(),
        )


@pytest.mark.django_db
def test_same_email_may_register_again_after_cancelling_and_for_another_event():
    event = make_event("Eerste")
    make_registration(event, email="anna@utrecht.nl", status=Registration.Status.CANCELLED)

    make_registration(event, email="ANNA@utrecht.nl")
    make_registration(make_event("Tweede"), email="anna@utrecht.nl")

    assert Registration.objects.filter(email__iexact="anna@utrecht.nl").count() == 3


@pytest.mark.django_db
def test_registration_token_is_long_random_and_the_url_key():
    event = make_event()
    first = make_registration(event)
    second = make_registration(event)

    assert len(first.token) >= 32
    assert first.token != second.token
    assert first.get_absolute_url() == f"/aanmelding/{first.token}/"


@pytest.mark.django_db
def test_waiting_position_counts_in_order_of_registration():
    event = make_event(capacity=1)
    make_registration(event)
    first = make_registration(event, status=Registration.Status.WAITING)
    left = make_registration(event, status=Registration.Status.WAITING)
    second = make_registration(event, status=Registration.Status.WAITING)
    left.status = Registration.Status.CANCELLED
    left.save()

    assert first.waiting_position() == 1
    assert second.waiting_position() == 2
    assert Registration.objects.filter(event=event).first().waiting_position() is None


@pytest.mark.django_db
def test_event_with_registrations_cannot_be_deleted():
    event = make_event()
    make_registration(event)

    with pytest.raises(ProtectedError):
        event.delete()


# --- Places taken: one definition -------------------------------------------------------------


@pytest.fixture
def workshop_day(db) -> Event:
    """Four places: two confirmed (one in the workshop), one waiting for it, one cancelled."""
    event = make_event("Werkdag", capacity=4)
    workshop = make_session(event, "Workshop", capacity=2)
    make_registration(event, sessions=[workshop])
    make_registration(event)
    make_registration(event, sessions=[workshop], status=Registration.Status.WAITING)
    make_registration(event, sessions=[workshop], status=Registration.Status.CANCELLED)
    return event


@pytest.mark.django_db
def test_only_confirmed_registrations_take_places(workshop_day):
    taken = Registration.objects.taking_places().filter(event=workshop_day)

    assert set(taken.values_list("status", flat=True)) == {Registration.Status.CONFIRMED}
    assert taken.count() == 2


@pytest.mark.django_db
def test_places_taken_agree_counted_one_by_one_and_annotated(workshop_day):
    annotated = Event.objects.with_counts().get(pk=workshop_day.pk)
    [workshop] = workshop_day.sessions.all()
    [annotated_workshop] = workshop_day.sessions.annotate_confirmed()

    assert (workshop_day.confirmed_places(), workshop_day.places_left()) == (2, 2)
    assert (annotated.confirmed_places(), annotated.places_left()) == (2, 2)
    assert annotated.waiting_count == 1
    assert (workshop.confirmed_places(), workshop.places_left()) == (1, 1)
    assert (annotated_workshop.confirmed_places(), annotated_workshop.places_left()) == (1, 1)


@pytest.mark.django_db
def test_each_event_shows_its_own_places_when_the_counts_are_asked_again(workshop_day):
    # The count annotations are built once per process and reused by every query
    # (events/models.py `_counts_per_event`): each use must count its own event, every time.
    other = make_event(capacity=3)
    make_registration(other, status=Registration.Status.WAITING)

    for _again in range(2):
        first = Event.objects.for_registration().get(pk=workshop_day.pk)
        second = Event.objects.for_registration().get(pk=other.pk)
        listed = {event.pk: event for event in Event.objects.with_counts()}

        assert (first.places_left(), first.has_sessions) == (2, True)
        assert (second.places_left(), second.has_sessions) == (3, False)
        assert (listed[workshop_day.pk].waiting_count, listed[other.pk].waiting_count) == (1, 1)
