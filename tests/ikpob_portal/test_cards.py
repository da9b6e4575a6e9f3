"""Cards and filter panels kept as HTML (FRAGMENT_CACHE): kept ones cost no rendering and no
prefetch, and every change an editor or a visitor makes shows on the next page at once."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from publications.models import Publication
from tests.factories import (
    make_event,
    make_person,
    make_publication,
    make_registration,
    make_theme,
)
from tests.html import count_queries

CARD_PAGES = ["/", "/publicaties/", "/themas/toezicht/"]


@pytest.fixture(autouse=True)
def fragment_cache(settings):
    # The page cache off, as in the benchmark's cold mode: every page is rendered, its cards
    # and filter panel come from the fragment cache.
    settings.PAGE_CACHE = False
    settings.FRAGMENT_CACHE = True
    cache.clear()


@pytest.fixture
def visitor() -> Client:
    return Client()


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.django_db
def test_cards_kept_give_the_same_page_with_fewer_queries(settings, visitor):
    theme = make_theme("Toezicht")
    author = make_person("Martijn", "Steen")
    for number in range(3):
        make_publication(f"Toezicht in de praktijk {number}", themes=[theme], authors=[author])
    make_event("Webinar over toezicht", themes=[theme], capacity=10)
    for url in CARD_PAGES:
        settings.FRAGMENT_CACHE = False
        rendered = page(visitor, url)
        queries_rendering = count_queries(visitor, url)
        settings.FRAGMENT_CACHE = True
        page(visitor, url)  # keeps the cards
        assert page(visitor, url) == rendered, url
        # Authors and themes are fetched only for cards that are not kept.
        assert count_queries(visitor, url) < queries_rendering, url


@pytest.mark.django_db
def test_cards_show_an_edited_title_at_once_on_list_home_and_theme_page(
    visitor, django_capture_on_commit_callbacks
):
    theme = make_theme("Toezicht")
    publication = make_publication("Oude titel", themes=[theme])
    for url in CARD_PAGES:
        assert "Oude titel" in page(visitor, url), url

    with django_capture_on_commit_callbacks(execute=True):
        publication.title = "Nieuwe titel"
        publication.summary = "Een nieuwe samenvatting."
        publication.save()

    for url in CARD_PAGES:
        html = page(visitor, url)
        assert "Nieuwe titel" in html, url
        assert "Een nieuwe samenvatting." in html, url
        assert "Oude titel" not in html, url


@pytest.mark.django_db
def test_cards_show_a_renamed_theme_and_an_added_theme(visitor, django_capture_on_commit_callbacks):
    theme = make_theme("Toezicht")
    publication = make_publication("Inspecteurs over hun vak", themes=[theme])
    assert "Toezicht" in page(visitor, "/publicaties/")

    with django_capture_on_commit_callbacks(execute=True):
        theme.name = "Publiek toezicht"
        theme.save()
    for url in ["/", "/publicaties/", "/themas/toezicht/"]:
        assert "Publiek toezicht" in page(visitor, url), url

    with django_capture_on_commit_callbacks(execute=True):
        publication.themes.add(make_theme("Leiderschap"))
    assert 'href="/themas/leiderschap/"' in page(visitor, "/publicaties/")
    assert 'href="/themas/leiderschap/"' in page(visitor, "/")


@pytest.mark.django_db
def test_cards_show_a_renamed_author(visitor, django_capture_on_commit_callbacks):
    author = make_person("Martijn", "Steen")
    make_publication("Leren van doen", authors=[author])
    assert "Martijn Steen" in page(visitor, "/publicaties/")

    with django_capture_on_commit_callbacks(execute=True):
        author.given_name = "Marten"
        author.save()
    assert "Marten Steen" in page(visitor, "/publicaties/")


@pytest.mark.django_db
def test_cards_in_english_on_the_english_page(visitor):
    make_publication("Leren van doen", kind="boek")
    assert "Boek" in page(visitor, "/publicaties/")
    english = page(visitor, "/en/publicaties/")
    assert "Book" in english
    assert "Boek" not in english
    # And back: the Dutch card was not replaced by the English one.
    assert "Boek" in page(visitor, "/publicaties/")


@pytest.mark.django_db
def test_event_cards_show_the_places_left_after_a_registration(
    visitor, django_capture_on_commit_callbacks
):
    theme = make_theme("Toezicht")
    event = make_event("Webinar Leren van doen", themes=[theme], capacity=2)
    for url in ["/", "/themas/toezicht/"]:
        assert "Nog 2 plaatsen" in page(visitor, url), url

    with django_capture_on_commit_callbacks(execute=True):
        make_registration(event)
    for url in ["/", "/themas/toezicht/"]:
        assert "Nog 1 plaats" in page(visitor, url), url

    with django_capture_on_commit_callbacks(execute=True):
        make_registration(event)
    for url in ["/", "/themas/toezicht/"]:
        assert "Vol — aanmelden voor de wachtlijst" in page(visitor, url), url


@pytest.mark.django_db
def test_event_cards_show_registration_closing_when_its_moment_passes(visitor):
    # No save marks the moment registration closes: the card is kept per registration state.
    make_event(
        "Webinar Leren van doen",
        themes=[make_theme("Leiderschap")],
        registration_closes_at=timezone.now() + timedelta(days=1),
    )
    assert "Aanmelden is open" in page(visitor, "/")

    two_days_later = timezone.now() + timedelta(days=2)
    with mock.patch("django.utils.timezone.now", return_value=two_days_later):
        html = page(visitor, "/")
    assert "Aanmelden is gesloten" in html
    assert "Aanmelden is open" not in html


@pytest.mark.django_db
def test_filter_panel_shows_the_new_counts_after_a_publication(
    visitor, django_capture_on_commit_callbacks
):
    theme = make_theme("Toezicht")
    make_publication("Eerste", themes=[theme])
    assert 'Toezicht <span class="ikpob-muted">(1' in page(visitor, "/publicaties/")

    with django_capture_on_commit_callbacks(execute=True):
        make_publication("Tweede", themes=[theme])
    assert 'Toezicht <span class="ikpob-muted">(2' in page(visitor, "/publicaties/")


@pytest.mark.django_db
def test_cards_are_rendered_from_the_database_with_the_fragment_cache_off(settings, visitor):
    settings.FRAGMENT_CACHE = False
    publication = make_publication("Leren van doen")
    assert "Leren van doen" in page(visitor, "/publicaties/")
    # A write that announces nothing (no save signal) still shows: nothing was kept.
    Publication.objects.filter(pk=publication.pk).update(title="Leren door te doen")
    assert "Leren door te doen" in page(visitor, "/publicaties/")
