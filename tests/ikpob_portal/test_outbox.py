"""The one outbox: every app's mail is a row, sent once after commit, retried by one command.

The outage is real, as in tests/events/test_mail_outage.py: the SMTP backend points at a local
port where nothing listens; locmem stands in for the repaired server.
"""

import io
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.tasks.backends.dummy import DummyBackend
from django.test import Client

from events import mails as event_mails
from events import services
from events.models import Event, Registration
from ikpob_portal.kernel import outbox
from ikpob_portal.kernel.models import OutgoingMail
from learning_circles.models import JoinRequest
from learning_circles.services import submit_join_request
from tests.events.test_mail_outage import (
    DUMMY_TASKS,
    LOCMEM,
    HeldMailServer,
    closed_port,
    queued_tasks,
    register_through_the_site,
    send_at_once,
)
from tests.factories import make_event, make_learning_circle, make_registration

SENT = OutgoingMail.Outcome.SENT


@pytest.fixture
def mail_server_down(settings, mailoutbox):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port(), "timeout": 5},
        }
    }
    settings.EDITORS_EMAIL = "redactie@ikpob.nl"
    return mailoutbox


def anna() -> dict:
    return {"name": "Anna Jansen", "email": "anna@utrecht.nl", "organisation": "VNG"}


def join_data() -> dict:
    return {
        "organisation_name": "Gemeente Berkelland",
        "name": "Bert de Vries",
        "email": "bert@berkelland.nl",
        "motivation": "Meedoen.",
    }


def outbox_rows() -> list[tuple[str, str]]:
    return list(OutgoingMail.objects.order_by("pk").values_list("kind", "outcome"))


# --- Every app's mail goes through the one table ------------------------------------------------


@pytest.mark.django_db
def test_registrations_join_requests_and_attendee_messages_share_the_outbox(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EDITORS_EMAIL = "redactie@ikpob.nl"
    event = make_event("Congres Vakmanschap", capacity=5)
    make_registration(event, email="al@utrecht.nl")

    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(event=event, data=anna())
        join_request = submit_join_request(
            circle=make_learning_circle("Toezicht in de praktijk"), data=join_data()
        )
        event_mails.message_attendees(event, "Praktische informatie", "Begint om 9:30 uur.")

    assert list(OutgoingMail.objects.values_list("kind", "object_id", "outcome")) == [
        ("events.registration.registered", registration.pk, SENT),
        ("learning_circles.join_request.received", join_request.pk, SENT),
        ("events.attendees.message", Registration.objects.get(email="al@utrecht.nl").pk, SENT),
        ("events.attendees.message", registration.pk, SENT),
    ]
    assert [(message.to, message.subject) for message in mailoutbox] == [
        (["anna@utrecht.nl"], "Bevestiging van uw aanmelding: Congres Vakmanschap"),
        (["redactie@ikpob.nl"], "Nieuwe aanmelding voor de leerkring 'Toezicht in de praktijk'"),
        (["al@utrecht.nl"], "Praktische informatie"),
        (["anna@utrecht.nl"], "Praktische informatie"),
    ]


@pytest.mark.django_db
def test_outbox_rows_hold_no_address_or_name(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.register(event=make_event(), data=anna())
        submit_join_request(circle=make_learning_circle(), data=join_data())

    stored = " ".join(str(row) for row in OutgoingMail.objects.values_list()).lower()
    personal = ["anna", "jansen", "utrecht", "bert", "de vries", "berkelland", "meedoen"]
    assert [word for word in personal if word in stored] == []


# --- Exactly once -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_send_of_the_same_row_twice_sends_one_mail(mailoutbox):
    registration = make_registration(make_event(), email="anna@utrecht.nl")
    with transaction.atomic():
        event_mails.queue_registration_mail(registration, "registered")
    [row] = OutgoingMail.objects.all()

    assert outbox.send(row.pk) is True
    assert outbox.send(row.pk) is False

    assert [message.to for message in mailoutbox] == [["anna@utrecht.nl"]]
    row.refresh_from_db()
    assert (row.outcome, row.attempts) == (SENT, 1)
    assert row.done_at is not None


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_join_notice_at_once_send_one_mail(settings):
    """The second worker waits on the row lock while the first talks to the mail server, then
    finds the row sent."""
    settings.TASKS = DUMMY_TASKS
    settings.MAILERS = {"default": {"BACKEND": "tests.events.test_mail_outage.HeldBackend"}}
    HeldMailServer.reset()
    submit_join_request(circle=make_learning_circle(), data=join_data())
    [row] = OutgoingMail.objects.all()
    results: list = []

    def worker() -> None:
        try:
            results.append(outbox.send(row.pk))
        except BaseException as error:  # reported by the test, not lost in the thread
            results.append(error)

    second_waited = send_at_once(worker, worker)

    assert second_waited, "the second worker did not wait for the first"
    assert results == [True, False]
    assert len(HeldMailServer.delivered) == 1
    assert outbox_rows() == [("learning_circles.join_request.received", SENT)]


# --- Mail server down, then back ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_mail_that_failed_stays_unsent_and_send_pending_mails_sends_it_later(
    mail_server_down, settings
):
    register_through_the_site(Client(), make_event("Congres Vakmanschap"), 1)

    [row] = OutgoingMail.objects.all()
    assert (row.kind, row.done_at, row.attempts) == ("events.registration.registered", None, 1)
    assert row.last_error == "ConnectionRefusedError"
    assert mail_server_down == []

    call_command("send_pending_mails")  # still down: tried again, still kept
    row.refresh_from_db()
    assert (row.done_at, row.attempts) == (None, 2)

    settings.MAILERS = LOCMEM  # the mail server is back
    call_command("send_pending_mails")
    call_command("send_pending_mails")

    assert [message.to for message in mail.outbox] == [["anna1@utrecht.nl"]]
    row.refresh_from_db()
    assert (row.outcome, row.attempts, row.last_error) == (SENT, 3, "")


class UnreachableTaskBackend(DummyBackend):
    """A worker queue that cannot take tasks right now (its database or broker is away)."""

    def enqueue(self, task, args, kwargs):
        raise ConnectionError("task queue unreachable")


@pytest.mark.django_db(transaction=True)
def test_a_task_queue_that_is_down_loses_no_mail_and_fails_no_request(settings, mailoutbox):
    settings.TASKS = {"default": {"BACKEND": f"{__name__}.UnreachableTaskBackend"}}

    page = register_through_the_site(Client(), make_event("Congres Vakmanschap"), 1)

    assert page.status_code == 200
    assert outbox_rows() == [("events.registration.registered", "")]
    settings.TASKS = DUMMY_TASKS  # the queue is back; the scheduler offers the row again
    assert outbox.send_pending() == 1


@pytest.mark.django_db
def test_send_pending_offers_each_unsent_row_once_to_the_task_backend(settings):
    settings.TASKS = DUMMY_TASKS  # enqueued tasks wait, as in a worker's queue
    event = make_event()
    with transaction.atomic():
        for registration in (make_registration(event), make_registration(event)):
            event_mails.queue_registration_mail(registration, "registered")
    first, second = OutgoingMail.objects.order_by("pk")
    OutgoingMail.objects.filter(pk=first.pk).update(outcome=SENT, done_at=first.created_at)

    assert outbox.send_pending() == 1
    assert [result.args for result in queued_tasks()] == [[second.pk]]


@pytest.mark.django_db
def test_a_later_mail_replaces_one_still_unsent_for_the_same_registration(mailoutbox):
    """On the waiting list while the server is down, then promoted: one mail, the promotion."""
    event = make_event("Congres Vakmanschap", capacity=1)
    confirmed = make_registration(event)
    # The test's transaction never commits, so nothing is sent until the retry.
    waiting = services.register(event=event, data=anna())
    assert waiting.status == Registration.Status.WAITING
    services.cancel(token=confirmed.token)

    call_command("send_pending_mails")

    assert outbox_rows() == [
        ("events.registration.registered", "superseded"),
        ("events.registration.cancelled", SENT),
        ("events.registration.promoted", SENT),
    ]
    assert sorted((message.to[0], message.subject) for message in mailoutbox) == [
        ("anna@utrecht.nl", "Er is een plaats voor u: Congres Vakmanschap"),
        (confirmed.email, "Uw aanmelding is geannuleerd: Congres Vakmanschap"),
    ]


# --- Anonymised registrations -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_pending_mail_for_an_anonymised_registration_is_not_sent(mailoutbox):
    event = make_event()
    services.register(event=event, data=anna())  # not committed: unsent
    # The event ended long ago (the mail server was down all that time): purged.
    Event.objects.filter(pk=event.pk).update(
        starts_at=event.starts_at - timedelta(days=400), ends_at=event.ends_at - timedelta(days=400)
    )
    services.purge(retention_days=30)

    call_command("send_pending_mails")

    assert mailoutbox == []
    assert outbox_rows() == [("events.registration.registered", "skipped")]


# --- Registration of senders --------------------------------------------------------------------


def test_registering_the_same_kind_twice_raises():
    with pytest.raises(ValueError, match=r"events\.registration\.registered"):
        outbox.register_sender("events.registration.registered", lambda mail: True)


def test_registering_the_same_scheduled_job_twice_raises():
    with pytest.raises(ValueError, match=r"events\.reminders"):
        outbox.register_scheduled("events.reminders", lambda: 0)


@pytest.mark.django_db
def test_send_pending_mails_runs_every_scheduled_job_and_still_sends_when_one_fails(
    monkeypatch,
):
    ran = []

    def fails() -> int:
        ran.append("fails")
        raise RuntimeError("broken job")

    monkeypatch.setattr(outbox, "_scheduled", {"tests.counts": lambda: ran.append("counts") or 2})
    out = io.StringIO()
    call_command("send_pending_mails", stdout=out)
    assert "tests.counts: 2 e-mail(s) klaargezet." in out.getvalue()

    monkeypatch.setitem(outbox._scheduled, "tests.fails", fails)
    with pytest.raises(RuntimeError):
        call_command("send_pending_mails", stdout=out)
    assert ran == ["counts", "counts", "fails"]
    assert "0 e-mail(s) opnieuw aangeboden." in out.getvalue()


@pytest.mark.django_db
def test_enqueue_of_an_unknown_kind_raises():
    registration = make_registration(make_event())
    with pytest.raises(LookupError, match=r"events\.registration\.typo"):
        outbox.enqueue("events.registration.typo", registration)
    assert not OutgoingMail.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_enqueue_outside_a_transaction_raises():
    registration = make_registration(make_event())
    with pytest.raises(RuntimeError, match="inside the transaction"):
        outbox.enqueue("events.registration.registered", registration)
    assert not OutgoingMail.objects.exists()


# --- Deploying the outbox keeps what was pending ------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_pending_notes_into_outbox_rows(settings, mailoutbox):
    settings.EDITORS_EMAIL = "redactie@ikpob.nl"
    event = make_event("Congres Vakmanschap")
    owed = make_registration(event)
    make_registration(event)  # its mail went out long ago
    anonymised = make_registration(event, anonymised_at=event.starts_at)
    circle = make_learning_circle("Toezicht in de praktijk")
    join_request = JoinRequest.objects.create(
        circle=circle, consent_at=event.starts_at, **join_data()
    )
    before = [
        ("events", "0003_registration_pending_mail"),
        ("learning_circles", "0005_joinrequest_notice_pending"),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    old.get_model("events", "Registration").objects.filter(pk__in=[owed.pk, anonymised.pk]).update(
        pending_mail="registered"
    )
    old.get_model("learning_circles", "JoinRequest").objects.update(notice_pending=True)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    # Sorted: the order in which the two apps' migrations run is the graph's, not the test's.
    assert sorted(OutgoingMail.objects.values_list("kind", "object_id", "done_at")) == [
        ("events.registration.registered", owed.pk, None),
        ("learning_circles.join_request.received", join_request.pk, None),
    ]
    call_command("send_pending_mails")
    assert sorted(message.to[0] for message in mail.outbox) == [owed.email, "redactie@ikpob.nl"]


# --- Mail that can never be delivered is parked (issue 17, finding 3) ---------------------------


@pytest.mark.parametrize(
    ("error", "failure"),
    [
        (smtplib.SMTPRecipientsRefused({"a@weg.example": (550, b"no such user")}), "refused"),
        (smtplib.SMTPRecipientsRefused({"a@weg.example": (451, b"try later")}), ""),
        (
            smtplib.SMTPRecipientsRefused({"a@x.example": (550, b""), "b@x.example": (452, b"")}),
            "",
        ),
        (smtplib.SMTPDataError(554, b"message refused"), "refused"),
        (smtplib.SMTPDataError(451, b"local error"), ""),
        (smtplib.SMTPSenderRefused(553, b"sender refused", "noreply@ikpob.nl"), ""),
        (smtplib.SMTPAuthenticationError(535, b"bad login"), ""),
        (smtplib.SMTPNotSupportedError("SMTPUTF8 not supported"), "unusable"),
        (ValueError("Invalid address"), "unusable"),
        (UnicodeEncodeError("ascii", "ü", 0, 1, "no"), "unusable"),
        (ConnectionRefusedError(), ""),
        (TimeoutError(), ""),
    ],
)
def test_only_failures_of_this_one_mail_are_permanent(error, failure):
    assert outbox.permanent_failure(error) == failure


@pytest.mark.django_db
def test_retry_parked_offers_parked_mail_again(settings, mailoutbox):
    event = make_event("Congres Vakmanschap")
    registration = make_registration(event)
    parked = OutgoingMail.objects.create(
        kind="events.registration.registered",
        object_id=registration.pk,
        done_at=event.starts_at,
        outcome=OutgoingMail.Outcome.PARKED,
        failure=OutgoingMail.Failure.GAVE_UP,
        attempts=12,
    )
    out = io.StringIO()

    call_command("send_pending_mails", "--retry-parked", stdout=out)

    parked.refresh_from_db()
    assert (parked.outcome, parked.failure, parked.attempts) == (SENT, "", 1)
    assert [message.to for message in mailoutbox] == [[registration.email]]
    assert "1 geparkeerde e-mail(s) weer klaargezet." in out.getvalue()
