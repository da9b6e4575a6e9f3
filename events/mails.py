"""Mail to registrants, through the kernel's outbox: what each kind of mail says and attaches.

The service puts a row in the outbox in the transaction of the change (`queue_registration_mail`);
the outbox sends it after the commit by calling the sender registered here for its kind, which
reads the registration as it is then.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import get_random_string

from events import calendar, checkin
from events.models import Event, Registration, RegistrationState
from ikpob_portal.kernel import moments, outbox
from ikpob_portal.kernel.models import OutgoingMail

REASONS = ("registered", "promoted", "cancelled", "verify")
REGISTRATION_KINDS = tuple(f"events.registration.{reason}" for reason in REASONS)
ATTENDEE_MESSAGE = "events.attendees.message"

SUBJECTS = {
    ("registered", Registration.Status.CONFIRMED): "Bevestiging van uw aanmelding: %(title)s",
    ("registered", Registration.Status.WAITING): "U staat op de wachtlijst: %(title)s",
    ("promoted", Registration.Status.CONFIRMED): "Er is een plaats voor u: %(title)s",
    ("cancelled", Registration.Status.CANCELLED): "Uw aanmelding is geannuleerd: %(title)s",
    ("verify", Registration.Status.UNVERIFIED): "Bevestig uw e-mailadres: %(title)s",
}


def register() -> None:
    """Called once from `EventsConfig.ready()`."""
    for reason in REASONS:
        outbox.register_sender(
            f"events.registration.{reason}",
            lambda mail, reason=reason: send_registration_mail(mail.object_id, reason),
        )
    outbox.register_sender(ATTENDEE_MESSAGE, send_attendee_message)


def queue_registration_mail(
    registration: Registration, reason: str, *, replaces: tuple[str, ...] = REGISTRATION_KINDS
) -> None:
    """Queue the mail for `reason`; it replaces one still unsent for the same registration
    (a promotion replaces the waiting-list notice, a cancellation the confirmation)."""
    outbox.enqueue(f"events.registration.{reason}", registration, replaces=replaces)


def send_registration_mail(registration_id: int, reason: str) -> bool:
    """Confirmation, waiting-list, promotion or cancellation mail (Dutch, text and HTML)."""
    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None or registration.anonymised_at:
        return False
    subject = SUBJECTS.get((reason, registration.status))
    if subject is None:  # e.g. cancelled again before the promotion mail went out
        return False
    # Dutch mail with links to the Dutch pages, whatever language the request had.
    with translation.override("nl"):
        _registration_message(registration, reason, subject).send()
    return True


class MailWithInlineImages(EmailMultiAlternatives):
    """HTML mail whose images travel inside it (multipart/related, referenced by `cid:`), so
    mail clients show them without loading anything from the web."""

    def __init__(self, *args, inline_images: list[tuple[str, bytes]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.inline_images = list(inline_images)  # (content id, PNG)

    def _add_bodies(self, msg):
        msg = super()._add_bodies(msg)
        if self.inline_images:
            html = msg.get_body(preferencelist=("html",))
            for cid, png in self.inline_images:
                html.add_related(
                    png, maintype="image", subtype="png", cid=f"<{cid}>", disposition="inline"
                )
        return msg


def route_url(event: Event) -> str:
    """A route planner for the venue, built from its address (nothing is looked up)."""
    place = ", ".join(part for part in (event.venue_name, event.venue_address) if part)
    if not event.venue_address:
        return ""
    return "https://www.openstreetmap.org/search?" + urlencode({"query": place})


def mail_context(registration: Registration) -> dict:
    """What every personal mail about a registration shows: what, when, where, the sessions,
    the personal link and, for a confirmed place, how to take part online."""
    event = registration.event
    return {
        "registration": registration,
        "event": event,
        "sessions": list(registration.sessions.order_by("slot", "title")),
        "position": registration.waiting_position(),
        "registration_url": settings.SITE_URL + registration.get_absolute_url(),
        "event_url": settings.SITE_URL + event.get_absolute_url(),
        "when": moments.period(event.starts_at, event.ends_at),
        "location": event.location_text(),
        "route_url": route_url(event),
        # The join link, dial-in and access code are for those with a place only.
        "join": registration.status == Registration.Status.CONFIRMED and event.is_online,
        # The check-in code (and its QR image) is for the door: only where there is one.
        "door_code": registration.status == Registration.Status.CONFIRMED and event.is_in_person,
    }


def personal_message(
    registration: Registration, *, subject: str, template: str, context: dict
) -> EmailMultiAlternatives:
    """The mail `template` (.txt and .html) to one registrant; with a confirmed place also the
    appointment for their calendar (.ics), and for an event with a venue the check-in code's QR
    image."""
    event = registration.event
    confirmed = registration.status == Registration.Status.CONFIRMED
    # A content id of our own per mail: `cid:` references are unique within the message.
    door_code = context["door_code"]
    context = {**context, "qr_cid": f"qr-{get_random_string(12)}@ikpob" if door_code else ""}
    message = MailWithInlineImages(
        subject=subject % {"title": event.title},
        body=render_to_string(f"{template}.txt", context),
        to=[registration.email],
        # The QR code holds the check-in code for the scanner at the door, never the token.
        inline_images=[(context["qr_cid"], checkin.qr_png(registration))] if door_code else [],
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    if confirmed:
        personal = [
            "Bewaar deze link. Hiermee bekijkt of annuleert u uw aanmelding: "
            f"{context['registration_url']}"
        ]
        if context["join"] and event.online_url:
            personal.insert(0, f"Online meedoen: {event.online_url}")
        ics = calendar.calendar(
            [event],
            url_for=lambda item: context["event_url"],
            name=event.title,
            description="\n\n".join(personal),
        )
        message.attach(f"{event.slug}.ics", ics, "text/calendar; charset=utf-8; method=PUBLISH")
    return message


def _registration_message(
    registration: Registration, reason: str, subject: str
) -> EmailMultiAlternatives:
    event = registration.event
    context = {
        **mail_context(registration),
        "reason": reason,
        # After a cancellation: the way back in, while places or the waiting list allow.
        "register_again_url": (
            settings.SITE_URL + reverse("events:register", args=[event.slug])
            if reason == "cancelled"
            and event.is_published
            and event.public_form_usable  # an invitation serves once
            and event.registration_state() in (RegistrationState.OPEN, RegistrationState.FULL)
            else ""
        ),
        # An event that asks to confirm the address: the link to the page with the button.
        "verify_url": (
            settings.SITE_URL + reverse("registrations:verify", args=[verify_token(registration)])
            if reason == "verify"
            else ""
        ),
        "hold_until": (
            moments.moment(registration.hold_until)
            if reason == "verify" and registration.hold_until
            else ""
        ),
        # Moved up from the waiting list: giving the place back is one click away.
        "decline_url": (
            settings.SITE_URL + reverse("registrations:decline", args=[registration.token])
            if reason == "promoted"
            else ""
        ),
    }
    return personal_message(
        registration, subject=subject, template="events/email/registration", context=context
    )


VERIFY_SALT = "events.registration.verify"


def verify_token(registration: Registration) -> str:
    """The key in the "confirm your address" link: signed, so only the mailbox that got the
    mail has it. Not the registration's own token, which the browser that registered sees
    (the redirect to the personal page) and which would let a form-filler confirm an address
    that is not theirs."""
    return signing.dumps(registration.pk, salt=VERIFY_SALT)


def registration_from_verify_token(value: str) -> Registration | None:
    max_age = settings.UNVERIFIED_REGISTRATION_HOURS * 3600
    try:
        pk = signing.loads(value, salt=VERIFY_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return Registration.objects.select_related("event").filter(pk=pk).first()


def message_attendees(event: Event, subject: str, body: str) -> int:
    """An editor's message to everyone confirmed for an event: one outbox row, and so one
    mail, each (no shared To:). Returns the number of mails queued."""
    with transaction.atomic():
        registrations = Registration.objects.taking_places().filter(
            event=event, anonymised_at__isnull=True
        )
        count = 0
        for registration in registrations:
            outbox.enqueue(ATTENDEE_MESSAGE, registration, data={"subject": subject, "body": body})
            count += 1
    return count


def send_attendee_message(mail: OutgoingMail) -> bool:
    registration = Registration.objects.filter(pk=mail.object_id).first()
    if registration is None or registration.anonymised_at:
        return False
    EmailMultiAlternatives(
        subject=mail.data["subject"], body=mail.data["body"], to=[registration.email]
    ).send()
    return True
