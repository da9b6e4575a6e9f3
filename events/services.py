"""The registration write path: the one place where places are handed out.

Every change that can free or take a place runs in one transaction that first locks the
event row (then the chosen sessions, in primary-key order, so two transactions never wait on
each other crosswise). Counting and writing under that lock is what makes overbooking
impossible, also with many simultaneous submits on PostgreSQL. Mails go out only after commit.
"""

from collections.abc import Callable, Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import mails
from events.models import Event, Registration, RegistrationState, Session


class RegistrationError(Exception):
    """A registration that cannot be made, with a message for the visitor."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# Tests set this to a short sleep to widen the window between counting and writing; it shows
# that the lock, not luck, keeps the count right.
race_window: Callable[[], None] | None = None


def _lock(event: Event, sessions: Iterable[Session] = ()) -> tuple[Event, list[Session]]:
    locked_event = Event.objects.select_for_update().get(pk=event.pk)
    session_ids = sorted({session.pk for session in sessions})
    locked_sessions = list(
        Session.objects.select_for_update()
        .filter(pk__in=session_ids, event=locked_event)
        .order_by("pk")
    )
    return locked_event, locked_sessions


def _has_room(
    event: Event, sessions: list[Session], *, excluding: Registration | None = None
) -> bool:
    confirmed = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
    if excluding is not None:
        confirmed = confirmed.exclude(pk=excluding.pk)
    if event.capacity is not None and confirmed.count() >= event.capacity:
        return False
    for session in sessions:
        if session.capacity is None:
            continue
        taken = confirmed.filter(sessions=session).count()
        if taken >= session.capacity:
            return False
    return True


def _validate_sessions(event: Event, sessions: list[Session]) -> None:
    slots = [session.slot for session in sessions]
    if len(slots) != len(set(slots)):
        raise RegistrationError(_("Kies per ronde hoogstens één sessie."), field="sessions")
    if any(session.event_id != event.pk for session in sessions):
        raise RegistrationError(_("Deze sessie hoort niet bij dit evenement."), field="sessions")


def register(*, event: Event, data: dict, sessions: Iterable[Session] = ()) -> Registration:
    """Register one person: CONFIRMED while places are left, else WAITING.

    `data` holds name, email, organisation, job_title and needs. Raises RegistrationError
    when registration is not possible (closed, duplicate email, invalid sessions).
    """
    sessions = list(sessions)
    _validate_sessions(event, sessions)
    try:
        with transaction.atomic():
            event, sessions = _lock(event, sessions)
            state = event.registration_state()
            if state not in (RegistrationState.OPEN, RegistrationState.FULL):
                raise RegistrationError(RegistrationState(state).label)
            if (
                Registration.objects.active()
                .filter(event=event, email__iexact=data["email"])
                .exists()
            ):
                raise RegistrationError(
                    _(
                        "Met dit e-mailadres is al iemand aangemeld voor dit evenement. Kijk in uw "
                        "e-mail voor de bevestiging met de link om uw aanmelding te bekijken."
                    ),
                    field="email",
                )
            room = _has_room(event, sessions)
            if race_window is not None:
                race_window()
            now = timezone.now()
            registration = Registration.objects.create(
                event=event,
                status=Registration.Status.CONFIRMED if room else Registration.Status.WAITING,
                confirmed_at=now if room else None,
                consent_at=now,
                **data,
            )
            registration.sessions.set(sessions)
            _schedule_mail(registration, "registered")
    except IntegrityError:
        # The constraint caught a simultaneous duplicate that the check above could not see.
        raise RegistrationError(
            _("Met dit e-mailadres is al iemand aangemeld voor dit evenement."), field="email"
        ) from None
    return registration


def cancel(*, token: str) -> Registration:
    """Cancel by the registrant's secret token; the first on the waiting list gets the place."""
    with transaction.atomic():
        registration = Registration.objects.select_related("event").get(token=token)
        event, _sessions = _lock(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if not registration.is_active:
            return registration
        was_confirmed = registration.status == Registration.Status.CONFIRMED
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        _schedule_mail(registration, "cancelled")
        if was_confirmed and not event.has_started:
            promote_waiting(event)
    return registration


def promote_waiting(event: Event) -> list[Registration]:
    """Give free places to the waiting list, first come first served.

    Someone whose chosen session is still full is passed over (and keeps their place in line)
    rather than blocking everyone behind them. Call inside a transaction holding the event lock.
    """
    promoted = []
    for waiting in (
        Registration.objects.waiting_in_order().filter(event=event).prefetch_related("sessions")
    ):
        _event, sessions = _lock(event, waiting.sessions.all())
        if event.capacity is not None and not _has_room(event, []):
            break
        if _has_room(event, sessions):
            _confirm(waiting)
            promoted.append(waiting)
    return promoted


def promote(*, registration: Registration) -> Registration:
    """An editor moves someone from the waiting list by hand (also beyond capacity)."""
    with transaction.atomic():
        _lock(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Registration.Status.WAITING:
            _confirm(registration)
    return registration


def _confirm(registration: Registration) -> None:
    registration.status = Registration.Status.CONFIRMED
    registration.confirmed_at = timezone.now()
    registration.save(update_fields=["status", "confirmed_at"])
    _schedule_mail(registration, "promoted")


def _schedule_mail(registration: Registration, reason: str) -> None:
    """Queue the mail in the outbox, in this transaction; it is sent once the transaction
    commits, and `manage.py send_pending_mails` retries it after a mail server failure."""
    mails.queue_registration_mail(registration, reason)


def check_in(*, registrations: Iterable[Registration]) -> int:
    now = timezone.now()
    ids = [registration.pk for registration in registrations]
    return Registration.objects.filter(
        pk__in=ids, status=Registration.Status.CONFIRMED, checked_in_at__isnull=True
    ).update(checked_in_at=now)


ANONYMOUS_NAME = "—"


def anonymise(registrations) -> int:
    """Remove personal data; keep status, sessions, organisation, dates and counts."""
    count = 0
    now = timezone.now()
    for registration in registrations.filter(anonymised_at__isnull=True):
        registration.name = ANONYMOUS_NAME
        registration.email = f"geanonimiseerd-{registration.pk}@ikpob.invalid"
        registration.job_title = ""
        registration.needs = ""
        registration.anonymised_at = now
        registration.save(update_fields=["name", "email", "job_title", "needs", "anonymised_at"])
        count += 1
    return count
