"""The one outbox: mail waiting to be sent, for every app.

An app registers a sender per kind of mail (`register_sender`, from its `ready()`), and calls
`enqueue(kind, obj)` inside the transaction that makes the change the mail is about. The row
commits with that change or not at all; after the commit a `django.tasks` task sends it. A
failing mail server leaves the row unsent, and `manage.py send_pending_mails` (every few
minutes) offers every unsent row again. Each row is sent at most once: `send` claims it under a
row lock and marks it done in the same transaction as the sending.

Mail that is due at a moment rather than after a change (a reminder two days before an event)
is queued by a scheduled function an app registers (`register_scheduled`); the same command runs
them all first. Each must be safe to run twice or on two machines at once: it marks what it
queued in the transaction of the outbox row, and only where nothing was marked yet.
"""

from collections.abc import Callable, Iterable

from django.db import models, transaction
from django.tasks import task
from django.utils import timezone

from ikpob_portal.kernel.models import OutgoingMail

# A sender renders and sends the mail for one row, reading the object it is about at send time.
# It returns False when there is nothing to send any more (object gone, anonymised, changed),
# and raises when sending failed (the row then stays unsent for the retry).
Sender = Callable[[OutgoingMail], bool]

_senders: dict[str, Sender] = {}

# A scheduled function queues the mails that are due now and returns how many it queued.
Scheduled = Callable[[], int]

_scheduled: dict[str, Scheduled] = {}


def register_sender(kind: str, sender: Sender) -> None:
    """Name the function that sends mails of `kind`, e.g. "events.registration.registered"."""
    if kind in _senders:
        raise ValueError(f"A sender for the mail kind {kind!r} is registered already.")
    _senders[kind] = sender


def register_scheduled(name: str, function: Scheduled) -> None:
    """Name a function that `manage.py send_pending_mails` runs each time, before it offers the
    unsent rows, e.g. "events.reminders" (see the module docstring for what it must promise)."""
    if name in _scheduled:
        raise ValueError(f"A scheduled mail job named {name!r} is registered already.")
    _scheduled[name] = function


def run_scheduled() -> dict[str, int]:
    """Run every registered scheduled function; how many mails each queued, by name."""
    return {name: function() for name, function in _scheduled.items()}


def enqueue(
    kind: str, obj: models.Model, *, data: dict | None = None, replaces: Iterable[str] = ()
) -> OutgoingMail:
    """Put a mail about `obj` in the outbox; it is sent once the current transaction commits.

    `replaces` names kinds of mail about the same object that this one makes stale: those still
    unsent are marked superseded (a promotion replaces the waiting-list notice nobody received).
    """
    if kind not in _senders:
        raise LookupError(f"No sender is registered for the mail kind {kind!r}.")
    if not transaction.get_connection().in_atomic_block:
        # Outside a transaction the row and the change it is about could part ways.
        raise RuntimeError("outbox.enqueue() must run inside the transaction of the change.")
    replaces = list(replaces)
    if replaces:
        OutgoingMail.objects.filter(
            kind__in=replaces, object_id=obj.pk, done_at__isnull=True
        ).update(done_at=timezone.now(), outcome=OutgoingMail.Outcome.SUPERSEDED)
    mail = OutgoingMail.objects.create(kind=kind, object_id=obj.pk, data=data or {})
    # Robust: a task backend that cannot take the task now loses nothing, the row waits for
    # `send_pending_mails`; the change itself is committed either way.
    transaction.on_commit(lambda: send_outgoing_mail.enqueue(mail.pk), robust=True)
    return mail


@task
def send_outgoing_mail(mail_id: int) -> None:
    """The task behind every mail: send one outbox row (see `send`)."""
    send(mail_id)


def send(mail_id: int) -> bool:
    """Send one row unless it was handled already; True if a mail went out now.

    The row lock makes a second copy of the task (a retry enqueued while the first still waited
    in a worker's queue, or a second worker) wait until the first has sent and marked the row;
    it then finds nothing to do. The lock is held while the mail server takes the mail, at most
    its timeout. A failure rolls back, leaves the row unsent and is raised for the task's log.
    """
    try:
        with transaction.atomic():
            mail = (
                OutgoingMail.objects.select_for_update()
                .filter(pk=mail_id, done_at__isnull=True)
                .first()
            )
            if mail is None:
                return False  # sent already, superseded, or never committed
            sender = _senders.get(mail.kind)
            if sender is None:
                raise LookupError(f"No sender is registered for the mail kind {mail.kind!r}.")
            sent = sender(mail)
            mail.done_at = timezone.now()
            mail.outcome = OutgoingMail.Outcome.SENT if sent else OutgoingMail.Outcome.SKIPPED
            mail.attempts += 1
            mail.last_error = ""
            mail.save(update_fields=["done_at", "outcome", "attempts", "last_error"])
            return sent
    except Exception as error:
        # Counted outside the rolled-back transaction, so an operator sees a mail that keeps
        # failing; the class name only, as an SMTP error message can quote addresses.
        OutgoingMail.objects.filter(pk=mail_id, done_at__isnull=True).update(
            attempts=models.F("attempts") + 1, last_error=type(error).__name__[:200]
        )
        raise


def send_pending() -> int:
    """Offer every unsent mail to the task backend again (run every few minutes).

    A copy enqueued while an earlier one still waits in a worker's queue is harmless: whichever
    runs second finds the row sent. Returns how many were offered.
    """
    pending = list(
        OutgoingMail.objects.filter(done_at__isnull=True)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )
    for mail_id in pending:
        send_outgoing_mail.enqueue(mail_id)
    return len(pending)
