"""Registration abuse: limits per event and per e-mail address, and the editors' alert.

The registration form can send IKPOB-branded mail to any address typed in it (issue 17). Beside
the single-use form token (ikpob_portal/platform/antispam.py) and the limit per visitor, a valid
submission counts against its event (a flood from many addresses stops there) and against its
e-mail address (one mailbox cannot be sent many mails). When an event receives registrations
at an unusual rate anyway, editors get a mail, at most once an hour per event, suggesting the
event's switch "e-mailadres laten bevestigen" (Event.confirm_email).
"""

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import Event, Registration
from ikpob_portal.kernel import outbox
from ikpob_portal.kernel.models import OutgoingMail
from ikpob_portal.platform import ratelimit
from ikpob_portal.platform.email_addresses import normalise_email

REGISTRATION_ALERT = "events.registration_alert"
ALERT_EVERY = datetime.timedelta(hours=1)

EVENT_LIMIT_MESSAGE = gettext_lazy(
    "Er komen op dit moment erg veel aanmeldingen binnen voor dit evenement. Probeer het over "
    "een uur opnieuw, of neem contact met ons op."
)
ADDRESS_LIMIT_MESSAGE = gettext_lazy(
    "Met dit e-mailadres is het afgelopen uur al te vaak aangemeld. Probeer het over een uur "
    "opnieuw."
)


def register() -> None:
    """Called once from `EventsConfig.ready()` (through the app's declarations)."""
    outbox.register_sender(REGISTRATION_ALERT, send_registration_alert)


def within_limits(form: forms.Form, event: Event) -> bool:
    """Count one valid submission against its event and its e-mail address (normalised);
    False, with a message on the form, once either is over its hourly limit. Only valid
    submissions count, so a stream of broken posts cannot lock an event's form."""
    window = ratelimit.FORM_WINDOW_SECONDS
    event_key = f"ratelimit:register-event:{event.pk}"
    if not ratelimit.allow_key(
        event_key, limit=settings.REGISTRATION_RATE_LIMIT_PER_EVENT_PER_HOUR, window_seconds=window
    ):
        form.add_error(None, EVENT_LIMIT_MESSAGE)
        return False
    try:
        address = normalise_email(form.cleaned_data.get("email", ""))
    except ValidationError:
        return True  # the form's own check refuses it
    address_key = ratelimit.hashed_key("register-address", address.casefold())
    if not ratelimit.allow_key(
        address_key,
        limit=settings.REGISTRATION_RATE_LIMIT_PER_ADDRESS_PER_HOUR,
        window_seconds=window,
    ):
        form.add_error("email", ADDRESS_LIMIT_MESSAGE)
        return False
    return True


def check_rate(event: Event, *, now: datetime.datetime) -> bool:
    """Warn editors when `event` received more than REGISTRATION_ALERT_COUNT registrations in
    the last REGISTRATION_ALERT_MINUTES (counted in the database, every status), at most once
    an hour. Call under the event lock (`services.register`), so two registrations at once
    cannot both decide to warn; the outbox row commits with the registration. True if queued."""
    since = now - datetime.timedelta(minutes=settings.REGISTRATION_ALERT_MINUTES)
    if event.registration_alert_at is not None and event.registration_alert_at > now - ALERT_EVERY:
        return False
    recent = Registration.objects.filter(event=event, created__gte=since).count()
    if recent <= settings.REGISTRATION_ALERT_COUNT:
        return False
    event.registration_alert_at = now
    # Only editors see this field: update() sends no save signal, so a rush that sets it does
    # not make every stored page stale (as saving an event does).
    Event.objects.filter(pk=event.pk).update(registration_alert_at=now)
    outbox.enqueue(
        REGISTRATION_ALERT,
        event,
        data={"count": recent, "minutes": settings.REGISTRATION_ALERT_MINUTES},
    )
    return True


def alert_is_recent(event: Event, now: datetime.datetime | None = None) -> bool:
    """Whether editors were warned about this event within the last hour (the admin banner)."""
    now = now or timezone.now()
    alerted = event.registration_alert_at
    return alerted is not None and alerted > now - ALERT_EVERY


def send_registration_alert(mail: OutgoingMail) -> bool:
    event = Event.objects.filter(pk=mail.object_id).first()
    if event is None:
        return False
    admin_url = settings.SITE_URL + reverse("admin:events_event_change", args=[event.pk])
    registrations_url = (
        settings.SITE_URL
        + reverse("admin:events_registration_changelist")
        + f"?event__id__exact={event.pk}"
    )
    # The editors read Dutch, whatever language the registrants used.
    with translation.override("nl"):
        send_mail(
            subject=_("Ongewoon veel aanmeldingen: %(title)s") % {"title": event.title},
            message=_(
                "Voor '%(title)s' kwamen %(count)s aanmeldingen binnen in %(minutes)s minuten. "
                "Dat is meer dan gewoonlijk: misschien gebruikt iemand het formulier om het "
                "evenement te vullen of om e-mail naar andere adressen te sturen.\n\n"
                "Bekijk de aanmeldingen: %(registrations_url)s\n\n"
                "Lijken ze niet echt? Zet dan bij het evenement 'e-mailadres laten bevestigen' "
                "aan: een aanmelding telt dan pas als de link in de e-mail is aangeklikt.\n"
                "%(admin_url)s\n\n"
                "U krijgt dit bericht hoogstens één keer per uur per evenement.\n"
            )
            % {
                "title": event.title,
                "count": mail.data.get("count", "?"),
                "minutes": mail.data.get("minutes", settings.REGISTRATION_ALERT_MINUTES),
                "registrations_url": registrations_url,
                "admin_url": admin_url,
            },
            from_email=None,
            recipient_list=[settings.EDITORS_EMAIL],
        )
    return True
