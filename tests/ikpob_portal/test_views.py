from datetime import timedelta

import pytest
from django.utils import timezone

from ikpob_portal.kernel import registry
from ikpob_portal.kernel.themes import merge_themes
from ikpob_portal.views import THEME_PAGE_ITEMS_PER_KIND
from publications.models import Publication
from tests.factories import make_person, make_publication, make_theme
from tests.html import (
    Link,
    breadcrumb,
    card_titles,
    cards,
    links,
    page_heading,
    text,
    theme_index_entries,
)


@pytest.mark.django_db
def test_theme_index_lists_every_theme_with_description(client):
    make_theme("Toezicht", description="Over het werk van inspecties.")
    make_theme("Wetgeving")

    response = client.get("/themas/")

    assert response.status_code == 200
    entries = theme_index_entries(response.content.decode())
    assert list(entries) == ["Toezicht", "Wetgeving"]
    assert "Over het werk van inspecties." in entries["Toezicht"]
    assert Link("Toezicht", "/themas/toezicht/") in links(response)


@pytest.mark.django_db
def test_theme_index_counts_only_published_items(client):
    toezicht = make_theme("Toezicht")
    wetgeving = make_theme("Wetgeving")
    make_publication("Gepubliceerd 1", themes=[toezicht])
    make_publication("Gepubliceerd 2", themes=[toezicht, wetgeving])
    make_publication("Concept", themes=[toezicht], status=Publication.Status.DRAFT)
    make_publication("Gepland", themes=[toezicht], published_at=timezone.now() + timedelta(days=3))

    entries = theme_index_entries(client.get("/themas/").content.decode())

    assert "2 publicaties" in entries["Toezicht"]
    assert "1 publicatie" in entries["Wetgeving"]
    assert "1 publicaties" not in entries["Wetgeving"]


@pytest.mark.django_db
def test_theme_index_says_nothing_is_published_for_a_theme_with_only_drafts(client):
    toezicht = make_theme("Toezicht")
    make_publication("Concept", themes=[toezicht], status=Publication.Status.DRAFT)

    entries = theme_index_entries(client.get("/themas/").content.decode())

    assert entries["Toezicht"] == "Toezicht nog niets gepubliceerd"


@pytest.mark.django_db
def test_theme_index_query_count_does_not_grow_with_themes(client, django_assert_max_num_queries):
    for number in range(15):
        theme = make_theme(f"Thema {number:02d}")
        make_publication(f"Publicatie {number:02d}", themes=[theme])

    # The themes and the menus; per registered content kind its content type (on a cold
    # cache), its count and its next scheduled moment; the stored summary's stamps, its row
    # and storing it (kernel.summaries: this first request counts, later ones read two rows).
    with django_assert_max_num_queries(2 + 3 * len(registry.kinds()) + 3):
        response = client.get("/themas/")

    assert len(theme_index_entries(response.content.decode())) == 15


@pytest.mark.django_db
def test_theme_detail_lists_published_items_with_that_theme_only(client):
    toezicht = make_theme("Toezicht", description="Over het werk van inspecties.")
    other = make_theme("Wetgeving")
    make_publication("Met thema", themes=[toezicht], authors=[make_person("Anna", "Visser")])
    make_publication("Concept met thema", themes=[toezicht], status=Publication.Status.DRAFT)
    make_publication(
        "Gepland met thema", themes=[toezicht], published_at=timezone.now() + timedelta(days=1)
    )
    make_publication("Ander thema", themes=[other])
    make_publication("Zonder thema")

    response = client.get("/themas/toezicht/")

    assert response.status_code == 200
    html = response.content.decode()
    assert card_titles(html) == ["Met thema"]
    assert "Anna Visser" in cards(html)[0].lines
    assert "Over het werk van inspecties." in text(html)
    assert page_heading(html) == "Thema: Toezicht"


@pytest.mark.django_db
def test_theme_detail_without_published_items_says_so(client):
    toezicht = make_theme("Toezicht")
    make_publication("Concept met thema", themes=[toezicht], status=Publication.Status.DRAFT)

    html = client.get("/themas/toezicht/").content.decode()

    assert card_titles(html) == []
    assert "Over dit thema is nog niets gepubliceerd." in text(html)
    assert Link("Bekijk de andere thema's", "/themas/") in links(html)


@pytest.mark.django_db
def test_theme_detail_shows_the_newest_few_and_links_to_all_in_the_filtered_list(client):
    toezicht = make_theme("Toezicht")
    for year in range(2000, 2000 + THEME_PAGE_ITEMS_PER_KIND + 1):
        make_publication(f"Publicatie uit {year}", themes=[toezicht], publication_year=year)
    make_publication("Zonder thema", publication_year=2024)

    html = client.get("/themas/toezicht/").content.decode()

    titles = card_titles(html)
    assert len(titles) == THEME_PAGE_ITEMS_PER_KIND == 6
    assert "Publicatie uit 2000" not in titles  # the oldest one waits behind the link
    assert titles[0] == "Publicatie uit 2006"
    assert Link("Alle 7 publicaties over Toezicht", "/publicaties/?thema=toezicht") in links(html)


@pytest.mark.django_db
def test_theme_detail_more_link_leads_to_every_item_with_the_theme(client):
    toezicht = make_theme("Toezicht")
    for year in range(2000, 2000 + THEME_PAGE_ITEMS_PER_KIND + 1):
        make_publication(f"Publicatie uit {year}", themes=[toezicht], publication_year=year)
    make_publication("Zonder thema", publication_year=2024)

    html = client.get("/publicaties/?thema=toezicht").content.decode()

    titles = card_titles(html)
    assert len(titles) == THEME_PAGE_ITEMS_PER_KIND + 1
    assert "Publicatie uit 2000" in titles
    assert "Zonder thema" not in titles


@pytest.mark.django_db
def test_theme_detail_showing_every_item_has_no_more_link(client):
    toezicht = make_theme("Toezicht")
    for number in range(THEME_PAGE_ITEMS_PER_KIND):
        make_publication(f"Publicatie {number:02d}", themes=[toezicht])

    html = client.get("/themas/toezicht/").content.decode()

    assert len(card_titles(html)) == THEME_PAGE_ITEMS_PER_KIND
    assert "/publicaties/?thema=toezicht" not in html


@pytest.mark.django_db
def test_theme_detail_query_count_does_not_grow_with_items(client, django_assert_max_num_queries):
    toezicht = make_theme("Toezicht")
    for number in range(THEME_PAGE_ITEMS_PER_KIND + 1):
        make_publication(
            f"Publicatie {number:02d}",
            themes=[toezicht, make_theme(f"Ander {number:02d}")],
            authors=[make_person(), make_person()],
        )

    # The theme, the counts (one per registered kind, and its content type on a cold cache),
    # the items of the one kind that has any, and the cards' authors and themes; as the
    # counts are stored (kernel.summaries), this first request also reads the stamps and the
    # row, finds each kind's next scheduled moment and stores them.
    with django_assert_max_num_queries(1 + 3 * len(registry.kinds()) + 1 + 2 + 3):
        response = client.get("/themas/toezicht/")

    assert len(card_titles(response.content.decode())) == THEME_PAGE_ITEMS_PER_KIND


@pytest.mark.django_db
def test_theme_pages_breadcrumb_leads_home_and_to_the_theme_index(client):
    make_theme("Toezicht")

    index = breadcrumb(client.get("/themas/"))
    detail = breadcrumb(client.get("/themas/toezicht/"))

    # NL Design System: the trail holds the pages above this one, not the page itself.
    assert [link.href for link in index] == ["/"]
    assert [link.href for link in detail] == ["/", "/themas/"]
    assert detail[-1].text == "Thema's"


@pytest.mark.django_db
def test_theme_detail_unknown_slug_is_404(client):
    make_theme("Toezicht")

    response = client.get("/themas/bestaat-niet/")

    assert response.status_code == 404


@pytest.mark.django_db
def test_theme_detail_redirect_of_merged_theme_keeps_the_english_prefix(client):
    target = make_theme("Toezicht")
    old = make_theme("Inspectie")
    merge_themes(target=target, others=[old])

    response = client.get("/en/themas/inspectie/")

    assert response.status_code == 301
    assert response["Location"] == "/en/themas/toezicht/"


@pytest.mark.django_db
def test_healthz_answers_ok_as_json(client):
    response = client.get("/healthz/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "cache": "local"}


@pytest.mark.django_db
def test_theme_index_in_english_under_en_prefix(client):
    make_theme("Toezicht")

    response = client.get("/en/themas/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert 'href="/en/themas/toezicht/"' in html


@pytest.mark.django_db
def test_theme_index_in_dutch_without_prefix(client):
    response = client.get("/themas/")

    assert '<html lang="nl">' in response.content.decode()


def test_server_error_page_is_friendly_and_self_contained(rf):
    """The 500 page renders without a database or context processors, in the site's style."""
    from django.views.defaults import server_error

    response = server_error(rf.get("/publicaties/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "Er ging iets mis" in html
    assert 'lang="en"' in html  # an English sentence for visitors of /en/
    assert "css/ikpob-portal.css" in html
