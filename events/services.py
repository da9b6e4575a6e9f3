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
import hmac
from collections.abc import Iterable
from functools import partial
from typing import NamedTuple

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from django.utils.translation import gettext as _

from events import abuse, mails
from events.models import (
    Event,
    Invitation,
    Registration,
    RegistrationState,
    Session,
    new_checkin_code,
    places_scope,
)
from ikpob_portal.platform import cache as page_cache
from ikpob_portal.platform.email_addresses import normalise_stored_email


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
    if not session_ids:
        # Most registrations choose no session: nothing to lock, and no query to build.
        return locked_event, []
    locked_sessions = list(
        Session.objects.select_for_update()
        .filter(pk__in=session_ids, event=locked_event)
        .order_by("pk")
    )
    return locked_event, locked_sessions


def _has_room(event: Event, sessions: list[Session]) -> bool:
    """Whether the event and each chosen session still have a place.

    Pass the rows `_lock` returned: they carry no annotated counts, so `places_left` counts
    the places taken afresh, under the lock (or what was counted under it).
    """
    return all(place.places_left() != 0 for place in (event, *sessions))


def _validate_sessions(event: Event, sessions: list[Session]) -> None:
    slots = [session.slot for session in sessions]
    if len(slots) != len(set(slots)):
        raise RegistrationError(_("Kies per ronde hoogstens één sessie."), field="sessions")
    if any(session.event_id != event.pk for session in sessions):
        raise RegistrationError(_("Deze sessie hoort niet bij dit evenement."), field="sessions")


def normalise_group_code(code: str) -> bytes:
    """A group code as compared: without spaces, case-folded (people retype it from a mail)."""
    return "".join(code.split()).casefold().encode()


def group_code_matches(event: Event, code: str) -> bool:
    """Whether `code` is the event's group code; in constant time, so the answer's timing
    does not tell how much of a guess was right."""
    if not event.group_code or not code.strip():
        return False
    return hmac.compare_digest(normalise_group_code(code), normalise_group_code(event.group_code))


def _check_access(
    event: Event, invitation: Invitation | None, group_code: str
) -> Invitation | None:
    """The invitation this registration uses (locked, still SENT), or None when the event is
    open or the group code was given. Raises RegistrationError when the event asks for an
    invitation or code that is missing, wrong or used. Call under the event lock."""
    if invitation is not None and event.access != Event.Access.CLOSED:
        locked = Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
        if locked is not None and locked.event_id == event.pk:
            locked.event = event
            if locked.effective_state == Invitation.State.SENT:
                return locked
            if event.access == Event.Access.INVITATION and not group_code:
                raise RegistrationError(invitation_unusable_message(locked))
    if event.access == Event.Access.OPEN:
        return None  # an invitation to an open event that cannot be used is simply not linked
    if group_code_matches(event, group_code):
        return None
    if group_code:
        raise RegistrationError(
            _("Deze groepscode klopt niet. Controleer de code en probeer het opnieuw."),
            field="group_code",
        )
    if event.access == Event.Access.CLOSED:
        raise RegistrationError(
            _("Dit is een besloten bijeenkomst. Aanmelden kan alleen met de groepscode."),
            field="group_code",
        )
    if event.group_code:
        raise RegistrationError(
            _(
                "Aanmelden voor dit evenement kan alleen op uitnodiging. Gebruik de link uit uw "
                "uitnodiging of vul de groepscode in."
            ),
            field="group_code",
        )
    raise RegistrationError(
        _(
            "Aanmelden voor dit evenement kan alleen op uitnodiging. Gebruik de persoonlijke "
            "link uit uw uitnodiging."
        )
    )


def invitation_unusable_message(invitation: Invitation) -> str:
    """Why this invitation opens no registration (any more), for its link's page."""
    state = invitation.effective_state
    if state == Invitation.State.REGISTERED:
        return _(
            "Deze uitnodiging is al gebruikt om aan te melden. Uw aanmelding bekijkt u via de "
            "link in de bevestigingsmail."
        )
    if state == Invitation.State.DECLINED:
        return _(
            "U heeft deze uitnodiging afgeslagen. Wilt u toch komen? Neem dan contact op met "
            "de organisatie."
        )
    return _("Deze uitnodiging is verlopen: aanmelden is gesloten.")


def register(
    *,
    event: Event,
    data: dict,
    sessions: Iterable[Session] = (),
    invitation: Invitation | None = None,
    group_code: str = "",
) -> Registration:
    """Register one person: CONFIRMED while places are left, else WAITING.

    `data` holds name, email, organisation, job_title and needs. For an event on invitation
    or a closed group, `invitation` (still unused) or `group_code` must open the door; a used
    invitation is marked REGISTERED in the same transaction, so it serves once. Raises
    RegistrationError when registration is not possible (closed, no valid invitation or code,
    duplicate email, invalid sessions).
    """
    # Stored and compared in its normal form, so lookalike addresses meet the constraint.
    data = {**data, "email": normalise_stored_email(data["email"])}
    sessions = list(sessions)
    _validate_sessions(event, sessions)
    try:
        with transaction.atomic():
            event, sessions = _lock(event, sessions)
            # Counted once under the lock, for the state and the room check below.
            event.confirmed_count = event.confirmed_places()
            state = event.registration_state()
            if state not in (RegistrationState.OPEN, RegistrationState.FULL):
                raise RegistrationError(RegistrationState(state).label)
            invitation = _check_access(event, invitation, group_code)
            if (
                # An unverified registration keeps its address too (the constraint says so).
                Registration.objects.filter(
                    event=event,
                    status__in=Registration.ADDRESS_TAKEN_STATUSES,
                    email__iexact=data["email"],
                ).exists()
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
            if event.confirm_email:
                # Nothing is confirmed until the link in the mail is clicked; a place (when
                # there is one) is held until then, for a short while.
                status = Registration.Status.UNVERIFIED
                hold_until = now + datetime.timedelta(minutes=settings.REGISTRATION_HOLD_MINUTES)
                confirmed_at = None
            else:
                status = Registration.Status.CONFIRMED if room else Registration.Status.WAITING
                hold_until = None
                confirmed_at = now if room else None
            registration = Registration.objects.create(
                event=event,
                status=status,
                confirmed_at=confirmed_at,
                hold_until=hold_until if room else None,
                consent_at=now,
                checkin_code=_free_checkin_code(event),
                **data,
            )
            if sessions:  # a new registration: nothing to replace, so no `set()`
                registration.sessions.add(*sessions)
            if invitation is not None:
                # The address used may differ from the invited one (a work or private
                # address): the link is personal, not the mailbox. The invitation stays linked
                # to this registration, so editors see who came on which invitation.
                invitation.state = Invitation.State.REGISTERED
                invitation.registration = registration
                invitation.answered_at = now
                invitation.save(update_fields=["state", "registration", "answered_at"])
            _schedule_mail(
                registration, "verify" if event.confirm_email else "registered", new=True
            )
            # Counted under the event lock, so one burst gives one alert.
            abuse.check_rate(event, now=now)
    except IntegrityError:
        # The constraint caught a simultaneous duplicate that the check above could not see.
        raise RegistrationError(
            _("Met dit e-mailadres is al iemand aangemeld voor dit evenement."), field="email"
        ) from None
    return registration


def verify(*, registration: Registration) -> Registration:
    """The registrant clicked the link in the "confirm your address" mail and pressed the
    button: the registration becomes CONFIRMED while its place is still held (or a place is
    free), else WAITING; then the normal confirmation or waiting-list mail goes out. Verifying
    twice changes nothing the second time."""
    with transaction.atomic():
        sessions = list(registration.sessions.all())
        event, sessions = _lock(registration.event, sessions)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != Registration.Status.UNVERIFIED:
            return registration
        state = event.registration_state()
        if state not in (RegistrationState.OPEN, RegistrationState.FULL):
            raise RegistrationError(RegistrationState(state).label)
        now = timezone.now()
        held = registration.hold_until is not None and registration.hold_until > now
        # An unexpired hold is already counted among the places taken: the place is theirs.
        room = held or _has_room(event, sessions)
        registration.status = Registration.Status.CONFIRMED if room else Registration.Status.WAITING
        registration.confirmed_at = now if room else None
        registration.hold_until = None
        registration.save(update_fields=["status", "confirmed_at", "hold_until"])
        _schedule_mail(registration, "registered")
    return registration


def release_expired_holds() -> int:
    """Scheduled (`events.expired_holds`, with the outbox's other jobs): a place held for an
    unconfirmed address whose time ran out goes to the waiting list, and unconfirmed
    registrations older than UNVERIFIED_REGISTRATION_HOURS are deleted (nobody confirmed the
    address: the data was never the registrant's to keep). Safe to run twice or on two
    machines: each event is handled under its lock, and a released hold is marked (hold_until
    emptied) in the same transaction. Returns the number of mails queued (promotions)."""
    now = timezone.now()
    too_old = now - datetime.timedelta(hours=settings.UNVERIFIED_REGISTRATION_HOURS)
    unverified = Registration.objects.filter(status=Registration.Status.UNVERIFIED)
    event_ids = set(
        unverified.filter(Q(hold_until__lte=now) | Q(created__lt=too_old)).values_list(
            "event_id", flat=True
        )
    )
    queued = 0
    for event in Event.objects.filter(pk__in=sorted(event_ids)).order_by("pk"):
        with transaction.atomic():
            event, _sessions = _lock(event)
            mine = unverified.filter(event=event)
            expired = mine.filter(created__lt=too_old)
            # An invitation used for a registration nobody confirmed can be used again.
            Invitation.objects.filter(registration__in=expired).update(
                state=Invitation.State.SENT, registration=None, answered_at=None
            )
            _total, by_model = expired.delete()
            deleted = by_model.get(Registration._meta.label, 0)
            released = mine.filter(hold_until__lte=now).update(hold_until=None)
            if released:
                # update() sends no save signal: stored pages that show places left are stale.
                transaction.on_commit(partial(page_cache.bump, places_scope(event.pk)))
            if (deleted or released) and not event.has_started:
                queued += len(_promote_waiting(event))
    return queued


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


def change_sessions(*, registration: Registration, sessions: Iterable[Session]) -> Registration:
    """The registrant chooses other sessions (one per round) before the event starts.

    Under the event lock, like every write that takes or frees places: a newly chosen session
    that is full is refused and nothing changes. A session left by a confirmed registrant has
    a place free, which may let someone on the waiting list in; a registrant still waiting may
    be let in by the new choice.
    """
    sessions = list(sessions)
    _validate_sessions(registration.event, sessions)
    with transaction.atomic():
        old = list(registration.sessions.all())
        event, locked = _lock(registration.event, [*old, *sessions])
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        _check_changeable(registration, event)
        old_ids = set(registration.sessions.values_list("pk", flat=True))
        new_ids = {session.pk for session in sessions}
        if old_ids == new_ids:
            return registration
        chosen = [session for session in locked if session.pk in new_ids - old_ids]
        full = _full_sessions(chosen)
        if full:
            raise RegistrationError(
                _("Deze sessie is vol: %(title)s. Kies een andere sessie of houd uw keuze.")
                % {"title": full[0].title},
                field=f"ronde_{full[0].slot}",
            )
        registration.sessions.set(sorted(new_ids))
        if registration.status == Registration.Status.WAITING or old_ids - new_ids:
            _promote_waiting(event)
        registration.refresh_from_db(fields=["status", "confirmed_at"])
    return registration


def _full_sessions(sessions: list[Session]) -> list[Session]:
    """Of the locked `sessions`, those without a place left (counted afresh, under the lock)."""
    return [session for session in sessions if session.places_left() == 0]


def update_needs(*, registration: Registration, needs: str) -> Registration:
    """The registrant changes their wishes for accessibility or food (before the start)."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
        )
        _check_changeable(registration, registration.event)
        if registration.needs != needs:
            registration.needs = needs
            registration.save(update_fields=["needs"])
    return registration


def _check_changeable(registration: Registration, event: Event) -> None:
    if not registration.is_active:
        raise RegistrationError(_("Deze aanmelding is geannuleerd en kan niet meer wijzigen."))
    if event.has_started:
        raise RegistrationError(_("Het evenement is al begonnen. Wijzigen kan niet meer."))


def _promote_waiting(event: Event) -> list[Registration]:
    """Give free places to the waiting list, first come first served.

    Someone whose chosen session is still full is passed over (and keeps their place in line)
    rather than blocking everyone behind them. Nobody moves up once the waiting list has closed,
    shortly before the start (`Event.waiting_list_closes_at`): the freed place stays free.
    Call inside a transaction holding the event lock.
    """
    promoted = []
    if event.waiting_list_closed():
        return promoted
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


def _schedule_mail(registration: Registration, reason: str, *, new: bool = False) -> None:
    """Queue the mail in the outbox, in this transaction; it is sent once the transaction
    commits, and `manage.py send_pending_mails` retries it after a mail server failure.
    A `new` registration has no earlier mail for the new one to replace (one query less)."""
    if new:
        mails.queue_registration_mail(registration, reason, replaces=())
    else:
        mails.queue_registration_mail(registration, reason)


def _free_checkin_code(event: Event) -> str:
    """A check-in code no other registration of `event` has. Call under the event lock: no
    other registration for this event can take the same code before this one is saved."""
    # One indexed lookup (the unique constraint on event and code), however many registered:
    # a clash is rare (32^6 codes), so this nearly always asks once.
    code = new_checkin_code()
    while Registration.objects.filter(event=event, checkin_code=code).exists():
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
    invitations_erased: int = 0


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
        invitations_erased = _erase_invitation_addresses(
            Invitation.objects.filter(
                event__ends_at__lt=now - datetime.timedelta(days=retention_days)
            )
        )
    return Purged(
        needs_cleared=needs_cleared, anonymised=anonymised, invitations_erased=invitations_erased
    )


ERASED_DOMAIN = "@ikpob.invalid"


def _erase_invitation_addresses(invitations) -> int:
    """Invited addresses go with the registrations; state and counts stay."""
    count = 0
    for invitation in invitations.exclude(email__endswith=ERASED_DOMAIN):
        invitation.email = f"geanonimiseerd-uitnodiging-{invitation.pk}{ERASED_DOMAIN}"
        invitation.save(update_fields=["email"])
        count += 1
    return count


def _anonymise(registrations, *, now: datetime.datetime) -> int:
    """Remove personal data; keep status, sessions, organisation, dates and counts."""
    count = 0
    for registration in registrations.filter(anonymised_at__isnull=True):
        registration.name = ANONYMOUS_NAME
        registration.email = f"geanonimiseerd-{registration.pk}{ERASED_DOMAIN}"
        registration.job_title = ""
        registration.needs = ""
        registration.anonymised_at = now
        registration.save(update_fields=["name", "email", "job_title", "needs", "anonymised_at"])
        count += 1
    return count
