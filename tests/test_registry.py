"""The registry ties the apps together: theme pages, the home page and network pages."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event
from ikpob_portal.kernel import registry
from ikpob_portal.kernel.themes import (
    published_counts_by_theme,
    published_counts_by_theme_and_kind,
)
from ikpob_portal.pages.models import Page
from ikpob_portal.views import THEME_PAGE_ITEMS_PER_KIND
from learning_circles.models import LearningCircle
from network.models import Organisation, Person
from publications.models import NewsItem, Publication
from tests.factories import (
    make_event,
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
        (NewsItem, "news:list"),
        (LearningCircle, "learning_circles:list"),
        (Event, "events:list"),
        (Organisation, "network:list"),
        (Person, "network:person-list"),
        (Page, ""),  # no list page: found through menus, search and themes
    ]


def test_connections_are_keyed_by_the_model_they_connect_to():
    def labels(target) -> list[str]:
        return [str(connection.label) for connection in registry.connections_for(target)]

    news = "Nieuws en interviews"
    assert labels(Organisation) == ["Publicaties", news, "Leerkringen", "Evenementen"]
    assert labels(Person) == ["Publicaties", news, "Leerkringen", "Evenementen"]
    assert labels(LearningCircle) == ["Evenementen"]
    assert labels(Event) == []


def test_a_connection_is_found_by_the_model_of_the_object():
    organisation = Organisation(name="Gemeente Utrecht")
    circle = LearningCircle(title="Toezicht")

    assert registry.connections_for(organisation) == registry.connections_for(Organisation)
    assert registry.connections_for(circle) == registry.connections_for(
        "learning_circles.learningcircle"
    )


def test_registering_a_model_twice_raises():
    kinds = registry.kinds()

    with pytest.raises(registry.AlreadyRegistered):
        registry.register(kinds[0])
    with pytest.raises(registry.AlreadyRegistered):
        registry.register(replace(kinds[0], label="Nog eens"))

    assert registry.kinds() == kinds


def test_registering_a_connection_feed_or_source_twice_raises():
    connections, feeds = registry.connections(), registry.feeds()
    sources = registry.participation_sources()

    with pytest.raises(registry.AlreadyRegistered):
        registry.register_connection(connections[0])
    with pytest.raises(registry.AlreadyRegistered):
        registry.register_feed(feeds[0])
    with pytest.raises(registry.AlreadyRegistered):
        registry.register_participation_source(sources[0])

    assert registry.connections() == connections
    assert registry.feeds() == feeds
    assert registry.participation_sources() == sources


@pytest.fixture
def scratch_registry(monkeypatch):
    """An empty registry, so a test can register its own declarations."""
    for name in (
        "_kinds",
        "_connections",
        "_feeds",
        "_participation_sources",
        "_reindexes",
        "_links",
    ):
        monkeypatch.setattr(registry, name, [])


@pytest.mark.django_db
def test_registering_and_looking_up_runs_no_query(scratch_registry, django_assert_num_queries):
    def circles(organisation):
        return LearningCircle.objects.filter(participations__organisation=organisation)

    with django_assert_num_queries(0):
        registry.register(
            registry.ContentKind(
                model=LearningCircle,
                label="Leerkringen",
                list_url_name="learning_circles:list",
                card_template="includes/learning_circle_card.html",
                public_queryset=LearningCircle.objects.published,
            )
        )
        registry.register_connection(
            registry.Connection(
                label="Leerkringen",
                card_template="includes/learning_circle_card.html",
                target="network.Organisation",
                items=circles,
            )
        )
        registry.register_feed(
            registry.FeedLink(key="k", title="K", rss_url_name="k:rss", atom_url_name="k:atom")
        )
        registry.register_reindex(registry.Reindex(model=Person, affected=list))
        registry.register_participation_source(list)

        assert registry.kind_for(LearningCircle).label == "Leerkringen"
        assert [c.items for c in registry.connections_for(Organisation)] == [circles]
        assert [kind.model for kind in registry.kinds()] == [LearningCircle]
        assert [feed.key for feed in registry.feeds()] == ["k"]
        assert [r.model for r in registry.reindexes_for(Person)] == [Person]


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

    assert published_counts_by_theme() == {toezicht.pk: 4}
    assert published_counts_by_theme_and_kind() == {
        toezicht.pk: {
            "publications.publication": 1,
            "learning_circles.learningcircle": 1,
            "network.organisation": 1,
            "network.person": 1,
        }
    }


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
    assert len(card_titles(organisations)) == THEME_PAGE_ITEMS_PER_KIND
    more = find_link(organisations, text="Alle 13 organisaties over Toezicht")
    assert more.get("href") == "/netwerk/?thema=toezicht"


@pytest.mark.django_db
def test_theme_index_counts_circles_organisations_and_people(client, themed):
    entries = theme_index_entries(client.get("/themas/"))

    # Each kind counted under its own name, in the singular for one.
    assert entries == {
        "Ethiek": "Ethiek 1 leerkring",
        "Toezicht": (
            "Toezicht 1 publicatie, 1 leerkring, 1 organisatie, 1 persoon Over toezicht houden."
        ),
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
    # With the counts per kind (one query each) that say how many the "Alle …" links lead to.
    with django_assert_max_num_queries(17):
        page = parse(client.get(toezicht.get_absolute_url()))
    assert len(card_titles(section(page, "Personen"))) == THEME_PAGE_ITEMS_PER_KIND


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
    with django_assert_max_num_queries(19):
        client.get("/")


# --- Connected sections on the pages of what they connect to ------------------------------


@pytest.mark.django_db
def test_organisation_person_and_circle_pages_list_their_connected_sections_in_order(client):
    organisation = make_organisation("Gemeente Utrecht")
    person = make_person("Anna", "Jansen", organisations=[organisation])
    make_publication("Essay", authors=[person], commissioned_by=[organisation])
    circle = make_learning_circle("Leerkring", lead=organisation, contacts=[person])
    make_event("Congres", organisers=[organisation], speakers=[person], learning_circle=circle)
    make_event("Concept", organisers=[organisation], status=Event.Status.DRAFT)

    for page_of in (organisation, person):
        page = parse(client.get(page_of.get_absolute_url()))
        headings = section_headings(page)
        assert [h for h in headings if h in ("Publicaties", "Leerkringen", "Evenementen")] == [
            "Publicaties",
            "Leerkringen",
            "Evenementen",
        ]
        assert card_titles(section(page, "Evenementen")) == ["Congres"]
    circle_page = parse(client.get(circle.get_absolute_url()))
    assert card_titles(section(circle_page, "Evenementen")) == ["Congres"]
