"""List URLs (issue 18, targets 2 and 5): one stored page and one counts entry per distinct
result, and crawlers kept off the facet combinations (noindex, nofollow, robots.txt, a rate
limit on filtered lists)."""

import re

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ikpob_portal.kernel.lists import canonical_query
from ikpob_portal.platform import ratelimit
from publications.filters import PublicationFilterSet
from publications.views import PublicationListView
from tests.factories import make_person, make_publication, make_theme
from tests.html import text

ROBOTS_META = '<meta name="robots" content="noindex, follow">'


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def publications(db):
    theme = make_theme("Vakmanschap")
    for number in range(3):
        make_publication(f"Toezicht {number}", themes=[theme])
    return theme


def page_keys() -> set[str]:
    return {key for key in cache._cache if ":page:" in key}  # the local-memory cache's keys


def counts_keys() -> set[str]:
    return {key for key in cache._cache if ":counts:" in key}


def test_canonical_query_keeps_known_parameters_in_a_fixed_order():
    variants = [
        "sortering=titel&thema=a",
        "thema=a&sortering=titel",
        "thema=a&utm_source=x&sortering=titel",
        "thema=a&sortering=titel&thema=&q=",
        "thema=a&thema=a&sortering=titel",
    ]
    results = {canonical_query(QueryDict(v), PublicationFilterSet).urlencode() for v in variants}
    assert results == {"thema=a&sortering=titel"}
    # Values of one parameter in any order are one query; the page comes last.
    assert (
        canonical_query(QueryDict("page=2&thema=b&thema=a"), PublicationFilterSet).urlencode()
        == "thema=a&thema=b&page=2"
    )


def test_canonical_query_drops_what_names_the_default():
    def canonical(query: str) -> str:
        return canonical_query(QueryDict(query), PublicationFilterSet).urlencode()

    assert canonical("page=1") == ""
    assert canonical("sortering=nieuwste") == ""
    assert canonical("thema=a&sortering=nieuwste&page=1") == "thema=a"
    # Another page or order stays.
    assert canonical("page=2&sortering=oudste") == "sortering=oudste&page=2"


@pytest.mark.parametrize(
    "variant", ["?page=1", "?sortering=nieuwste", "?sortering=nieuwste&page=1"]
)
def test_the_default_page_and_order_are_the_plain_list(settings, publications, variant):
    settings.PAGE_CACHE = True
    settings.QUERY_CACHE = True
    settings.LIST_FILTER_RATE_LIMIT_PER_MINUTE = 1
    visitor = Client()
    assert visitor.get("/publicaties/").status_code == 200
    pages, counts = page_keys(), counts_keys()
    for _ in range(2):  # neither stored nor counted against the filter limit
        response = visitor.get(f"/publicaties/{variant}")
        assert response.status_code == 200
        assert "noindex" not in response.content.decode()
    assert page_keys() == pages
    assert counts_keys() == counts


def test_links_to_page_one_have_no_page_parameter(publications):
    PublicationListView.paginate_by, before = 1, PublicationListView.paginate_by
    try:
        plain = Client().get("/publicaties/?page=2").content.decode()
        sorted_ = Client().get("/publicaties/?sortering=titel&page=2").content.decode()
    finally:
        PublicationListView.paginate_by = before
    # "Vorige" and "1" both lead to the list itself.
    assert len(re.findall(r'href="/publicaties/"[^>]*rel="prev"', plain)) == 1
    assert re.search(r'href="/publicaties/"[^>]*><span class="ikpob-visually-hidden">Pagina', plain)
    assert "page=1" not in plain
    assert 'href="?sortering=titel"' in sorted_
    assert 'href="?sortering=titel&amp;page=3"' in sorted_
    assert "page=1" not in sorted_


def test_the_filter_form_names_its_default_order(publications):
    html = Client().get("/publicaties/").content.decode()
    # static/js/portal.js leaves a field with its data-default-value out of the address.
    assert re.search(r'<select[^>]*name="sortering"[^>]*data-default-value="nieuwste"', html)


@pytest.mark.parametrize(
    "variant",
    [
        "?thema=vakmanschap&sortering=titel",  # another order
        "?sortering=titel&thema=vakmanschap&utm_source=nieuwsbrief",  # an unknown parameter
        "?sortering=titel&thema=vakmanschap&thema=",  # an empty value
        "?sortering=titel&q=&thema=vakmanschap",  # an empty text query, as the form sends it
    ],
)
def test_list_url_variants_make_no_new_page_or_counts_key(settings, publications, variant):
    settings.PAGE_CACHE = True
    settings.QUERY_CACHE = True
    visitor = Client()
    first = visitor.get("/publicaties/?sortering=titel&thema=vakmanschap")
    assert first.status_code == 200
    pages, counts = page_keys(), counts_keys()
    assert len(pages) == 1
    assert counts
    response = visitor.get(f"/publicaties/{variant}")
    assert response.status_code == 200
    assert page_keys() == pages
    assert counts_keys() == counts
    # The same result (not stored: only the visitor's own language links keep its query).
    assert "Toezicht 0" in response.content.decode()


def test_parameter_order_is_one_stored_page(settings, publications):
    settings.PAGE_CACHE = True
    visitor = Client()
    visitor.get("/publicaties/?thema=vakmanschap&sortering=titel")
    response = visitor.get("/publicaties/?sortering=titel&thema=vakmanschap")
    assert response["X-Page-Cache"] == "hit"


def test_other_pages_keep_their_parameters(settings, db):
    settings.PAGE_CACHE = True
    visitor = Client()
    # The search still reads its own parameters, and an unknown one is no error anywhere.
    assert visitor.get("/zoeken/?q=toezicht&utm_source=x").status_code == 200
    response = visitor.get("/?utm_source=x")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "query", ["?thema=vakmanschap", "?q=toezicht", "?sortering=titel", "?thema=vakmanschap&page=2"]
)
def test_filtered_searched_or_sorted_lists_are_noindex(publications, query):
    response = Client().get(f"/publicaties/{query}")
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert ROBOTS_META in response.content.decode()


@pytest.mark.parametrize("query", ["", "?utm_source=x", "?page=1"])
def test_plain_list_pages_stay_indexable(publications, query):
    response = Client().get(f"/publicaties/{query}")
    assert response.status_code == 200
    assert "noindex" not in response.content.decode()


def test_plain_page_two_stays_indexable(publications):
    PublicationListView.paginate_by, before = 1, PublicationListView.paginate_by
    try:
        page = Client().get("/publicaties/?page=2").content.decode()
        filtered = Client().get("/publicaties/?thema=vakmanschap&page=2").content.decode()
    finally:
        PublicationListView.paginate_by = before
    assert "noindex" not in page
    assert 'rel="nofollow"' not in page
    assert ROBOTS_META in filtered
    # The page links of a filtered list are nofollow.
    assert re.search(r'href="\?thema=vakmanschap"[^>]*rel="[^"]*nofollow', filtered)


def test_chips_of_a_filtered_list_are_nofollow(publications):
    html = Client().get("/publicaties/?thema=vakmanschap&sortering=titel").content.decode()
    chips = re.findall(r'<a class="ikpob-chip ikpob-chip--remove"[^>]*>', html)
    assert chips
    assert all('rel="nofollow"' in chip for chip in chips)


def test_robots_txt_disallows_the_list_parameters(db):
    text = Client().get("/robots.txt").content.decode()
    lines = set(text.splitlines())
    for name in ("thema", "soort", "jaar", "q", "sortering"):
        assert f"Disallow: /*?{name}=" in lines
        assert f"Disallow: /*&{name}=" in lines
    # Paging a plain list stays allowed.
    assert not any("page=" in line for line in lines)
    # What was there still is.
    assert "Disallow: /zoeken/" in lines
    assert "Disallow: /en/zoeken/" in lines


def test_filtered_lists_answer_429_over_the_limit(settings, publications):
    settings.LIST_FILTER_RATE_LIMIT_PER_MINUTE = 3
    visitor = Client()
    for year in range(3):
        assert visitor.get(f"/publicaties/?jaar={2020 + year}").status_code == 200
    response = visitor.get("/publicaties/?thema=vakmanschap")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    # Plain list pages are not counted.
    assert visitor.get("/publicaties/").status_code == 200
    assert visitor.get("/publicaties/?utm_source=x").status_code == 200
    # Another visitor is not limited.
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.get("/publicaties/?thema=vakmanschap").status_code == 200


def test_english_lists_follow_the_same_rules(settings, publications):
    with translation.override("en"):
        path = reverse("publications:list")
    assert path.startswith("/en/")
    html = Client().get(f"{path}?thema=vakmanschap").content.decode()
    assert ROBOTS_META in html
    assert "noindex" not in Client().get(path).content.decode()
    settings.LIST_FILTER_RATE_LIMIT_PER_MINUTE = 1
    visitor = Client(REMOTE_ADDR="192.0.2.9")
    assert visitor.get(f"{path}?sortering=titel").status_code == 200
    assert visitor.get(f"{path}?sortering=titel").status_code == 429


def test_filtered_renders_share_a_site_wide_cap(settings, publications):
    settings.LIST_FILTER_CONCURRENCY = 1
    settings.LIST_FILTER_BUSY_PAGES_PER_MINUTE = 1
    visitor = Client()
    # The one slot is free: the filtered page renders in full and gives its slot back.
    response = visitor.get("/publicaties/?thema=vakmanschap")
    assert response.status_code == 200
    assert "Vakmanschap (3" in text(response)
    assert cache.get(ratelimit.list_filter_slot_key(0)) is None
    # Another process is rendering a filtered list: the one slot is taken. The visitor still
    # gets the results, the filters without numbers.
    cache.set(ratelimit.list_filter_slot_key(0), "another render")
    busy = visitor.get("/publicaties/?thema=vakmanschap&sortering=titel")
    assert busy.status_code == 200
    assert "Toezicht 0" in text(busy)
    assert "Het is nu druk op de website" in text(busy)
    assert "Vakmanschap (" not in text(busy)
    # Once over the allowance of such pages (a crawler), the answer is: come back soon.
    refused = visitor.get("/publicaties/?thema=vakmanschap&sortering=oudste")
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(ratelimit.LIST_FILTER_BUSY_RETRY_SECONDS)
    # Plain list pages are not capped, and another visitor is not refused.
    assert visitor.get("/publicaties/").status_code == 200
    assert Client(REMOTE_ADDR="192.0.2.8").get("/publicaties/?soort=essay").status_code == 200


def test_a_busy_page_keeps_the_chosen_filters_and_is_not_stored(settings, publications):
    settings.PAGE_CACHE = True
    settings.LIST_FILTER_CONCURRENCY = 1
    author = make_person("Mira", "Bakker")
    make_publication("Het gesprek met de raad", themes=[publications], authors=[author])
    settings.LIST_FACET_LIMIT = 0  # the unfiltered list shows no author at all
    cache.set(ratelimit.list_filter_slot_key(0), "another render")
    url = f"/publicaties/?auteur={author.slug}&thema=vakmanschap"
    response = Client().get(url)
    assert response.status_code == 200
    html = text(response)
    assert "Het gesprek met de raad" in html
    assert "Toezicht 0" not in html  # the filters apply
    # Both choices stay in the form, checked (so a change does not drop them), and as chips.
    checked = re.findall(r'name="(\w+)" value="([\w-]+)" checked', response.content.decode())
    assert set(checked) == {("auteur", author.slug), ("thema", "vakmanschap")}
    assert "Mira Bakker" in html
    assert not page_keys()
    # The slot free again: the full page, counted, and stored.
    cache.delete(ratelimit.list_filter_slot_key(0))
    assert "Vakmanschap (1" in text(Client().get(url))
    assert page_keys()


def test_a_small_list_is_counted_in_full_whatever_the_slots(settings, db):
    # The events list has no stored summary: its counts cost what its page costs.
    settings.LIST_FILTER_CONCURRENCY = 1
    settings.LIST_FILTER_BUSY_PAGES_PER_MINUTE = 0
    cache.set(ratelimit.list_filter_slot_key(0), "another render")
    response = Client().get(reverse("events:list") + "?soort=congres")
    assert response.status_code == 200
    assert "Het is nu druk op de website" not in text(response)
    assert cache.get(ratelimit.list_filter_slot_key(0)) == "another render"


def test_without_a_cap_filtered_renders_count_nothing(settings, publications):
    settings.LIST_FILTER_CONCURRENCY = 0
    assert Client().get("/publicaties/?thema=vakmanschap").status_code == 200
    assert cache.get(ratelimit.list_filter_slot_key(0)) is None
