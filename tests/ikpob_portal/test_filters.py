"""The kernel's list helpers: one query normaliser, one facet size, for every list."""

import pytest
from django.core.cache import cache

from ikpob_portal.kernel import search
from ikpob_portal.kernel.filters import TextQueryField
from tests.factories import make_organisation, make_person, make_publication
from tests.html import facet_options


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("  toezicht   in\tde\nregio ", "toezicht in de regio"),
        ("toezicht\x00regio", "toezicht regio"),
        ("", ""),
        (None, ""),
    ],
)
def test_lists_and_site_search_read_a_query_the_same_way(typed, read):
    assert search.normalise(typed or "") == read
    assert TextQueryField(required=False).clean(typed) == read


def test_query_length_is_a_setting_for_lists_and_site_search(settings):
    settings.SEARCH_MAX_QUERY_LENGTH = 8

    assert search.normalise("toezicht in de regio") == "toezicht"
    assert TextQueryField(required=False).clean("toezicht in de regio") == "toezicht"


@pytest.mark.django_db
def test_facet_size_is_a_setting_for_people_and_organisations(client, settings):
    settings.LIST_FACET_LIMIT = 2
    bzk, nsob, vng = (make_organisation(name) for name in ("BZK", "NSOB", "VNG"))
    authors = [make_person("Auteur", f"Nummer{i}") for i in range(3)]
    for i, author in enumerate(authors, start=1):
        for n in range(i):
            make_publication(f"Werk {i} {n}", authors=[author], commissioned_by=[bzk, nsob, vng])
    make_person("Anna", "Jansen", organisations=[bzk])
    make_person("Bram", "Bakker", organisations=[bzk, nsob])
    make_person("Carla", "Claes", organisations=[bzk, nsob, vng])

    publications = client.get("/publicaties/", {"auteur": authors[0].slug})
    people = client.get("/netwerk/personen/")

    # The two most frequent, and the chosen one that fell outside them.
    assert list(facet_options(publications, "auteur")) == [a.slug for a in authors]
    assert list(facet_options(client.get("/publicaties/"), "auteur")) == [
        authors[1].slug,
        authors[2].slug,
    ]
    assert sorted(facet_options(people, "organisatie")) == [bzk.slug, nsob.slug]
