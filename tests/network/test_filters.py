import pytest

from network.models import Organisation, Person
from tests.factories import make_affiliation, make_organisation, make_person, make_theme
from tests.html import (
    Link,
    Option,
    card_titles,
    cards,
    chosen_filters,
    count_queries,
    facet_counts,
    facet_options,
    filter_errors,
    filter_form,
    parse,
    results_heading,
    text,
)

ORGANISATIONS = "/netwerk/"
PEOPLE = "/netwerk/personen/"
Kind = Organisation.Kind


# --- /netwerk/ --------------------------------------------------------------------------------


@pytest.fixture
def organisations(db):
    toezicht = make_theme("Toezicht")
    ethiek = make_theme("Ethiek")
    make_organisation("Gemeente Utrecht", kind=Kind.GEMEENTE, is_partner=True, themes=[toezicht])
    make_organisation(
        "Gemeente Berkelland",
        kind=Kind.GEMEENTE,
        is_client=True,
        themes=[ethiek],
        description="Een plattelandsgemeente in de Achterhoek.",
    )
    make_organisation(
        "Ministerie van BZK",
        short_name="BZK",
        kind=Kind.MINISTERIE,
        is_client=True,
        is_funder=True,
        themes=[toezicht, ethiek],
    )
    make_organisation(
        "Vereniging van Nederlandse Gemeenten",
        short_name="VNG",
        kind=Kind.VERENIGING,
        is_partner=True,
        is_knowledge_partner=True,
        themes=[toezicht],
    )
    make_organisation("Fonds Publiek Vakmanschap", kind=Kind.FONDS, is_funder=True)
    make_organisation(
        "Concept-gemeente",
        kind=Kind.GEMEENTE,
        is_partner=True,
        themes=[toezicht],
        status=Organisation.Status.DRAFT,
    )


def organisation_results(client, **params) -> list[str]:
    return card_titles(client.get(ORGANISATIONS, params))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"soort": "gemeente"}, ["Gemeente Berkelland", "Gemeente Utrecht"]),
        (
            {"soort": ["gemeente", "ministerie"]},
            ["Gemeente Berkelland", "Gemeente Utrecht", "Ministerie van BZK"],
        ),
        ({"relatie": "partner"}, ["Gemeente Utrecht", "Vereniging van Nederlandse Gemeenten"]),
        (
            {"relatie": ["partner", "financier"]},  # either relation
            [
                "Fonds Publiek Vakmanschap",
                "Gemeente Utrecht",
                "Ministerie van BZK",
                "Vereniging van Nederlandse Gemeenten",
            ],
        ),
        (
            {"thema": "toezicht"},
            ["Gemeente Utrecht", "Ministerie van BZK", "Vereniging van Nederlandse Gemeenten"],
        ),
        (
            {"thema": ["toezicht", "ethiek"]},
            [
                "Gemeente Berkelland",
                "Gemeente Utrecht",
                "Ministerie van BZK",
                "Vereniging van Nederlandse Gemeenten",
            ],
        ),
        (
            {"q": "gemeente"},
            ["Gemeente Berkelland", "Gemeente Utrecht", "Vereniging van Nederlandse Gemeenten"],
        ),
        ({"q": "bzk"}, ["Ministerie van BZK"]),
        ({"q": "achterhoek"}, ["Gemeente Berkelland"]),  # the description
        ({"q": "gemeente utrecht"}, ["Gemeente Utrecht"]),  # every word
    ],
    ids=[
        "soort",
        "soort-two",
        "relatie",
        "relatie-or",
        "thema",
        "thema-two",
        "q",
        "q-short-name",
        "q-description",
        "q-every-word",
    ],
)
def test_organisation_filter_alone(client, organisations, params, expected):
    assert organisation_results(client, **params) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"soort": "gemeente", "relatie": "opdrachtgever"}, ["Gemeente Berkelland"]),
        (
            {"thema": "toezicht", "relatie": "partner"},
            ["Gemeente Utrecht", "Vereniging van Nederlandse Gemeenten"],
        ),
        (
            {"soort": ["gemeente", "ministerie"], "thema": "ethiek", "relatie": "financier"},
            ["Ministerie van BZK"],
        ),
        ({"soort": "gemeente", "thema": "toezicht", "q": "utrecht"}, ["Gemeente Utrecht"]),
        ({"soort": "fonds", "thema": "toezicht"}, []),
    ],
    ids=["soort-relatie", "thema-relatie", "soort-thema-relatie", "soort-thema-q", "none"],
)
def test_organisation_filters_combined(client, organisations, params, expected):
    assert organisation_results(client, **params) == expected


@pytest.mark.django_db
def test_organisation_facets_count_published_organisations_only(client, organisations):
    page = parse(client.get(ORGANISATIONS))

    assert facet_options(page, "soort") == {
        "gemeente": Option("Gemeente", 2, False),
        "ministerie": Option("Ministerie", 1, False),
        "vereniging": Option("Vereniging", 1, False),
        "fonds": Option("Fonds", 1, False),
    }
    assert facet_counts(page, "relatie") == {
        "partner": 2,
        "opdrachtgever": 2,
        "financier": 2,
        "kennispartner": 1,
    }
    assert facet_counts(page, "thema") == {"ethiek": 2, "toezicht": 3}


@pytest.mark.django_db
def test_organisation_facets_count_against_the_other_filters(client, organisations):
    page = parse(client.get(ORGANISATIONS, {"soort": "gemeente"}))

    # The chosen facet keeps its own counts, so a visitor sees what else they could add.
    assert facet_options(page, "soort")["gemeente"] == Option("Gemeente", 2, True)
    assert facet_counts(page, "soort")["ministerie"] == 1
    assert facet_counts(page, "relatie") == {"partner": 1, "opdrachtgever": 1}
    assert facet_counts(page, "thema") == {"ethiek": 1, "toezicht": 1}


@pytest.mark.django_db
def test_organisation_relation_facet_keeps_counts_of_every_relation_when_one_is_chosen(
    client, organisations
):
    page = parse(client.get(ORGANISATIONS, {"relatie": "partner"}))

    assert facet_options(page, "relatie")["partner"] == Option("Partner", 2, True)
    assert facet_counts(page, "relatie")["financier"] == 2
    assert facet_counts(page, "soort") == {"gemeente": 1, "vereniging": 1}
    assert facet_counts(page, "thema") == {"toezicht": 2}


@pytest.mark.django_db
def test_organisation_filters_show_the_count_and_a_reset_link(client, organisations):
    page = parse(client.get(ORGANISATIONS, {"soort": "gemeente"}))

    assert results_heading(page) == "2 organisaties gevonden"
    assert Link("Alle filters wissen", ORGANISATIONS) in chosen_filters(page)


@pytest.mark.django_db
def test_organisation_filters_without_results_show_the_empty_state(client, organisations):
    page = parse(client.get(ORGANISATIONS, {"q": "bestaatniet"}))

    assert card_titles(page) == []
    assert "Geen organisaties gevonden met deze filters." in text(page)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "label"),
    [({"soort": "bakkerij"}, "Soort"), ({"relatie": "vijand"}, "Relatie met IKPOB")],
)
def test_organisation_unknown_filter_value_shows_an_error_instead_of_crashing(
    client, organisations, params, label
):
    summary = filter_errors(client.get(ORGANISATIONS, params))

    assert summary.title == "Niet alle filters konden worden toegepast"
    [error] = summary.errors
    assert error.text.startswith(f"{label}: ")


# --- /netwerk/personen/ -----------------------------------------------------------------------


@pytest.fixture
def people(db):
    toezicht = make_theme("Toezicht")
    vakmanschap = make_theme("Vakmanschap")
    nsob = make_organisation("Nederlandse School voor Openbaar Bestuur", short_name="NSOB")
    bzk = make_organisation("Ministerie van BZK", short_name="BZK")
    steen = make_person(
        "Martijn", "Steen", particle="van der", title="decaan", themes=[vakmanschap]
    )
    make_affiliation(steen, nsob)
    jansen = make_person("Anna", "Jansen", title="onderzoeker", themes=[toezicht])
    make_affiliation(jansen, nsob)
    make_affiliation(jansen, bzk, role="adviseur")
    bakker = make_person("Bert", "Bakker", themes=[toezicht, vakmanschap])
    make_affiliation(bakker, bzk)
    concept = make_person("Carla", "Concept", themes=[toezicht], status=Person.Status.DRAFT)
    make_affiliation(concept, nsob)
    make_person("Zoë", "Zwart")


def people_results(client, **params) -> list[str]:
    return card_titles(client.get(PEOPLE, params))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Bert Bakker", "Anna Jansen", "Martijn van der Steen", "Zoë Zwart"]),
        (
            {"organisatie": "nederlandse-school-voor-openbaar-bestuur"},
            ["Anna Jansen", "Martijn van der Steen"],
        ),
        (
            {"organisatie": ["nederlandse-school-voor-openbaar-bestuur", "ministerie-van-bzk"]},
            ["Bert Bakker", "Anna Jansen", "Martijn van der Steen"],
        ),
        ({"thema": "toezicht"}, ["Bert Bakker", "Anna Jansen"]),
        (
            {"thema": ["toezicht", "vakmanschap"]},
            ["Bert Bakker", "Anna Jansen", "Martijn van der Steen"],
        ),
        ({"q": "steen"}, ["Martijn van der Steen"]),
        ({"q": "van der steen"}, ["Martijn van der Steen"]),  # the particle
        ({"q": "bzk"}, ["Bert Bakker", "Anna Jansen"]),  # an organisation, as site search
        ({"q": "onderzoeker"}, ["Anna Jansen"]),  # the title
        ({"q": "martijn steen"}, ["Martijn van der Steen"]),
        ({"q": "zoë"}, ["Zoë Zwart"]),
    ],
    ids=[
        "none",
        "organisatie",
        "organisatie-two",
        "thema",
        "thema-two",
        "q-family-name",
        "q-particle",
        "q-organisation",
        "q-title",
        "q-every-word",
        "q-accent",
    ],
)
def test_person_filter_alone(client, people, params, expected):
    assert people_results(client, **params) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"organisatie": "nederlandse-school-voor-openbaar-bestuur", "thema": "toezicht"},
            ["Anna Jansen"],
        ),
        ({"organisatie": "ministerie-van-bzk", "q": "bakker"}, ["Bert Bakker"]),
        (
            {
                "organisatie": "nederlandse-school-voor-openbaar-bestuur",
                "thema": "vakmanschap",
                "q": "decaan",
            },
            ["Martijn van der Steen"],
        ),
        ({"organisatie": "ministerie-van-bzk", "thema": "vakmanschap", "q": "jansen"}, []),
    ],
    ids=["organisatie-thema", "organisatie-q", "all-three", "none"],
)
def test_person_filters_combined(client, people, params, expected):
    assert people_results(client, **params) == expected


@pytest.mark.django_db
def test_person_facets_count_published_people_only(client, people):
    page = parse(client.get(PEOPLE))

    assert facet_options(page, "organisatie") == {
        "ministerie-van-bzk": Option("BZK", 2, False),
        "nederlandse-school-voor-openbaar-bestuur": Option("NSOB", 2, False),
    }
    assert facet_counts(page, "thema") == {"toezicht": 2, "vakmanschap": 2}


@pytest.mark.django_db
def test_person_facets_count_against_the_other_filters(client, people):
    page = parse(client.get(PEOPLE, {"thema": "toezicht"}))

    assert facet_counts(page, "organisatie") == {
        "ministerie-van-bzk": 2,
        "nederlandse-school-voor-openbaar-bestuur": 1,
    }
    assert facet_options(page, "thema")["toezicht"] == Option("Toezicht", 2, True)
    assert facet_counts(page, "thema")["vakmanschap"] == 2


@pytest.mark.django_db
def test_person_facet_keeps_a_chosen_organisation_without_results_visible(client, people):
    make_organisation("Lege organisatie")

    page = parse(client.get(PEOPLE, {"organisatie": "lege-organisatie"}))

    assert card_titles(page) == []
    assert facet_options(page, "organisatie")["lege-organisatie"] == Option(
        "Lege organisatie", 0, True
    )


@pytest.mark.django_db
def test_person_unknown_organisation_shows_an_error_instead_of_crashing(client, people):
    summary = filter_errors(client.get(PEOPLE, {"organisatie": "bestaat-niet"}))

    assert summary.title == "Niet alle filters konden worden toegepast"
    [error] = summary.errors
    assert error.text.startswith("Organisatie: ")
    assert error.href == "#filter-organisatie"


@pytest.mark.django_db
def test_person_facet_does_not_show_unpublished_organisations(client, people):
    hidden = make_organisation("Verborgen instituut", status=Organisation.Status.DRAFT)
    make_affiliation(make_person("Dirk", "Dekker"), hidden)

    page = parse(client.get(PEOPLE))

    assert "verborgen-instituut" not in facet_options(page, "organisatie")
    assert "Verborgen instituut" not in filter_form(page).text


@pytest.mark.django_db
def test_person_list_query_count_with_filters_does_not_grow(client, django_assert_max_num_queries):
    url = f"{PEOPLE}?organisatie=nsob&thema=toezicht&q=anna"
    nsob = make_organisation("NSOB")
    toezicht = make_theme("Toezicht")
    make_person("Anna", "Nul", organisations=[nsob], themes=[toezicht])
    with_one = count_queries(client, url)

    for number in range(30):
        make_person("Anna", f"Nummer{number}", organisations=[nsob], themes=[toezicht])

    assert count_queries(client, url) == with_one
    with django_assert_max_num_queries(10):
        assert len(cards(client.get(url))) == 20
