"""The faceted publication list, exercised the way a visitor uses it: through query strings."""

import pytest

from publications.models import Publication
from tests.factories import make_organisation, make_person, make_publication, make_theme
from tests.html import (
    Choice,
    ErrorSummary,
    Link,
    Option,
    card_titles,
    chosen_filters,
    element_by_id,
    facet_counts,
    facet_options,
    field_value,
    filter_errors,
    filter_form,
    links,
    results_heading,
    selected_option,
    text,
)

LIST_URL = "/publicaties/"
ESSAY = Publication.Kind.ESSAY
RAPPORT = Publication.Kind.RAPPORT
BOEK = Publication.Kind.BOEK


def page_text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def facet(response, name: str) -> dict[str, Option]:
    """One facet's checkboxes as rendered: value -> label, count, checked."""
    assert response.status_code == 200
    return facet_options(response, name)


def counts(response, name: str) -> dict[str, int]:
    assert response.status_code == 200
    return facet_counts(response, name)


def results(client, **params) -> list[str]:
    response = client.get(LIST_URL, params)
    assert response.status_code == 200
    return sorted(card_titles(response))


@pytest.fixture
def themes(db):
    return {
        "ethiek": make_theme("Ethiek"),
        "toezicht": make_theme("Toezicht"),
        "digitalisering": make_theme("Digitalisering"),
    }


# --- Single filters -----------------------------------------------------------------------


@pytest.mark.django_db
def test_thema_filter_shows_only_items_with_that_theme(client, themes):
    make_publication("Over ethiek", themes=[themes["ethiek"]])
    make_publication("Over toezicht", themes=[themes["toezicht"]])
    make_publication("Zonder thema")

    assert results(client, thema="ethiek") == ["Over ethiek"]


@pytest.mark.django_db
def test_thema_filter_with_two_themes_shows_either_once(client, themes):
    make_publication("Over ethiek", themes=[themes["ethiek"]])
    make_publication("Over toezicht", themes=[themes["toezicht"]])
    make_publication("Over beide", themes=[themes["ethiek"], themes["toezicht"]])
    make_publication("Over digitalisering", themes=[themes["digitalisering"]])

    response = client.get(LIST_URL, {"thema": ["ethiek", "toezicht"]})

    assert sorted(card_titles(response)) == ["Over beide", "Over ethiek", "Over toezicht"]
    assert results_heading(response) == "3 publicaties gevonden"


@pytest.mark.django_db
def test_soort_filter_shows_only_that_kind(client):
    make_publication("Een essay", kind=ESSAY)
    make_publication("Een rapport", kind=RAPPORT)
    make_publication("Een boek", kind=BOEK)

    assert results(client, soort="rapport") == ["Een rapport"]
    assert results(client, soort=["rapport", "boek"]) == ["Een boek", "Een rapport"]


@pytest.mark.django_db
def test_jaar_filter_accepts_one_or_more_years(client):
    make_publication("Uit 2019", publication_year=2019)
    make_publication("Uit 2020", publication_year=2020)
    make_publication("Uit 2021", publication_year=2021)

    assert results(client, jaar="2020") == ["Uit 2020"]
    assert results(client, jaar=["2019", "2021"]) == ["Uit 2019", "Uit 2021"]


@pytest.mark.django_db
def test_jaar_filter_with_text_shows_a_dutch_error(client):
    make_publication("Uit 2020")

    response = client.get(LIST_URL, {"jaar": "vorig-jaar"})

    assert filter_errors(response) == ErrorSummary(
        "Niet alle filters konden worden toegepast",
        [Link("Jaar: Kies een geldig jaartal.", "#filter-jaar")],
    )


@pytest.mark.django_db
def test_organisatie_filter_matches_publisher_or_commissioner(client):
    bzk = make_organisation("Ministerie van BZK", short_name="BZK")
    other = make_organisation("Andere uitgever")
    make_publication("Uitgegeven door BZK", publisher=bzk)
    make_publication("In opdracht van BZK", publisher=other, commissioned_by=[bzk])
    make_publication("Niets met BZK", publisher=other)

    response = client.get(LIST_URL, {"organisatie": "ministerie-van-bzk"})

    assert sorted(card_titles(response)) == ["In opdracht van BZK", "Uitgegeven door BZK"]
    assert facet(response, "organisatie")["ministerie-van-bzk"] == Option("BZK", 2, True)


@pytest.mark.django_db
def test_organisatie_that_publishes_and_commissions_one_item_counts_it_once(client):
    bzk = make_organisation("Ministerie van BZK", short_name="BZK")
    make_publication("Eigen werk", publisher=bzk, commissioned_by=[bzk])

    unfiltered = client.get(LIST_URL)
    filtered = client.get(LIST_URL, {"organisatie": "ministerie-van-bzk"})

    assert counts(unfiltered, "organisatie") == {"ministerie-van-bzk": 1}
    assert card_titles(filtered) == ["Eigen werk"]
    assert results_heading(filtered) == "1 publicatie gevonden"


@pytest.mark.django_db
def test_auteur_filter_matches_any_author_position(client):
    steen = make_person("Martijn", "Steen", particle="van der")
    jansen = make_person("Anna", "Jansen")
    make_publication("Steen alleen", authors=[steen])
    make_publication("Steen als tweede", authors=[jansen, steen])
    make_publication("Jansen alleen", authors=[jansen])

    response = client.get(LIST_URL, {"auteur": "martijn-van-der-steen"})

    assert sorted(card_titles(response)) == ["Steen alleen", "Steen als tweede"]
    assert facet(response, "auteur")["martijn-van-der-steen"] == Option(
        "Steen, Martijn van der", 2, True
    )


@pytest.mark.django_db
def test_q_matches_title_case_insensitively(client):
    make_publication("Vakmanschap in de praktijk")
    make_publication("Iets anders")

    assert results(client, q="VAKMANSCHAP") == ["Vakmanschap in de praktijk"]


@pytest.mark.django_db
def test_q_matches_author_family_name(client):
    steen = make_person("Martijn", "Steen", particle="van der")
    make_publication("Een essay", authors=[make_person("Anna", "Jansen"), steen])
    make_publication("Een ander essay", authors=[make_person("Bert", "Bakker")])

    assert results(client, q="steen") == ["Een essay"]


@pytest.mark.django_db
def test_q_requires_every_word(client):
    steen = make_person("Martijn", "Steen")
    make_publication("Vakmanschap", authors=[steen])
    make_publication("Vakmanschap zonder Steen")  # "steen" in title matches too
    make_publication("Vakmanschap van een ander", authors=[make_person("Anna", "Jansen")])

    assert results(client, q="vakmanschap steen") == ["Vakmanschap", "Vakmanschap zonder Steen"]


@pytest.mark.django_db
def test_q_keeps_the_search_words_in_the_form(client):
    make_publication("Vakmanschap")

    response = client.get(LIST_URL, {"q": "vak & schap"})

    assert field_value(response, "q") == "vak & schap"


# --- Sorting ------------------------------------------------------------------------------


@pytest.fixture
def dated(db):
    make_publication("Bravo", publication_year=2018)
    # Within 2021 the title order (Alfa, Charlie) is the opposite of the date order.
    make_publication("Alfa", publication_year=2021, publication_month=3)
    make_publication("Charlie", publication_year=2021, publication_month=11)
    make_publication("Delta", publication_year=2019)


@pytest.mark.django_db
def test_sortering_nieuwste_orders_by_date_newest_first(client, dated):
    response = client.get(LIST_URL, {"sortering": "nieuwste"})

    assert card_titles(response) == ["Charlie", "Alfa", "Delta", "Bravo"]


@pytest.mark.django_db
def test_sortering_defaults_to_newest_first(client, dated):
    response = client.get(LIST_URL)

    assert card_titles(response) == ["Charlie", "Alfa", "Delta", "Bravo"]


@pytest.mark.django_db
def test_sortering_oudste_orders_by_date_oldest_first(client, dated):
    response = client.get(LIST_URL, {"sortering": "oudste"})

    assert card_titles(response) == ["Bravo", "Delta", "Alfa", "Charlie"]
    assert selected_option(response, "sortering") == Choice("oudste", "Oudste eerst")


@pytest.mark.django_db
def test_sortering_titel_orders_alphabetically(client, dated):
    response = client.get(LIST_URL, {"sortering": "titel"})

    assert card_titles(response) == ["Alfa", "Bravo", "Charlie", "Delta"]


@pytest.mark.django_db
def test_sortering_alone_does_not_count_as_an_active_filter(client, dated):
    response = client.get(LIST_URL, {"sortering": "titel"})

    assert results_heading(response) == "4 publicaties gevonden"
    assert selected_option(response, "sortering") == Choice("titel", "Titel (A–Z)")
    assert "Alle filters wissen" not in page_text(response)


# --- Combined filters ---------------------------------------------------------------------


@pytest.fixture
def catalogue(db, themes):
    bzk = make_organisation("Ministerie van BZK", short_name="BZK")
    vng = make_organisation("Vereniging van Nederlandse Gemeenten", short_name="VNG")
    steen = make_person("Martijn", "Steen", particle="van der")
    jansen = make_person("Anna", "Jansen")
    ethiek, toezicht = themes["ethiek"], themes["toezicht"]
    make_publication("Ethiek essay 2020", kind=ESSAY, themes=[ethiek], publication_year=2020,
                     publisher=bzk, authors=[steen])  # fmt: skip
    make_publication("Ethiek essay 2021", kind=ESSAY, themes=[ethiek, toezicht],
                     publication_year=2021, publisher=vng, commissioned_by=[bzk],
                     authors=[jansen])  # fmt: skip
    make_publication("Toezicht essay 2021", kind=ESSAY, themes=[toezicht], publication_year=2021,
                     publisher=vng, authors=[steen, jansen])  # fmt: skip
    make_publication("Ethiek rapport 2020", kind=RAPPORT, themes=[ethiek], publication_year=2020,
                     publisher=bzk, authors=[jansen])  # fmt: skip
    make_publication("Ethiek rapport 2019", kind=RAPPORT, themes=[ethiek], publication_year=2019,
                     publisher=vng)  # fmt: skip
    make_publication("Toezicht boek 2021", kind=BOEK, themes=[toezicht], publication_year=2021,
                     publisher=vng, authors=[steen])  # fmt: skip
    make_publication("Ethiek concept", kind=ESSAY, themes=[ethiek], publication_year=2020,
                     status=Publication.Status.DRAFT, publisher=bzk, authors=[steen])  # fmt: skip


@pytest.mark.django_db
def test_combined_thema_and_soort_narrow_each_other(client, catalogue):
    assert results(client, thema="ethiek", soort="essay") == [
        "Ethiek essay 2020",
        "Ethiek essay 2021",
    ]


@pytest.mark.django_db
def test_combined_thema_soort_and_jaar(client, catalogue):
    assert results(client, thema="ethiek", soort=["essay", "rapport"], jaar="2020") == [
        "Ethiek essay 2020",
        "Ethiek rapport 2020",
    ]


@pytest.mark.django_db
def test_combined_organisatie_and_auteur(client, catalogue):
    assert results(client, organisatie="ministerie-van-bzk", auteur="anna-jansen") == [
        "Ethiek essay 2021",  # commissioned by BZK
        "Ethiek rapport 2020",  # published by BZK
    ]


@pytest.mark.django_db
def test_combined_all_filters_and_search(client, catalogue):
    response = client.get(
        LIST_URL,
        {
            "q": "essay",
            "thema": ["ethiek", "toezicht"],
            "soort": "essay",
            "jaar": "2021",
            "organisatie": "vereniging-van-nederlandse-gemeenten",
            "auteur": "martijn-van-der-steen",
            "sortering": "titel",
        },
    )

    assert card_titles(response) == ["Toezicht essay 2021"]
    assert Link("Alle filters wissen", LIST_URL) in chosen_filters(response)


@pytest.mark.django_db
def test_combined_filters_without_match_show_the_empty_state(client, catalogue):
    response = client.get(LIST_URL, {"soort": "boek", "jaar": "2019"})

    assert results_heading(response) == "0 publicaties gevonden"
    assert "Er zijn geen publicaties die aan al deze filters voldoen." in text(response)
    assert Link("Wis de filters en toon alle publicaties", LIST_URL) in links(response)


# --- Facet counts -------------------------------------------------------------------------


@pytest.mark.django_db
def test_facets_without_selection_count_all_published_items(client, catalogue):
    response = client.get(LIST_URL)

    assert counts(response, "thema") == {"ethiek": 4, "toezicht": 3}
    assert counts(response, "soort") == {"essay": 3, "rapport": 2, "boek": 1}
    assert counts(response, "jaar") == {"2021": 3, "2020": 2, "2019": 1}
    assert counts(response, "organisatie") == {
        "ministerie-van-bzk": 3,
        "vereniging-van-nederlandse-gemeenten": 4,
    }
    assert counts(response, "auteur") == {"anna-jansen": 3, "martijn-van-der-steen": 3}


@pytest.mark.django_db
def test_facets_with_soort_selected_count_other_facets_within_that_kind(client, catalogue):
    response = client.get(LIST_URL, {"soort": "essay"})

    assert counts(response, "thema") == {"ethiek": 2, "toezicht": 2}
    assert counts(response, "jaar") == {"2021": 2, "2020": 1}
    assert counts(response, "auteur") == {"anna-jansen": 2, "martijn-van-der-steen": 2}
    # The kind facet itself ignores its own selection, so visitors can add another kind.
    assert facet(response, "soort") == {
        "essay": Option("Essay", 3, True),
        "rapport": Option("Rapport", 2, False),
        "boek": Option("Boek", 1, False),
    }


@pytest.mark.django_db
def test_facets_with_thema_and_jaar_selected(client, catalogue):
    response = client.get(LIST_URL, {"thema": "ethiek", "jaar": "2020"})

    assert counts(response, "soort") == {"essay": 1, "rapport": 1}
    assert counts(response, "thema") == {"ethiek": 2}  # only 2020 items, per theme
    assert facet(response, "thema")["ethiek"].checked
    # The year facet ignores the chosen year but not the chosen theme.
    assert facet(response, "jaar") == {
        "2021": Option("2021", 1, False),
        "2020": Option("2020", 2, True),
        "2019": Option("2019", 1, False),
    }


@pytest.mark.django_db
def test_facets_keep_a_selected_option_without_results_visible(client, catalogue):
    response = client.get(LIST_URL, {"soort": "boek", "jaar": "2019"})

    assert facet(response, "soort")["boek"] == Option("Boek", 0, True)
    assert facet(response, "jaar")["2019"] == Option("2019", 0, True)


@pytest.mark.django_db
def test_facets_never_count_drafts(client, catalogue):
    response = client.get(LIST_URL, {"auteur": "martijn-van-der-steen", "jaar": "2020"})

    assert card_titles(response) == ["Ethiek essay 2020"]
    assert counts(response, "soort") == {"essay": 1}


# --- Invalid input ------------------------------------------------------------------------


@pytest.mark.django_db
def test_unknown_theme_slug_shows_an_error_instead_of_crashing(client, themes):
    make_publication("Over ethiek", themes=[themes["ethiek"]])

    response = client.get(LIST_URL, {"thema": "bestaat-niet"})

    summary = filter_errors(response)
    assert summary.title == "Niet alle filters konden worden toegepast"
    [error] = summary.errors
    assert error.href == "#filter-thema"
    assert error.text.startswith("Thema: ")
    assert "bestaat-niet" in error.text
    assert Link("Wis de filters en begin opnieuw", LIST_URL) in links(filter_form(response))
    # The unknown theme is reported and ignored; the visitor still sees the publications.
    assert card_titles(response) == ["Over ethiek"]


@pytest.mark.django_db
def test_unknown_author_slug_shows_an_error_instead_of_crashing(client):
    make_publication("Een essay")

    summary = filter_errors(client.get(LIST_URL, {"auteur": "niemand"}))

    assert summary.title == "Niet alle filters konden worden toegepast"
    [error] = summary.errors
    assert error.href == "#filter-auteur"
    assert error.text.startswith("Auteur: ")
    assert "niemand" in error.text


@pytest.mark.django_db
def test_unknown_soort_shows_an_error_instead_of_crashing(client):
    make_publication("Een essay")

    summary = filter_errors(client.get(LIST_URL, {"soort": "roman"}))

    assert summary.title == "Niet alle filters konden worden toegepast"
    [error] = summary.errors
    assert error.href == "#filter-soort"
    assert error.text.startswith("Soort: ")
    assert "roman" in error.text


@pytest.mark.django_db
def test_every_filter_error_links_to_an_element_on_the_page(client, themes):
    make_publication("Over ethiek", themes=[themes["ethiek"]])

    response = client.get(LIST_URL, {"thema": "bestaat-niet"})

    for error in filter_errors(response).errors:
        assert element_by_id(response, error.href.removeprefix("#")) is not None, error


@pytest.mark.django_db
def test_valid_filters_show_no_error_summary(client, themes):
    make_publication("Over ethiek", themes=[themes["ethiek"]])

    assert filter_errors(client.get(LIST_URL, {"thema": "ethiek"})) is None


@pytest.mark.django_db
def test_paging_alone_does_not_count_as_an_active_filter(client):
    for number in range(25):
        make_publication(f"Essay {number:02d}")

    response = client.get(LIST_URL, {"page": 2})

    assert results_heading(response) == "25 publicaties gevonden, pagina 2 van 2"
    assert "Alle filters wissen" not in page_text(response)


@pytest.mark.django_db
def test_active_filter_offers_to_clear_all_filters(client):
    make_publication("Een essay", kind=ESSAY)

    response = client.get(LIST_URL, {"soort": "essay", "sortering": "titel"})

    assert Link("Alle filters wissen", LIST_URL) in chosen_filters(response)


@pytest.mark.django_db
def test_author_facet_lists_the_twelve_most_frequent_authors_and_the_chosen_one(client):
    # Author i has i publications: 14 authors, so the two least frequent fall outside.
    authors = [make_person(given_name="Auteur", family_name=f"Nummer{i:02d}") for i in range(1, 15)]
    for i, author in enumerate(authors, start=1):
        for n in range(i):
            make_publication(f"Werk {i} {n}", authors=[author])
    shown = facet(client.get(LIST_URL), "auteur")
    assert len(shown) == 12
    assert authors[0].slug not in shown
    assert authors[1].slug not in shown
    assert shown[authors[13].slug].count == 14
    assert "Alleen de meest voorkomende staan hier" in page_text(client.get(LIST_URL))

    chosen = facet(client.get(LIST_URL, {"auteur": authors[0].slug}), "auteur")
    assert chosen[authors[0].slug].checked
    assert chosen[authors[0].slug].count == 1
