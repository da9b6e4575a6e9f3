"""Lists, phone first (issue 14): chosen filters as removable chips on every list, long facets
with "Toon alle (n)" instead of a scroll box, the "Filters (n)" disclosure, and a header whose
main menu has no second home link and whose search is named and left off the search page.

How the page behaves in a browser (the menu button, filters applying on change, what a phone
shows first) is in tests/browser/test_phone_lists.py."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import QueryDict
from django.test import RequestFactory
from django.utils import timezone

from ikpob_portal.kernel.filters import FACET_SHOWN, Facet, FacetOption
from ikpob_portal.kernel.lists import chosen_filters
from tests.factories import (
    make_event,
    make_learning_circle,
    make_organisation,
    make_person,
    make_publication,
    make_theme,
)
from tests.html import Link, filter_form, parse
from tests.html import chosen_filters as chips_on

REMOVE = "Verwijder filter: "


def make_item(kind: str, theme):
    """One published item of the list's kind, with the theme, that the list shows."""
    if kind == "publications":
        return make_publication("Vakmanschap in de praktijk", themes=[theme], kind="essay")
    if kind == "events":
        return make_event("Congres vakmanschap", themes=[theme], kind="congres")
    if kind == "archive":
        start = timezone.now() - timedelta(days=30)
        return make_event(
            "Congres van vorig jaar",
            themes=[theme],
            kind="congres",
            starts_at=start,
            ends_at=start + timedelta(hours=6),
        )
    if kind == "organisations":
        return make_organisation("Gemeente Voorbeeld", themes=[theme], kind="gemeente")
    if kind == "people":
        return make_person("Anna", "Voorbeeld", themes=[theme])
    return make_learning_circle("Leerkring vakmanschap", themes=[theme])


# (kind, list path, a second facet and one of its values the item matches, its label)
LISTS = [
    ("publications", "/publicaties/", ("soort", "essay", "Soort: Essay")),
    ("events", "/evenementen/", ("soort", "congres", "Soort: Congres")),
    ("archive", "/evenementen/archief/", ("soort", "congres", "Soort: Congres")),
    ("organisations", "/netwerk/", ("soort", "gemeente", "Soort: Gemeente")),
    ("people", "/netwerk/personen/", None),
    ("circles", "/leerkringen/", None),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "path", "second"), LISTS, ids=[row[0] for row in LISTS])
def test_every_list_shows_chosen_filters_as_chips_that_remove_one_value(client, kind, path, second):
    theme = make_theme("Leiderschap")
    make_item(kind, theme)
    query = {"thema": "leiderschap", "sortering": "", "page": "1"}
    if second:
        query[second[0]] = second[1]
    query = {name: value for name, value in query.items() if value}

    page = parse(client.get(path, query))
    chips = chips_on(page)

    theme_chip = next(chip for chip in chips if chip.text.startswith(REMOVE + "Thema"))
    assert theme_chip.text == f"{REMOVE}Thema: Leiderschap ×"
    left = parse_qs(urlsplit(theme_chip.href).query)
    assert urlsplit(theme_chip.href).path == path
    assert "thema" not in left
    assert "page" not in left  # the other filters stay; back to page 1
    if second:
        assert left == {second[0]: [second[1]]}
        second_chip = next(chip for chip in chips if second[2] in chip.text)
        assert parse_qs(urlsplit(second_chip.href).query) == {"thema": ["leiderschap"]}
    else:
        assert theme_chip.href == path
    assert Link("Alle filters wissen", path) in chips
    # The disclosure that holds the filters on a phone counts them.
    summary = page.find("summary", class_="ikpob-filter-disclosure__summary")
    assert summary.text == f"Filters ({2 if second else 1} gekozen)"


@pytest.mark.django_db
def test_list_without_chosen_filters_shows_no_chips(client):
    make_publication("Vakmanschap in de praktijk")

    page = parse(client.get("/publicaties/", {"sortering": "titel"}))

    assert chips_on(page) == []
    summary = page.find("summary", class_="ikpob-filter-disclosure__summary")
    assert summary.text == "Filters (0 gekozen)"


@pytest.mark.django_db
def test_words_searched_in_a_list_are_a_chip_too(client):
    make_publication("Vakmanschap in de praktijk")

    chips = chips_on(client.get("/publicaties/", {"q": "vakmanschap", "sortering": "titel"}))

    assert Link(f"{REMOVE}Zoekwoorden: vakmanschap ×", "/publicaties/?sortering=titel") in chips


@pytest.mark.django_db
def test_an_unusable_filter_value_gets_no_chip_and_opens_the_filters(client):
    make_publication("Vakmanschap in de praktijk", kind="essay")

    page = parse(client.get("/publicaties/", {"jaar": "abc", "soort": "essay"}))

    assert [chip.text for chip in chips_on(page) if chip.text.startswith(REMOVE)] == [
        f"{REMOVE}Soort: Essay ×"
    ]
    # The error summary inside must be seen: the disclosure is open.
    assert page.find("details", class_="ikpob-filter-disclosure").get("open") is not None


def test_chosen_filters_keep_the_other_values_of_the_same_filter():
    request = RequestFactory().get("/publicaties/?thema=a&thema=b&page=3&sortering=titel")
    facet = Facet(
        "thema",
        "Thema",
        [FacetOption("a", "Alfa", 2, True), FacetOption("b", "Bravo", 1, True)],
    )

    chips = chosen_filters(request, [facet])

    assert [(chip.label, chip.value) for chip in chips] == [("Thema", "Alfa"), ("Thema", "Bravo")]
    assert QueryDict(urlsplit(chips[0].remove_url).query) == QueryDict("thema=b&sortering=titel")
    assert QueryDict(urlsplit(chips[1].remove_url).query) == QueryDict("thema=a&sortering=titel")


def options(counts: list[int], selected: tuple[int, ...] = ()) -> list[FacetOption]:
    return [
        FacetOption(f"o{index}", f"Optie {index}", count, index in selected)
        for index, count in enumerate(counts)
    ]


def test_short_facet_shows_every_option():
    facet = Facet("auteur", "Auteur", options([1] * (FACET_SHOWN + 2)))

    assert facet.first == facet.options
    assert facet.more == []


def test_long_facet_shows_the_most_frequent_and_the_chosen_options_first():
    counts = [1, 9, 1, 8, 7, 1, 6, 5, 4, 1, 1, 1]
    facet = Facet("auteur", "Auteur", options(counts, selected=(11,)))

    first = [option.value for option in facet.first]
    # The six most frequent in the facet's own order, and the chosen one.
    assert first == ["o1", "o3", "o4", "o6", "o7", "o8", "o11"]
    assert [option.value for option in facet.more] == ["o0", "o2", "o5", "o9", "o10"]


@pytest.mark.django_db
def test_long_facet_has_a_show_all_disclosure_and_no_scroll_box(client):
    themes = [make_theme(f"Thema {letter}") for letter in "ABCDEFGHIJ"]
    for number, theme in enumerate(themes):
        for copy in range(number + 1):
            make_publication(f"Publicatie {number}-{copy}", themes=[theme])

    form = filter_form(client.get("/publicaties/", {"thema": "thema-a"}))
    fieldset = form.find("fieldset", id="filter-thema")

    more = fieldset.find("details", class_="ikpob-facet-more")
    assert more.find("summary").text == "Toon alle (10)"
    shown = [
        box.get("value")
        for box in fieldset.iter("input")
        if box.closest("details", class_="ikpob-facet-more") is None
    ]
    # The six most frequent (J down to E) and the chosen one (A, one publication).
    assert shown == ["thema-a", "thema-e", "thema-f", "thema-g", "thema-h", "thema-i", "thema-j"]
    assert [box.get("value") for box in more.iter("input")] == ["thema-b", "thema-c", "thema-d"]
    assert "ikpob-filters__options--scroll" not in str(client.get("/publicaties/").content)


@pytest.mark.django_db
def test_header_menu_has_no_second_home_link_and_a_menu_button(client):
    page = parse(client.get("/publicaties/"))

    menu = page.find("nav", aria_label="Hoofdmenu")
    assert [a.text for a in menu.iter("a")] == [
        "Publicaties",
        "Actueel",
        "Leerkringen",
        "Evenementen",
        "Netwerk",
        "Thema's",
    ]
    button = page.find("button", data_menu_button=True)
    assert button.text == "Menu"
    assert button.get("aria-expanded") == "false"
    assert all(page.find(id=ref) is not None for ref in button.get("aria-controls").split())


@pytest.mark.django_db
def test_header_search_is_named_and_left_off_the_search_page(client):
    home = parse(client.get("/"))
    search_page = parse(client.get("/zoeken/", {"q": "vakmanschap"}))

    header_search = home.find("header").find("form", role="search")
    assert header_search.get("aria-label") == "Zoeken op de site"
    assert search_page.find("header").find("form") is None
    assert search_page.find(id="site-search-q") is None
