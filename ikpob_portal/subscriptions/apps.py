from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    """Staying informed without an account: theme and kind alerts, saved searches and the
    foundation's newsletter, by e-mail with double opt-in. Builds on the kernel only: the kinds
    come from the registry, the mail leaves through the outbox."""

    name = "ikpob_portal.subscriptions"
    label = "subscriptions"
    verbose_name = _("Attenderingen en nieuwsbrief")

    def ready(self) -> None:
        from ikpob_portal.subscriptions import declarations

        declarations.register()
