from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KernelConfig(AppConfig):
    """Themes, the publishing rule and the search index. The label stays `ikpob_portal`: the
    tables, migrations and admin URLs were made under that name."""

    name = "ikpob_portal.kernel"
    label = "ikpob_portal"
    verbose_name = _("Portaal en thema's")
