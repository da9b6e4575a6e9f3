from datetime import timedelta

import pytest
from django.utils import timezone

from learning_circles.models import LearningCircle, Phase
from network.models import Organisation
from tests.factories import make_learning_circle, make_organisation, make_participation, make_theme
from tests.html import Option, card_titles, facet_counts, facet_options, filter_errors, parse, text

CIRCLES = "/leerkringen/"
DAY = timedelta(days=1)


@pytest.fixture
def circles(db):
    """Two circles in each phase: one by its dates, one (or more) set by an editor."""
    today = timezone.localdate()
    toezicht = make_theme("Toezicht")
    ethiek = make_theme("Ethiek")
    utrecht = make_organisation("Gemeente Utrecht")
    vng = make_organisation("Vereniging van Nederlandse Gemeenten", short_name="VNG")
    bzk = make_organisation("Ministerie van BZK", short_name="BZK")
    make_learning_circle(
        "Aan de start",
        start_date=today + 30 * DAY,
        themes=[toezicht],
        lead=utrecht,
        summary="Nog even wachten op de eerste bijeenkomst.",
    )
    make_learning_circle(
        "Lopend volgens de data", start_date=today - 30 * DAY, themes=[toezicht, ethiek], lead=vng
    )
    make_participation(LearningCircle.objects.get(slug="lopend-volgens-de-data"), utrecht)
    make_learning_circle(
        "Afgerond volgens de data",
        start_date=today - 400 * DAY,
        end_date=today - DAY,
        themes=[ethiek],
        participants=[bzk],
    )
    make_learning_circle(
        "Afgerond verklaard",
        start_date=today - 200 * DAY,
        end_date=today + 200 * DAY,  # the dates say running
        phase_override=Phase.FINISHED,
        participants=[utrecht],
    )
    make_learning_circle(
        "Nog in voorbereiding verklaard",
        start_date=today - 10 * DAY,  # the dates say running
        phase_override=Phase.PREPARING,
        themes=[toezicht],
        participants=[vng],
    )
    make_learning_circle(
        "Concept", status=LearningCircle.Status.DRAFT, themes=[toezicht], participants=[utrecht]
    )


def results(client, **params) -> list[str]:
    return sorted(card_titles(client.get(CIRCLES, params)))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"fase": "voorbereiding"}, ["Aan de start", "Nog in voorbereiding verklaard"]),
        ({"fase": "lopend"}, ["Lopend volgens de data"]),
        ({"fase": "afgerond"}, ["Afgerond verklaard", "Afgerond volgens de data"]),
        (
            {"fase": ["lopend", "afgerond"]},
            ["Afgerond verklaard", "Afgerond volgens de data", "Lopend volgens de data"],
        ),
        (
            {"thema": "toezicht"},
            ["Aan de start", "Lopend volgens de data", "Nog in voorbereiding verklaard"],
        ),
        ({"thema": "ethiek"}, ["Afgerond volgens de data", "Lopend volgens de data"]),
        (
            {"organisatie": "gemeente-utrecht"},
            ["Aan de start", "Afgerond verklaard", "Lopend volgens de data"],
        ),
        (
            {"organisatie": ["ministerie-van-bzk", "vereniging-van-nederlandse-gemeenten"]},
            [
                "Afgerond volgens de data",
                "Lopend volgens de data",
                "Nog in voorbereiding verklaard",
            ],
        ),
        ({"q": "wachten"}, ["Aan de start"]),
        ({"q": "volgens data"}, ["Afgerond volgens de data", "Lopend volgens de data"]),
    ],
    ids=[
        "fase-dates-and-override",
        "fase-lopend",
        "fase-afgerond",
        "fase-two",
        "thema",
        "thema-ethiek",
        "organisatie",
        "organisatie-two",
        "q-summary",
        "q-every-word",
    ],
)
def test_circle_filter_alone(client, circles, params, expected):
    assert results(client, **params) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"fase": "voorbereiding", "thema": "toezicht"},
            ["Aan de start", "Nog in voorbereiding verklaard"],
        ),
        ({"fase": "afgerond", "organisatie": "gemeente-utrecht"}, ["Afgerond verklaard"]),
        (
            {"thema": "toezicht", "organisatie": "gemeente-utrecht"},
            ["Aan de start", "Lopend volgens de data"],
        ),
        (
            {"fase": "lopend", "thema": "ethiek", "organisatie": "gemeente-utrecht"},
            ["Lopend volgens de data"],
        ),
        ({"fase": "afgerond", "thema": "toezicht"}, []),
    ],
    ids=["fase-thema", "fase-organisatie", "thema-organisatie", "all-three", "none"],
)
def test_circle_filters_combined(client, circles, params, expected):
    assert results(client, **params) == expected


@pytest.mark.django_db
def test_circle_facets_count_published_circles_only(client, circles):
    page = parse(client.get(CIRCLES))

    assert facet_options(page, "fase") == {
        "voorbereiding": Option("In voorbereiding", 2, False),
        "lopend": Option("Lopend", 1, False),
        "afgerond": Option("Afgerond", 2, False),
    }
    assert facet_counts(page, "thema") == {"ethiek": 2, "toezicht": 3}
    assert facet_options(page, "organisatie") == {
        "gemeente-utrecht": Option("Gemeente Utrecht", 3, False),
        "ministerie-van-bzk": Option("BZK", 1, False),
        "vereniging-van-nederlandse-gemeenten": Option("VNG", 2, False),
    }


@pytest.mark.django_db
def test_circle_facets_count_against_the_other_filters(client, circles):
    page = parse(client.get(CIRCLES, {"fase": "afgerond"}))

    assert facet_options(page, "fase")["afgerond"] == Option("Afgerond", 2, True)
    assert facet_counts(page, "fase")["voorbereiding"] == 2  # its own facet stays whole
    assert facet_counts(page, "thema") == {"ethiek": 1}
    assert facet_counts(page, "organisatie") == {
        "gemeente-utrecht": 1,
        "ministerie-van-bzk": 1,
    }


@pytest.mark.django_db
def test_circle_facets_with_thema_and_organisatie(client, circles):
    page = parse(client.get(CIRCLES, {"thema": "toezicht", "organisatie": "gemeente-utrecht"}))

    assert facet_counts(page, "fase") == {"voorbereiding": 1, "lopend": 1}
    assert facet_counts(page, "thema") == {"ethiek": 1, "toezicht": 2}
    assert facet_counts(page, "organisatie") == {
        "gemeente-utrecht": 2,
        "vereniging-van-nederlandse-gemeenten": 2,
    }


@pytest.mark.django_db
def test_circle_phase_facet_keeps_a_chosen_phase_without_results_visible(client):
    make_learning_circle("Lopend")

    page = parse(client.get(CIRCLES, {"fase": "afgerond"}))

    assert card_titles(page) == []
    assert facet_options(page, "fase")["afgerond"] == Option("Afgerond", 0, True)
    assert "Geen leerkringen gevonden met deze filters." in text(page)


@pytest.mark.django_db
def test_circle_unknown_phase_shows_an_error_instead_of_crashing(client, circles):
    summary = filter_errors(client.get(CIRCLES, {"fase": "eeuwig"}))

    assert summary.title == "Niet alle filters konden worden toegepast"
    [error] = summary.errors
    assert error.text.startswith("Fase: ")
    assert error.href == "#filter-fase"


@pytest.mark.django_db
def test_circle_facet_does_not_show_unpublished_organisations(client, circles):
    make_learning_circle(
        "Met geheime deelnemer",
        participants=[make_organisation("Geheim", status=Organisation.Status.DRAFT)],
    )

    assert "geheim" not in facet_options(client.get(CIRCLES), "organisatie")
