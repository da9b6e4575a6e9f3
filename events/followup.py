"""The message after an event: to the attendees, once each, through the outbox.

An editor sends it from the admin (a confirm page, then `queue_followup`) or schedules it
(`Event.followup_send_at`, queued by `queue_due`, which `manage.py send_pending_mails` runs).
Both may run for the same event, twice, or on two machines at once: each recipient is marked
(`Registration.followup_queued_at`) by a conditional UPDATE, only where it is still empty, in the
transaction of the outbox row. Whoever marks the row queues the mail; anyone after finds it
marked, so every attendee gets the message exactly once.
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from events.models import Event, Registration, RegistrationQuerySet
from ikpob_portal.kernel import moments, outbox
from ikpob_portal.kernel.models import OutgoingMail

FOLLOWUP = "events.followup"
SUBJECT = "Na afloop van %(title)s"


def recipients(event: Event) -> RegistrationQuerySet:
    """Those checked in at the door; when nobody was (no check-in at this event), everyone
    with a confirmed place. Never the waiting list or the cancelled."""
    confirmed = Registration.objects.taking_places().filter(event=event, anonymised_at__isnull=True)
    checked_in = confirmed.filter(checked_in_at__isnull=False)
    return checked_in if checked_in.exists() else confirmed


def queue_followup(event: Event, now: datetime.datetime | None = None) -> int:
    """Queue the follow-up for every recipient who has not had it yet; returns how many.

    Nothing before the event has ended. Recipients are marked in primary-key order, so two
    runs at once wait for each other row by row instead of deadlocking."""
    now = now or timezone.now()
    if event.ends_at > now:
        return 0
    queued = 0
    with transaction.atomic():
        for registration in (
            recipients(event).filter(followup_queued_at__isnull=True).order_by("pk")
        ):
            marked = Registration.objects.filter(
                pk=registration.pk, followup_queued_at__isnull=True
            ).update(followup_queued_at=now)
            if marked:
                outbox.enqueue(FOLLOWUP, registration)
                queued += 1
    return queued


def queue_due(now: datetime.datetime | None = None) -> int:
    """Queue the scheduled follow-ups whose moment has come (run by send_pending_mails)."""
    now = now or timezone.now()
    due = Event.objects.filter(followup_send_at__lte=now, ends_at__lte=now).filter(
        registrations__followup_queued_at__isnull=True,
        registrations__status=Registration.Status.CONFIRMED,
        registrations__anonymised_at__isnull=True,
    )
    return sum(queue_followup(event, now) for event in due.distinct())


def send_followup(mail: OutgoingMail) -> bool:
    """The sender for the outbox: Dutch, plain text and HTML, read as the event is now."""
    registration = Registration.objects.select_related("event").filter(pk=mail.object_id).first()
    if (
        registration is None
        or registration.anonymised_at
        or registration.status != Registration.Status.CONFIRMED
    ):
        return False
    with translation.override("nl"):
        message(registration).send()
    return True


def message(registration: Registration) -> EmailMultiAlternatives:
    event = registration.event
    token = registration.token
    context = {
        "registration": registration,
        "event": event,
        "when": moments.period(event.starts_at, event.ends_at),
        "event_url": settings.SITE_URL + event.get_absolute_url(),
        "publications": [
            (publication.title, settings.SITE_URL + publication.get_absolute_url())
            for publication in event.publications.published().order_by("title")
        ],
        "evaluation_url": (
            settings.SITE_URL + reverse("registrations:evaluation", args=[token])
            if registration.can_evaluate()
            else ""
        ),
        "evaluation_deadline": moments.day(event.evaluation_deadline),
        "certificate_url": (
            settings.SITE_URL + reverse("registrations:certificate", args=[token])
            if registration.has_certificate
            else ""
        ),
    }
    mail = EmailMultiAlternatives(
        subject=SUBJECT % {"title": event.title},
        body=render_to_string("events/email/followup.txt", context),
        to=[registration.email],
    )
    mail.attach_alternative(render_to_string("events/email/followup.html", context), "text/html")
    return mail


def register() -> None:
    """Called once from `events.declarations.register()`."""
    outbox.register_sender(FOLLOWUP, send_followup)
    outbox.register_scheduled(FOLLOWUP, queue_due)
