from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalSiteConfig(AppConfig):
    """The composition root: wires the site together (settings, URLs, site-wide views,
    loaddemo). It has no models of its own."""

    name = "ikpob_portal"
    label = "portal"
    verbose_name = _("Portaal")

    def ready(self) -> None:
        from ikpob_portal.platform import cache

        cache.connect_signals()
