from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from events.models import Event
from ikpob_portal.kernel import cards, registry, search
from ikpob_portal.kernel.filters import filter_by_themes
from ikpob_portal.kernel.models import SearchEntry, Theme, ThemeRedirect
from ikpob_portal.kernel.themes import counts_per_kind, published_counts_by_theme_and_kind
from ikpob_portal.pages.home import home_settings
from ikpob_portal.platform import ratelimit, resilience
from ikpob_portal.platform.cache import page_cache_until, per_version, skip_page_cache

THEME_PAGE_ITEMS_PER_KIND = 6
HOME_LATEST = 6
HOME_AGENDA = 3


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        # What editors set: the intro and featured items ("Startpagina" in the admin).
        home = home_settings()
        if home.changes_at is not None:
            # A featured item ends at midnight without anyone saving: store the page no longer.
            page_cache_until(self.request, home.changes_at)
        context["intro"] = home.intro
        context["picks"] = home.featured
        context["themes"] = [theme for theme in themes_with_counts() if theme.published_count]
        context["sections"] = [
            # Fetched without the cards' prefetches: those run only for cards not kept.
            {"kind": kind, "items": cards.rows(kind.public_queryset()[:HOME_LATEST])}
            for kind in registry.kinds()
            if kind.on_home and kind.upcoming_queryset is None
        ]
        # Without picks, the flagship event gets its own block (the composition root may
        # import apps); the agenda leaves it out, so the page does not link it twice.
        featured = None if home.featured else Event.objects.next_featured()
        context["featured_event"] = featured
        context["agenda"] = []
        for kind in registry.kinds():
            if kind.upcoming_queryset is None:
                continue
            upcoming = kind.upcoming_queryset()
            if featured is not None and kind.model is Event:
                upcoming = upcoming.exclude(pk=featured.pk)
            context["agenda"].append({"kind": kind, "items": cards.rows(upcoming[:HOME_AGENDA])})
        return context


def themes_with_counts() -> list[Theme]:
    """Every theme with what it counts: `kind_counts` per kind ("3 publicaties") and the
    `published_count` of all kinds together."""
    counts = published_counts_by_theme_and_kind()
    themes = list(Theme.objects.order_by("name"))
    for theme in themes:
        theme.kind_counts = counts_per_kind(counts.get(theme.pk, {}))
        theme.published_count = sum(part.count for part in theme.kind_counts)
    return themes


class ThemeListView(ListView):
    template_name = "ikpob_portal/theme_list.html"
    context_object_name = "themes"

    def get_queryset(self) -> list[Theme]:
        return themes_with_counts()


class ThemeDetailView(DetailView):
    """Everything published with one theme, across every registered app."""

    model = Theme
    template_name = "ikpob_portal/theme_detail.html"
    context_object_name = "theme"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            moved = (
                ThemeRedirect.objects.select_related("theme")
                .filter(old_slug=kwargs["slug"])
                .first()
            )
            if moved is None:
                raise
            return redirect(moved.theme, permanent=True)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        counts = published_counts_by_theme_and_kind().get(self.object.pk, {})
        sections = []
        for kind in registry.kinds():
            total = counts.get(registry.model_label(kind.model), 0)
            if not total:
                continue
            if kind.upcoming_queryset is None or kind.past_queryset is None:
                sections.append(self.section(kind, kind.label, kind.public_queryset(), total))
                continue
            # Dated kinds: what is coming, soonest first, and what is over, in its own section.
            upcoming = filter_by_themes(kind.upcoming_queryset(), [self.object]).count()
            sections += [
                self.section(kind, kind.upcoming_label, kind.upcoming_queryset(), upcoming),
                self.section(kind, kind.past_label, kind.past_queryset(), total - upcoming, True),
            ]
        context["sections"] = [section for section in sections if section["items"]]
        return context

    def section(self, kind, heading, queryset, count: int, past: bool = False) -> dict:
        """The first items of one kind with the theme, and how many there are in all."""
        # A subquery, not a join: the first items come off the list's index.
        # Fetched without the cards' prefetches: those run only for cards not kept.
        items = (
            cards.rows(filter_by_themes(queryset, [self.object])[:THEME_PAGE_ITEMS_PER_KIND])
            if count
            else []
        )
        return {
            "kind": kind,
            "heading": heading,
            "items": items,
            "count": count,
            "counted": kind.counted(count),
            "past": past,
            "has_more": count > len(items),
            "list_url": kind.list_url_for_theme(self.object.slug, past=past),
        }


def page(template_name: str):
    """A static page (privacy, accessibility statement) rendered in the site's frame."""
    return TemplateView.as_view(template_name=template_name)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 while the database answers, else 503; the cache is reported.

    A cache that is down leaves the answer 200: pages are then rendered afresh. Never cached,
    and the 503 is not logged again as a request error (resilience.health logs it).
    """
    report = resilience.health(request)
    response = JsonResponse(report, status=200 if report["database"] == "ok" else 503)
    return resilience.already_logged(response)


SEARCH_PAGE_SIZE = 20
# How many matches a search counts and ranks at most (see SearchView.get_context_data).
SEARCH_CANDIDATES = 1000


class SearchView(TemplateView):
    """Site-wide search across every registered kind, with kind and theme facets."""

    template_name = "ikpob_portal/search.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # A search is a pass over the index: generous per visitor, but a scraper is stopped.
        return ratelimit.search_limited(request) or super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        q = search.normalise(self.request.GET.get("q", ""))
        context["q"] = q
        if not q:
            return context
        # "Volg deze zoekopdracht": the words and the chosen kind and theme, for the subscribe
        # form (which checks them again); not for a kind that sends no alerts (people).
        chosen = {
            "soort": self.request.GET.get("soort", ""),
            "thema": self.request.GET.get("thema", ""),
        }
        alerting = {kind.model._meta.model_name for kind in registry.kinds() if kind.alerts}
        if not chosen["soort"] or chosen["soort"] in alerting:
            followed = urlencode(
                {"q": q, **{name: value for name, value in chosen.items() if value}}
            )
            context["follow_query"] = urlencode({"pagina": "search", "zoekopdracht": followed})
        query_plan = search.plan(q)
        # Public or not: `search.candidates` checks visibility among the matches it reads.
        entries = search.matching_entries(q, query_plan=query_plan, visible_only=False)
        kinds = search.searched_kinds()
        kind_ids = {ContentType.objects.get_for_model(kind.model).pk: kind for kind in kinds}
        kind_by_key = {kind.model._meta.model_name: (pk, kind) for pk, kind in kind_ids.items()}
        chosen_kind = self.request.GET.get("soort", "")
        chosen_theme = self.request.GET.get("thema", "")

        # Each facet counts within the other facet's choice: its numbers are what a click shows.
        of_kind = entries
        if chosen_kind in kind_by_key:
            of_kind = entries.filter(content_type_id=kind_by_key[chosen_kind][0])
        # No theme has a NUL in its slug, and PostgreSQL cannot compare text holding one.
        valid_theme = chosen_theme and "\x00" not in chosen_theme
        theme = Theme.objects.filter(slug=chosen_theme).first() if valid_theme else None
        of_theme = search.restrict_to_theme(entries, theme) if theme else entries
        selected = search.restrict_to_theme(of_kind, theme) if theme else of_kind
        kind_key = chosen_kind if chosen_kind in kind_by_key else ""
        theme_key = theme.slug if theme else ""

        # Counting and ranking every match of a common word is a pass over tens of thousands
        # of rows: each set is read up to SEARCH_CANDIDATES matches (in no order, so the
        # database stops early), and only those are counted and ranked. Up to that many, the
        # figures are exact; beyond, the page says "meer dan 1.000 resultaten" and leaves the
        # facets' numbers out. Kept per content version (QUERY_CACHE) as before.
        def candidates(name: str, queryset, *key) -> tuple[list, bool]:
            return per_version(
                ("search-candidates", name, q, *key),
                lambda: search.candidates(queryset, SEARCH_CANDIDATES, kinds),
            )

        found, capped = candidates("selected", selected, kind_key, theme_key)
        # Without a choice of kind or theme the three sets are one (the usual search).
        of_theme_found, kinds_capped = (
            (found, capped) if not kind_key else candidates("of-theme", of_theme, theme_key)
        )
        of_kind_found, themes_capped = (
            (found, capped) if not theme_key else candidates("of-kind", of_kind, kind_key)
        )
        theme_counts = per_version(
            ("search-themes", q, kind_key), lambda: search.theme_counts(of_kind_found)
        )
        kind_counts = search.kind_counts(of_theme_found)
        ranked = search.rank_candidates(found, query_plan)

        paginator = Paginator(ranked, SEARCH_PAGE_SIZE)
        # The candidates are visible matches already: no count query.
        paginator.count = len(found)
        # As on every list: a page past the end (or no page number at all) is not found.
        try:
            page = paginator.page(self.request.GET.get("page") or 1)
        except InvalidPage as error:
            raise Http404("no such page of results") from error
        page_entries = []
        if paginator.count:
            window = slice(page.start_index() - 1, page.end_index())
            keys = per_version(
                ("search-page", q, kind_key, theme_key, page.number),
                lambda: list(ranked.values_list("pk", flat=True)[window]),
            )
            # Passages are highlighted for the rows on this page only.
            by_key = SearchEntry.objects.in_bulk(keys)
            page_entries = [by_key[key] for key in keys if key in by_key]
        context.update(
            {
                "hits": search.hits(page_entries, q, query_plan),
                # A probable typo: "Bedoelde u: vakmanschap?" searches the corrected words.
                "did_you_mean": query_plan.suggestion(),
                "page_obj": page,
                "paginator": paginator,
                "kind_facet": [
                    (key, kind, kind_counts.get(pk, 0), key == chosen_kind)
                    for key, (pk, kind) in kind_by_key.items()
                    if kind_counts.get(pk)
                ],
                "theme_facet": [(t, n, t == theme) for t, n in theme_counts],
                "chosen_kind": chosen_kind if chosen_kind in kind_by_key else "",
                "chosen_theme": theme,
                # More matches than were counted: "meer dan 1.000", facets without numbers.
                "capped": capped,
                "candidate_limit": SEARCH_CANDIDATES,
                "facet_counts_exact": not (kinds_capped or themes_capped),
            }
        )
        if paginator.count == 0:
            if page.number == 1 and not (chosen_kind or chosen_theme):
                search.log_zero_result(q)
                # Every such search is counted for the editors, so it must reach this view.
                skip_page_cache(self.request)
            context["suggestions"] = search.suggestions(q)
            context["all_themes"] = Theme.objects.order_by("name")
        return context
