from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig
from django.utils.translation import gettext_lazy as _


class IkpobPortalConfig(AppConfig):
    default = True  # this module holds a second AppConfig (StaticFilesConfig below)
    name = "ikpob_portal"
    verbose_name = _("Portaal en thema's")

    def ready(self) -> None:
        from ikpob_portal import cache

        cache.connect_signals()


class StaticFilesConfig(BaseStaticFilesConfig):
    """collectstatic without the npm packages' files that no page uses.

    `background-image-icon.css` of @utrecht/design-tokens points to icons the package does
    not ship, which makes the hashing storage of production fail; sources (SCSS, Less, JS
    modules, type definitions) are not served either.
    """

    ignore_patterns = [
        *BaseStaticFilesConfig.ignore_patterns,
        "background-image-icon.css",
        "*.scss",
        "*.less",
        "*.d.ts",
        "*.cjs",
        "*.mjs",
    ]
