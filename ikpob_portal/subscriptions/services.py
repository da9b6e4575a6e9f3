"""The writes of subscriptions: subscribe, confirm, change, add, unsubscribe, expire.

Whatever the address's state, `subscribe` answers the same (the page says "check your
mailbox"), so the form tells nobody whether an address is subscribed:

- a new address: the subscription is stored unconfirmed and the confirmation mail queued;
- an unconfirmed address: its choices are replaced by the new ones; the confirmation mail is
  sent again, but at most once a day (`MAIL_INTERVAL`);
- a confirmed address: nothing changes; it gets (at most once a day) a mail with a link that
  adds the new choices, so nobody can change what someone else's address follows.
"""

from datetime import timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from ikpob_portal.kernel import outbox
from ikpob_portal.kernel.models import OutgoingMail
from ikpob_portal.subscriptions import mails
from ikpob_portal.subscriptions.choices import Choices
from ikpob_portal.subscriptions.models import (
    CONFIRMATION_DAYS,
    SavedSearch,
    Subscription,
    add_salt,
)

MAIL_INTERVAL = timedelta(days=1)


def subscribe(*, email: str, choices: Choices) -> None:
    """Store or update a subscription request and queue the mail it needs (see above)."""
    try:
        _subscribe(email, choices)
    except IntegrityError:
        # The same address sent twice at once: the other request created the row first.
        _subscribe(email, choices)


@transaction.atomic
def _subscribe(email: str, choices: Choices) -> None:
    now = timezone.now()
    subscription = Subscription.objects.select_for_update().for_address(email).first()
    if subscription is None:
        with transaction.atomic():  # a savepoint: a concurrent twin raises IntegrityError
            subscription = Subscription.objects.create(email=email, mail_sent_at=now)
        _apply(subscription, choices, replace=True)
        outbox.enqueue(mails.CONFIRM, subscription)
        return
    may_mail = subscription.mail_sent_at is None or subscription.mail_sent_at <= now - MAIL_INTERVAL
    if not subscription.is_confirmed:
        _apply(subscription, choices, replace=True)
        if may_mail:
            # A new link, valid as long as the first: the 7 days count from now.
            subscription.mail_sent_at = subscription.created_at = now
            subscription.save(update_fields=["mail_sent_at", "created_at"])
            outbox.enqueue(mails.CONFIRM, subscription, replaces=[mails.CONFIRM])
        return
    if may_mail:
        subscription.mail_sent_at = now
        subscription.save(update_fields=["mail_sent_at"])
        outbox.enqueue(mails.ADDITIONS, subscription, data={"additions": choices.to_data()})


def _apply(subscription: Subscription, choices: Choices, *, replace: bool) -> None:
    """Set the choices on the subscription (replace=True: instead of what it followed, its
    saved searches included) or add them to what it follows."""
    if replace:
        _set(subscription, choices)
        subscription.searches.all().delete()
    else:
        subscription.themes.add(*choices.theme_ids)
        subscription.kinds = sorted(set(subscription.kinds) | set(choices.kinds))
        subscription.newsletter = subscription.newsletter or choices.newsletter
        # The frequency stays: adding a theme is no reason to change how often mail comes.
        subscription.save(update_fields=["kinds", "newsletter"])
    if choices.search:
        SavedSearch.objects.get_or_create(
            subscription=subscription,
            url_name=choices.search.url_name,
            query=choices.search.query,
            defaults={"label": choices.search.label},
        )


def _set(subscription: Subscription, choices: Choices) -> None:
    subscription.themes.set(choices.theme_ids)
    subscription.kinds = sorted(choices.kinds)
    subscription.newsletter = choices.newsletter
    subscription.frequency = choices.frequency
    subscription.save(update_fields=["kinds", "newsletter", "frequency"])


@transaction.atomic
def confirm(subscription: Subscription) -> None:
    """The confirmation link was followed and its button pressed: mail may now be sent.
    The first digest covers what appears from this moment on."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.is_confirmed:
        return
    now = timezone.now()
    subscription.confirmed_at = now
    subscription.digest_from = now
    # The daily limit was for confirmation mails; following more may be asked for at once.
    subscription.mail_sent_at = None
    subscription.save(update_fields=["confirmed_at", "digest_from", "mail_sent_at"])


@transaction.atomic
def update(subscription: Subscription, *, choices: Choices, keep_searches: list[int]) -> None:
    """The preferences page: the choices as given, and of the saved searches those ticked."""
    _set(subscription, choices)
    subscription.searches.exclude(pk__in=keep_searches).delete()


def read_additions(subscription: Subscription, signed: str) -> Choices | None:
    """The additions of an "add this" link, if it was made for this subscription and is at
    most `CONFIRMATION_DAYS` old."""
    try:
        data = signing.loads(
            signed, salt=add_salt(subscription.token), max_age=timedelta(days=CONFIRMATION_DAYS)
        )
    except signing.BadSignature:
        return None
    return Choices.from_data(data) if isinstance(data, dict) else None


@transaction.atomic
def add(subscription: Subscription, choices: Choices) -> None:
    """Follow more (the link in an "add this" mail); what was followed stays."""
    _apply(subscription, choices, replace=False)


def unsubscribe(subscription: Subscription) -> None:
    """Delete the subscription with its saved searches and markers: nothing is kept."""
    _delete(Subscription.objects.filter(pk=subscription.pk))


def unsubscribe_where(**lookup) -> int:
    """Unsubscribe the subscriptions that `lookup` finds (a refused mail about one of them)."""
    return _delete(Subscription.objects.filter(**lookup))


def unsubscribe_address(email: str) -> int:
    """A permanent bounce or a complaint about mail to `email`: delete its subscription."""
    return _delete(Subscription.objects.for_address(email))


@transaction.atomic
def _delete(subscriptions) -> int:
    ids = list(subscriptions.values_list("pk", flat=True))
    # The choices an "add this" mail carried (a search's words among them) go too.
    OutgoingMail.objects.filter(kind=mails.ADDITIONS, object_id__in=ids).update(data={})
    deleted, _per_model = Subscription.objects.filter(pk__in=ids).delete()
    return deleted


def delete_expired_unconfirmed() -> int:
    """Unconfirmed subscriptions older than the link's validity; scheduled with the mail jobs.
    Returns 0: it queues no mail (the count of the outbox's scheduled functions)."""
    _delete(Subscription.objects.expired_unconfirmed())
    return 0
