from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from events.models import Event
from tests.factories import make_event, make_organisation, make_theme
from tests.html import Option, card_titles, facet_counts, facet_options, filter_errors, parse

EVENTS = "/evenementen/"
ARCHIVE = "/evenementen/archief/"
DAY = timedelta(days=1)


def at_noon(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


@pytest.fixture
def upcoming(db):
    toezicht = make_theme("Toezicht")
    ethiek = make_theme("Ethiek")
    utrecht = make_organisation("Gemeente Utrecht")
    vng = make_organisation("Vereniging van Nederlandse Gemeenten", short_name="VNG")
    concept_org = make_organisation("Concept-organisatie", status=Event.Status.DRAFT)
    today = timezone.localdate()
    make_event(
        "Congres over populisme",
        kind=Event.Kind.CONGRESS,
        starts_at=at_noon(today + 40 * DAY),
        themes=[toezicht],
        organisers=[utrecht, vng],
    )
    make_event(
        "Webinar ethiek",
        kind=Event.Kind.WEBINAR,
        starts_at=at_noon(today + 120 * DAY),
        venue_name="",
        online_url="https://example.org/webinar",
        themes=[ethiek],
        organisers=[vng],
    )
    make_event(
        "Bijeenkomst toezicht",
        kind=Event.Kind.MEETING,
        starts_at=at_noon(today + 200 * DAY),
        themes=[toezicht, ethiek],
        organisers=[concept_org],
        summary="Over inspecties in de praktijk.",
    )
    make_event("Oud congres", kind=Event.Kind.CONGRESS, starts_at=at_noon(today - 40 * DAY))
    make_event("Concept", kind=Event.Kind.CONGRESS, status=Event.Status.DRAFT, themes=[toezicht])


def results(client, url: str = EVENTS, **params) -> list[str]:
    return sorted(card_titles(client.get(url, params)))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"soort": "congres"}, ["Congres over populisme"]),
        ({"soort": ["congres", "webinar"]}, ["Congres over populisme", "Webinar ethiek"]),
        ({"thema": "toezicht"}, ["Bijeenkomst toezicht", "Congres over populisme"]),
        ({"thema": "ethiek"}, ["Bijeenkomst toezicht", "Webinar ethiek"]),
        (
            {"organisator": "vereniging-van-nederlandse-gemeenten"},
            ["Congres over populisme", "Webinar ethiek"],
        ),
        ({"organisator": "gemeente-utrecht"}, ["Congres over populisme"]),
        ({"periode": "komende-3-maanden"}, ["Congres over populisme"]),
        ({"periode": "later"}, ["Bijeenkomst toezicht", "Webinar ethiek"]),
        (
            {"periode": ["komende-3-maanden", "later"]},
            ["Bijeenkomst toezicht", "Congres over populisme", "Webinar ethiek"],
        ),
        ({"q": "inspecties"}, ["Bijeenkomst toezicht"]),
        ({"q": "WEBINAR"}, ["Webinar ethiek"]),
        ({"thema": "toezicht", "soort": "bijeenkomst"}, ["Bijeenkomst toezicht"]),
    ],
)
def test_list_filters(client, upcoming, params, expected):
    assert results(client, **params) == expected


@pytest.mark.django_db
def test_this_month_period_ends_at_midnight_before_the_first_of_next_month(client):
    today = timezone.localdate()
    first_of_next_month = (today.replace(day=28) + 4 * DAY).replace(day=1)
    this_morning = timezone.make_aware(datetime.combine(today, time(0)))
    next_month = timezone.make_aware(datetime.combine(first_of_next_month, time(0)))
    make_event("Deze maand", starts_at=this_morning, ends_at=this_morning + 3 * DAY)
    make_event("Volgende maand", starts_at=next_month)

    assert results(client, periode="deze-maand") == ["Deze maand"]


def test_facets_count_what_each_option_would_give(client, upcoming):
    page = parse(client.get(EVENTS, {"thema": "toezicht"}))

    assert facet_counts(page, "soort") == {"congres": 1, "bijeenkomst": 1}
    assert facet_options(page, "thema") == {
        "ethiek": Option("Ethiek", 2, False),
        "toezicht": Option("Toezicht", 2, True),
    }
    # Only published organisers are offered; counts are per event with the other filters.
    assert facet_counts(page, "organisator") == {
        "gemeente-utrecht": 1,
        "vereniging-van-nederlandse-gemeenten": 1,
    }
    assert facet_counts(page, "periode") == {"komende-3-maanden": 1, "later": 1}


def test_archive_filters_by_year_and_kind(client, db):
    this_year = timezone.localdate().year
    make_event(
        "Slotconferentie 2019",
        kind=Event.Kind.CLOSING_CONFERENCE,
        starts_at=at_noon(date(2019, 1, 16)),
    )
    make_event("Webinar 2020", kind=Event.Kind.WEBINAR, starts_at=at_noon(date(2020, 9, 22)))
    make_event("Congres 2020", kind=Event.Kind.CONGRESS, starts_at=at_noon(date(2020, 11, 20)))
    make_event("Komend", starts_at=at_noon(date(this_year + 1, 1, 10)))

    page = parse(client.get(ARCHIVE))

    assert facet_counts(page, "jaar") == {"2020": 2, "2019": 1}
    assert results(client, ARCHIVE, jaar="2020") == ["Congres 2020", "Webinar 2020"]
    assert results(client, ARCHIVE, jaar=["2019", "2020"], soort="webinar") == ["Webinar 2020"]
    assert results(client, ARCHIVE, soort="slotconferentie") == ["Slotconferentie 2019"]
    assert "periode" not in parse(client.get(ARCHIVE)).text


@pytest.mark.parametrize(
    ("url", "params", "anchor"),
    [
        (EVENTS, {"soort": "bestaat-niet"}, "#filter-soort"),
        (ARCHIVE, {"jaar": "vorig"}, "#filter-jaar"),
    ],
)
def test_invalid_filter_value_is_reported(client, upcoming, url, params, anchor):
    summary = filter_errors(client.get(url, params))

    assert summary.title == "Niet alle filters konden worden toegepast"
    [error] = summary.errors
    assert error.href == anchor


def test_invalid_filter_value_is_ignored_and_the_others_still_apply(client, upcoming):
    assert results(client, thema="toezicht", organisator="bestaat-niet") == [
        "Bijeenkomst toezicht",
        "Congres over populisme",
    ]
