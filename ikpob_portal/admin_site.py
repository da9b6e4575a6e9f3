"""The editors' admin site: the dashboard ordered by what editors do, not by app name.

`TASKS` is the one place that says which models make up which block. A block lists models
by label ("app_label.ModelName") or a whole app by its label ("pages"). Labels of models that
do not exist (yet), or that the editor may not see, are skipped; a registered model that no
block names lands in the last block, "Overig", so a new model shows up without a change
here. Add its label to a block to give it a better place.
"""

from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

TASKS: list[tuple[str, str, list[str]]] = [
    # (block key, block name, model or app labels in the order the block shows them)
    ("publicaties", _("Publicaties"), ["publications.Publication"]),
    ("evenementen", _("Evenementen"), ["events.Event", "events.Registration"]),
    ("actueel", pgettext_lazy("admin", "Actueel"), ["publications.NewsItem"]),
    ("paginas", pgettext_lazy("admin", "Pagina's"), ["pages.Page", "pages"]),
    (
        "leerkringen",
        _("Leerkringen"),
        ["learning_circles.LearningCircle", "learning_circles.JoinRequest"],
    ),
    ("netwerk", _("Netwerk"), ["network.Organisation", "network.Person", "network"]),
    ("themas", _("Thema's"), ["ikpob_portal.Theme", "ikpob_portal.ThemeRedirect"]),
]
REST = ("overig", _("Overig"))


class EditorAdminSite(admin.AdminSite):
    """`admin.site` (the header and titles are set in ikpob_portal/admin.py)."""

    # The navigation sidebar repeats the dashboard and takes a quarter of a 1280 px screen
    # from the lists; the breadcrumbs lead back to the dashboard.
    enable_nav_sidebar = False

    def get_urls(self):
        # Imported here: the site class is loaded while the admin app starts, before models.
        from ikpob_portal.kernel import second_factor
        from ikpob_portal.kernel.admin import markdown_preview

        return [
            path(
                "markdown-voorbeeld/",
                self.admin_view(markdown_preview),
                name="markdown_preview",
            ),
            # Not wrapped in admin_view: they are for sessions that have not passed it yet.
            path(
                "tweede-factor/instellen/",
                second_factor.setup,
                name="second_factor_setup",
            ),
            path(
                "tweede-factor/code/",
                second_factor.verify,
                name="second_factor_verify",
            ),
            path(
                "tweede-factor/herstelcodes/",
                second_factor.recovery_codes,
                name="second_factor_codes",
            ),
            path(
                "tweede-factor/afmelden/",
                second_factor.cancel,
                name="second_factor_cancel",
            ),
            *super().get_urls(),
        ]

    def has_permission(self, request):
        # With the second factor required, a staff session opens the admin only after it.
        from ikpob_portal.kernel import second_factor

        return super().has_permission(request) and second_factor.passed(request.user)

    def login(self, request, extra_context=None):
        """The password, then the second factor: its setup on the first login, a code after."""
        from ikpob_portal.kernel import second_factor

        if second_factor.pending(request.user):
            return second_factor.next_step(request)
        response = super().login(request, extra_context)
        if request.method == "POST" and second_factor.pending(request.user):
            return second_factor.next_step(request)
        return response

    def get_app_list(self, request, app_label=None):
        # One app's own page (/admin/<app_label>/) stays as Django shows it.
        if app_label is not None:
            return super().get_app_list(request, app_label)
        return task_blocks(super().get_app_list(request))


def task_blocks(app_list: list[dict]) -> list[dict]:
    """Django's apps regrouped into the blocks of `TASKS`, in that order, then the rest."""
    models = {}  # label -> (the model's entry, its app's entry)
    for app in app_list:
        for model in app["models"]:
            models[model["model"]._meta.label] = (model, app)

    blocks = []
    for key, name, labels in TASKS:
        chosen = []
        for label in labels:
            if "." in label:
                found = [label] if label in models else []
            else:  # a whole app: its models no earlier label took, alphabetically
                found = [
                    other for other, (_model, app) in models.items() if app["app_label"] == label
                ]
            chosen += [models.pop(found_label) for found_label in found]
        if chosen:
            blocks.append(_block(key, name, chosen))
    if models:
        blocks.append(_block(*REST, list(models.values())))
    return blocks


def _block(key: str, name, chosen: list[tuple[dict, dict]]) -> dict:
    first_app = chosen[0][1]
    return {
        "name": name,
        "app_label": key,
        # The block's heading links to the app of its first model (Django's app page).
        "app_url": first_app["app_url"],
        "has_module_perms": True,
        "models": [model for model, _app in chosen],
    }
