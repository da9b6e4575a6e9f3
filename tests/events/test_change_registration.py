"""Changing your own registration (issue 16, item 6): other sessions and wishes, before the start.

Session changes go through the locked service like every write that takes or frees places: a
full session is refused with a message and nothing changes, a freed place goes to the waiting
list, and many registrants switching at once never overbook a session (PostgreSQL, threads
against a live server).
"""

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from events import services
from events.models import Event, Registration, Session
from tests.factories import make_event, make_registration, make_session
from tests.html import control, error_summary, main, notices, section, text

CONFIRMED = Registration.Status.CONFIRMED
WAITING = Registration.Status.WAITING
CANCELLED = Registration.Status.CANCELLED


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def workshops(db) -> tuple[Event, Session, Session]:
    event = make_event("Congres met workshops")
    toezicht = make_session(event, "Workshop toezicht", capacity=2)
    ethiek = make_session(event, "Workshop ethiek", capacity=2)
    return event, toezicht, ethiek


def change_url(registration: Registration) -> str:
    return f"{registration.get_absolute_url()}wijzigen/"


def session_titles(registration: Registration) -> list[str]:
    return sorted(registration.sessions.values_list("title", flat=True))


# --- The service ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_change_sessions_moves_to_a_session_with_room(workshops):
    event, toezicht, ethiek = workshops
    anna = make_registration(event, sessions=[toezicht])

    services.change_sessions(registration=anna, sessions=[ethiek])

    assert session_titles(anna) == ["Workshop ethiek"]


@pytest.mark.django_db
def test_change_sessions_refuses_a_full_session_and_changes_nothing(workshops):
    event, toezicht, ethiek = workshops
    make_registration(event, sessions=[ethiek])
    make_registration(event, sessions=[ethiek])
    anna = make_registration(event, sessions=[toezicht])

    with pytest.raises(services.RegistrationError) as refused:
        services.change_sessions(registration=anna, sessions=[ethiek])

    assert refused.value.message.startswith("Deze sessie is vol: Workshop ethiek.")
    assert refused.value.field == "ronde_1"
    assert session_titles(anna) == ["Workshop toezicht"]


@pytest.mark.django_db
def test_change_sessions_refuses_two_sessions_in_one_round(workshops):
    event, toezicht, ethiek = workshops
    anna = make_registration(event, sessions=[toezicht])

    with pytest.raises(services.RegistrationError):
        services.change_sessions(registration=anna, sessions=[toezicht, ethiek])

    assert session_titles(anna) == ["Workshop toezicht"]


@pytest.mark.django_db
def test_a_place_left_in_a_session_goes_to_the_first_waiting(workshops, mailoutbox):
    event, toezicht, ethiek = workshops
    anna = make_registration(event, sessions=[toezicht])
    make_registration(event, sessions=[toezicht])
    bert = make_registration(event, status=WAITING, sessions=[toezicht])

    services.change_sessions(registration=anna, sessions=[ethiek])

    bert.refresh_from_db()
    assert bert.status == CONFIRMED


@pytest.mark.django_db
def test_update_needs_changes_the_wishes(workshops):
    event, _toezicht, _ethiek = workshops
    anna = make_registration(event)

    services.update_needs(registration=anna, needs="Vegetarisch")

    anna.refresh_from_db()
    assert anna.needs == "Vegetarisch"


@pytest.mark.django_db
def test_nothing_changes_after_the_start(workshops):
    event, toezicht, ethiek = workshops
    anna = make_registration(event, sessions=[toezicht])
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(minutes=5))

    with pytest.raises(services.RegistrationError) as sessions_refused:
        services.change_sessions(registration=anna, sessions=[ethiek])
    with pytest.raises(services.RegistrationError):
        services.update_needs(registration=anna, needs="Vegetarisch")

    assert "Wijzigen kan niet meer" in sessions_refused.value.message
    assert session_titles(anna) == ["Workshop toezicht"]


# --- The personal page ------------------------------------------------------------------------


@pytest.mark.django_db
def test_personal_page_offers_the_change_form_with_the_current_choice(client, workshops):
    event, toezicht, _ethiek = workshops
    anna = make_registration(event, sessions=[toezicht], needs="Ringleiding")

    page = client.get(anna.get_absolute_url())

    form = section(page, "Uw aanmelding wijzigen")
    checked = [radio.get("value") for radio in form.iter("input", type="radio", checked=True)]
    assert checked == [str(toezicht.pk)]
    assert control(page, "needs").text == "Ringleiding"


@pytest.mark.django_db
def test_registrant_changes_session_and_needs_on_the_personal_page(client, workshops):
    event, toezicht, ethiek = workshops
    anna = make_registration(event, sessions=[toezicht])

    response = client.post(change_url(anna), {"ronde_1": str(ethiek.pk), "needs": "Vegetarisch"})

    assert response.status_code == 302
    assert response["Location"] == anna.get_absolute_url()
    page = client.get(anna.get_absolute_url())
    assert "Uw aanmelding is gewijzigd." in notices(page)
    assert "Workshop ethiek" in text(page)
    anna.refresh_from_db()
    assert anna.needs == "Vegetarisch"


@pytest.mark.django_db
def test_personal_page_refuses_a_full_session_with_a_message(client, workshops):
    event, toezicht, ethiek = workshops
    make_registration(event, sessions=[ethiek])
    make_registration(event, sessions=[ethiek])
    anna = make_registration(event, sessions=[toezicht])

    response = client.post(change_url(anna), {"ronde_1": str(ethiek.pk), "needs": "Vegetarisch"})

    assert response.status_code == 200
    [error] = error_summary(response).errors
    assert error.text.startswith("Sessie in ronde 1: Deze sessie is vol: Workshop ethiek.")
    anna.refresh_from_db()
    assert session_titles(anna) == ["Workshop toezicht"]
    assert anna.needs == ""  # nothing changed, the wishes neither


@pytest.mark.django_db
def test_waiting_list_position_stays_on_the_page_with_the_change_form(client, workshops):
    event, _toezicht, _ethiek = workshops
    Event.objects.filter(pk=event.pk).update(capacity=1)
    make_registration(event)
    bert = make_registration(event, status=WAITING)

    page = client.get(bert.get_absolute_url())

    assert any("op plaats 1" in notice for notice in notices(page))
    assert section(page, "Uw aanmelding wijzigen") is not None


@pytest.mark.django_db
def test_no_change_form_after_the_start_or_when_cancelled(client, workshops):
    event, toezicht, ethiek = workshops
    anna = make_registration(event, sessions=[toezicht])
    cancelled = make_registration(event, status=CANCELLED)
    assert main(client.get(cancelled.get_absolute_url())).find("textarea") is None

    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    page = client.get(anna.get_absolute_url())
    assert main(page).find("textarea", name="needs") is None
    response = client.post(change_url(anna), {"ronde_1": str(ethiek.pk)}, follow=True)
    assert session_titles(anna) == ["Workshop toezicht"]
    assert "Het evenement is al begonnen. Wijzigen kan niet meer." in notices(response)


@pytest.mark.django_db
def test_personal_page_query_count_is_capped(client, workshops, django_assert_max_num_queries):
    event, toezicht, _ethiek = workshops
    for number in range(3):
        make_session(event, f"Ronde 2 sessie {number}", slot=2)
    anna = make_registration(event, sessions=[toezicht])
    client.get(anna.get_absolute_url())

    with django_assert_max_num_queries(12):
        assert client.get(anna.get_absolute_url()).status_code == 200


# --- Many at once (PostgreSQL) ----------------------------------------------------------------


@pytest.fixture
def slow_switching(settings, monkeypatch):
    """Everyone posts over plain HTTP, with a wide window between counting and writing."""
    settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_SECURE = False
    find_full = services._full_sessions

    def full_slowly(sessions: list[Session]) -> list[Session]:
        full = find_full(sessions)
        time.sleep(0.05)  # between counting and writing: the moment another change slips in
        return full

    monkeypatch.setattr(services, "_full_sessions", full_slowly)


def switch_at_once(live_server) -> tuple[list, Session, Session]:
    """Twelve registrants switch to a workshop with two places left, all at the same moment."""
    from tests.events.test_concurrency import (
        race,  # imported here: on SQLite that module skips itself
    )

    event = make_event("Congres met workshops", capacity=None)
    popular = make_session(event, "Populaire workshop", capacity=4)
    other = make_session(event, "Andere workshop")
    make_registration(event, sessions=[popular])
    make_registration(event, sessions=[popular])
    switching = [make_registration(event, sessions=[other]) for _ in range(12)]
    answers = race(
        live_server,
        [(change_url(r), {"ronde_1": str(popular.pk), "needs": ""}) for r in switching],
    )
    return answers, popular, other


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_switches_never_overbook_a_session(live_server, slow_switching):
    answers, popular, other = switch_at_once(live_server)

    assert Counter(answer.status for answer in answers) == {302: 2, 200: 10}
    assert sum("Deze sessie is vol" in answer.body for answer in answers) == 10
    assert popular.registrations.filter(status=CONFIRMED).count() == 4
    assert other.registrations.count() == 10


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_control_without_the_lock_switches_overbook(live_server, slow_switching, monkeypatch):
    from tests.events.test_concurrency import lock_nothing

    monkeypatch.setattr(services, "_lock", lock_nothing)

    _answers, popular, _other = switch_at_once(live_server)

    assert popular.registrations.count() > 4  # the race is real
