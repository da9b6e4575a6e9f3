"""Every list's text query is the site search narrowed to the list's kind: for the same words
a list shows exactly the items of its kind that /zoeken/ finds.

Runs on both databases: on SQLite the fallback (substring) search, on PostgreSQL the Dutch
full text with trigram typo matching; the `postgres_only` cases need the latter.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from ikpob_portal.kernel import search
from learning_circles.models import LearningCircle
from publications.models import Publication
from tests.factories import (
    make_event,
    make_learning_circle,
    make_organisation,
    make_person,
    make_publication,
)
from tests.html import cards

# The list pages of each kind (events: the coming ones and the archive together) and the
# site search's `soort` for that kind.
LISTS = {
    "publication": ["/publicaties/"],
    "learningcircle": ["/leerkringen/"],
    "event": ["/evenementen/", "/evenementen/archief/"],
    "organisation": ["/netwerk/"],
    "person": ["/netwerk/personen/"],
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Counts and rate limits live in the cache: every test starts without them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def content(db):
    """Items of every kind; some mention toezicht in their title, summary, body or names."""
    berkelland = make_organisation(
        "Gemeente Berkelland", description="Een gemeente in de Achterhoek met toezicht."
    )
    make_organisation("Inspectie van het Onderwijs", short_name="IvhO", description="Onderwijs.")
    make_organisation("Toezicht in concept", status="concept")
    inspector = make_person(
        "Ina", "Spector", title="inspecteur", bio="Schrijft over toezicht in de regio."
    )
    make_person("Anna", "Ambtenaar", title="ambtenaren van de gemeente", organisations=[berkelland])
    make_publication("Toezicht in de praktijk", summary="Over vakmanschap van ambtenaren.")
    make_publication("Vertrouwen", summary="Een essay.", body="Het toezicht in de regio.")
    make_publication("Toezicht als concept", status=Publication.Status.DRAFT)
    make_learning_circle("Leerkring toezicht", summary="Wij leren van elkaar.")
    make_learning_circle(
        "Vakmanschap in de uitvoering", summary="Ambtenaren in de regio over hun vak."
    )
    make_learning_circle("Leerkring toezicht in concept", status=LearningCircle.Status.DRAFT)
    make_event("Bijeenkomst toezicht", summary="Over de praktijk.")
    make_event("Regiodag", summary="Een dag in de regio.", organisers=[berkelland])
    make_event("Webinar sprekers", summary="Een webinar.", speakers=[inspector])
    past = timezone.now() - timedelta(days=60)
    make_event("Terugblik toezicht", summary="Hoe het ging.", starts_at=past)
    # An event's organisers and speakers set outside the admin are indexed by a rebuild.
    search.rebuild()


def listed(client, kind: str, q: str) -> set[str]:
    """The items the kind's lists show for `q`, by their links."""
    found = set()
    for path in LISTS[kind]:
        response = client.get(path, {"q": q})
        assert response.status_code == 200
        found |= {card.href for card in cards(response)}
    return found


def searched(client, kind: str, q: str) -> set[str]:
    """The items of this kind the site search shows for `q`, by their links."""
    response = client.get("/zoeken/", {"q": q, "soort": kind})
    assert response.status_code == 200
    return {card.href for card in cards(response)}


QUERIES = [
    "toezicht",
    "regio",
    "berkelland",
    "spector",
    "TOEZICHT praktijk",
    "toezicht -regio",
    "ivho",
]


@pytest.mark.parametrize("q", QUERIES)
@pytest.mark.parametrize("kind", list(LISTS))
def test_list_text_query_returns_what_site_search_returns(client, content, kind, q):
    assert listed(client, kind, q) == searched(client, kind, q)


def test_list_text_query_finds_what_the_site_search_indexes(client, content):
    """Not only titles: bodies, biographies and the names of organisers and speakers."""
    assert listed(client, "publication", "toezicht") == {
        "/publicaties/toezicht-in-de-praktijk/",
        "/publicaties/vertrouwen/",
    }
    assert len(listed(client, "event", "toezicht")) == 2  # coming and past
    assert len(listed(client, "event", "spector")) == 1  # by its speaker
    assert len(listed(client, "event", "berkelland")) == 1  # by its organiser
    assert len(listed(client, "person", "toezicht")) == 1  # by the biography
    assert len(listed(client, "organisation", "ivho")) == 1  # by the short name


@pytest.mark.postgres_only
@pytest.mark.parametrize("q", ["ambtenaar", "vakmanscap", "toezigt"])
@pytest.mark.parametrize("kind", list(LISTS))
def test_list_text_query_matches_dutch_word_forms_and_typos_as_site_search(
    client, content, kind, q
):
    assert listed(client, kind, q) == searched(client, kind, q)


@pytest.mark.postgres_only
def test_list_text_query_finds_dutch_word_forms_and_typos(client, content):
    assert listed(client, "publication", "ambtenaar") == {"/publicaties/toezicht-in-de-praktijk/"}
    assert listed(client, "learningcircle", "vakmanscap") == {
        "/leerkringen/vakmanschap-in-de-uitvoering/"
    }


@pytest.mark.parametrize("kind", list(LISTS))
def test_list_text_query_is_cut_to_the_site_search_length(client, content, settings, kind):
    settings.SEARCH_MAX_QUERY_LENGTH = 9
    q = "toezicht\x00   onvindbaarwoord"  # "toezicht " once normalised and cut

    assert listed(client, kind, q) == searched(client, kind, q) == listed(client, kind, "toezicht")
