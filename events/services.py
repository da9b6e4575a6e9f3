"""The registration write path: the one place where places are handed out.

Every change that can free or take a place runs in one transaction that first locks the
event row (then the chosen sessions, in primary-key order, so two transactions never wait on
each other crosswise). Counting and writing under that lock is what makes overbooking
impossible, also with many simultaneous submits on PostgreSQL. Mails go out only after commit.

Every rule about places lives here: who gets one, who moves up from the waiting list, when
cancelling is no longer possible, and when personal data goes. The registrant's page, the
admin and the purge command all call these functions and write no registration fields
themselves.
"""

import datetime
from collections.abc import Iterable
from typing import NamedTuple

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import IntegrityError, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from django.utils.translation import gettext as _

from events import mails
from events.models import Event, Registration, RegistrationState, Session, new_checkin_code


class RegistrationError(Exception):
    """A registration that cannot be made, with a message for the visitor."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _lock(event: Event, sessions: Iterable[Session] = ()) -> tuple[Event, list[Session]]:
    """Lock the event row, then the given sessions in primary-key order; return them fresh.

    The locks last until the surrounding transaction ends. Outside one (autocommit) they would
    be released as soon as the query returned and the count after it would race, so this
    refuses to run there, like pretix's `lock_objects`.
    """
    if not transaction.get_connection().in_atomic_block:
        raise TransactionManagementError(
            "events.services._lock() must run inside transaction.atomic(): outside a "
            "transaction its row locks end at once and the places could be overbooked."
        )
    locked_event = Event.objects.select_for_update().get(pk=event.pk)
    session_ids = sorted({session.pk for session in sessions})
    locked_sessions = list(
        Session.objects.select_for_update()
        .filter(pk__in=session_ids, event=locked_event)
        .order_by("pk")
    )
    return locked_event, locked_sessions


def _has_room(event: Event, sessions: list[Session]) -> bool:
    """Whether the event and each chosen session still have a place.

    Pass the rows `_lock` returned: they carry no annotated counts, so `places_left` counts
    the places taken afresh, under the lock.
    """
    return all(place.places_left() != 0 for place in (event, *sessions))


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
            now = timezone.now()
            registration = Registration.objects.create(
                event=event,
                status=Registration.Status.CONFIRMED if room else Registration.Status.WAITING,
                confirmed_at=now if room else None,
                consent_at=now,
                checkin_code=_free_checkin_code(event),
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
    """Cancel by the registrant's secret token (their personal page); see `cancel_registration`."""
    return cancel_registration(registration=Registration.objects.get(token=token))


def cancel_registration(*, registration: Registration) -> Registration:
    """Cancel one registration; a freed place goes to the first on the waiting list.

    Used by the registrant's page and by the admin (an editor's delete or cancel action), so
    both promote and mail alike. Cancelling twice changes nothing the second time. Raises
    RegistrationError once the event has started: from then on the list is what it is.
    """
    with transaction.atomic():
        event, _sessions = _lock(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if not registration.is_active:
            return registration
        if event.has_started:
            raise RegistrationError(_("Het evenement is al begonnen. Annuleren kan niet meer."))
        was_confirmed = registration.status == Registration.Status.CONFIRMED
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        _schedule_mail(registration, "cancelled")
        if was_confirmed:
            _promote_waiting(event)
    return registration


def _promote_waiting(event: Event) -> list[Registration]:
    """Give free places to the waiting list, first come first served.

    Someone whose chosen session is still full is passed over (and keeps their place in line)
    rather than blocking everyone behind them. Call inside a transaction holding the event lock.
    """
    promoted = []
    for waiting in (
        Registration.objects.waiting_in_order().filter(event=event).prefetch_related("sessions")
    ):
        _event, sessions = _lock(event, waiting.sessions.all())
        if not _has_room(event, []):
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


def _free_checkin_code(event: Event) -> str:
    """A check-in code no other registration of `event` has. Call under the event lock: no
    other registration for this event can take the same code before this one is saved."""
    taken = set(Registration.objects.filter(event=event).values_list("checkin_code", flat=True))
    code = new_checkin_code()
    while code in taken:
        code = new_checkin_code()
    return code


def check_in(*, registration: Registration, by) -> Registration:
    """Mark one person as present at the door; `by` is the staff member (recorded).

    Only a confirmed registration holds a place, so only that can be checked in. Marking
    someone twice (a double tap, two tablets) keeps the first time. Only the registration row
    is locked: checking in takes or frees no place, so it need not wait for the event lock,
    and a cancellation that committed first is seen here (the status is read under the lock).
    Raises RegistrationError for anyone without a confirmed place.
    """
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
        )
        if registration.status != Registration.Status.CONFIRMED:
            raise RegistrationError(
                _("%(name)s heeft geen bevestigde plaats (%(status)s) en kan niet aanwezig "
                  "worden gemeld.")
                % {"name": registration.name, "status": registration.get_status_display().lower()}
            )  # fmt: skip
        if registration.checked_in_at is None:
            registration.checked_in_at = timezone.now()
            registration.checked_in_by = by
            registration.save(update_fields=["checked_in_at", "checked_in_by"])
            _log(registration, by, _("Aanwezig gemeld."))
    return registration


def undo_check_in(*, registration: Registration, by) -> Registration:
    """Take back a check-in made by mistake; again a no-op when there is nothing to undo."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
        )
        if registration.checked_in_at is not None:
            registration.checked_in_at = None
            registration.checked_in_by = None
            registration.save(update_fields=["checked_in_at", "checked_in_by"])
            _log(registration, by, _("Aanwezigheid ongedaan gemaakt."))
    return registration


def _log(registration: Registration, user, message: str) -> None:
    """Who checked in whom, in the admin's history of the registration (its own page), in the
    same transaction as the change."""
    if user is None:
        return
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[registration],
        action_flag=CHANGE,
        change_message=message,
        single_object=True,
    )


ANONYMOUS_NAME = "—"


class Purged(NamedTuple):
    needs_cleared: int
    anonymised: int


def purge(*, retention_days: int) -> Purged:
    """Personal data goes, statistics stay (run daily).

    Needs (accessibility, diet) are cleared as soon as an event has ended; names, e-mail
    addresses and job titles go `retention_days` after it ended. Status, sessions,
    organisation, dates and check-ins stay, so the counts stay right.
    """
    now = timezone.now()
    with transaction.atomic():
        needs_cleared = (
            Registration.objects.filter(event__ends_at__lt=now).exclude(needs="").update(needs="")
        )
        expired = Registration.objects.filter(
            event__ends_at__lt=now - datetime.timedelta(days=retention_days)
        )
        anonymised = _anonymise(expired, now=now)
    return Purged(needs_cleared=needs_cleared, anonymised=anonymised)


def _anonymise(registrations, *, now: datetime.datetime) -> int:
    """Remove personal data; keep status, sessions, organisation, dates and counts."""
    count = 0
    for registration in registrations.filter(anonymised_at__isnull=True):
        registration.name = ANONYMOUS_NAME
        registration.email = f"geanonimiseerd-{registration.pk}@ikpob.invalid"
        registration.job_title = ""
        registration.needs = ""
        registration.anonymised_at = now
        registration.save(update_fields=["name", "email", "job_title", "needs", "anonymised_at"])
        count += 1
    return count
