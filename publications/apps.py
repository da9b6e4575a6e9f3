from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Publicaties")

    def ready(self) -> None:
        from publications import declarations, oai

        declarations.register()
        oai.connect_signals()
