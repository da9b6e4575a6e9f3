"""The header and footer menus, made from the pages editors mark for them.

One query for both menus, kept per content version (`per_version`), so a stored version of
the menus serves every page until something is published or changed. The URL of each item
is made per request, in the request's language.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from ikpob_portal.kernel.reversing import detail_url
from ikpob_portal.pages.models import Page
from ikpob_portal.platform.cache import per_version


@dataclass(frozen=True)
class MenuItem:
    title: str
    url: str


@dataclass(frozen=True)
class Menus:
    header: list[MenuItem]
    footer: list[MenuItem]


def menu_rows() -> list[tuple[str, str, bool, bool]]:
    """(title, path, in header, in footer) of every reachable page in a menu, in menu order."""
    pages = Page.objects.reachable().filter(Q(in_header=True) | Q(in_footer=True))
    return [
        (page.title, page.path, page.in_header, page.in_footer)
        for page in pages.order_by("menu_order", "title")
    ]


def menus() -> Menus:
    rows = per_version(("page-menus",), menu_rows)
    items = [
        (MenuItem(title, detail_url("pages:detail", path)), header, footer)
        for title, path, header, footer in rows
    ]
    return Menus(
        header=[item for item, header, _footer in items if header],
        footer=[item for item, _header, footer in items if footer],
    )


def site_menus(request: HttpRequest) -> dict:
    """Context processor: `site_menus.header` and `site_menus.footer`, queried only when a
    template shows them (admin pages and mails never do)."""
    return {"site_menus": SimpleLazyObject(menus)}
