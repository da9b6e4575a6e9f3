from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """The foundation's own texts ("Over IKPOB", "Onze activiteiten") at the root of the site,
    the menus made from them, and the home page's settings."""

    name = "ikpob_portal.pages"
    label = "pages"
    verbose_name = _("Pagina's")

    def ready(self) -> None:
        from ikpob_portal.pages import declarations

        declarations.register()
