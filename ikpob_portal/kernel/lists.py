"""What every app's list and detail pages share: the faceted list view and the sections of
items connected to an organisation, person or learning circle."""

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import get_language, gettext
from django_filters.views import FilterView

from ikpob_portal.kernel import links, registry
from ikpob_portal.kernel.filters import Facet
from ikpob_portal.platform import ratelimit
from ikpob_portal.platform.cache import per_version

CONNECTION_LIMIT = 24


@dataclass(frozen=True)
class Chip:
    """One chosen filter value above the results, with the link that removes only it."""

    label: str  # the facet, "Thema"
    value: str  # the option, "Leiderschap"
    remove_url: str
    names: bool = False  # the value is a name from the content (see Facet.names)


def without_value(query: QueryDict, name: str, value: str | None = None) -> str:
    """The query string without `value` of `name` (or without `name` at all), back on page 1."""
    query = query.copy()
    query.pop("page", None)
    if value is None:
        query.pop(name, None)
    else:
        query.setlist(name, [v for v in query.getlist(name) if v != value])
    return query.urlencode()


def chosen_filters(request: HttpRequest, facets: list[Facet]) -> list[Chip]:
    """The visitor's chosen filters as chips, in the order of the filter form: the words
    (`q`), then each facet's chosen options. A value the filters could not use (an unknown
    theme, `jaar=abc`) gets no chip; the error summary names it."""
    path = links.local_path(request.path)
    chips = []

    def link(query: str) -> str:
        return f"{path}?{query}" if query else path

    words = request.GET.get("q", "").strip()
    if words:
        chips.append(Chip(gettext("Zoekwoorden"), words, link(without_value(request.GET, "q"))))
    for facet in facets:
        for option in facet.options:
            if option.selected:
                remove = link(without_value(request.GET, facet.name, option.value))
                chips.append(Chip(str(facet.label), option.label, remove, facet.names))
    return chips


class FacetedListView(FilterView):
    """A list page with a FacetedFilterSet: facet counts and 'filters active' for the template."""

    paginate_by = settings.PAGE_SIZE
    # An invalid filter value is reported and ignored; the valid filters still apply.
    strict = False

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # A text query runs the site search's matching: it counts against the same limit.
        return ratelimit.search_limited(request) or super().get(request, *args, **kwargs)

    def selection_key(self) -> tuple:
        """What the counts depend on: the list and its filters (not the page or the order)."""
        params = sorted(
            (name, value)
            for name, values in self.request.GET.lists()
            if name not in ("page", "sortering")
            for value in values
        )
        return (type(self).__qualname__, self.request.path, get_language(), tuple(params))

    def get_paginator(self, *args, **kwargs) -> Paginator:
        paginator = super().get_paginator(*args, **kwargs)
        # The number of results is counted once per content version and selection.
        key = ("count", *self.selection_key())
        paginator.count = per_version(key, lambda: Paginator.count.func(paginator))
        return paginator

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        filterset = context["filter"]
        context["facets"] = per_version(("facets", *self.selection_key()), filterset.facets)
        context["filters_active"] = filterset.is_active
        context["chips"] = chosen_filters(self.request, context["facets"])
        return context


def connected_sections(obj) -> list[dict]:
    """The published items of every connection declared for this object's model (an
    organisation, a person, a learning circle), in the order they were registered."""
    sections = []
    for link in registry.connections_for(obj):
        items = list(link.items(obj)[: CONNECTION_LIMIT + 1])
        if items:
            sections.append(
                {
                    "connection": link,
                    "items": items[:CONNECTION_LIMIT],
                    "has_more": len(items) > CONNECTION_LIMIT,
                }
            )
    return sections
