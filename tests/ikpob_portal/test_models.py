from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from ikpob_portal.kernel.models import Theme
from publications.models import Publication
from tests.factories import make_publication, make_theme


@pytest.mark.django_db
def test_theme_add_by_name_reuses_existing_theme_regardless_of_case():
    toezicht = make_theme("Toezicht")
    publication = make_publication()

    publication.themes.add("toezicht")

    assert list(publication.themes.all()) == [toezicht]
    assert Theme.objects.filter(name__iexact="toezicht").count() == 1
    assert toezicht.get_absolute_url() == "/themas/toezicht/"


@pytest.mark.django_db
def test_theme_add_by_name_links_two_items_to_the_same_theme_page():
    toezicht = make_theme("Toezicht")
    first = make_publication("Eerste")
    second = make_publication("Tweede")

    first.themes.add("TOEZICHT")
    second.themes.add("toezicht")

    assert set(toezicht.themed_items.values_list("object_id", flat=True)) == {
        first.pk,
        second.pk,
    }


@pytest.mark.django_db
def test_theme_name_differing_only_in_case_is_rejected_by_the_database():
    make_theme("Toezicht")

    # A different slug, so it is the case-insensitive name constraint that refuses it.
    with pytest.raises(IntegrityError), transaction.atomic():
        Theme.objects.create(name="TOEZICHT", slug="toezicht-hoofdletters")

    assert list(Theme.objects.values_list("name", flat=True)) == ["Toezicht"]


@pytest.mark.django_db
def test_theme_new_name_via_add_creates_one_theme_with_a_slug():
    publication = make_publication()

    publication.themes.add("Integriteit")

    theme = Theme.objects.get()
    assert theme.name == "Integriteit"
    assert theme.slug == "integriteit"


@pytest.mark.django_db
def test_publishable_theme_list_sorted_by_name_ignoring_case():
    publication = make_publication(
        themes=[make_theme("Wetgeving"), make_theme("ambtelijk vakmanschap"), make_theme("Burger")]
    )

    names = [theme.name for theme in publication.theme_list]

    assert names == ["ambtelijk vakmanschap", "Burger", "Wetgeving"]


@pytest.mark.django_db
def test_publishable_theme_list_sorted_by_name_when_prefetched():
    make_publication(
        themes=[make_theme("Wetgeving"), make_theme("ambtelijk vakmanschap"), make_theme("Burger")]
    )

    publication = Publication.objects.for_cards().get()

    assert [theme.name for theme in publication.theme_list] == [
        "ambtelijk vakmanschap",
        "Burger",
        "Wetgeving",
    ]


@pytest.mark.django_db
def test_publishable_theme_list_only_shows_the_items_own_themes():
    mine = make_theme("Toezicht")
    other = make_theme("Wetgeving")
    publication = make_publication("Mijn publicatie", themes=[mine])
    make_publication("Andere publicatie", themes=[other])

    assert publication.theme_list == [mine]


@pytest.mark.django_db
def test_publishable_published_excludes_drafts_and_future_items():
    visible = make_publication("Zichtbaar")
    make_publication("Concept", status=Publication.Status.DRAFT)
    make_publication("Gepland", published_at=timezone.now() + timedelta(days=1))

    assert list(Publication.objects.published()) == [visible]
