"""Mail sent by the worker, as in production: django-tasks-db's database backend queues a
registration's mail in the database once the registration is committed, and `manage.py
db_worker` sends it through the outbox, once, however often it runs.

The mail server is real (aiosmtpd on 127.0.0.1, the `smtp_server` fixture) and every test
commits for real (`transaction=True`), as the site does.
"""

import logging
import signal
import socket
import threading
from contextlib import contextmanager
from email import message_from_bytes, policy

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from events import services
from events.models import Event, Registration
from ikpob_portal.kernel.models import OutgoingMail
from tests.factories import make_event
from tests.html import notices, page_heading, parse

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SEND_TASK = "ikpob_portal.kernel.outbox.send_outgoing_mail"
READY, SUCCESSFUL, FAILED = "READY", "SUCCESSFUL", "FAILED"


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def event(db) -> Event:
    return make_event("Congres Vakmanschap", capacity=1)


def anna(number: int = 1) -> dict:
    return {
        "name": f"Anna Jansen {number}",
        "email": f"anna{number}@utrecht.nl",
        "organisation": "Gemeente Utrecht",
    }


def queued() -> list[tuple[str, list, str]]:
    """The worker's queue: (task, arguments, status) of every task, oldest first."""
    return [
        (task.task_path, task.args_kwargs["args"], task.status)
        for task in DBTaskResult.objects.order_by("enqueued_at", "id")
    ]


def recipients(received: list[bytes]) -> list[str]:
    return [message_from_bytes(raw, policy=policy.default)["To"] for raw in received]


def run_worker(worker_id: str = "worker-1") -> None:
    """One `db_worker --batch` pass: every task that is ready, then it stops. The Worker itself,
    not the command, so it can run in a thread (the command sets signal handlers)."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    ).run()


@contextmanager
def own_signals_and_logging():
    """`manage.py db_worker` sets up its process (signal handlers, log levels and handlers);
    this test process gets its own back afterwards."""
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    handlers = {number: signal.getsignal(number) for number in signals}
    loggers = [logging.getLogger(name) for name in ("django.tasks", "django_tasks_db")]
    saved = [(logger, logger.level, list(logger.handlers)) for logger in loggers]
    try:
        yield
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
        for logger, level, logger_handlers in saved:
            logger.setLevel(level)
            logger.handlers[:] = logger_handlers


def db_worker_batch() -> None:
    """The management command as `make serve` starts it, in --batch mode (stops when idle)."""
    with own_signals_and_logging():
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_registration_queues_its_mail_for_the_worker_only_once_committed(event, smtp_server):
    with transaction.atomic():
        registration = services.register(event=event, data=anna())
        assert queued() == []  # nothing a worker could pick up before the commit

    mail = OutgoingMail.objects.get()
    assert (mail.kind, mail.object_id) == ("events.registration.registered", registration.pk)
    assert queued() == [(SEND_TASK, [mail.pk], READY)]
    assert smtp_server == []  # the request sent nothing itself


@pytest.mark.django_db(transaction=True)
def test_a_registration_rolled_back_queues_nothing(event, smtp_server):
    def register_in_a_failing_transaction() -> None:
        with transaction.atomic():
            services.register(event=event, data=anna())
            raise RuntimeError("a later step of the same transaction fails")

    with pytest.raises(RuntimeError, match="later step"):
        register_in_a_failing_transaction()

    assert Registration.objects.count() == 0
    assert OutgoingMail.objects.count() == 0
    assert queued() == []
    run_worker()
    assert smtp_server == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_confirmation_of_a_registration_through_the_form_once(
    event, smtp_server
):
    client = Client()
    url = f"/evenementen/{event.slug}/aanmelden/"
    form = parse(client.get(url))
    hidden = {
        field.get("name"): field.get("value", "")
        for field in form.iter("input")
        if field.get("type") == "hidden" and field.get("name")
    }
    page = client.post(url, {**hidden, **anna(), "consent": "on"}, follow=True)

    # The visitor sees the personal page at once; the mail follows from the worker.
    assert page_heading(page) == "Uw aanmelding"
    assert notices(page)[0].startswith("Gelukt: u bent aangemeld.")
    assert smtp_server == []

    db_worker_batch()

    assert recipients(smtp_server) == ["anna1@utrecht.nl"]
    mail = OutgoingMail.objects.get()
    assert (mail.outcome, mail.attempts) == (OutgoingMail.Outcome.SENT, 1)
    assert queued() == [(SEND_TASK, [mail.pk], SUCCESSFUL)]

    db_worker_batch()  # the worker runs on: nothing is sent again
    assert recipients(smtp_server) == ["anna1@utrecht.nl"]


@pytest.mark.django_db(transaction=True)
def test_a_second_copy_of_the_task_and_a_second_worker_send_the_mail_once(event, smtp_server):
    services.register(event=event, data=anna())
    # The scheduler offers the unsent mail again while the first task still waits in the queue.
    call_command("send_pending_mails")
    mail = OutgoingMail.objects.get()
    assert queued() == [(SEND_TASK, [mail.pk], READY)] * 2

    run_worker("worker-1")
    run_worker("worker-2")

    assert recipients(smtp_server) == ["anna1@utrecht.nl"]
    assert queued() == [(SEND_TASK, [mail.pk], SUCCESSFUL)] * 2
    mail.refresh_from_db()
    assert (mail.outcome, mail.attempts) == (OutgoingMail.Outcome.SENT, 1)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_same_moment_send_each_mail_once(event, smtp_server):
    for number in range(1, 4):
        services.register(event=event, data=anna(number))
    call_command("send_pending_mails")  # a second copy of every task
    assert len(queued()) == 6
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def worker(worker_id: str) -> None:
        try:
            start.wait(10)
            run_worker(worker_id)
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(f"worker-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert sorted(recipients(smtp_server)) == [f"anna{n}@utrecht.nl" for n in (1, 2, 3)]
    assert {status for _task, _args, status in queued()} == {SUCCESSFUL}
    assert set(OutgoingMail.objects.values_list("outcome", "attempts")) == {
        (OutgoingMail.Outcome.SENT, 1)
    }


@pytest.mark.django_db(transaction=True)
def test_a_mail_the_worker_could_not_send_is_sent_once_the_server_is_back(
    event, smtp_server, settings
):
    working_server = settings.MAILERS
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port, "timeout": 5},
        }
    }
    services.register(event=event, data=anna())
    run_worker()

    mail = OutgoingMail.objects.get()
    assert (mail.done_at, mail.attempts, mail.last_error) == (None, 1, "ConnectionRefusedError")
    assert queued() == [(SEND_TASK, [mail.pk], FAILED)]

    settings.MAILERS = working_server
    call_command("send_pending_mails")
    run_worker()
    run_worker()

    assert recipients(smtp_server) == ["anna1@utrecht.nl"]
    mail.refresh_from_db()
    assert (mail.outcome, mail.attempts) == (OutgoingMail.Outcome.SENT, 2)
