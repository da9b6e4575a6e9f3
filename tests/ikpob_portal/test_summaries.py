"""The stored summaries (kernel.summaries) stay exact: the unfiltered publication list and
the theme counts show what counting afresh shows, after every kind of change."""

from dataclasses import asdict
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from ikpob_portal.kernel.models import Summary
from ikpob_portal.kernel.themes import _count_by_theme_and_kind, published_counts_by_theme
from publications.filters import PublicationFilterSet
from publications.models import Authorship, Publication
from tests.factories import make_organisation, make_person, make_publication, make_theme

LIST_URL = "/publicaties/"


@pytest.fixture(autouse=True)
def _cold(settings):
    # What is tested is the database summary alone, not the shared cache in front of it.
    settings.QUERY_CACHE = False
    settings.PAGE_CACHE = False


@pytest.fixture
def catalogue():
    ethics, supervision = make_theme("Ethiek"), make_theme("Toezicht")
    vng, bzk = make_organisation("VNG"), make_organisation("BZK")
    anna, piet = make_person("Anna", "Jansen"), make_person("Piet", "Smit")
    essay = make_publication(
        "Een essay", kind="essay", authors=[anna], themes=[ethics], publisher=vng
    )
    make_publication(
        "Een rapport",
        kind="rapport",
        publication_year=2021,
        authors=[anna, piet],
        themes=[ethics, supervision],
        commissioned_by=[bzk],
    )
    return {"essay": essay, "ethics": ethics, "supervision": supervision, "bzk": bzk, "piet": piet}


def shown(client) -> tuple[int, list]:
    """The total and facets the unfiltered list page shows."""
    response = client.get(LIST_URL)
    assert response.status_code == 200
    return response.context["paginator"].count, [asdict(f) for f in response.context["facets"]]


def counted_afresh() -> tuple[int, list]:
    published = Publication.objects.published()
    facets = PublicationFilterSet(None, queryset=published).facets()
    return published.count(), [asdict(facet) for facet in facets]


def assert_exact(client) -> None:
    assert shown(client) == counted_afresh()


@pytest.mark.django_db
def test_unfiltered_list_is_counted_once_and_then_read_from_the_summary(client, catalogue):
    first = shown(client)
    assert Summary.objects.count() >= 1
    with mock.patch.object(PublicationFilterSet, "facets", side_effect=AssertionError):
        assert shown(client) == first
    assert first == counted_afresh()


@pytest.mark.django_db
def test_summary_stays_exact_after_publish_unpublish_edit_and_delete(client, catalogue):
    assert_exact(client)
    draft = make_publication("Een boek", kind="boek", status=Publication.Status.DRAFT)
    assert_exact(client)

    draft.status = Publication.Status.PUBLISHED
    draft.save()
    assert shown(client)[0] == 3
    assert_exact(client)

    essay = catalogue["essay"]
    essay.publication_year = 2019
    essay.save()
    assert_exact(client)

    essay.status = Publication.Status.DRAFT
    essay.save()
    assert shown(client)[0] == 2
    assert_exact(client)

    draft.delete()
    assert shown(client)[0] == 1
    assert_exact(client)


@pytest.mark.django_db
def test_summary_stays_exact_after_theme_author_and_organisation_changes(client, catalogue):
    assert_exact(client)
    essay = catalogue["essay"]

    essay.themes.add(catalogue["supervision"])
    assert_exact(client)
    essay.themes.remove(catalogue["ethics"])
    assert_exact(client)
    essay.themes.clear()
    assert_exact(client)

    catalogue["supervision"].name = "Toezicht en handhaving"
    catalogue["supervision"].save()
    assert_exact(client)

    Authorship.objects.create(publication=essay, person=catalogue["piet"], position=1)
    assert_exact(client)
    catalogue["piet"].status = Publication.Status.DRAFT
    catalogue["piet"].save()
    assert_exact(client)

    essay.commissioned_by.add(catalogue["bzk"])
    assert_exact(client)
    catalogue["bzk"].short_name = "Binnenlandse Zaken"
    catalogue["bzk"].save()
    assert_exact(client)
    catalogue["bzk"].delete()
    assert_exact(client)


@pytest.mark.django_db
def test_summary_ends_when_a_scheduled_publication_becomes_public(client, catalogue):
    make_publication("Gepland", kind="boek", published_at=timezone.now() + timedelta(hours=1))
    assert shown(client)[0] == 2
    later = timezone.now() + timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert shown(client)[0] == 3
        assert_exact(client)


@pytest.mark.django_db
def test_theme_counts_stay_exact_after_changes(catalogue):
    def afresh() -> dict[int, int]:
        return {theme: sum(kinds.values()) for theme, kinds in _count_by_theme_and_kind().items()}

    ethics = catalogue["ethics"]
    assert published_counts_by_theme() == afresh() == {ethics.pk: 2, catalogue["supervision"].pk: 1}
    catalogue["essay"].themes.remove(ethics)
    assert published_counts_by_theme() == afresh()
    assert published_counts_by_theme()[ethics.pk] == 1
    make_publication("Nog een", themes=[ethics])
    assert published_counts_by_theme()[ethics.pk] == 2
    catalogue["essay"].delete()
    assert published_counts_by_theme() == afresh()


@pytest.mark.django_db
def test_related_publications_follow_changes_of_themes_links_and_publishing(catalogue):
    essay, ethics = catalogue["essay"], catalogue["ethics"]
    assert [item.title for item in essay.related()] == ["Een rapport"]

    newer = make_publication("Nieuwer", publication_year=2024, themes=[ethics])
    assert [item.title for item in essay.related()] == ["Nieuwer", "Een rapport"]

    newer.themes.remove(ethics)
    assert [item.title for item in essay.related()] == ["Een rapport"]

    essay.related_publications.add(newer)
    assert [item.title for item in essay.related()] == ["Nieuwer", "Een rapport"]

    newer.status = Publication.Status.DRAFT
    newer.save()
    assert [item.title for item in essay.related()] == ["Een rapport"]
