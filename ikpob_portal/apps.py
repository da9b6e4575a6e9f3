from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PortalSiteConfig(AppConfig):
    """The composition root: wires the site together (settings, URLs, site-wide views,
    loaddemo). It has no models of its own."""

    name = "ikpob_portal"
    label = "portal"
    verbose_name = _("Portaal")

    def ready(self) -> None:
        from ikpob_portal import security_txt  # noqa: F401 (registers its deploy checks)
        from ikpob_portal.platform import cache

        cache.connect_signals()


class EditorAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the editors' site: the dashboard ordered by task (admin_site.py)."""

    default = False  # named in INSTALLED_APPS; `ikpob_portal` itself is PortalSiteConfig

    default_site = "ikpob_portal.admin_site.EditorAdminSite"
