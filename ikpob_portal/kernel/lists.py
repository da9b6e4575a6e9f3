"""What every app's list and detail pages share: the faceted list view and the sections of
items connected to an organisation, person or learning circle."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django_filters.views import FilterView

from ikpob_portal.kernel import registry
from ikpob_portal.platform import ratelimit
from ikpob_portal.platform.cache import per_version

CONNECTION_LIMIT = 24


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
