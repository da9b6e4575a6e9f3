"""Counts and order that mean what they say (issue 14, point 4).

Theme counts say per kind what they count; related publications come in the order a reader
expects (explicit links, then rare shared themes, then the newest); theme pages show the
first few of each kind with a link to all of them, events coming and past apart; an
organisation's page shows what its people did in its name.
"""

from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.models import Event
from ikpob_portal.views import THEME_PAGE_ITEMS_PER_KIND
from learning_circles.models import Contact
from publications.models import Publication
from tests.factories import (
    make_affiliation,
    make_contact,
    make_event,
    make_learning_circle,
    make_organisation,
    make_person,
    make_publication,
    make_theme,
)
from tests.html import (
    Link,
    card_titles,
    find_link,
    links,
    list_items,
    parse,
    section,
    section_headings,
    text,
    theme_index_entries,
)


def on(days: int) -> dict:
    """starts_at and ends_at of an event `days` from today (negative: in the past)."""
    day = timezone.localdate() + timedelta(days=days)
    starts = timezone.make_aware(datetime.combine(day, time(10)))
    return {"starts_at": starts, "ends_at": starts + timedelta(hours=2)}


@pytest.fixture
def participation(db):
    """A theme carried by no publication, as "Participatiemaatschappij" in the demo."""
    theme = make_theme("Participatiemaatschappij")
    make_learning_circle("Leerkring participatie", themes=[theme])
    make_event("Slotconferentie", themes=[theme], **on(-400))
    make_event("Startbijeenkomst", themes=[theme], **on(10))
    make_organisation("Gemeente Berkelland", themes=[theme])
    make_person("Anna", "Jansen", themes=[theme])
    make_person("Bert", "Visser", themes=[theme])
    make_publication("Concept", themes=[theme], status=Publication.Status.DRAFT)
    make_event("Concept-evenement", themes=[theme], status=Event.Status.DRAFT)
    return theme


# --- Theme counts -------------------------------------------------------------------------


LABELLED = "1 leerkring, 2 evenementen, 1 organisatie, 2 personen"


@pytest.mark.django_db
def test_home_counts_each_kind_under_its_own_name(client, participation):
    themes = section(client.get("/"), "Thema's")

    # No publication carries the theme, so none is counted; drafts are not counted either.
    assert list_items(themes) == [f"Participatiemaatschappij {LABELLED}"]


@pytest.mark.django_db
def test_theme_index_counts_each_kind_under_its_own_name(client, participation):
    entries = theme_index_entries(client.get("/themas/"))

    assert entries == {"Participatiemaatschappij": f"Participatiemaatschappij {LABELLED}"}


@pytest.mark.django_db
def test_counts_are_true_to_the_theme_page(client, participation):
    page = parse(client.get(participation.get_absolute_url()))

    assert len(card_titles(section(page, "Leerkringen"))) == 1
    assert len(card_titles(section(page, "Komende evenementen"))) == 1
    assert len(card_titles(section(page, "Eerdere evenementen"))) == 1
    assert len(card_titles(section(page, "Organisaties"))) == 1
    assert len(card_titles(section(page, "Personen"))) == 2


@pytest.mark.django_db
def test_english_counts_use_english_nouns_and_plurals(client, participation):
    entries = theme_index_entries(client.get("/en/themas/"))

    assert entries["Participatiemaatschappij"] == (
        "Participatiemaatschappij 1 learning circle, 2 events, 1 organisation, 2 people"
    )


# --- Related publications -----------------------------------------------------------------


@pytest.mark.django_db
def test_related_explicit_first_then_rare_shared_themes_then_the_newest():
    rare, common = make_theme("Toezicht"), make_theme("Vakmanschap")
    publication = make_publication("Hoofdstuk", themes=[rare, common], publication_year=2020)
    # Four more carry the common theme: sharing it says less than sharing the rare one.
    for year in (2015, 2016, 2017, 2018):
        make_publication(f"Vakmanschap {year}", themes=[common], publication_year=year)
    old_rare = make_publication("Oud over toezicht", themes=[rare], publication_year=2001)
    new_common = make_publication("Nieuw over vakmanschap", themes=[common], publication_year=2024)
    linked = make_publication("Gekoppeld zonder thema", publication_year=1990)
    linked_rare = make_publication("Gekoppeld over toezicht", themes=[rare], publication_year=1995)
    publication.related_publications.add(linked, linked_rare)

    titles = [item.title for item in publication.related()]

    assert titles == [
        "Gekoppeld over toezicht",  # explicit, and it shares a theme
        "Gekoppeld zonder thema",  # explicit
        "Oud over toezicht",  # the rare theme outweighs the newer common one
        "Nieuw over vakmanschap",  # then the common theme, newest first
        "Vakmanschap 2018",
        "Vakmanschap 2017",
    ]
    assert {old_rare, new_common} <= set(publication.related())


@pytest.mark.django_db
def test_related_publications_sharing_as_much_come_newest_first():
    theme = make_theme("Toezicht")
    publication = make_publication("Hoofdstuk", themes=[theme])
    for year in (2003, 2021, 2012):
        make_publication(f"Stuk uit {year}", themes=[theme], publication_year=year)
    make_publication("Stuk zonder jaar", themes=[theme], publication_year=None)

    assert [item.title for item in publication.related()] == [
        "Stuk uit 2021",
        "Stuk uit 2012",
        "Stuk uit 2003",
        "Stuk zonder jaar",
    ]


@pytest.mark.django_db
def test_publication_page_shows_the_events_about_it(client):
    essay = make_publication("Leren van doen")
    webinar = make_event("Webinar over het essay", **on(-30))
    webinar.publications.add(essay)
    make_event("Ander webinar", **on(-30))

    page = parse(client.get(essay.get_absolute_url()))

    assert card_titles(section(page, "Evenementen over deze publicatie")) == [
        "Webinar over het essay"
    ]


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("loaddemo", stdout=StringIO())


@pytest.mark.django_db
def test_leren_van_doen_shows_its_webinar_before_the_other_essays(client, demo):
    page = parse(client.get("/publicaties/leren-van-doen/"))

    related = card_titles(section(page, "Verwante publicaties"))
    assert related[0] == "Webinar Leren van doen"
    assert card_titles(section(page, "Evenementen over deze publicatie")) == [
        "Webinar Leren van doen"
    ]


@pytest.mark.django_db
def test_vng_page_shows_that_its_representative_spoke_in_the_webinar(client, demo):
    page = parse(client.get("/netwerk/vng/"))

    assert "Er is nog niets gepubliceerd" not in text(page)
    people = section(page, "Via medewerkers van VNG")
    assert "Webinar Leren van doen" in text(people)
    assert "Leonard Geluk (spreker)" in text(people)
    assert Link("Leonard Geluk", "/netwerk/personen/leonard-geluk/") in links(people)
    # The event, and the recording in which he speaks.
    assert Link("Webinar Leren van doen", "/evenementen/webinar-leren-van-doen/") in links(people)
    assert "Leonard Geluk (aan het woord)" in text(people)


# --- Theme pages ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_theme_page_shows_the_first_few_of_each_kind_and_how_many_there_are(client):
    toezicht = make_theme("Toezicht")
    for year in range(2000, 2023):
        make_publication(f"Publicatie uit {year}", themes=[toezicht], publication_year=year)

    page = parse(client.get(toezicht.get_absolute_url()))

    publications = section(page, "Publicaties")
    assert len(card_titles(publications)) == THEME_PAGE_ITEMS_PER_KIND
    more = find_link(publications, text="Alle 23 publicaties over Toezicht")
    assert more.get("href") == "/publicaties/?thema=toezicht"
    assert len(card_titles(client.get(more.get("href")))) == 20  # the list's first page


@pytest.mark.django_db
def test_theme_page_shows_upcoming_events_soonest_first_and_past_ones_apart(client):
    toezicht = make_theme("Toezicht")
    make_event("Over twintig dagen", themes=[toezicht], **on(20))
    make_event("Over vijf dagen", themes=[toezicht], **on(5))
    make_event("Vorig jaar", themes=[toezicht], **on(-365))
    make_event("Vorige maand", themes=[toezicht], **on(-30))

    page = parse(client.get(toezicht.get_absolute_url()))

    assert section_headings(page) == ["Komende evenementen", "Eerdere evenementen"]
    upcoming = card_titles(section(page, "Komende evenementen"))
    assert upcoming == ["Over vijf dagen", "Over twintig dagen"]
    assert card_titles(section(page, "Eerdere evenementen")) == ["Vorige maand", "Vorig jaar"]
    assert "Alle " not in text(page)  # everything is shown already


@pytest.mark.django_db
def test_theme_page_links_to_the_archive_for_more_past_events(client):
    toezicht = make_theme("Toezicht")
    for month in range(1, 9):
        make_event(f"Maand {month}", themes=[toezicht], **on(-30 * month))
    make_event("Binnenkort", themes=[toezicht], **on(3))

    page = parse(client.get(toezicht.get_absolute_url()))

    past = section(page, "Eerdere evenementen")
    assert len(card_titles(past)) == THEME_PAGE_ITEMS_PER_KIND
    more = find_link(past, text="Alle 8 evenementen over Toezicht in het archief")
    assert more.get("href") == "/evenementen/archief/?thema=toezicht"
    archive = card_titles(client.get(more.get("href")))
    assert len(archive) == 8
    assert "Binnenkort" not in archive


# --- What an organisation's people did ----------------------------------------------------------


@pytest.mark.django_db
def test_organisation_page_shows_what_its_people_did(client):
    vng = make_organisation("Vereniging van Nederlandse Gemeenten", short_name="VNG")
    leonard = make_person("Leonard", "Geluk", organisations=[vng])
    former = make_person("Oud", "Medewerker")
    make_affiliation(former, vng, is_current=False)
    make_event("Webinar", speakers=[leonard], **on(-60))
    make_event("Concept-webinar", speakers=[leonard], status=Event.Status.DRAFT)
    make_event("Eerder werk", speakers=[former], **on(-90))
    make_publication("Essay", authors=[leonard], publication_year=2019)
    circle = make_learning_circle("Leerkring")
    make_contact(circle, leonard, role=Contact.Role.RESEARCHER)

    page = parse(client.get(vng.get_absolute_url()))

    people = section(page, "Via medewerkers van VNG")
    items = list_items(people)
    assert [item.split(" ")[0] for item in items] == ["Leerkring", "Webinar", "Essay"]
    assert "Leonard Geluk (spreker)" in items[1]
    assert "Leonard Geluk (auteur)" in items[2]
    assert "Leonard Geluk (onderzoeker)" in items[0]
    assert "Concept-webinar" not in text(page)
    assert "Eerder werk" not in text(page)  # no longer works there
    assert "Er is nog niets gepubliceerd" not in text(page)


@pytest.mark.django_db
def test_organisation_page_does_not_repeat_what_it_shows_as_its_own(client):
    nsob = make_organisation("NSOB")
    author = make_person("Martijn", "Steen", organisations=[nsob])
    make_publication("Eigen essay", authors=[author], publisher=nsob)

    page = parse(client.get(nsob.get_absolute_url()))

    assert card_titles(section(page, "Publicaties")) == ["Eigen essay"]
    assert "Via medewerkers" not in text(page)
