"""A search with more matches than it counts (views.SEARCH_CANDIDATES): the heading says
"meer dan", the facets name their options without numbers, and a search within the limit
counts exactly as before."""

import pytest

from ikpob_portal import views
from publications.models import Publication
from tests.factories import make_publication, make_theme
from tests.html import card_titles, link_options, results_heading, text

SEARCH_URL = "/zoeken/"


@pytest.fixture
def five_matches():
    ethics = make_theme("Ethiek")
    for year in range(2019, 2024):
        make_publication(f"Toezicht {year}", publication_year=year, themes=[ethics])
    make_publication("Over iets anders")


@pytest.mark.django_db
def test_search_beyond_the_limit_says_more_than_and_leaves_facet_numbers_out(
    client, monkeypatch, five_matches
):
    monkeypatch.setattr(views, "SEARCH_CANDIDATES", 3)

    response = client.get(SEARCH_URL, {"q": "toezicht"})

    assert results_heading(response) == "Meer dan 3 resultaten voor “toezicht”"
    assert len(card_titles(response)) == 3
    assert all(title.startswith("Toezicht") for title in card_titles(response))
    themes = link_options(response, "Thema")
    assert [(option.label, option.count) for option in themes] == [
        ("Alle thema's", None),
        ("Ethiek", None),
    ]


@pytest.mark.django_db
def test_search_within_the_limit_counts_exactly(client, monkeypatch, five_matches):
    monkeypatch.setattr(views, "SEARCH_CANDIDATES", 5)

    response = client.get(SEARCH_URL, {"q": "toezicht"})

    assert results_heading(response) == "5 resultaten voor “toezicht”"
    themes = link_options(response, "Thema")
    assert [(option.label, option.count) for option in themes] == [
        ("Alle thema's", None),
        ("Ethiek", 5),
    ]
    assert "Meer dan" not in text(response)


@pytest.mark.django_db
@pytest.mark.parametrize("drafts", [1, 12])
def test_drafts_among_the_matches_are_never_counted_or_shown(client, monkeypatch, drafts):
    # The candidates are read first and checked for visibility after (search.candidates): a
    # few drafts among them are dropped; so many that the read holds too few public ones
    # sends the check into the query, and the count stays exact either way.
    monkeypatch.setattr(views, "SEARCH_CANDIDATES", 3)
    for number in range(drafts):
        make_publication(f"Toezicht concept {number}", status=Publication.Status.DRAFT)
    make_publication("Toezicht in de praktijk")
    make_publication("Toezicht op afstand")

    response = client.get(SEARCH_URL, {"q": "toezicht"})

    assert results_heading(response) == "2 resultaten voor “toezicht”"
    assert sorted(card_titles(response)) == ["Toezicht in de praktijk", "Toezicht op afstand"]
