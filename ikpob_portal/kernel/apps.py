from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KernelConfig(AppConfig):
    """Themes, the publishing rule and the search index. The label stays `ikpob_portal`: the
    tables, migrations and admin URLs were made under that name."""

    name = "ikpob_portal.kernel"
    label = "ikpob_portal"
    verbose_name = _("Portaal en thema's")

    def ready(self) -> None:
        from ikpob_portal.kernel import logins, review, search, summaries, themes  # noqa: F401 (themes declares a summary)
        from ikpob_portal.kernel.models import (
            OutgoingMail,
            ReviewRequest,
            SiteSettings,
            VisitCount,
            ZeroResultSearch,
        )
        from ikpob_portal.platform import declarations

        # Themes are shown on every public page, and they are taggit tags.
        declarations.declare_content(self.label)
        declarations.declare_content("taggit")
        # Written on requests, or by the mail worker: no public page shows them.
        # Review requests and settings are read in the admin only.
        declarations.declare_not_content(
            ZeroResultSearch, OutgoingMail, ReviewRequest, SiteSettings, VisitCount
        )
        search.connect_signals()
        summaries.connect_signals()
        review.register_mails()
        logins.register_mails()
