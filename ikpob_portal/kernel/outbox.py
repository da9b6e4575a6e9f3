"""The one outbox: mail waiting to be sent, for every app.

An app registers a sender per kind of mail (`register_sender`, from its `ready()`), and calls
`enqueue(kind, obj)` inside the transaction that makes the change the mail is about. The row
commits with that change or not at all; after the commit a `django.tasks` task sends it. A
failing mail server leaves the row unsent, and `manage.py send_pending_mails` (every few
minutes) offers every unsent row again. Each row is sent at most once: `send` claims it under a
row lock and marks it done in the same transaction as the sending.

A mail that can never be delivered is parked (outcome PARKED, `failure` says why): the mail
server refused the recipient for good (an SMTP 5xx reply), or the address cannot even be put
in a message (a ValueError from the mail backend, like `"a\x0bb"@example.org`). It is logged
once, not tried again, and editors see it in the admin (kernel/admin.py). Any other failure is
taken as temporary (server down, 4xx "try later", a timeout) and retried by
`send_pending_mails`, until the row has had `GIVE_UP_AFTER_ATTEMPTS` tries and is older than
`settings.OUTBOX_GIVE_UP_HOURS`: then it is parked as given up, so an outage of a day still
delivers everything, and nothing is retried forever.

Mail that is due at a moment rather than after a change (a reminder two days before an event)
is queued by a scheduled function an app registers (`register_scheduled`); the same command runs
them all first. Each must be safe to run twice or on two machines at once: it marks what it
queued in the transaction of the outbox row, and only where nothing was marked yet.

An app that must act when the mail server refuses a recipient's address for good (a mailing list
that stops writing to a dead address) registers a callback for its kind (`register_on_refused`);
`_park` calls it with the parked row, once, after the row is marked, and only when the refusal
was about the address (`address_refused`), never about the message or the relay.
"""

import logging
import smtplib
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.tasks import task
from django.utils import timezone

from ikpob_portal.kernel.models import OutgoingMail

logger = logging.getLogger(__name__)

# With `send_pending_mails` every five minutes, ten tries take under an hour; giving up also
# waits for OUTBOX_GIVE_UP_HOURS, so a long outage alone parks nothing young.
GIVE_UP_AFTER_ATTEMPTS = 10

Failure = OutgoingMail.Failure

# A sender renders and sends the mail for one row, reading the object it is about at send time.
# It returns False when there is nothing to send any more (object gone, anonymised, changed),
# and raises when sending failed (the row then stays unsent for the retry).
Sender = Callable[[OutgoingMail], bool]

_senders: dict[str, Sender] = {}

# A scheduled function queues the mails that are due now and returns how many it queued.
Scheduled = Callable[[], int]

_scheduled: dict[str, Scheduled] = {}

# Called with a row of its kind just parked as REFUSED (see `register_on_refused`).
OnRefused = Callable[[OutgoingMail], None]

_on_refused: dict[str, OnRefused] = {}


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


def register_on_refused(kind: str, callback: OnRefused) -> None:
    """Name a function to call when a mail of `kind` is parked because the mail server refused
    its recipient's address for good (`address_refused`), e.g. to unsubscribe that address. It
    runs once per parked row, after the row is marked; an error in it is raised (the row stays
    parked)."""
    if kind in _on_refused:
        raise ValueError(f"A refusal callback for the mail kind {kind!r} is registered already.")
    _on_refused[kind] = callback


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


def permanent_failure(error: Exception) -> str:
    """The `Failure` when `error` means this mail can never be delivered, else "" (temporary).

    Only what concerns this one mail counts as permanent: a 5xx for its recipient or its data.
    A refused sender or login (also 5xx) is the portal's own configuration, which an operator
    fixes, so those stay temporary and are retried.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return Failure.REFUSED if codes and all(500 <= code < 600 for code in codes) else ""
    if isinstance(error, smtplib.SMTPDataError):
        return Failure.REFUSED if 500 <= error.smtp_code < 600 else ""
    if isinstance(error, smtplib.SMTPNotSupportedError | ValueError):
        # An address the backend cannot encode (control characters, a non-ASCII local part
        # without SMTPUTF8); UnicodeError is a ValueError too.
        return Failure.UNUSABLE
    return ""


# At RCPT, these say the address itself is no good (unknown, moved, not an address); 554 and the
# like can be the relay's policy, and a refusal after DATA is about the message.
ADDRESS_REFUSED_CODES = (550, 551, 553)


def address_refused(error: Exception) -> bool:
    """Whether the mail server refused the recipient's address for good (a 5xx at RCPT saying
    the address does not exist), not the message or our relay: only then may an app act on the
    address (unsubscribe it). A blocklisted message or a relay refusal parks the mail too, but
    says nothing about the address."""
    if not isinstance(error, smtplib.SMTPRecipientsRefused) or not error.recipients:
        return False
    for code, message in error.recipients.values():
        text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
        if code not in ADDRESS_REFUSED_CODES or "relay" in text.lower():
            return False
    return True


def _error_detail(error: Exception) -> str:
    """The class and SMTP code, never the message: that can quote the address."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _message in error.recipients.values()})
        return f"{type(error).__name__} {' '.join(map(str, codes))}"[:200]
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__} {code}"[:200] if code else type(error).__name__[:200]


def _park(
    mail_id: int, failure: str, detail: str, *, counted: bool = False, address: bool = False
) -> bool:
    """Mark an unsent row parked and log it once; False when it was handled meanwhile."""
    unsent = OutgoingMail.objects.filter(pk=mail_id, done_at__isnull=True)
    changes = {"done_at": timezone.now(), "outcome": OutgoingMail.Outcome.PARKED}
    if not counted:
        changes |= {"attempts": models.F("attempts") + 1, "last_error": detail}
    if not unsent.update(failure=failure, **changes):
        return False
    mail = OutgoingMail.objects.get(pk=mail_id)
    # Kind and id only (the address is personal data); an editor finds it in the admin.
    logger.warning(
        "Mail %s #%s parked after %s attempt(s): %s (%s).",
        mail.kind,
        mail.object_id,
        mail.attempts,
        failure,
        detail,
    )
    if address and mail.kind in _on_refused:
        _on_refused[mail.kind](mail)
    return True


def send(mail_id: int) -> bool:
    """Send one row unless it was handled already; True if a mail went out now.

    The row lock makes a second copy of the task (a retry enqueued while the first still waited
    in a worker's queue, or a second worker) wait until the first has sent and marked the row;
    it then finds nothing to do. The lock is held while the mail server takes the mail, at most
    its timeout. A failure rolls back. A permanent one parks the row (see the module
    docstring) and is not raised; a temporary one leaves the row unsent and is raised for the
    task's log, until the row has been tried long enough to give up on.
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
        detail = _error_detail(error)
        failure = permanent_failure(error)
        if failure:
            _park(mail_id, failure, detail, address=address_refused(error))
            return False
        # Counted outside the rolled-back transaction, so an operator sees a mail that keeps
        # failing.
        unsent = OutgoingMail.objects.filter(pk=mail_id, done_at__isnull=True)
        unsent.update(attempts=models.F("attempts") + 1, last_error=detail)
        cutoff = timezone.now() - timedelta(hours=settings.OUTBOX_GIVE_UP_HOURS)
        if unsent.filter(attempts__gte=GIVE_UP_AFTER_ATTEMPTS, created_at__lte=cutoff).exists():
            _park(mail_id, Failure.GAVE_UP, detail, counted=True)
            return False
        raise


def retry_parked() -> int:
    """Offer parked mails again (after fixing what made them fail); how many."""
    return OutgoingMail.objects.filter(outcome=OutgoingMail.Outcome.PARKED).update(
        done_at=None, outcome=OutgoingMail.Outcome.PENDING, failure="", attempts=0
    )


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
