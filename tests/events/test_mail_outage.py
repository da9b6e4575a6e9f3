"""The mail server is down: nobody's registration or join request is lost, the mail follows later.

The outage is real: the SMTP backend is pointed at a port on 127.0.0.1 where nothing listens, so
every connection is refused. The HTTP tests commit for real (`transaction=True`), so the mail is
tried inside the request, right after the commit, as in development with Django's immediate
task backend (production's worker meets a down server in test_mail_worker.py). Afterwards a
working backend (locmem) stands in for the repaired mail server, and `manage.py
send_pending_mails` is what the scheduler runs every few minutes.
"""

import logging
import socket
import threading
import time
from collections.abc import Callable

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection
from django.test import Client

from events.models import Event, Registration
from ikpob_portal.kernel.models import OutgoingMail
from learning_circles.models import JoinRequest
from tests.factories import make_event, make_learning_circle, make_session
from tests.html import notices, page_heading, parse

CONFIRMED = Registration.Status.CONFIRMED
WAITING = Registration.Status.WAITING
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def closed_port() -> int:
    """A local port nobody listens on: the operating system hands it out, we let it go."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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


@pytest.fixture(autouse=True)
def _empty_rate_limit():
    cache.clear()
    yield
    cache.clear()


def hidden_fields(page) -> dict[str, str]:
    """What the form carries besides the visible fields (CSRF token, spam-check timestamp)."""
    return {
        field.get("name"): field.get("value", "")
        for field in parse(page).iter("input")
        if field.get("type") == "hidden" and field.get("name")
    }


def register_through_the_site(client: Client, event: Event, number: int, **extra):
    url = f"/evenementen/{event.slug}/aanmelden/"
    form = client.get(url)
    assert form.status_code == 200
    data = {
        **hidden_fields(form),
        "name": f"Anna Jansen {number}",
        "email": f"anna{number}@utrecht.nl",
        "organisation": "Gemeente Utrecht",
        "consent": "on",
        **extra,
    }
    return client.post(url, data, follow=True)


# --- Registrations --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_registering_while_the_mail_server_is_down_shows_the_confirmation_and_keeps_the_mail(
    mail_server_down, caplog
):
    event = make_event("Congres Vakmanschap", capacity=1)
    workshop = make_session(event, "Workshop toezicht", slot=1)
    first, second = Client(), Client()

    with caplog.at_level(logging.ERROR, logger="django.tasks"):
        confirmed_page = register_through_the_site(
            first, event, 1, **{f"ronde_{workshop.slot}": str(workshop.pk)}
        )
        waiting_page = register_through_the_site(second, event, 2)

    assert confirmed_page.status_code == 200
    assert page_heading(confirmed_page) == "Uw aanmelding"
    assert notices(confirmed_page)[0].startswith("Gelukt: u bent aangemeld.")
    assert waiting_page.status_code == 200
    assert "U staat op de wachtlijst, op plaats 1." in notices(waiting_page)[0]
    assert mail_server_down == []
    # The operator sees why in the log: the mail task failed, connection refused.
    failures = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert len(failures) == 2
    assert all("send_outgoing_mail" in record.getMessage() for record in failures)
    assert all(isinstance(record.exc_info[1], ConnectionRefusedError) for record in failures)
    saved = {r.email: r.status for r in Registration.objects.all()}
    assert saved == {"anna1@utrecht.nl": CONFIRMED, "anna2@utrecht.nl": WAITING}
    # Both mails wait in the outbox, each tried once.
    assert unsent() == [
        ("events.registration.registered", 1, "ConnectionRefusedError"),
        ("events.registration.registered", 1, "ConnectionRefusedError"),
    ]


@pytest.mark.django_db(transaction=True)
def test_send_pending_mails_sends_each_kept_mail_once_when_the_server_is_back(
    mail_server_down, settings
):
    event = make_event("Congres Vakmanschap", capacity=1)
    register_through_the_site(Client(), event, 1)
    register_through_the_site(Client(), event, 2)
    assert mail_server_down == []
    settings.MAILERS = LOCMEM  # the mail server is back

    call_command("send_pending_mails")

    assert sorted((message.to[0], message.subject) for message in mail.outbox) == [
        ("anna1@utrecht.nl", "Bevestiging van uw aanmelding: Congres Vakmanschap"),
        ("anna2@utrecht.nl", "U staat op de wachtlijst: Congres Vakmanschap"),
    ]
    assert unsent() == []

    call_command("send_pending_mails")  # the next run of the scheduler: nothing left

    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_cancelling_while_the_mail_server_is_down_keeps_only_the_mails_still_due(
    mail_server_down, settings
):
    """The first one cancels, the waiting one gets the place: both cancellation and promotion
    wait for the server; the stale confirmation of the cancelled one is never sent."""
    event = make_event("Congres Vakmanschap", capacity=1)
    first = Client()
    page = register_through_the_site(first, event, 1)
    register_through_the_site(Client(), event, 2)
    cancelled = first.post(page.redirect_chain[-1][0].split("?")[0] + "annuleren/", follow=True)
    assert cancelled.status_code == 200
    assert "Deze aanmelding is geannuleerd." in notices(cancelled)
    settings.MAILERS = LOCMEM

    call_command("send_pending_mails")
    call_command("send_pending_mails")

    assert sorted((message.to[0], message.subject) for message in mail.outbox) == [
        ("anna1@utrecht.nl", "Uw aanmelding is geannuleerd: Congres Vakmanschap"),
        ("anna2@utrecht.nl", "Er is een plaats voor u: Congres Vakmanschap"),
    ]


@pytest.mark.django_db
def test_a_mail_still_queued_for_a_worker_is_sent_once_when_send_pending_mails_runs_too(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    """With a worker backend the first task may still wait in the queue when the scheduler
    enqueues the pending mail again; whichever copy runs first sends, the other finds the
    outbox row sent."""
    from events import services

    settings.TASKS = DUMMY_TASKS  # enqueued tasks wait, as in a worker's queue
    settings.MAILERS = LOCMEM
    event = make_event("Congres Vakmanschap")
    with django_capture_on_commit_callbacks(execute=True):
        services.register(
            event=event, data={"name": "Anna", "email": "anna@utrecht.nl", "organisation": "VNG"}
        )
    call_command("send_pending_mails")
    queue = queued_tasks()
    [mail_id] = OutgoingMail.objects.values_list("pk", flat=True)
    assert [(result.task.name, result.args) for result in queue] == [
        ("send_outgoing_mail", [mail_id]),
        ("send_outgoing_mail", [mail_id]),
    ]

    for result in queue:  # the worker works through its queue
        result.task.call(*result.args, **result.kwargs)

    assert [message.to for message in mailoutbox] == [["anna@utrecht.nl"]]
    assert unsent() == []


def unsent() -> list[tuple[str, int, str]]:
    """The outbox rows not sent yet: kind, attempts so far, last error."""
    return list(
        OutgoingMail.objects.filter(done_at__isnull=True)
        .order_by("pk")
        .values_list("kind", "attempts", "last_error")
    )


def queued_tasks() -> list:
    from django.tasks import default_task_backend

    return list(default_task_backend.results)


# --- Two workers at the same moment (PostgreSQL row locks) -------------------------------------


class HeldMailServer:
    """A mail backend that takes each mail only when the test lets it: the first sender is
    still talking to the mail server while the second copy of the task starts."""

    started = threading.Event()
    release = threading.Event()
    delivered: list = []  # shared by the backend instances of both threads

    @classmethod
    def reset(cls) -> None:
        cls.started.clear()
        cls.release.clear()
        cls.delivered.clear()


class HeldBackend(BaseEmailBackend):
    def send_messages(self, messages):
        HeldMailServer.started.set()
        assert HeldMailServer.release.wait(60), "the test never released the mail server"
        HeldMailServer.delivered.extend(messages)
        return len(messages)


def waiting_for_a_lock(timeout: float = 30) -> bool:
    """True once another connection waits for a row lock (PostgreSQL's own bookkeeping)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False


def send_at_once(first_send: Callable[[], None], second_send: Callable[[], None]) -> bool:
    """Run two sends in two threads, the second once the first holds the mail server; True
    when the second waited for a row lock meanwhile. Each send reports its own outcome."""

    def in_thread(send: Callable[[], None]) -> threading.Thread:
        def run() -> None:
            try:
                send()
            finally:
                connection.close()

        return threading.Thread(target=run)

    first, second = in_thread(first_send), in_thread(second_send)
    first.start()
    try:
        assert HeldMailServer.started.wait(30), "the first send never reached the mail server"
        second.start()
        return waiting_for_a_lock()
    finally:
        HeldMailServer.release.set()
        first.join(60)
        if second.ident is not None:
            second.join(60)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_running_both_copies_at_once_send_one_mail(settings):
    settings.TASKS = DUMMY_TASKS
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.HeldBackend"}}
    HeldMailServer.reset()
    from events import services

    event = make_event("Congres Vakmanschap")
    services.register(
        event=event, data={"name": "Anna", "email": "anna@utrecht.nl", "organisation": "VNG"}
    )
    call_command("send_pending_mails")
    first_copy, second_copy = queued_tasks()
    errors: list[BaseException] = []

    def worker(result) -> None:
        try:
            result.task.call(*result.args, **result.kwargs)
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)

    second_waited = send_at_once(lambda: worker(first_copy), lambda: worker(second_copy))

    assert second_waited, "the second copy did not wait for the first"
    assert errors == []
    assert [message.to for message in HeldMailServer.delivered] == [["anna@utrecht.nl"]]
    assert unsent() == []


# --- Join requests for learning circles ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_join_request_while_the_mail_server_is_down_is_saved_and_the_notice_follows(
    mail_server_down, settings
):
    circle = make_learning_circle("Toezicht in de praktijk")
    client = Client()
    url = f"/leerkringen/{circle.slug}/aanmelden/"
    form = client.get(url)

    response = client.post(
        url,
        {
            **hidden_fields(form),
            "organisation_name": "Gemeente Berkelland",
            "name": "Anna Jansen",
            "email": "anna@berkelland.nl",
            "motivation": "Wij willen leren hoe andere gemeenten toezicht houden.",
            "consent": "on",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert page_heading(response) == "Bedankt, uw belangstelling is ontvangen"
    [join_request] = JoinRequest.objects.all()
    assert (join_request.email, join_request.status) == ("anna@berkelland.nl", "nieuw")
    assert unsent() == [("learning_circles.join_request.received", 1, "ConnectionRefusedError")]
    assert mail_server_down == []
    settings.MAILERS = LOCMEM  # the mail server is back

    call_command("send_pending_mails")
    call_command("send_pending_mails")

    [notice] = mail.outbox
    assert notice.to == ["redactie@ikpob.nl"]
    assert notice.subject == "Nieuwe aanmelding voor de leerkring 'Toezicht in de praktijk'"
    assert "Anna Jansen (Gemeente Berkelland) wil meedoen" in notice.body
    assert unsent() == []


@pytest.mark.django_db
def test_a_join_notice_still_queued_for_a_worker_is_sent_once_when_retried_too(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    from learning_circles.services import submit_join_request

    settings.TASKS = DUMMY_TASKS
    settings.MAILERS = LOCMEM
    circle = make_learning_circle("Toezicht in de praktijk")
    with django_capture_on_commit_callbacks(execute=True):
        submit_join_request(
            circle=circle,
            data={
                "organisation_name": "Gemeente Berkelland",
                "name": "Anna Jansen",
                "email": "anna@berkelland.nl",
                "motivation": "Meedoen.",
            },
        )
    call_command("send_pending_mails")
    queue = queued_tasks()
    assert [result.task.name for result in queue] == ["send_outgoing_mail"] * 2

    for result in queue:
        result.task.call(*result.args, **result.kwargs)

    assert [message.to for message in mailoutbox] == [["redactie@ikpob.nl"]]
    assert unsent() == []
