"""Mail to subscribers, through the kernel's outbox.

Every mail to a subscriber is built by `message()`: Dutch, text and HTML in the site's style
without remote images or trackers, a visible link to the preferences page and to unsubscribe,
and the `List-Unsubscribe` and `List-Unsubscribe-Post` headers (RFC 8058), so mail clients
offer one-click unsubscribe. The confirmation itself carries no unsubscribe header: nothing is
subscribed yet, and ignoring it is how to say no.
"""

import email.policy

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from ikpob_portal.kernel import outbox
from ikpob_portal.kernel.models import OutgoingMail
from ikpob_portal.subscriptions import choices
from ikpob_portal.subscriptions.models import Subscription

CONFIRM = "subscriptions.confirm"
ADDITIONS = "subscriptions.additions"


def register() -> None:
    outbox.register_sender(CONFIRM, send_confirmation)
    outbox.register_sender(ADDITIONS, send_additions)


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def unsubscribe_headers(subscription: Subscription) -> dict[str, str]:
    """RFC 8058: an HTTPS address that unsubscribes with one POST, no login, no page."""
    return {
        "List-Unsubscribe": f"<{absolute(subscription.get_unsubscribe_url())}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


class SubscriberMail(EmailMultiAlternatives):
    """`List-Unsubscribe` must read as angle-bracketed URLs (RFC 2369, 8058). Folded at 78
    columns like any header, the long personal URL became an RFC 2047 encoded word
    (`=?utf-8?q?=3Chttps...`), which mail providers do not take for a URL; it is written
    unfolded (well under the 998 characters a line may have)."""

    def message(self, *, policy=email.policy.default):
        msg = super().message(policy=policy.clone(refold_source="none"))
        value = msg.get("List-Unsubscribe")
        if value is not None:
            del msg["List-Unsubscribe"]
            msg.set_raw("List-Unsubscribe", str(value))
        return msg


def message(
    subscription: Subscription,
    *,
    subject: str,
    template: str,
    context: dict,
    unsubscribe: bool = True,
) -> SubscriberMail:
    """The mail `template` (.txt and .html) to one subscriber, in Dutch."""
    context = {
        **context,
        "subscription": subscription,
        "preferences_url": absolute(subscription.get_absolute_url()),
        "unsubscribe_url": absolute(subscription.get_unsubscribe_url()) if unsubscribe else "",
        "site_url": settings.SITE_URL,
    }
    with translation.override("nl"):
        mail = SubscriberMail(
            subject=subject,
            body=render_to_string(f"{template}.txt", context),
            to=[subscription.email],
            headers=unsubscribe_headers(subscription) if unsubscribe else {},
        )
        mail.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return mail


def send_confirmation(mail: OutgoingMail) -> bool:
    """ "Bevestig uw aanmelding": the only mail an unconfirmed address ever gets."""
    subscription = Subscription.objects.filter(pk=mail.object_id).first()
    if subscription is None or subscription.is_confirmed:
        return False  # unsubscribed, expired or confirmed meanwhile
    # What was chosen is shown on the page behind the link, not here: the form's sender
    # may not own the address, and the mail carries nothing they typed.
    context = {"confirm_url": absolute(subscription.get_confirm_url())}
    message(
        subscription,
        subject="Bevestig uw aanmelding bij Stichting IKPOB",
        template="subscriptions/email/confirm",
        context=context,
        unsubscribe=False,
    ).send()
    return True


def send_additions(mail: OutgoingMail) -> bool:
    """To an address that is subscribed already and asked (through the public form) to follow
    more: the link that adds it, so nobody else can change what an address follows."""
    subscription = Subscription.objects.confirmed().filter(pk=mail.object_id).first()
    if subscription is None:
        return False
    additions = choices.Choices.from_data(mail.data.get("additions", {}))
    context = {
        "add_url": absolute(subscription.get_add_url(mail.data.get("additions", {}))),
        "additions": additions.describe(words=False),
    }
    message(
        subscription,
        subject="U volgt al onderwerpen bij Stichting IKPOB",
        template="subscriptions/email/additions",
        context=context,
    ).send()
    return True
