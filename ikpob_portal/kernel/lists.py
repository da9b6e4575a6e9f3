"""What every app's list and detail pages share: the faceted list view and the sections of
items connected to an organisation, person or learning circle."""

from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import get_language, gettext
from django_filters.views import FilterView

from ikpob_portal.kernel import links, registry, summaries
from ikpob_portal.kernel.filters import Facet, FacetOption
from ikpob_portal.kernel.summaries import SummaryKind, next_scheduled
from ikpob_portal.platform import ratelimit
from ikpob_portal.platform.cache import per_version, skip_page_cache

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


PAGE_PARAMETER = "page"
SORT_PARAMETER = "sortering"


def known_parameters(filterset_class) -> list[str]:
    """The query parameters a list understands, in a fixed order: its filters (the text query,
    the facets, the sort order, as the filter set declares them), then the page."""
    return [*filterset_class.base_filters, PAGE_PARAMETER]


def default_values(filterset_class) -> dict[str, str]:
    """What a list shows without the parameter: page 1, and the first sort order (the sort
    select has no empty choice, so the first is the one chosen when `sortering` is absent)."""
    defaults = {PAGE_PARAMETER: "1"}
    sort = filterset_class.base_filters.get(SORT_PARAMETER)
    if sort is not None:
        defaults[SORT_PARAMETER] = str(sort.extra["choices"][0][0])
    return defaults


def canonical_query(query: QueryDict, filterset_class) -> QueryDict:
    """The list's query with only what can change its result: the known parameters in a fixed
    order, each value once, sorted, empty ones dropped, and a parameter that only names its
    default dropped too (`?b=1&a=2`, `?a=2&b=1&utm_source=x`, `?a=2&b=1&b=`, `?a=2&b=1&page=1`
    and `?a=2&b=1&sortering=nieuwste` are one query)."""
    defaults = default_values(filterset_class)
    canonical = QueryDict(mutable=True)
    for name in known_parameters(filterset_class):
        values = sorted({value.strip() for value in query.getlist(name)} - {""})
        if values and values != [defaults.get(name)]:
            canonical.setlist(name, values)
    canonical._mutable = False
    return canonical


def followed_query(query: QueryDict, filterset_class) -> str:
    """What a saved search keeps of a list's query: the canonical query without the page and
    the order (new matches are what it is for)."""
    canonical = canonical_query(query, filterset_class).copy()
    canonical.pop(PAGE_PARAMETER, None)
    canonical.pop(SORT_PARAMETER, None)
    return canonical.urlencode()


def page_query(query: QueryDict, number: int) -> str:
    """The query string of page `number` of this list: page 1 carries no `page` parameter (it
    is the list without one, one stored page)."""
    query = query.copy()
    if number == 1:
        query.pop(PAGE_PARAMETER, None)
    else:
        query[PAGE_PARAMETER] = str(number)
    return query.urlencode()


def is_narrowed(query: QueryDict) -> bool:
    """A canonical list query that filters, searches or sorts (anything but the page; the
    default sort order is not in a canonical query): not for search engines (noindex, its
    links nofollow) and counted against the filter rate limit."""
    return any(name != PAGE_PARAMETER for name in query)


class FacetedListView(FilterView):
    """A list page with a FacetedFilterSet: facet counts and 'filters active' for the template.

    One stored page per distinct result (issue 18): the view works on the *canonical* query
    only (`canonical_query`), so what it renders and counts depends on the known parameters
    alone. A request whose query is not canonical (an unknown parameter such as `utm_source`,
    an empty or repeated value, one name's values out of order) is answered with the
    canonical page's content but is not stored in the page cache, so it makes no new page key;
    the counts are keyed on the canonical query, so it makes no new counts key either. Why
    not a 301 to the canonical URL: the filter form sends its empty fields (`?q=&thema=x`), so
    every submission would pay an extra round trip, and a redirect changes what links and
    bookmarks answer. Parameter order is handled by the page cache itself
    (`platform.cache.page_key` sorts the names).
    """

    paginate_by = settings.PAGE_SIZE
    # An invalid filter value is reported and ignored; the valid filters still apply.
    strict = False

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        canonical = canonical_query(request.GET, self.filterset_class)
        if _without_order(canonical) != _without_order(request.GET):
            skip_page_cache(request)
        # From here on the page sees only the known parameters: the filters, the chips and
        # the pagination links are the same as the canonical page's.
        request.GET = canonical
        # A text query runs the site search's matching: it counts against the same limit.
        # Any filter, search or sort counts against the list filter limit (crawlers walking
        # facet combinations); plain paging of a list does not.
        limited = ratelimit.search_limited(request)
        if limited or not is_narrowed(canonical):
            return limited or super().get(request, *args, **kwargs)
        limit = settings.LIST_FILTER_RATE_LIMIT_PER_MINUTE
        if not ratelimit.allow(request, "list-filter", limit=limit, window_seconds=60):
            return ratelimit.too_many_requests(request, retry_after=60)
        if self.summary is None:
            # A small list (no stored summary): counting its facets costs about what the page
            # costs, so there is nothing cheaper to give and no reason to hold a slot.
            return super().get(request, *args, **kwargs)
        # A large list's full renders share a site-wide number of slots (LIST_FILTER_CONCURRENCY).
        with ratelimit.list_filter_slot() as admitted:
            if admitted:
                # Rendered in the slot: the template is part of what the cap bounds.
                return super().get(request, *args, **kwargs).render()
        # Every slot is taken. The visitor still gets the results, with the filters shown but
        # not counted under the chosen ones (what makes such a page expensive), unless they got
        # many such pages this minute (a crawler walking the facets): then, come back later.
        # Only these pages are counted, so an office behind one address is not refused for
        # the filters its people click while the site is quiet.
        limit = settings.LIST_FILTER_BUSY_PAGES_PER_MINUTE
        if not ratelimit.allow(request, "list-busy", limit=limit, window_seconds=60):
            retry = ratelimit.LIST_FILTER_BUSY_RETRY_SECONDS
            return ratelimit.too_many_requests(request, retry_after=retry)
        self.busy = True
        skip_page_cache(request)  # a page without its counts is not the page to keep
        return super().get(request, *args, **kwargs)

    # Set for a page rendered while every slot for full renders was taken: its facets come
    # from the unfiltered list's stored summary, without numbers (`busy_facets`).
    busy = False

    # Declared by a list whose unfiltered counts pass over many rows (`kernel.summaries`): its
    # total and facet counts without a filter are stored until a counted model changes.
    summary: SummaryKind | None = None

    def summary_valid_until(self):
        """When the unfiltered figures end by themselves (a scheduled item becomes public)."""
        return next_scheduled(self.model or self.filterset_class._meta.model)

    def unfiltered_summary(self) -> dict | None:
        """The list's total and facets without any filter (sorting and paging aside), from
        the stored summary; None for a filtered list or one without a declared summary."""
        *_list, filters = self.selection_key()
        if self.summary is None or filters:
            return None
        if not hasattr(self, "summary_data"):
            self.summary_data = self.stored_summary(self.selection_key(), self.filterset)
        return self.summary_data

    def stored_summary(self, key: tuple, filterset) -> dict:
        """The stored total and facets of the list as `filterset` selects it (see `summary`)."""

        def compute() -> dict:
            return {
                "count": filterset.qs.count(),
                "facets": [asdict(facet) for facet in filterset.facets()],
            }

        return per_version(
            ("summary", *key),
            lambda: summaries.get(self.summary, key, compute, valid_until=self.summary_valid_until),
        )

    def busy_facets(self) -> list[Facet]:
        """The facets of a page rendered while the site is busy: the options of the unfiltered
        list (its stored summary) without numbers, the visitor's choices marked. Counting
        each facet under the chosen filters is what makes a filtered page expensive."""
        *list_key, _filters = self.selection_key()
        unfiltered = self.filterset_class(None, queryset=self.get_queryset(), request=self.request)
        summary = self.stored_summary((*list_key, ()), unfiltered)
        return self.filterset.without_counts([facet_from_json(f) for f in summary["facets"]])

    def selection_key(self) -> tuple:
        """What the counts depend on: the list and its filters (not the page or the order),
        from the canonical query (only known parameters, fixed order, no empty values)."""
        canonical = canonical_query(self.request.GET, self.filterset_class)
        params = tuple(
            (name, tuple(values))
            for name, values in canonical.lists()
            if name not in (PAGE_PARAMETER, SORT_PARAMETER)
        )
        return (type(self).__qualname__, self.request.path, get_language(), params)

    def get_paginator(self, *args, **kwargs) -> Paginator:
        paginator = super().get_paginator(*args, **kwargs)
        if summary := self.unfiltered_summary():
            paginator.count = summary["count"]
            return paginator
        # The number of results is counted once per content version and selection.
        key = ("count", *self.selection_key())
        paginator.count = per_version(key, lambda: Paginator.count.func(paginator))
        return paginator

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        filterset = context["filter"]
        if summary := self.unfiltered_summary():
            context["facets"] = [facet_from_json(facet) for facet in summary["facets"]]
        elif self.busy:
            context["facets"] = self.busy_facets()
            context["facets_counted"] = False
        else:
            context["facets"] = per_version(("facets", *self.selection_key()), filterset.facets)
        context["filters_active"] = filterset.is_active
        context["chips"] = chosen_filters(self.request, context["facets"])
        context["facet_panel_key"] = facet_panel_key(self.request, context["facets"])
        # Filtered, searched or sorted: `noindex, follow` (base.html) and nofollow links.
        context["list_noindex"] = is_narrowed(self.request.GET)
        context["follow_query"] = self.follow_query()
        return context

    def follow_query(self) -> str:
        """For the "Volg deze zoekopdracht" link: this list's URL name and its query (canonical,
        without page and order); "" for the whole list or a kind without alerts."""
        kind = registry.kind_for(self.filterset_class._meta.model)
        match = self.request.resolver_match
        followable = kind is not None and kind.alerts and match is not None
        if not followable or match.view_name != kind.list_url_name:
            return ""
        query = followed_query(self.request.GET, self.filterset_class)
        return urlencode({"pagina": match.view_name, "zoekopdracht": query}) if query else ""


def facet_panel_key(request: HttpRequest, facets: list[Facet]) -> tuple:
    """Everything the filter panel (includes/facet_form.html) shows, as plain values: the
    list, its query but the page (the chosen words, options and order, and so the filter
    errors and the chips' number) and every option with its count. The panel is kept under
    it (`{% kept %}`), so a kept panel always shows this request's counts."""
    query = request.GET.copy()
    query.pop(PAGE_PARAMETER, None)
    return (
        "facet-panel",
        request.path,
        query.urlencode(),
        tuple(
            (
                facet.name,
                str(facet.label),
                facet.truncated,
                facet.names,
                tuple((o.value, str(o.label), o.count, o.selected) for o in facet.options),
            )
            for facet in facets
        ),
    )


def facet_from_json(data: dict) -> Facet:
    """A facet as `dataclasses.asdict` gave it and JSON kept it."""
    options = [FacetOption(**option) for option in data["options"]]
    return Facet(**{**data, "options": options})


def _without_order(query: QueryDict) -> list[tuple[str, list[str]]]:
    return sorted((name, values) for name, values in query.lists())


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
