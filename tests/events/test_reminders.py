"""Reminders before an event: what they say, and that each registration gets exactly one,
however often, wherever and however interrupted the scheduled job runs."""

import io
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from icalendar import Calendar

from events import reminders, services
from events.models import Event, Registration
from ikpob_portal.kernel import outbox
from ikpob_portal.kernel.models import OutgoingMail
from tests.events.test_mail import html_text, parts, personal_link
from tests.factories import make_event, make_registration

CONFIRMED = Registration.Status.CONFIRMED
WAITING = Registration.Status.WAITING
JOIN_LINK = "https://meet.example.org/ikpob-herinnering-5521"


def make_soon(**overrides) -> Event:
    """A hybrid event a day and a half from now: in its reminder days (2 by default), before
    the waiting list closes (24 hours)."""
    overrides.setdefault("starts_at", (timezone.now() + timedelta(hours=36)).replace(microsecond=0))
    overrides.setdefault("online", True)
    overrides.setdefault("online_url", JOIN_LINK)
    overrides.setdefault("dial_in", "+31 85 000 1234")
    overrides.setdefault("access_code", "472915")
    overrides.setdefault("capacity", 10)
    return make_event(overrides.pop("title", "Toezicht in de wijk"), **overrides)


def registrant(event: Event, number: int, **overrides) -> Registration:
    """Registered a week ago, before the reminder days began."""
    week_ago = timezone.now() - timedelta(days=7)
    overrides.setdefault("created", week_ago)
    overrides.setdefault("consent_at", week_ago)
    return make_registration(
        event, name=f"Deelnemer {number}", email=f"deelnemer{number}@utrecht.nl", **overrides
    )


def run_job(capture) -> None:
    """The scheduled job, as cron runs it; mails leave when each transaction commits."""
    with capture(execute=True):
        call_command("send_pending_mails", stdout=io.StringIO())


def recipients(mailoutbox) -> Counter:
    return Counter(message.to[0] for message in mailoutbox)


@pytest.mark.django_db
def test_reminder_says_what_when_where_how_to_join_with_personal_link_and_ics(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = make_soon()
    registration = registrant(event, 1)

    run_job(django_capture_on_commit_callbacks)

    [message] = mailoutbox
    assert message.subject == "Herinnering: Toezicht in de wijk"
    assert message.to == ["deelnemer1@utrecht.nl"]
    body = message.body
    assert "Binnenkort is het zover: u bent aangemeld voor Toezicht in de wijk." in body
    assert "Waar:   Stadhuis Utrecht, Stadhuisbrug 1, Utrecht en online" in body
    assert "Route:  https://www.openstreetmap.org/search?query=Stadhuis+Utrecht" in body
    assert f"Online: {JOIN_LINK}" in body
    assert "Inbellen: +31 85 000 1234" in body
    assert "Toegangscode: 472915" in body
    assert f"Uw aanmeldcode voor de ingang: {registration.checkin_code}" in body
    assert personal_link(registration) in body
    html = html_text(message)
    assert "Binnenkort is het zover" in html
    assert "Toegangscode: 472915" in html
    links = {a for a in message.alternatives[0].content.split('"') if a.startswith("http")}
    assert JOIN_LINK in links
    assert personal_link(registration) in links
    [ics] = parts(message)["text/calendar"]
    [item] = Calendar.from_ical(ics.get_content()).walk("VEVENT")
    assert item["DTSTART"].dt == event.starts_at
    assert personal_link(registration) in str(item["DESCRIPTION"])


@pytest.mark.django_db
def test_reminder_for_someone_waiting_is_a_status_note_with_the_position(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = make_soon(capacity=1)
    registrant(event, 1)
    registrant(event, 2, status=WAITING)
    waiting = registrant(event, 3, status=WAITING)

    run_job(django_capture_on_commit_callbacks)

    notes = {message.to[0]: message for message in mailoutbox}
    assert notes["deelnemer1@utrecht.nl"].subject == "Herinnering: Toezicht in de wijk"
    note = notes["deelnemer3@utrecht.nl"]
    assert note.subject == "U staat nog op de wachtlijst: Toezicht in de wijk"
    assert "U staat nog op de wachtlijst voor Toezicht in de wijk, op plaats 2." in note.body
    assert "op plaats 2" in html_text(note)
    assert personal_link(waiting) in note.body  # where to cancel
    assert "Annuleer dan uw aanmelding" in note.body
    assert JOIN_LINK not in note.body
    assert JOIN_LINK not in note.alternatives[0].content
    assert "472915" not in note.body
    assert note.attachments == []


@pytest.mark.django_db
def test_reminder_job_run_twice_sends_one_reminder_per_registration(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = make_soon(capacity=2)
    for number in range(1, 5):
        registrant(event, number, status=CONFIRMED if number <= 2 else WAITING)

    run_job(django_capture_on_commit_callbacks)
    run_job(django_capture_on_commit_callbacks)

    assert recipients(mailoutbox) == {f"deelnemer{n}@utrecht.nl": 1 for n in range(1, 5)}
    assert reminders.queue_due() == 0


@pytest.mark.django_db
def test_reminder_job_killed_halfway_then_rerun_sends_one_per_registration(
    mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    event = make_soon()
    for number in range(1, 7):
        registrant(event, number)
    enqueue = outbox.enqueue
    calls = []

    def dies_at_the_fourth(kind, obj, **kwargs):
        calls.append(obj.pk)
        if len(calls) == 4:
            raise SystemExit("killed")  # what a killed process leaves: nothing after this
        return enqueue(kind, obj, **kwargs)

    monkeypatch.setattr(outbox, "enqueue", dies_at_the_fourth)
    with pytest.raises(SystemExit):
        run_job(django_capture_on_commit_callbacks)
    assert Registration.objects.filter(reminder_queued_at__isnull=False).count() == 3
    monkeypatch.setattr(outbox, "enqueue", enqueue)

    run_job(django_capture_on_commit_callbacks)

    assert recipients(mailoutbox) == {f"deelnemer{n}@utrecht.nl": 1 for n in range(1, 7)}
    assert OutgoingMail.objects.filter(kind=reminders.REMINDER).count() == 6


@pytest.mark.django_db
def test_no_reminder_when_switched_off_not_yet_due_or_after_the_start(
    mailoutbox, django_capture_on_commit_callbacks
):
    registrant(make_soon(title="Zonder herinnering", reminder_days=None), 1)
    registrant(make_soon(title="Nog ver weg", starts_at=timezone.now() + timedelta(days=5)), 2)
    started = make_soon(title="Al begonnen", starts_at=timezone.now() - timedelta(hours=1))
    registrant(started, 3)
    registrant(make_soon(title="Concept", status="draft", published_at=None), 4)

    run_job(django_capture_on_commit_callbacks)

    assert mailoutbox == []


@pytest.mark.django_db
def test_no_reminder_for_cancelled_anonymised_or_just_registered(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = make_soon()
    registrant(event, 1, status=Registration.Status.CANCELLED)
    registrant(event, 2, anonymised_at=timezone.now())
    # Registered inside the reminder days: the confirmation just said it all.
    registrant(event, 3, created=timezone.now())
    registrant(event, 4)

    run_job(django_capture_on_commit_callbacks)

    assert recipients(mailoutbox) == {"deelnemer4@utrecht.nl": 1}


@pytest.mark.django_db
def test_reminder_cancelled_before_it_went_out_is_not_sent(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = make_soon()
    registration = registrant(event, 1)
    with django_capture_on_commit_callbacks(execute=False):  # the mail server is away
        assert reminders.queue_due() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration=registration)
    mailoutbox.clear()

    run_job(django_capture_on_commit_callbacks)

    assert mailoutbox == []
    mail = OutgoingMail.objects.get(kind=reminders.REMINDER)
    assert mail.outcome == OutgoingMail.Outcome.SKIPPED


@pytest.mark.postgres_only
def test_two_reminder_jobs_at_once_queue_each_registration_once(transactional_db, mailoutbox):
    event = make_soon(capacity=20)
    for number in range(1, 21):
        registrant(event, number, status=CONFIRMED if number <= 15 else WAITING)
    enqueue = outbox.enqueue

    def slow_enqueue(kind, obj, **kwargs):
        # Hold the marked row a moment: the other job's UPDATE of it has to wait for this one.
        time.sleep(0.01)
        return enqueue(kind, obj, **kwargs)

    outbox.enqueue = slow_enqueue
    barrier = threading.Barrier(2)
    queued, errors = [], []

    def job() -> None:
        try:
            barrier.wait(timeout=30)
            queued.append(reminders.queue_due())
        except Exception as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=job) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        outbox.enqueue = enqueue

    assert errors == []
    assert sum(queued) == 20
    assert OutgoingMail.objects.filter(kind=reminders.REMINDER).count() == 20
    assert recipients(mailoutbox) == {f"deelnemer{n}@utrecht.nl": 1 for n in range(1, 21)}
    subjects = Counter(message.subject.split(":")[0] for message in mailoutbox)
    assert subjects == {"Herinnering": 15, "U staat nog op de wachtlijst": 5}
