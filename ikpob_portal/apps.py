from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IkpobPortalConfig(AppConfig):
    name = "ikpob_portal"
    verbose_name = _("Portaal en thema's")

    def ready(self) -> None:
        from ikpob_portal import cache

        cache.connect_signals()
