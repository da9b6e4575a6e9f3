"""Mail that is due at a moment before an event: the reminder, and the end of the waiting list.

`manage.py send_pending_mails` (every few minutes, the job that sends all mail) runs
`queue_due` and `queue_waiting_closed` first (registered with the outbox in `register`):

- `Event.reminder_days` before the start, every confirmed registrant gets a reminder (what,
  when, where, how to join online, the personal link and the .ics); whoever is still waiting
  gets a short note with their place in line instead.
- When the waiting list closes (`Event.waiting_list_closes_at`), whoever is still waiting
  hears that there is no place for them.

Exactly once per registration, also when the job runs twice, on two machines at the same time,
or stops halfway: each registration gets its own short transaction that sets its marker
(`reminder_queued_at`, `waiting_closed_queued_at`) only where it is still empty, and puts the
outbox row in only when it did. A second job's UPDATE waits for the first one's row lock and
then finds the marker set; a job that stopped halfway left the rest unmarked for the next run.
The senders read the registration as it is when they send, and send nothing once it was
cancelled, anonymised or the event began.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from events.mails import mail_context, personal_message
from events.models import Event, Registration
from ikpob_portal.kernel import outbox
from ikpob_portal.kernel.models import OutgoingMail

REMINDER = "events.registration.reminder"
WAITING_CLOSED = "events.registration.waiting_closed"

SUBJECTS = {
    "reminder": "Herinnering: %(title)s",
    "waiting": "U staat nog op de wachtlijst: %(title)s",
    "waiting_closed": "De wachtlijst is gesloten: %(title)s",
}


def register() -> None:
    """Called once from `EventsConfig.ready()` (through the app's declarations)."""
    outbox.register_sender(REMINDER, send_reminder)
    outbox.register_sender(WAITING_CLOSED, send_waiting_closed)
    outbox.register_scheduled("events.reminders", queue_due)
    outbox.register_scheduled("events.waiting_closed", queue_waiting_closed)


def _still_coming(now: datetime.datetime) -> QuerySet:
    """Registrations of published events that have not begun, of people who still count on
    coming, with their personal data."""
    return Registration.objects.active().filter(
        event__in=Event.objects.published(), event__starts_at__gt=now, anonymised_at__isnull=True
    )


def queue_due(now: datetime.datetime | None = None) -> int:
    """Queue the reminders that are due; returns how many were queued now."""
    now = now or timezone.now()
    # Few events are coming at any time: which of them are in their reminder days is decided
    # here rather than in date arithmetic that each database spells differently.
    # Whoever registered after that moment has just had the confirmation, which says it all.
    in_reminder_days = Q(pk__in=[])
    for event in (
        Event.objects.published()
        .filter(starts_at__gt=now, reminder_days__isnull=False)
        .only("pk", "starts_at", "reminder_days")
    ):
        moment = event.starts_at - datetime.timedelta(days=event.reminder_days)
        if moment <= now:
            in_reminder_days |= Q(event=event.pk, created__lt=moment)
    due = _still_coming(now).filter(in_reminder_days, reminder_queued_at__isnull=True)
    # Someone waiting after the waiting list closed hears that instead (queue_waiting_closed).
    cutoff = now + datetime.timedelta(hours=settings.WAITING_LIST_CUTOFF_HOURS)
    due = due.exclude(status=Registration.Status.WAITING, event__starts_at__lte=cutoff)
    return _queue_each(due, marker="reminder_queued_at", kind=REMINDER, now=now)


def queue_waiting_closed(now: datetime.datetime | None = None) -> int:
    """Queue the message to those still waiting when the waiting list closed."""
    now = now or timezone.now()
    cutoff = now + datetime.timedelta(hours=settings.WAITING_LIST_CUTOFF_HOURS)
    due = _still_coming(now).filter(
        status=Registration.Status.WAITING,
        event__starts_at__lte=cutoff,
        waiting_closed_queued_at__isnull=True,
    )
    return _queue_each(due, marker="waiting_closed_queued_at", kind=WAITING_CLOSED, now=now)


def _queue_each(due: QuerySet, *, marker: str, kind: str, now: datetime.datetime) -> int:
    """Per registration, one transaction: set `marker` where it is still empty and, only if
    that changed the row, put the mail in the outbox."""
    queued = 0
    for registration in due.only("pk").order_by("pk"):
        with transaction.atomic():
            marked = Registration.objects.filter(
                pk=registration.pk, **{f"{marker}__isnull": True}
            ).update(**{marker: now})
            if marked == 1:
                outbox.enqueue(kind, registration)
                queued += 1
    return queued


def _registration(mail: OutgoingMail) -> Registration | None:
    """The registration a scheduled mail is about, if it should still get one."""
    registration = Registration.objects.select_related("event").filter(pk=mail.object_id).first()
    if (
        registration is None
        or registration.anonymised_at
        or not registration.is_active
        or not registration.event.is_published
        or registration.event.has_started
    ):
        return None
    return registration


def send_reminder(mail: OutgoingMail) -> bool:
    """The reminder to someone with a place, or the note to someone still waiting (as they are
    when it is sent: promoted meanwhile means a reminder)."""
    registration = _registration(mail)
    if registration is None:
        return False
    event = registration.event
    if registration.status == Registration.Status.CONFIRMED:
        note = "reminder"
    elif not event.waiting_list_closed():
        note = "waiting"
    else:
        return False  # the waiting list closed meanwhile: that message says it all
    return _send(registration, note)


def send_waiting_closed(mail: OutgoingMail) -> bool:
    registration = _registration(mail)
    if registration is None or registration.status != Registration.Status.WAITING:
        return False  # promoted by an editor after all, or cancelled
    return _send(registration, "waiting_closed")


def _send(registration: Registration, note: str) -> bool:
    # Dutch mail with links to the Dutch pages, whatever language is active.
    with override("nl"):
        cutoff = timezone.localtime(registration.event.waiting_list_closes_at)
        context = {
            **mail_context(registration),
            "note": note,
            "cutoff": date_format(cutoff, "l j F Y, G.i") + " uur",
        }
        personal_message(
            registration,
            subject=SUBJECTS[note],
            template="events/email/reminder",
            context=context,
        ).send()
    return True
