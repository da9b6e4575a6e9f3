from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningCirclesConfig(AppConfig):
    name = "learning_circles"
    verbose_name = _("Leerkringen")

    def ready(self) -> None:
        from learning_circles import declarations

        declarations.register()
