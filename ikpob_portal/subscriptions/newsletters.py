"""The foundation's newsletter: chosen items, scheduling, sending exactly once, bounces.

An editor writes a newsletter in the admin (subscriptions/admin.py), sends a test to
themselves (`queue_test`: an outbox row about the newsletter with the editor's user id in
`data`, never an address) and schedules it (`schedule`). `queue_due`, run by
`manage.py send_pending_mails` with the other scheduled mail jobs, then queues it for every
confirmed subscriber who asked for the newsletter: per batch, one transaction holds the
newsletter's row lock, the `NewsletterDelivery` markers (unique per newsletter and
subscription) and their outbox rows. A second run at the same moment skips the locked
newsletter; a later run finds the markers and queues nobody twice. When every subscriber has
a marker the newsletter is SENT.

Each mail is rendered when it is sent, through `mails.message()` (unsubscribe headers and
links), with the items that are still public then.

A subscriber mail the mail server refuses for good (a 5xx for the address) unsubscribes the
address (`register_on_refused`), and so does an address an editor reports after a bounce or
complaint (`unsubscribe_reported`).
"""

import re

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from ikpob_portal.kernel import outbox, registry
from ikpob_portal.kernel.models import OutgoingMail, Theme
from ikpob_portal.kernel.templatetags.portal import markdown
from ikpob_portal.subscriptions import choices, mails, services
from ikpob_portal.subscriptions.models import (
    Newsletter,
    NewsletterDelivery,
    NewsletterItem,
    Subscription,
)

NEWSLETTER = "subscriptions.newsletter"
TEST = "subscriptions.newsletter.test"
TEMPLATE = "subscriptions/email/newsletter"
# Subscribers queued per transaction: short locks, and a crash loses nothing (the next run
# continues where the markers end).
BATCH = 200
# The picker offers this many of each kind's newest public items (and whatever is chosen).
PICKABLE = 30

Status = Newsletter.Status


def register() -> None:
    outbox.register_sender(NEWSLETTER, send_newsletter)
    outbox.register_sender(TEST, send_test)
    outbox.register_scheduled("subscriptions.newsletters", queue_due)
    # A permanent refusal of a subscriber's address unsubscribes it, whatever the mail (digests:
    # digests.register).
    outbox.register_on_refused(NEWSLETTER, unsubscribe_refused_delivery)
    outbox.register_on_refused(mails.CONFIRM, unsubscribe_refused_subscription)
    outbox.register_on_refused(mails.ADDITIONS, unsubscribe_refused_subscription)


# Items -------------------------------------------------------------------------------------


def pickable(kind: registry.ContentKind, chosen_ids=()) -> models.QuerySet:
    """What the picker offers for `kind`: its `PICKABLE` newest public items, and those chosen
    already (if still public), newest first."""
    public = kind.public_queryset().order_by("-published_at", "-pk")
    newest = list(public.values_list("pk", flat=True)[:PICKABLE])
    return public.filter(pk__in=[*newest, *chosen_ids])


def chosen_ids(newsletter: Newsletter, kind: registry.ContentKind) -> list[int]:
    content_type = ContentType.objects.get_for_model(kind.model)
    return list(
        newsletter.items.filter(content_type=content_type).values_list("object_id", flat=True)
    )


@transaction.atomic
def set_items(newsletter: Newsletter, items: list[models.Model]) -> None:
    """The newsletter shows `items`, in this order (rows of items no longer chosen go)."""
    keys = [(ContentType.objects.get_for_model(item).pk, item.pk) for item in items]
    existing = {(row.content_type_id, row.object_id): row for row in newsletter.items.all()}
    for key, row in existing.items():
        if key not in keys:
            row.delete()
    for position, (content_type_id, object_id) in enumerate(keys):
        row = existing.get((content_type_id, object_id))
        if row is None:
            NewsletterItem.objects.create(
                newsletter=newsletter,
                content_type_id=content_type_id,
                object_id=object_id,
                position=position,
            )
        elif row.position != position:
            row.position = position
            row.save(update_fields=["position"])


def public_items(newsletter: Newsletter) -> list[dict]:
    """The newsletter's items that are public now, in order, as the mail shows them."""
    rows = list(newsletter.items.select_related("content_type"))
    found = {}
    for content_type in {row.content_type for row in rows}:
        model = content_type.model_class()
        kind = registry.kind_for(model) if model is not None else None
        if kind is None:
            continue
        ids = [row.object_id for row in rows if row.content_type_id == content_type.pk]
        for item in kind.public_queryset().filter(pk__in=ids):
            found[(content_type.pk, item.pk)] = (kind, item)
    shown = []
    for row in rows:
        if (row.content_type_id, row.object_id) not in found:
            continue
        kind, item = found[(row.content_type_id, row.object_id)]
        shown.append(
            {
                "kind": str(kind.label),
                "title": str(item),
                "summary": getattr(item, "summary", "") or "",
                "url": mails.absolute(item.get_absolute_url()),
            }
        )
    return shown


# The mail ----------------------------------------------------------------------------------


def sample_subscription(email: str) -> Subscription:
    """An unsaved subscription for previews and test mails: the links in them lead nowhere."""
    return Subscription(email=email, token="voorbeeld", newsletter=True)


SITE_RELATIVE_LINK = re.compile(r'href="/(?!/)')


def intro_html(newsletter: Newsletter) -> SafeString:
    """The introduction as on the site (sanitised Markdown, `##` for its headings), with links
    to the site's own pages made absolute: in a mail, "/publicaties/…" leads nowhere."""
    html = markdown(newsletter.intro)
    return mark_safe(SITE_RELATIVE_LINK.sub(f'href="{mails.absolute("/")}', html))


def build(newsletter: Newsletter, subscription: Subscription) -> EmailMultiAlternatives:
    """The newsletter to one subscriber (or a sample), as it is sent."""
    return mails.message(
        subscription,
        subject=newsletter.subject,
        template=TEMPLATE,
        context={
            "newsletter": newsletter,
            "intro_html": intro_html(newsletter),
            "items": public_items(newsletter),
        },
    )


def html_of(mail: EmailMultiAlternatives) -> str:
    return next(content for content, mimetype in mail.alternatives if mimetype == "text/html")


def send_newsletter(mail: OutgoingMail) -> bool:
    """One subscriber's newsletter (the row is about its `NewsletterDelivery`)."""
    delivery = (
        NewsletterDelivery.objects.select_related("newsletter", "subscription")
        .filter(pk=mail.object_id)
        .first()
    )
    if delivery is None:
        return False  # unsubscribed meanwhile (the marker went with the subscription)
    subscription = delivery.subscription
    if not subscription.is_confirmed or not subscription.newsletter:
        return False
    build(delivery.newsletter, subscription).send()
    return True


def send_test(mail: OutgoingMail) -> bool:
    """The test an editor sent to their own address (`data["user"]` is their user id)."""
    newsletter = Newsletter.objects.filter(pk=mail.object_id).first()
    user = get_user_model().objects.filter(pk=mail.data.get("user"), is_active=True).first()
    if newsletter is None or user is None or not user.email:
        return False
    message = build(newsletter, sample_subscription(user.email))
    message.subject = f"[Test] {newsletter.subject}"
    message.send()
    return True


@transaction.atomic
def queue_test(newsletter: Newsletter, user) -> None:
    outbox.enqueue(TEST, newsletter, data={"user": user.pk})


# Scheduling and sending --------------------------------------------------------------------


@transaction.atomic
def schedule(newsletter: Newsletter, send_at=None) -> bool:
    """Plan a draft for `send_at` (or now); False when it was no draft any more."""
    return bool(
        Newsletter.objects.filter(pk=newsletter.pk, status=Status.DRAFT).update(
            status=Status.SCHEDULED, send_at=send_at or timezone.now()
        )
    )


@transaction.atomic
def unschedule(newsletter: Newsletter) -> bool:
    """Back to draft, if sending has not begun."""
    return bool(
        Newsletter.objects.filter(pk=newsletter.pk, status=Status.SCHEDULED).update(
            status=Status.DRAFT
        )
    )


def recipients() -> models.QuerySet:
    return Subscription.objects.confirmed().filter(newsletter=True)


def queue_due(now=None) -> int:
    """Queue every scheduled newsletter whose moment has come; how many mails were queued."""
    now = now or timezone.now()
    due = Newsletter.objects.filter(
        status__in=[Status.SCHEDULED, Status.SENDING], send_at__lte=now
    ).order_by("send_at", "pk")
    return sum(queue_newsletter(pk) for pk in due.values_list("pk", flat=True))


def queue_newsletter(newsletter_id: int) -> int:
    """Queue one newsletter batch by batch until every recipient has a delivery, then mark
    it SENT. A newsletter another run holds (its row is locked) is left to that run."""
    queued = 0
    while True:
        with transaction.atomic():
            newsletter = (
                Newsletter.objects.select_for_update(skip_locked=True)
                .filter(pk=newsletter_id, status__in=[Status.SCHEDULED, Status.SENDING])
                .first()
            )
            if newsletter is None:
                return queued
            now = timezone.now()
            if newsletter.status == Status.SCHEDULED:
                newsletter.status = Status.SENDING
                newsletter.save(update_fields=["status", "updated"])
            batch = list(
                recipients()
                .exclude(newsletter_deliveries__newsletter=newsletter)
                .order_by("pk")[:BATCH]
            )
            if not batch:
                newsletter.status = Status.SENT
                newsletter.sent_at = now
                newsletter.save(update_fields=["status", "sent_at", "updated"])
                return queued
            for subscription in batch:
                delivery = NewsletterDelivery.objects.create(
                    newsletter=newsletter, subscription=subscription, created_at=now
                )
                outbox.enqueue(NEWSLETTER, delivery)
            queued += len(batch)


# Counts for editors ------------------------------------------------------------------------


def counts() -> dict:
    """Numbers only: confirmed subscribers per theme, per kind, for the newsletter, and how
    many have not confirmed yet."""
    confirmed = Subscription.objects.confirmed()
    through = Subscription.themes.through
    per_theme_ids = dict(
        through.objects.filter(subscription__confirmed_at__isnull=False)
        .values("theme_id")
        .annotate(count=models.Count("subscription_id"))
        .values_list("theme_id", "count")
    )
    per_theme = [
        (theme.name, per_theme_ids.get(theme.pk, 0))
        for theme in Theme.objects.filter(pk__in=per_theme_ids).order_by("name")
    ]
    # Counted here: JSON "contains" is not portable (SQLite), and the lists are short.
    kinds_followed = list(confirmed.values_list("kinds", flat=True))
    per_kind = [
        (label, sum(1 for kinds in kinds_followed if value in kinds))
        for value, label in choices.alert_kind_choices()
    ]
    return {
        "confirmed": confirmed.count(),
        "newsletter": recipients().count(),
        "unconfirmed": Subscription.objects.filter(confirmed_at__isnull=True).count(),
        "per_theme": per_theme,
        "per_kind": per_kind,
    }


# Bounces and complaints --------------------------------------------------------------------


def unsubscribe_refused_delivery(mail: OutgoingMail) -> None:
    """The mail server refused a newsletter's recipient for good: unsubscribe the address."""
    services.unsubscribe_where(newsletter_deliveries__pk=mail.object_id)


def unsubscribe_refused_subscription(mail: OutgoingMail) -> None:
    """The same for mails about the subscription itself (confirmation, additions)."""
    services.unsubscribe_where(pk=mail.object_id)


def unsubscribe_reported(email: str) -> None:
    """An address the mail provider reported (a permanent bounce or a complaint)."""
    services.unsubscribe_address(email.strip())
