"""What the subscriptions app registers with the kernel and the platform, from
`SubscriptionsConfig.ready()`."""

from ikpob_portal.kernel import outbox
from ikpob_portal.platform import declarations as platform
from ikpob_portal.subscriptions import digests, mails, newsletters, services

# /abonnement/<token>/…: a subscriber's own pages (preferences, confirm, unsubscribe).
PERSONAL_PATH = "abonnement/"


def register() -> None:
    mails.register()
    digests.register()
    newsletters.register()
    outbox.register_scheduled("subscriptions.expire", services.delete_expired_unconfirmed)
    platform.declare_personal_path(PERSONAL_PATH)
