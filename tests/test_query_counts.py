"""Every public page runs a fixed number of queries, whatever the size of the data (issue 7).

The per-app tests compare query counts of their own pages; this file is the site-wide
statement, one row per public page type. Each row is measured twice: in a small world (one
of everything, all linked) and after the world has grown (many more publications, authors,
themes, organisations, people, circles and events, linked to the same theme, organisation,
person, circle and event, so every page under test shows more rows). The two counts must be
equal, and at most the cap in the table (the count measured when it was written), so that a
regression shows here; the page must answer its status (200, 404 for the 404 page) and, for
pages that show data, its body must have grown, so a page that stopped showing the rows
cannot pass either.

A count may legitimately depend on the number of registered *kinds* or of a page's
*sections* (the home page, theme pages, the theme index, the sitemap and the site search run
queries per kind; a publication's "related" list runs a query per part it fills), never on
rows: the small world already has a published item of every kind and fills every section,
so growing it adds rows only. A new registered kind therefore raises those caps by design.

The counts are the same on SQLite and PostgreSQL, although search takes other code paths
there (full text and trigrams against the `icontains` fallback): one cap holds for both.

Building the worlds takes seconds (every save indexes for search), so they are built once
for the whole table, in the module-scoped `measured` fixture, inside a transaction that is
rolled back; each page is one test that reads its two counts.

The page cache (ikpob_portal/platform/cache.py) is off here: it would answer the second request
without rendering, and hide what rendering costs.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from events.models import Event, Registration
from ikpob_portal.kernel.models import Theme
from learning_circles.models import Contact, LearningCircle
from network.models import Organisation, Person
from publications import oai
from publications.models import NewsContribution, NewsItem, Publication
from tests.factories import (
    MINIMAL_PDF,
    make_contact,
    make_event,
    make_learning_circle,
    make_meeting,
    make_news_item,
    make_organisation,
    make_participation,
    make_person,
    make_publication,
    make_registration,
    make_research_question,
    make_session,
    make_theme,
)
from tests.html import count_queries

# A word (and a second one) in every item of every kind, so a search finds all kinds.
WORD = "toezicht"
TEXT = "Over toezicht in de zorg."
FILLERS = 20  # settings.PAGE_SIZE and SEARCH_PAGE_SIZE: with them, there is a second page


@dataclass
class World:
    """The small world's items: the ones whose pages are measured."""

    theme: Theme
    organisation: Organisation
    person: Person
    publication: Publication
    circle: LearningCircle
    event: Event
    past_event: Event
    news_item: NewsItem


def small_world() -> World:
    """One of everything, linked: every public page has something to show."""
    theme = make_theme("Toezicht")
    organisation = make_organisation("Inspectie Utrecht", themes=[theme], description=TEXT)
    person = make_person(
        "Anna",
        "Jansen",
        themes=[theme],
        organisations=[organisation],
        bio=TEXT,
        title="Onderzoeker",
    )
    publication = make_publication(
        "Toezicht in de zorg",
        summary=TEXT,
        kind=Publication.Kind.RAPPORT,
        publication_year=2020,
        authors=[person],
        themes=[theme],
        publisher=organisation,
        commissioned_by=[organisation],
        pdf=MINIMAL_PDF,
    )
    # Its "related" list: two explicitly related publications, then one sharing its theme
    # (each part of the list is a query only when the part before leaves room; see
    # Publication.related).
    publication.related_publications.add(
        *[
            make_publication(
                f"Toezicht nader {number}", summary=TEXT, authors=[person], themes=[theme]
            )
            for number in range(2)
        ]
    )
    make_publication("Toezicht elders", summary=TEXT, authors=[person], themes=[theme])
    circle = make_learning_circle(
        "Leerkring toezicht",
        summary=TEXT,
        themes=[theme],
        lead=organisation,
        contacts=[person],
    )
    make_research_question(circle, "Hoe werkt toezicht in de zorg?")
    make_meeting(circle)
    circle.outcome_publications.add(publication)
    event = make_event(
        "Congres toezicht",
        summary=TEXT,
        themes=[theme],
        organisers=[organisation],
        speakers=[person],
        capacity=500,
        learning_circle=circle,
    )
    event.publications.add(publication)
    session = make_session(event, "Workshop toezicht", capacity=200)
    make_registration(event, sessions=[session])
    past_event = make_event(
        "Terugblik toezicht",
        summary=TEXT,
        starts_at=timezone.now() - timedelta(days=400),
        themes=[theme],
        organisers=[organisation],
        speakers=[person],
    )
    make_registration(past_event)
    news_item = make_news_item(
        "Interview over toezicht",
        summary=TEXT,
        kind=NewsItem.Kind.INTERVIEW,
        people=[(person, NewsContribution.Role.INTERVIEWEE)],
        organisations=[organisation],
        themes=[theme],
    )
    return World(theme, organisation, person, publication, circle, event, past_event, news_item)


def grow(world: World) -> None:
    """Many more rows of everything, linked to the small world's items."""
    theme, organisation, person = world.theme, world.organisation, world.person
    extra_themes = [make_theme(f"Extra thema {number}") for number in range(5)]
    organisations = [
        make_organisation(
            f"Organisatie {number}",
            themes=[theme, extra_themes[number % 5]],
            description=TEXT,
        )
        for number in range(25)
    ]
    people = [
        make_person(
            "Piet",
            f"Persoon{number}",
            themes=[theme, extra_themes[number % 5]],
            organisations=[organisation, organisations[number]],
            bio=TEXT,
        )
        for number in range(25)
    ]
    kinds = [Publication.Kind.RAPPORT, Publication.Kind.RAPPORT, Publication.Kind.ESSAY]
    publications = [
        make_publication(
            f"Toezicht deel {number:02d}",
            summary=TEXT,
            # Most match the filtered list (rapport, 2020); the others widen the facets.
            kind=kinds[number % 3],
            publication_year=2020 if number % 4 else 2018 + number % 3,
            authors=[person, people[number], people[(number + 1) % 25]],
            themes=[theme, extra_themes[number % 5]],
            publisher=organisation,
            commissioned_by=[organisation, organisations[number]],
        )
        for number in range(25)
    ]
    for number in range(10):
        circle = make_learning_circle(
            f"Leerkring toezicht {number}",
            summary=TEXT,
            themes=[theme, extra_themes[number % 5]],
            lead=organisations[number],
            participants=[organisation, organisations[number + 10]],
            contacts=[person, people[number]],
        )
        make_research_question(circle, f"Vraag over toezicht {number}?")
        make_meeting(circle)
        circle.outcome_publications.add(publications[number])
        event = make_event(
            f"Bijeenkomst toezicht {number}",
            summary=TEXT,
            starts_at=timezone.now() + timedelta(days=20 + number),
            themes=[theme, extra_themes[number % 5]],
            organisers=[organisation, organisations[number]],
            speakers=[person, people[number]],
            capacity=50,
            learning_circle=circle,
        )
        event.publications.add(publications[number])
        sessions = [make_session(event, slot=slot, capacity=20) for slot in (1, 2)]
        for _ in range(3):
            make_registration(event, sessions=sessions)
        make_registration(event, status=Registration.Status.WAITING)
        past = make_event(
            f"Terugblik {number}",
            summary=TEXT,
            starts_at=timezone.now() - timedelta(days=400 + number),
            themes=[theme],
            organisers=[organisation],
            speakers=[person],
        )
        make_registration(past)

    for number in range(10):
        make_news_item(
            f"Bericht over toezicht {number}",
            summary=TEXT,
            kind=NewsItem.Kind.INTERVIEW if number % 2 else NewsItem.Kind.VERSLAG,
            people=[
                (person, NewsContribution.Role.INTERVIEWEE),
                (people[number], NewsContribution.Role.AUTHOR),
            ],
            organisations=[organisation, organisations[number]],
            themes=[theme, extra_themes[number % 5]],
        )

    # The small world's own items get more of everything they show.
    main = world.publication
    for position, author in enumerate(people[:5], start=1):
        main.authorships.create(person=author, position=position)
    main.themes.add(*extra_themes)
    main.commissioned_by.add(*organisations[:5])
    main.related_publications.add(*publications[:2])  # 4 of the 6 related
    for number in range(10):
        make_participation(world.circle, organisations[number + 15])
        make_contact(
            world.circle, people[number + 5], role=Contact.Role.CONTACT, position=number + 1
        )
        make_research_question(world.circle, f"Nog een vraag {number}?")
        make_meeting(world.circle)
    world.circle.outcome_publications.add(*publications[:10])
    world.event.organisers.add(*organisations[:10])
    world.event.speakers.add(*people[:10])
    world.event.publications.add(*publications[:10])
    world.event.themes.add(*extra_themes)
    for number in range(10):
        NewsContribution.objects.create(
            news_item=world.news_item,
            person=people[number + 10],
            role=NewsContribution.Role.MENTIONED,
            position=number + 2,
        )
    world.news_item.organisations.add(*organisations[:10])
    world.news_item.themes.add(*extra_themes)
    for number in range(10):
        session = make_session(world.event, slot=number % 3 + 1, capacity=40)
        make_registration(world.event, sessions=[session])
    make_registration(world.event, status=Registration.Status.WAITING)


# --- The pages ------------------------------------------------------------------------------


def nl(name: str, *args) -> str:
    return reverse(name, args=args)


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def oai_url(**arguments) -> str:
    return nl("oai") + "?" + "&".join(f"{key}={value}" for key, value in arguments.items())


def search(q: str, **facets) -> Callable[[World], str]:
    query = "&".join(f"{key}={value}" for key, value in {"q": q, **facets}.items())
    return lambda w: f"{nl('search')}?{query}"


Page = Callable[[World], str]


@dataclass(frozen=True)
class PublicPage:
    id: str
    url: Page
    cap: int  # the most queries it may run (measured on SQLite and PostgreSQL)
    status: int = 200
    grows: bool = True  # False for a page that shows no rows (a form, a fixed text, a 404)
    # "small": first measured in the small world; "paged": a second page of results, first
    # measured once the small world has a second page (FILLERS more publications).
    phase: str = "small"


def page(page_id: str, url: Page, cap: int, *marks, **options):
    return pytest.param(PublicPage(page_id, url, cap, **options), id=page_id, marks=marks)


PAGES = [
    # Every page in the site's frame reads the header and footer menus (1; kept per content
    # version when the query cache is on), and an unknown path first looks for a page (1).
    # The home page reads its settings and picks (2).
    # The site and its themes. Per registered kind (7): home counts themes (1) and shows each
    # kind's latest with their prefetches, and the next flagship event (1); the theme index
    # counts themes (1), then the themes;
    # a theme page: the theme, its counts per kind (7), then each kind's items and prefetches,
    # events in two parts (upcoming, counted, and past).
    page("home", lambda w: nl("home"), 23),
    page("themes-index", lambda w: nl("themes:list"), 9),
    page("theme", lambda w: nl("themes:detail", w.theme.slug), 30),
    page("theme-feed-rss", lambda w: nl("theme_feeds:rss", w.theme.slug), 4),
    page("theme-feed-atom", lambda w: nl("theme_feeds:atom", w.theme.slug), 4),
    # Publications. Lists: the count, the page's keys then its rows (a deferred join,
    # ikpob_portal/kernel/pagination.py), authors and themes, one query per facet.
    page("publications", lambda w: nl("publications:list"), 13),
    page("publications-page-2", lambda w: nl("publications:list") + "?page=2", 13, phase="paged"),
    page(
        "publications-filtered",
        lambda w: nl("publications:list") + "?thema=toezicht&soort=rapport&jaar=2020",
        14,
    ),
    page(
        "publications-filtered-all-facets",
        lambda w: (
            nl("publications:list")
            + f"?thema=toezicht&soort=rapport&jaar=2020&organisatie={w.organisation.slug}"
            + f"&auteur={w.person.slug}&sortering=titel"
        ),
        16,
    ),
    page("publications-text-query", lambda w: nl("publications:list") + f"?q={WORD}", 14),
    # Detail: with its related list's two parts (explicit, then by theme) each filled, the
    # weights of its themes (two), and the events about it with their organisers and themes.
    page("publication", lambda w: w.publication.get_absolute_url(), 16),
    page("publication-bibtex", lambda w: nl("publications:cite-bibtex", w.publication.slug), 4),
    page("publication-ris", lambda w: nl("publications:cite-ris", w.publication.slug), 3),
    page(
        "publication-pdf",
        lambda w: nl("publications:download", w.publication.slug),
        1,
        grows=False,
    ),
    page("publications-feed-rss", lambda w: nl("publications:feed-rss"), 3),
    page("publications-feed-atom", lambda w: nl("publications:feed-atom"), 3),
    # News and interviews: the list (count, rows, people and themes, one query per facet),
    # an item's page (the item, its people, themes and organisations), the feeds.
    page("news", lambda w: nl("news:list"), 11),
    page(
        "news-filtered-all-facets",
        lambda w: (
            nl("news:list")
            + f"?thema=toezicht&soort=interview&organisatie={w.organisation.slug}"
            + f"&persoon={w.person.slug}&sortering=titel"
        ),
        14,
    ),
    page("news-text-query", lambda w: nl("news:list") + f"?q={WORD}", 12),
    page("news-item", lambda w: w.news_item.get_absolute_url(), 6),
    page("news-feed-rss", lambda w: nl("news:feed-rss"), 3),
    page("news-feed-atom", lambda w: nl("news:feed-atom"), 3),
    # Learning circles.
    page("circles", lambda w: nl("learning_circles:list"), 8),
    # A list's text query is the site search as a subquery: no query more than the list.
    page("circles-text-query", lambda w: nl("learning_circles:list") + f"?q={WORD}", 9),
    page("circle", lambda w: w.circle.get_absolute_url(), 13),
    page("circle-join-form", lambda w: nl("learning_circles:join", w.circle.slug), 2, grows=False),
    page("circle-joined", lambda w: nl("learning_circles:joined", w.circle.slug), 2, grows=False),
    # The network.
    page("organisations", lambda w: nl("network:list"), 7),
    page("organisations-text-query", lambda w: nl("network:list") + f"?q={WORD}", 8),
    # With what its people did: one query per kind that declares contributions (4).
    page("organisation", lambda w: w.organisation.get_absolute_url(), 20),
    page("people", lambda w: nl("network:person-list"), 7),
    page("people-text-query", lambda w: nl("network:person-list") + f"?q={WORD}", 8),
    page("person", lambda w: w.person.get_absolute_url(), 16),
    page("participation", lambda w: nl("network:participation"), 3),
    page("participation-csv", lambda w: nl("network:participation-csv"), 2),
    # Events.
    page("events", lambda w: nl("events:list"), 9),
    page("events-archive", lambda w: nl("events:archive"), 9),
    page("events-text-query", lambda w: nl("events:list") + f"?q={WORD}", 10),
    page("event", lambda w: w.event.get_absolute_url(), 10),
    page("event-register-form", lambda w: nl("events:register", w.event.slug), 3),
    page("events-agenda-ics", lambda w: nl("events:agenda-ics"), 1),
    page("event-ics", lambda w: nl("events:event-ics", w.event.slug), 1, grows=False),
    page("events-feed-rss", lambda w: nl("events:feed-rss"), 2),
    page("events-feed-atom", lambda w: nl("events:feed-atom"), 2),
    # Search: the words looked up in the vocabulary (issue 14: compounds and typos), theme
    # counts and their themes, kind counts, the page count, the page's keys, its rows (with a
    # theme chosen: the theme too). The same count on both databases. A list's `q` (above)
    # costs that one vocabulary lookup too.
    page("search-one-word", search(WORD), 8),
    page("search-two-words", search(f"{WORD}+zorg"), 8),
    # A chosen kind or theme reads the other facet's candidates too (views.SEARCH_CANDIDATES:
    # at most 1,000 matches are counted and ranked): two queries more (the matches, then which
    # of them are public: search.candidates), never more rows.
    page("search-kind-facet", search(WORD, soort="publication"), 10),
    page("search-theme-facet", search(WORD, thema="toezicht"), 11),
    page("search-page-2", search(WORD, page="2"), 8, phase="paged"),
    # What machines read. The sitemap: themes with content (a count per kind, the themes),
    # then per kind a page count and the page.
    page("sitemap", lambda w: nl("sitemap"), 22),
    page("robots", lambda w: nl("robots"), 0, grows=False),
    page("oai-identify", lambda w: oai_url(verb="Identify"), 2, grows=False),
    # ListRecords: the page's keys and its tombstones, then the records not kept yet with
    # what they show (publisher, authors, themes, commissioners); all of them without a cache.
    page("oai-list-records", lambda w: oai_url(verb="ListRecords", metadataPrefix="oai_dc"), 6),
    page(
        "oai-list-records-set",
        lambda w: oai_url(verb="ListRecords", metadataPrefix="oai_dc", set="theme:toezicht"),
        7,
    ),
    page(
        "oai-get-record",
        lambda w: oai_url(
            verb="GetRecord", metadataPrefix="oai_dc", identifier=oai.identifier(w.publication.pk)
        ),
        4,
    ),
    page("oai-list-sets", lambda w: oai_url(verb="ListSets"), 1),
    # Fixed pages.
    page("privacy", lambda w: nl("privacy"), 1, grows=False),
    page("accessibility", lambda w: nl("accessibility"), 1, grows=False),
    # English versions.
    page("en-home", lambda w: en("home"), 23),
    page("en-publications", lambda w: en("publications:list"), 13),
    page("en-theme", lambda w: en("themes:detail", w.theme.slug), 30),
    page("en-event", lambda w: en("events:detail", w.event.slug), 10),
    page("en-search", lambda w: f"{en('search')}?q={WORD}", 8),
    # Not found: an unknown address, and an unknown publication (its lookup, then the page).
    page("404-unknown-path", lambda w: "/bestaat-niet/", 2, status=404, grows=False),
    page(
        "404-unknown-publication",
        lambda w: nl("publications:detail", "bestaat-niet"),
        2,
        status=404,
        grows=False,
    ),
]


def size_of(response) -> int:
    """The length of the body: the grown world must show on the page (more rows, more text)."""
    if response.streaming:
        return len(b"".join(response.streaming_content))
    return len(response.content)


def queries_of(client, url: str, status: int) -> int:
    """`count_queries` for a page that answers 200; the same warm-then-count for another status."""
    if status == 200:
        return count_queries(client, url)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == status
    return len(queries)


def add_fillers(world: World) -> None:
    """Enough plain publications (one author, one theme) for a second page of results."""
    author = make_person("Kees", "Vulling", bio=TEXT)
    for number in range(FILLERS):
        make_publication(
            f"Toezicht extra {number:02d}", summary=TEXT, authors=[author], themes=[world.theme]
        )


# The tests only read what `measured` counted; the mark makes pytest-django set up the test
# database for it.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker, tmp_path_factory) -> dict[str, dict]:
    """Every page's query count in the small world and in the grown one.

    The worlds take seconds to build (every save indexes for search), so they are built once
    for the whole table, in a transaction rolled back at the end; each page is then one test
    that reads its counts (or the error its request raised).
    """
    pages = [param.values[0] for param in PAGES]
    counts: dict[str, dict] = {page.id: {} for page in pages}

    def measure(client, world: World, phase: str | None, which: str) -> None:
        for page in pages:
            if phase is not None and page.phase != phase:
                continue
            try:
                address = page.url(world)
                queries = queries_of(client, address, page.status)
                counts[page.id][which] = (address, queries, size_of(client.get(address)))
            except Exception as error:  # reported by the page's own test
                counts[page.id].setdefault("error", error)

    test_settings = override_settings(
        # As tests/conftest.py's _test_settings (function-scoped, so not yet active here).
        STORAGES={
            **django_settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        SECURE_SSL_REDIRECT=False,
        PAGE_CACHE=False,
        # Every page with a text query (the search and each list's `q`) is requested three
        # times per world, within a minute: more than one visitor's search limit allows.
        SEARCH_RATE_LIMIT_PER_MINUTE=10_000,
        # Filtered and sorted lists likewise count against the list filter limit.
        LIST_FILTER_RATE_LIMIT_PER_MINUTE=10_000,
    )
    with django_db_blocker.unblock(), test_settings, translation.override("nl"):
        # pytest-django sets up the test database for the django_db tests of this module
        # (pytestmark); never build these worlds anywhere else.
        name = str(connection.settings_dict["NAME"])
        assert name.startswith("test_") or "memory" in name, f"not a test database: {name}"
        with transaction.atomic():
            client = Client()
            world = small_world()
            measure(client, world, "small", "small")
            add_fillers(world)
            measure(client, world, "paged", "small")
            grow(world)
            measure(client, world, None, "grown")
            transaction.set_rollback(True)
    return counts


@pytest.mark.parametrize("page", PAGES)
def test_public_page_runs_a_fixed_number_of_queries(measured, page):
    result = measured[page.id]
    if "error" in result:
        raise result["error"]
    (address, small, small_size), (_, grown, grown_size) = result["small"], result["grown"]
    if page.grows:
        assert grown_size > small_size, f"{address} does not show the grown world"
    assert grown == small, f"{address}: {small} queries in the small world, {grown} grown"
    assert grown <= page.cap, f"{address}: {grown} queries, more than the {page.cap} measured"
