"""/sitemap.xml and /robots.txt.

The sitemap has one section per registered kind (from the registry, so an app's items appear
by registering), built from the kind's `public_queryset()` — `.published()` — with `lastmod`
the item's `updated`; plus the fixed pages (every kind's list, archive and the pages it names
in `extra_url_names`) and the theme pages with published content.
URLs are the Dutch ones; every page names its English version in its head (hreflang).
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import resolve, reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from ikpob_portal.kernel import registry
from ikpob_portal.kernel.models import Theme
from ikpob_portal.kernel.themes import published_counts_by_theme
from ikpob_portal.platform import declarations

# Search results are no use in a search engine; neither are the personal pages the apps
# declare (a registration's own page).
SEARCH_PATH = "zoeken/"


class KindSitemap(Sitemap):
    """Every published item of one registered kind."""

    def __init__(self, kind: registry.ContentKind):
        self.kind = kind

    def items(self) -> QuerySet:
        # Only the URL and `updated` are needed: no prefetching of what cards show.
        return self.kind.public_queryset().prefetch_related(None).order_by("pk")

    def lastmod(self, item):
        return getattr(item, "updated", None)


class PageSitemap(Sitemap):
    """Home, the list pages of every registered kind (its archive and other pages it names
    too), the theme index and the fixed pages."""

    def items(self) -> list[str]:
        lists = [
            url_name
            for kind in registry.kinds()
            for url_name in (kind.list_url_name, kind.past_list_url_name, *kind.extra_url_names)
            if url_name
        ]
        return ["home", *lists, "themes:list", "privacy", "accessibility"]

    def location(self, url_name: str) -> str:
        return reverse(url_name)


class ThemeSitemap(Sitemap):
    """Theme pages that show something: a theme without published items is left out."""

    def items(self) -> QuerySet:
        counts = published_counts_by_theme()
        return Theme.objects.filter(pk__in=[pk for pk, n in counts.items() if n]).order_by("name")


def site_sitemaps() -> dict[str, Sitemap]:
    sections: dict[str, Sitemap] = {"pages": PageSitemap(), "themes": ThemeSitemap()}
    for kind in registry.kinds():
        sections[kind.model._meta.label_lower] = KindSitemap(kind)
    return sections


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    # The URL has no language prefix, so the visitor's browser language would be active;
    # the sitemap lists the Dutch addresses whatever it is.
    with translation.override(settings.LANGUAGE_CODE):
        response = sitemap_views.sitemap(request, sitemaps=site_sitemaps())
        response.render()
    return response


def disallowed_paths() -> list[str]:
    # The admin is not listed: its address may be kept unguessable (DJANGO_ADMIN_URL), and its
    # pages tell robots themselves not to index them.
    paths = [*declarations.personal_paths(), SEARCH_PATH]
    return [prefix + path for path in paths for prefix in declarations.language_prefixes()]


def list_filter_parameters() -> list[str]:
    """The query parameters that filter, search or sort a registered kind's list (not `page`):
    read from the list views' filter sets, so a new facet is disallowed by being declared."""
    names: list[str] = []
    for kind in registry.kinds():
        for url_name in (kind.list_url_name, kind.past_list_url_name):
            if not url_name:
                continue
            view = getattr(resolve(reverse(url_name)).func, "view_class", None)
            filterset_class = getattr(view, "filterset_class", None)
            if filterset_class is None:
                continue
            names += [name for name in filterset_class.base_filters if name not in names]
    return names


def disallowed_list_queries() -> list[str]:
    """Filtered, searched and sorted list URLs (issue 18: crawlers walking facet combinations
    meet the uncached path). In Google's robots.txt syntax `*` matches any characters and `?`
    is literal, so `/*?thema=` and `/*&thema=` match the parameter first or later in the query
    of any path, under every language prefix (/en/ included); page 2 of a plain list stays
    allowed. The pages also say `noindex, follow` themselves."""
    return [f"/*{sep}{name}=" for name in list_filter_parameters() for sep in ("?", "&")]


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallowed_paths())]
    lines += [f"Disallow: {path}" for path in disallowed_list_queries()]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
