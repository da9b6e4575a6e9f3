"""Personal invitations to an event on invitation: sending them, declining, and their mail.

An editor pastes (or uploads) a list of addresses in the admin; `invite` makes one Invitation
and one outbox mail per new address in one transaction. The mail carries the personal link
(the register page with `?uitnodiging=<token>`); registering with it goes through
`services.register`, which uses the invitation once. The link's page also offers to decline.
`EventsConfig.ready()` registers the mail's sender (`register`).
"""

import re
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode

from events.models import Event, Invitation
from ikpob_portal.kernel import moments, outbox
from ikpob_portal.kernel.models import OutgoingMail
from ikpob_portal.platform.email_addresses import normalise_email, normalise_stored_email

INVITATION_MAIL = "events.invitation"

# One address a line, or separated by commas or semicolons (as mail programs and spreadsheets
# copy them); surrounding spaces and a "Name <address>" wrapper are forgiven.
_SEPARATORS = re.compile(r"[\n\r,;]+")
_ANGLE = re.compile(r"<([^<>]*)>\s*$")


class ParsedAddresses(NamedTuple):
    valid: list[str]
    invalid: list[str]


def parse_addresses(text: str) -> ParsedAddresses:
    """The addresses in `text` in their normal form, each once (compared case-insensitively,
    so `Dup@Example.org` and `dup@ｅxample.org` are one), and the lines that are no usable
    e-mail address (quoted, invisible characters, no address at all), as typed."""
    valid: dict[str, str] = {}
    invalid: list[str] = []
    for raw in _SEPARATORS.split(text):
        item = raw.strip().strip("\"'")
        if not item:
            continue
        wrapped = _ANGLE.search(item)
        address = (wrapped.group(1) if wrapped else item).strip()
        try:
            address = normalise_email(address)
        except ValidationError:
            invalid.append(item)
            continue
        valid.setdefault(address.casefold(), address)
    return ParsedAddresses(list(valid.values()), invalid)


class Invited(NamedTuple):
    invited: list[str]
    already: list[str]


def invite(*, event: Event, addresses: list[str]) -> Invited:
    """Invite each address once: addresses already invited for `event` are skipped and
    reported. One transaction: the invitations and their mails commit together."""
    with transaction.atomic():
        # The event row lock makes two editors sending at once wait for each other, so the
        # "already invited" check below sees the other's invitations.
        Event.objects.select_for_update().get(pk=event.pk)
        existing = {
            normalise_stored_email(email).casefold()
            for email in Invitation.objects.filter(event=event).values_list("email", flat=True)
        }
        invited, already = [], []
        now = timezone.now()
        for address in addresses:
            address = normalise_stored_email(address)
            if address.casefold() in existing:
                already.append(address)
                continue
            invitation = Invitation.objects.create(event=event, email=address, sent_at=now)
            outbox.enqueue(INVITATION_MAIL, invitation)
            existing.add(address.casefold())
            invited.append(address)
    return Invited(invited, already)


def decline(*, invitation: Invitation) -> Invitation:
    """ "Ik kom niet": an unused invitation is declined; anything else stays as it is."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("event").get(pk=invitation.pk)
        )
        if invitation.effective_state == Invitation.State.SENT:
            invitation.state = Invitation.State.DECLINED
            invitation.answered_at = timezone.now()
            invitation.save(update_fields=["state", "answered_at"])
    return invitation


def invitation_path(invitation: Invitation) -> str:
    """The personal link: the event's register page with the invitation's token."""
    url = reverse("events:register", kwargs={"slug": invitation.event.slug})
    return f"{url}?{urlencode({'uitnodiging': invitation.token})}"


def register() -> None:
    """Called once from `EventsConfig.ready()` (through the app's declarations)."""
    outbox.register_sender(INVITATION_MAIL, send_invitation_mail)


def send_invitation_mail(mail: OutgoingMail) -> bool:
    """The invitation (Dutch, text and HTML): what, when, where and the personal link."""
    invitation = Invitation.objects.select_related("event").filter(pk=mail.object_id).first()
    if invitation is None or invitation.effective_state != Invitation.State.SENT:
        return False  # deleted, answered or expired before the mail went out
    event = invitation.event
    with translation.override("nl"):
        context = {
            "invitation": invitation,
            "event": event,
            "invitation_url": settings.SITE_URL + invitation_path(invitation),
            "event_url": settings.SITE_URL + event.get_absolute_url(),
            "when": moments.period(event.starts_at, event.ends_at),
            "location": event.location_text(),
            "closes": moments.moment(event.closes_at),
        }
        message = EmailMultiAlternatives(
            subject=f"Uitnodiging: {event.title}",
            body=render_to_string("events/email/invitation.txt", context),
            to=[invitation.email],
        )
        message.attach_alternative(
            render_to_string("events/email/invitation.html", context), "text/html"
        )
        message.send()
    return True
