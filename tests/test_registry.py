"""The registry ties the apps together: theme pages, the home page and network pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event
from ikpob_portal.kernel import registry
from learning_circles.models import LearningCircle
from network.models import Organisation, Person
from publications.models import Publication
from tests.factories import (
    make_learning_circle,
    make_organisation,
    make_person,
    make_publication,
    make_theme,
)
from tests.html import (
    card_titles,
    count_queries,
    find_link,
    page_heading,
    parse,
    section,
    section_headings,
    theme_index_entries,
)

TOMORROW = timedelta(days=1)


def test_every_public_model_is_registered_in_page_order():
    assert [(kind.model, kind.list_url_name) for kind in registry.kinds()] == [
        (Publication, "publications:list"),
        (LearningCircle, "learning_circles:list"),
        (Event, "events:list"),
        (Organisation, "network:list"),
        (Person, "network:person-list"),
    ]


def test_connections_to_organisations_and_people_are_registered_once():
    labels = [str(connection.label) for connection in registry.connections()]

    assert labels == ["Publicaties", "Leerkringen", "Evenementen"]
    assert all(c.for_organisation and c.for_person for c in registry.connections())


def test_registering_twice_changes_nothing():
    kinds = registry.kinds()
    connections = registry.connections()

    registry.register(kinds[0])
    registry.register_connection(connections[0])

    assert registry.kinds() == kinds
    assert registry.connections() == connections


@pytest.mark.django_db
def test_published_counts_by_theme_count_every_kind_but_no_drafts():
    toezicht = make_theme("Toezicht")
    make_publication("Essay", themes=[toezicht])
    make_learning_circle("Leerkring", themes=[toezicht])
    make_organisation("Gemeente", themes=[toezicht])
    make_person("Anna", "Jansen", themes=[toezicht])
    make_learning_circle("Concept", themes=[toezicht], status=LearningCircle.Status.DRAFT)
    make_organisation("Concept-org", themes=[toezicht], status=Organisation.Status.DRAFT)
    make_person("Toon", "Toekomst", themes=[toezicht], published_at=timezone.now() + TOMORROW)

    assert registry.published_counts_by_theme() == {toezicht.pk: 4}


# --- Theme pages ------------------------------------------------------------------------------


@pytest.fixture
def themed(db):
    toezicht = make_theme("Toezicht", description="Over toezicht houden.")
    other = make_theme("Ethiek")
    make_publication("Essay over toezicht", themes=[toezicht])
    make_learning_circle("Leerkring toezicht", themes=[toezicht])
    make_learning_circle("Leerkring ethiek", themes=[other])
    make_learning_circle("Concept-leerkring", themes=[toezicht], status=LearningCircle.Status.DRAFT)
    make_organisation("Inspectie JenV", themes=[toezicht])
    make_organisation("Geheime inspectie", themes=[toezicht], status=Organisation.Status.DRAFT)
    make_person("Anna", "Toezichthouder", themes=[toezicht])
    make_person("Toon", "Toekomst", themes=[toezicht], published_at=timezone.now() + TOMORROW)
    return toezicht


@pytest.mark.django_db
def test_theme_page_includes_circles_organisations_and_people_with_that_theme(client, themed):
    page = parse(client.get(themed.get_absolute_url()))

    assert section_headings(page) == ["Publicaties", "Leerkringen", "Organisaties", "Personen"]
    assert card_titles(section(page, "Leerkringen")) == ["Leerkring toezicht"]
    assert card_titles(section(page, "Organisaties")) == ["Inspectie JenV"]
    assert card_titles(section(page, "Personen")) == ["Anna Toezichthouder"]


@pytest.mark.django_db
def test_theme_page_links_to_the_filtered_lists_when_there_are_more(client):
    toezicht = make_theme("Toezicht")
    for number in range(13):
        make_organisation(f"Gemeente {number:02d}", themes=[toezicht])

    page = parse(client.get(toezicht.get_absolute_url()))

    organisations = section(page, "Organisaties")
    assert len(card_titles(organisations)) == 12
    more = find_link(organisations, text="Alle organisaties over Toezicht")
    assert more.get("href") == "/netwerk/?thema=toezicht"


@pytest.mark.django_db
def test_theme_index_counts_circles_organisations_and_people(client, themed):
    entries = theme_index_entries(client.get("/themas/"))

    # Toezicht: one publication, circle, organisation and person; Ethiek: one circle.
    assert entries == {
        "Ethiek": "Ethiek 1 item",
        "Toezicht": "Toezicht 4 items Over toezicht houden.",
    }


@pytest.mark.django_db
def test_theme_page_query_count_does_not_grow_with_items(client, django_assert_max_num_queries):
    toezicht = make_theme("Toezicht")

    def add(start: int, count: int) -> None:
        for number in range(start, start + count):
            lead = make_organisation(f"Trekker {number}", themes=[toezicht])
            make_learning_circle(f"Leerkring {number}", themes=[toezicht], lead=lead)
            make_person("Anna", f"Persoon{number}", themes=[toezicht], organisations=[lead])

    add(0, 1)
    with_one = count_queries(client, toezicht.get_absolute_url())
    add(1, 29)

    assert count_queries(client, toezicht.get_absolute_url()) == with_one
    with django_assert_max_num_queries(12):
        page = parse(client.get(toezicht.get_absolute_url()))
    assert len(card_titles(section(page, "Personen"))) == 12


# --- Home page --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_home_page_shows_the_newest_content_but_no_drafts(client, themed):
    page = parse(client.get("/"))

    headings = section_headings(page)
    for heading in ("Nieuwste publicaties", "Nieuwste leerkringen", "Agenda"):
        assert heading in headings
    # People and organisations are found through the network, not as "newest" on home.
    assert "Nieuwste organisaties" not in headings
    assert "Nieuwste personen" not in headings
    assert "Leerkring toezicht" in card_titles(section(page, "Nieuwste leerkringen"))
    for hidden in ("Concept-leerkring", "Geheime inspectie", "Toon Toekomst"):
        assert hidden not in page.text
    assert page_heading(page) == "Kennis over het vak van de ambtenaar"


@pytest.mark.django_db
def test_home_page_query_count_does_not_grow_with_items(client, django_assert_max_num_queries):
    theme = make_theme("Toezicht")

    def add(start: int, count: int) -> None:
        for number in range(start, start + count):
            organisation = make_organisation(f"Organisatie {number}", themes=[theme])
            person = make_person("Anna", f"Persoon{number}", organisations=[organisation])
            make_publication(f"Essay {number}", authors=[person], themes=[theme])
            make_learning_circle(f"Leerkring {number}", lead=organisation, themes=[theme])

    add(0, 1)
    with_one = count_queries(client, "/")
    add(1, 14)

    assert count_queries(client, "/") == with_one
    with django_assert_max_num_queries(16):
        client.get("/")
