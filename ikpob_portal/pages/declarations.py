"""What pages offer the rest of the site: a content kind for theme pages, search and the
sitemap. Pages have no list page of their own and no "newest" section on the home page: they
are reached through the menus, search and themes.

`PagesConfig.ready()` calls `register()`.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ikpob_portal.kernel import registry
from ikpob_portal.pages.models import Page
from ikpob_portal.platform import declarations as platform

CARD_TEMPLATE = "includes/page_card.html"


def public_pages() -> QuerySet:
    return Page.objects.reachable().for_cards()


def search_document(page: Page) -> registry.SearchDocument:
    return registry.SearchDocument(title=page.title, summary=page.summary, body=page.body)


KIND = registry.ContentKind(
    model=Page,
    label=_("Pagina's"),
    list_url_name="",  # no list page: pages are found through the menus, search and themes
    card_template=CARD_TEMPLATE,
    public_queryset=public_pages,
    search_document=search_document,
    position=90,
    on_home=False,
    count_label=ngettext_lazy("%(count)d pagina", "%(count)d pagina's", "count"),
)


def register() -> None:
    registry.register(KIND)
    # Pages, menus and the home page's settings are all shown to visitors.
    platform.declare_content(Page._meta.app_label)
