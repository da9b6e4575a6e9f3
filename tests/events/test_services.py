"""The registration write path on one connection; tests/events/test_concurrency.py races it."""

from datetime import timedelta

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from events import services
from events.models import Registration
from tests.factories import make_event, make_registration, make_session

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
CONFIRMED = Registration.Status.CONFIRMED
WAITING = Registration.Status.WAITING
CANCELLED = Registration.Status.CANCELLED


def person(number: int = 1, **overrides) -> dict:
    data = {
        "name": f"Deelnemer {number}",
        "email": f"deelnemer{number}@example.org",
        "organisation": "Gemeente Utrecht",
        "job_title": "beleidsadviseur",
        "needs": "",
    }
    data.update(overrides)
    return data


def statuses(event) -> list[str]:
    return list(event.registrations.order_by("created", "id").values_list("status", flat=True))


# --- Registering ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_register_confirms_while_places_are_left_then_puts_on_the_waiting_list():
    event = make_event(capacity=2)

    made = [services.register(event=event, data=person(number)) for number in range(4)]

    assert [registration.status for registration in made] == [
        CONFIRMED,
        CONFIRMED,
        WAITING,
        WAITING,
    ]
    assert made[0].confirmed_at is not None
    assert made[2].confirmed_at is None
    assert made[3].waiting_position() == 2
    assert all(registration.consent_at for registration in made)


@pytest.mark.django_db
def test_register_without_capacity_never_waits():
    event = make_event(capacity=None)

    for number in range(30):
        services.register(event=event, data=person(number))

    assert statuses(event) == [CONFIRMED] * 30


@pytest.mark.django_db
def test_register_stores_what_was_given():
    event = make_event()

    registration = services.register(
        event=event, data=person(7, needs="Rolstoeltoegang", job_title="teamleider")
    )

    registration.refresh_from_db()
    assert registration.name == "Deelnemer 7"
    assert registration.email == "deelnemer7@example.org"
    assert registration.organisation == "Gemeente Utrecht"
    assert registration.job_title == "teamleider"
    assert registration.needs == "Rolstoeltoegang"


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["anna@utrecht.nl", "Anna@Utrecht.NL", "ANNA@UTRECHT.NL"])
def test_register_refuses_the_same_email_twice_ignoring_case(email):
    event = make_event()
    services.register(event=event, data=person(email="anna@utrecht.nl"))

    with pytest.raises(services.RegistrationError) as error:
        services.register(event=event, data=person(2, email=email))

    assert error.value.field == "email"
    assert error.value.message.startswith(
        "Met dit e-mailadres is al iemand aangemeld voor dit evenement."
    )
    assert event.registrations.count() == 1


@pytest.mark.django_db
def test_register_refuses_an_email_already_on_the_waiting_list():
    event = make_event(capacity=1)
    make_registration(event)
    make_registration(event, email="anna@utrecht.nl", status=WAITING)

    with pytest.raises(services.RegistrationError):
        services.register(event=event, data=person(email="Anna@utrecht.nl"))


@pytest.mark.django_db
def test_register_accepts_an_email_whose_registration_was_cancelled():
    event = make_event()
    make_registration(event, email="anna@utrecht.nl", status=CANCELLED)

    registration = services.register(event=event, data=person(email="anna@utrecht.nl"))

    assert registration.status == CONFIRMED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"registration_opens_at": "+1"}, "Aanmelden kan nog niet"),
        ({"registration_closes_at": "-1"}, "Aanmelden is gesloten"),
        ({"starts_at": "-2", "ends_at": "-1"}, "Dit evenement is voorbij"),
        ({"registration_required": False}, "Aanmelden is niet nodig"),
    ],
    ids=["not-yet-open", "closed", "past", "not-required"],
)
def test_register_refuses_when_registration_is_not_open(fields, message):
    now = timezone.now()
    event = make_event(
        **{
            name: now + DAY * float(value) if isinstance(value, str) else value
            for name, value in fields.items()
        }
    )

    with pytest.raises(services.RegistrationError) as error:
        services.register(event=event, data=person())

    assert error.value.message == message
    assert event.registrations.count() == 0


@pytest.mark.django_db
def test_register_sends_mail_only_after_commit(django_capture_on_commit_callbacks, mailoutbox):
    event = make_event()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.register(event=event, data=person())

    assert mailoutbox == []
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1


# --- Sessions ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_register_with_a_full_session_waits_though_the_event_has_room():
    event = make_event(capacity=None)
    workshop = make_session(event, "Workshop toezicht", capacity=2)
    other = make_session(event, "Workshop ethiek")

    made = [services.register(event=event, data=person(n), sessions=[workshop]) for n in range(3)]
    elsewhere = services.register(event=event, data=person(9), sessions=[other])

    assert [registration.status for registration in made] == [CONFIRMED, CONFIRMED, WAITING]
    assert elsewhere.status == CONFIRMED
    assert list(made[0].sessions.all()) == [workshop]


@pytest.mark.django_db
def test_register_accepts_one_session_per_round():
    event = make_event()
    morning = make_session(event, "Ochtend", slot=1)
    afternoon = make_session(event, "Middag", slot=2)

    registration = services.register(event=event, data=person(), sessions=[morning, afternoon])

    assert set(registration.sessions.all()) == {morning, afternoon}


@pytest.mark.django_db
def test_register_refuses_two_sessions_in_one_round():
    event = make_event()
    first = make_session(event, "Workshop A", slot=1)
    second = make_session(event, "Workshop B", slot=1)

    with pytest.raises(services.RegistrationError) as error:
        services.register(event=event, data=person(), sessions=[first, second])

    assert error.value.field == "sessions"
    assert error.value.message == "Kies per ronde hoogstens één sessie."
    assert event.registrations.count() == 0


@pytest.mark.django_db
def test_register_refuses_a_session_of_another_event():
    event = make_event("Congres")
    foreign = make_session(make_event("Andere bijeenkomst"), "Elders")

    with pytest.raises(services.RegistrationError) as error:
        services.register(event=event, data=person(), sessions=[foreign])

    assert error.value.message == "Deze sessie hoort niet bij dit evenement."
    assert event.registrations.count() == 0


# --- Cancelling and the waiting list ----------------------------------------------------------


@pytest.fixture
def full_event(db):
    """Two places, both taken, three on the waiting list."""
    event = make_event(capacity=2)
    for number in range(5):
        services.register(event=event, data=person(number))
    return event


def by_name(event) -> dict[str, str]:
    return dict(event.registrations.values_list("name", "status"))


@pytest.mark.django_db
def test_cancel_frees_the_place_for_exactly_the_first_on_the_waiting_list(full_event):
    first = full_event.registrations.get(name="Deelnemer 0")

    cancelled = services.cancel(token=first.token)

    assert cancelled.status == CANCELLED
    assert cancelled.cancelled_at is not None
    assert by_name(full_event) == {
        "Deelnemer 0": CANCELLED,
        "Deelnemer 1": CONFIRMED,
        "Deelnemer 2": CONFIRMED,
        "Deelnemer 3": WAITING,
        "Deelnemer 4": WAITING,
    }
    promoted = full_event.registrations.get(name="Deelnemer 2")
    assert promoted.confirmed_at is not None
    assert full_event.registrations.get(name="Deelnemer 3").waiting_position() == 1


@pytest.mark.django_db
def test_cancel_from_the_waiting_list_promotes_no_one(full_event):
    services.cancel(token=full_event.registrations.get(name="Deelnemer 3").token)

    assert by_name(full_event) == {
        "Deelnemer 0": CONFIRMED,
        "Deelnemer 1": CONFIRMED,
        "Deelnemer 2": WAITING,
        "Deelnemer 3": CANCELLED,
        "Deelnemer 4": WAITING,
    }
    assert full_event.registrations.get(name="Deelnemer 4").waiting_position() == 2


@pytest.mark.django_db
def test_cancel_twice_changes_nothing_the_second_time(full_event, mailoutbox):
    token = full_event.registrations.get(name="Deelnemer 0").token
    services.cancel(token=token)
    mailoutbox.clear()

    services.cancel(token=token)

    assert list(full_event.registrations.values_list("status", flat=True)).count(CONFIRMED) == 2
    assert mailoutbox == []


@pytest.mark.django_db
def test_cancel_passes_over_someone_whose_session_is_still_full():
    event = make_event(capacity=2)
    workshop = make_session(event, "Vol", capacity=1)
    services.register(event=event, data=person(0), sessions=[workshop])
    services.register(event=event, data=person(1))
    in_workshop = services.register(event=event, data=person(2), sessions=[workshop])
    anywhere = services.register(event=event, data=person(3))

    services.cancel(token=event.registrations.get(name="Deelnemer 1").token)

    in_workshop.refresh_from_db()
    anywhere.refresh_from_db()
    assert anywhere.status == CONFIRMED
    assert in_workshop.status == WAITING
    assert in_workshop.waiting_position() == 1  # keeps the place in line


@pytest.mark.django_db
def test_cancel_of_a_session_place_promotes_the_next_for_that_session():
    event = make_event(capacity=None)
    workshop = make_session(event, "Workshop", capacity=1)
    taken = services.register(event=event, data=person(0), sessions=[workshop])
    waiting = services.register(event=event, data=person(1), sessions=[workshop])

    services.cancel(token=taken.token)

    waiting.refresh_from_db()
    assert waiting.status == CONFIRMED


@pytest.mark.django_db
def test_cancel_registration_cancels_without_token_and_mails_both(
    full_event, mailoutbox, django_capture_on_commit_callbacks
):
    leaving = full_event.registrations.get(name="Deelnemer 1")

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.cancel_registration(registration=leaving)

    assert cancelled.status == CANCELLED
    assert by_name(full_event) == {
        "Deelnemer 0": CONFIRMED,
        "Deelnemer 1": CANCELLED,
        "Deelnemer 2": CONFIRMED,
        "Deelnemer 3": WAITING,
        "Deelnemer 4": WAITING,
    }
    assert sorted((message.to[0], message.subject) for message in mailoutbox) == [
        ("deelnemer1@example.org", f"Uw aanmelding is geannuleerd: {full_event.title}"),
        ("deelnemer2@example.org", f"Er is een plaats voor u: {full_event.title}"),
    ]


def started_event():
    """Started an hour ago, ends in an hour; one place, taken, and one on the waiting list."""
    now = timezone.now()
    event = make_event(capacity=1, starts_at=now - HOUR, ends_at=now + HOUR)
    make_registration(event, name="Bevestigd")
    make_registration(event, name="Wachtend", status=WAITING)
    return event


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Bevestigd", "Wachtend"])
@pytest.mark.parametrize("how", ["token", "registration"])
def test_cancel_after_the_event_started_is_refused(
    name, how, mailoutbox, django_capture_on_commit_callbacks
):
    event = started_event()
    leaving = event.registrations.get(name=name)

    cancel = {
        "token": lambda: services.cancel(token=leaving.token),
        "registration": lambda: services.cancel_registration(registration=leaving),
    }[how]

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.RegistrationError) as refused,
    ):
        cancel()

    assert refused.value.message == "Het evenement is al begonnen. Annuleren kan niet meer."
    assert by_name(event) == {"Bevestigd": CONFIRMED, "Wachtend": WAITING}
    assert mailoutbox == []


@pytest.mark.django_db
def test_cancel_of_an_already_cancelled_registration_after_the_start_is_no_error():
    event = started_event()
    gone = make_registration(event, name="Afgemeld", status=CANCELLED)

    assert services.cancel(token=gone.token).status == CANCELLED


@pytest.mark.django_db
def test_promote_by_hand_confirms_beyond_capacity(full_event):
    waiting = full_event.registrations.get(name="Deelnemer 4")

    services.promote(registration=waiting)

    assert by_name(full_event)["Deelnemer 4"] == CONFIRMED
    assert full_event.registrations.filter(status=CONFIRMED).count() == 3


# --- The lock -----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_lock_refuses_to_run_outside_a_transaction():
    event = make_event()
    workshop = make_session(event, "Workshop")

    with pytest.raises(TransactionManagementError, match=r"inside transaction\.atomic\(\)"):
        services._lock(event, [workshop])

    with transaction.atomic():
        assert services._lock(event, [workshop]) == (event, [workshop])


# --- Purging ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_purge_clears_needs_after_the_event_and_anonymises_after_the_retention():
    now = timezone.now()
    recent = make_event(starts_at=now - 3 * DAY, ends_at=now - 2 * DAY)
    old = make_event(starts_at=now - 41 * DAY, ends_at=now - 40 * DAY)
    coming = make_event()
    make_registration(recent, name="Recent", needs="Rolstoel")
    make_registration(old, name="Oud", needs="Vegetarisch", job_title="inspecteur")
    make_registration(coming, name="Komend", needs="Ringleiding")

    purged = services.purge(retention_days=30)

    assert purged == services.Purged(needs_cleared=2, anonymised=1)
    rows = Registration.objects.order_by("event__starts_at").values_list(
        "name", "needs", "job_title", "status"
    )
    assert list(rows) == [
        (services.ANONYMOUS_NAME, "", "", CONFIRMED),
        ("Recent", "", "", CONFIRMED),
        ("Komend", "Ringleiding", "", CONFIRMED),
    ]
    assert services.purge(retention_days=30) == services.Purged(needs_cleared=0, anonymised=0)


# --- Mail failures ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_failing_mail_server_does_not_lose_the_registration(
    monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(self, messages):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    event = make_event()

    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(event=event, data=person())

    assert Registration.objects.get(pk=registration.pk).status == CONFIRMED
