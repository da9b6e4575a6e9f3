"""Mail to registrants, sent through django.tasks after the registration is committed."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation

from events import calendar
from events.models import Registration

SUBJECTS = {
    ("registered", Registration.Status.CONFIRMED): "Bevestiging van uw aanmelding: %(title)s",
    ("registered", Registration.Status.WAITING): "U staat op de wachtlijst: %(title)s",
    ("promoted", Registration.Status.CONFIRMED): "Er is een plaats voor u: %(title)s",
    ("cancelled", Registration.Status.CANCELLED): "Uw aanmelding is geannuleerd: %(title)s",
}


@task
def send_registration_mail(registration_id: int, reason: str) -> None:
    """Confirmation, waiting-list, promotion or cancellation mail (Dutch, text and HTML).

    Sent only while the registration's `pending_mail` note still names `reason`, and the note
    is cleared in the same transaction: a copy of this task enqueued again by
    `send_pending_mails` while the first still waited in a worker's queue sends nothing.
    """
    with transaction.atomic():
        # The row lock makes a second copy that runs at the same moment wait until this one
        # has sent and cleared the note (or failed and left it); it then finds nothing to do.
        # The lock is held while the SMTP server takes the mail, at most its timeout.
        claimed = Registration.objects.select_for_update().filter(
            pk=registration_id, pending_mail=reason
        )
        if not claimed.exists():
            return  # sent already, or superseded by a later mail (promoted, cancelled)
        # Dutch mail with links to the Dutch pages, whatever language the request had.
        with translation.override("nl"):
            _send_registration_mail(registration_id, reason)
        # Only now is the mail out; a failure above rolls back and leaves the note pending.
        Registration.objects.filter(pk=registration_id).update(pending_mail="")


def _send_registration_mail(registration_id: int, reason: str) -> None:
    registration = Registration.objects.select_related("event").get(pk=registration_id)
    if registration.anonymised_at:
        return
    subject = SUBJECTS.get((reason, registration.status))
    if subject is None:  # e.g. cancelled again before the promotion mail went out
        return
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "reason": reason,
        "sessions": list(registration.sessions.order_by("slot", "title")),
        "position": registration.waiting_position(),
        "registration_url": settings.SITE_URL + registration.get_absolute_url(),
        "event_url": settings.SITE_URL + event.get_absolute_url(),
        "location": calendar.location(event),
    }
    message = EmailMultiAlternatives(
        subject=subject % {"title": event.title},
        body=render_to_string("events/email/registration.txt", context),
        to=[registration.email],
    )
    message.attach_alternative(
        render_to_string("events/email/registration.html", context), "text/html"
    )
    if registration.status == Registration.Status.CONFIRMED:
        ics = calendar.calendar(
            [event],
            url_for=lambda item: context["event_url"],
            name=event.title,
            description=f"Uw aanmelding bekijken of annuleren: {context['registration_url']}",
        )
        message.attach(f"{event.slug}.ics", ics, "text/calendar; charset=utf-8; method=PUBLISH")
    message.send()


@task
def send_message_to_attendees(event_id: int, subject: str, body: str) -> int:
    """An editor's message to everyone confirmed for an event; one mail each (no shared To:)."""
    registrations = Registration.objects.filter(
        event_id=event_id, status=Registration.Status.CONFIRMED, anonymised_at__isnull=True
    )
    sent = 0
    for registration in registrations:
        EmailMultiAlternatives(subject=subject, body=body, to=[registration.email]).send()
        sent += 1
    return sent
