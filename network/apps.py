from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Netwerk")

    def ready(self) -> None:
        from network import declarations

        declarations.register()
