import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from publications.models import Publication
from tests import pages
from tests.factories import (
    MINIMAL_PDF,
    make_organisation,
    make_person,
    make_publication,
    make_theme,
)

LIST_URL = "/publicaties/"
EMPTY_STATE = "Er zijn geen publicaties die aan al deze filters voldoen."
DRAFT_NOTICE = "deze publicatie is niet openbaar. Alleen redacteuren zien deze pagina."
SCHEDULED_NOTICE = "deze publicatie wordt openbaar op"


def page_text(response) -> str:
    return response.content.decode()


def card_titles(response) -> list[str]:
    """Titles of the publication cards, in the order a visitor sees them."""
    return [
        html.unescape(title)
        for title in re.findall(
            r'<h3 class="card__title"><a href="[^"]*"[^>]*>(.*?)</a></h3>', page_text(response)
        )
    ]


def section(response, css_class: str) -> str:
    match = re.search(
        rf'<section class="{css_class}"[^>]*>(.*?)</section>', page_text(response), re.S
    )
    assert match, f"no section.{css_class} on the page"
    return match.group(1)


def link_with_rel(response, rel: str) -> str:
    match = re.search(rf'<a href="([^"]*)" rel="{rel}">', page_text(response))
    assert match, f"no rel={rel} link on the page"
    return html.unescape(match.group(1))


# --- List ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_only_published_publications(client):
    make_publication("Openbaar essay")
    make_publication("Concept essay", status=Publication.Status.DRAFT)
    make_publication("Ingepland essay", published_at=timezone.now() + timedelta(hours=2))

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert card_titles(response) == ["Openbaar essay"]
    assert "1 publicatie gevonden" in page_text(response)
    assert "Concept essay" not in page_text(response)
    assert "Ingepland essay" not in page_text(response)


@pytest.mark.django_db
def test_list_card_shows_kind_date_authors_and_theme_chips(client):
    theme = make_theme("Ethiek")
    person = make_person("Martijn", "Steen", particle="van der")
    make_publication(
        "Een essay",
        authors=[person],
        themes=[theme],
        publication_year=2021,
        publication_month=5,
    )

    text = page_text(client.get(LIST_URL))

    assert "Essay · mei 2021" in text
    assert '<p class="card__authors">Martijn van der Steen</p>' in text
    assert '<a class="theme-chip" href="/themas/ethiek/">Ethiek</a>' in text


@pytest.mark.django_db
def test_list_without_results_offers_a_reset_link(client):
    make_publication("Een essay")

    response = client.get(LIST_URL, {"q": "onvindbaar"})

    text = page_text(response)
    assert card_titles(response) == []
    assert "0 publicaties gevonden" in text
    assert EMPTY_STATE in text
    assert f'<a href="{LIST_URL}">Wis de filters en toon alle publicaties</a>' in text


@pytest.mark.django_db
def test_list_without_filters_has_no_clear_filters_link(client):
    make_publication("Een essay")

    text = page_text(client.get(LIST_URL))

    assert "Alle filters wissen" not in text
    assert EMPTY_STATE not in text


# --- Pagination ---------------------------------------------------------------------------


@pytest.fixture
def forty_five_essays(db):
    theme = make_theme("Ethiek")
    return [
        make_publication(f"Essay {number:02d}", themes=[theme], kind=Publication.Kind.ESSAY)
        for number in range(45)
    ]


@pytest.mark.django_db
def test_pagination_splits_45_items_over_three_pages(client, forty_five_essays):
    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})
    third = client.get(LIST_URL, {"page": 3})

    assert "45 publicaties gevonden" in page_text(first)
    assert len(card_titles(first)) == 20
    assert second.status_code == 200
    assert len(card_titles(second)) == 20
    assert len(card_titles(third)) == 5
    assert client.get(LIST_URL, {"page": 4}).status_code == 404


@pytest.mark.django_db
def test_pagination_shows_every_publication_exactly_once(client, forty_five_essays):
    seen = [
        *card_titles(client.get(LIST_URL)),
        *card_titles(client.get(LIST_URL, {"page": 2})),
        *card_titles(client.get(LIST_URL, {"page": 3})),
    ]

    assert sorted(seen) == sorted(publication.title for publication in forty_five_essays)


@pytest.mark.django_db
def test_pagination_with_a_filter_shows_every_publication_exactly_once(client, forty_five_essays):
    seen = [
        *card_titles(client.get(LIST_URL, {"soort": "essay"})),
        *card_titles(client.get(LIST_URL, {"soort": "essay", "page": 2})),
        *card_titles(client.get(LIST_URL, {"soort": "essay", "page": 3})),
    ]

    assert sorted(seen) == sorted(publication.title for publication in forty_five_essays)


@pytest.mark.django_db
def test_pagination_links_keep_the_active_filters(client, forty_five_essays):
    response = client.get(LIST_URL, {"thema": "ethiek", "soort": "essay"})

    next_href = link_with_rel(response, "next")
    assert "thema=ethiek" in next_href
    assert "soort=essay" in next_href
    assert "page=2" in next_href
    assert 'aria-label="Pagina 3"' in page_text(response)

    second = client.get(LIST_URL + next_href)
    assert second.status_code == 200
    assert len(card_titles(second)) == 20
    previous_href = link_with_rel(second, "prev")
    assert "thema=ethiek" in previous_href
    assert "soort=essay" in previous_href


@pytest.mark.django_db
def test_pagination_is_hidden_on_a_single_page(client):
    make_publication("Een essay")

    assert 'class="pagination"' not in page_text(client.get(LIST_URL))


# --- Detail -------------------------------------------------------------------------------


@pytest.fixture
def full_publication(db):
    nsob = make_organisation("Nederlandse School voor Openbaar Bestuur", short_name="NSOB")
    bzk = make_organisation("Ministerie van BZK")
    first = make_person("Zoë", "Zwart")  # first author although last alphabetically
    second = make_person("Martijn", "Steen", particle="van der")
    return make_publication(
        "Ambtelijk vakmanschap",
        subtitle="Een verkenning van het vak",
        authors=[first, second],
        publisher=nsob,
        commissioned_by=[bzk],
        themes=[make_theme("Toezicht"), make_theme("Ethiek")],
        summary="Wat maakt een ambtenaar goed in het vak?",
        body=(
            "## Tussenkop\n\n"
            "Een **vette** zin met een [link](https://example.org/).\n\n"
            "<script>alert('gehackt')</script>\n\n"
            '<img src="x.png" onerror="alert(1)">\n\n'
            "[klik](javascript:alert(1))\n"
        ),
        publication_year=2020,
        publication_month=9,
        publication_day=22,
        isbn="9780306406157",
        doi="10.1234/abc.2020",
        pdf=MINIMAL_PDF,
    )


@pytest.mark.django_db
def test_detail_shows_title_subtitle_kind_and_date(client, full_publication):
    response = client.get(full_publication.get_absolute_url())

    text = page_text(response)
    assert response.status_code == 200
    assert "<h1>Ambtelijk vakmanschap</h1>" in text
    assert '<p class="publication__subtitle">Een verkenning van het vak</p>' in text
    assert "Essay · <time>22 september 2020</time>" in text
    assert "<title>Ambtelijk vakmanschap · " in text


@pytest.mark.django_db
def test_detail_links_authors_in_order(client, full_publication):
    meta = pages.find(
        pages.parse(client.get(full_publication.get_absolute_url())), "dl", cls="ikpob-meta"
    )

    assert "Auteurs" in [pages.text(term) for term in pages.find_all(meta, "dt")]
    authors = [
        (pages.text(a), pages.attr(a, "href"))
        for a in pages.find_all(pages.find_all(meta, "dd")[0], "a")
    ]
    assert authors == [
        ("Zoë Zwart", "/netwerk/personen/zoe-zwart/"),
        ("Martijn van der Steen", "/netwerk/personen/martijn-van-der-steen/"),
    ]


@pytest.mark.django_db
def test_detail_single_author_label_is_singular(client):
    publication = make_publication("Solo", authors=[make_person("Anna", "Jansen")])

    text = page_text(client.get(publication.get_absolute_url()))

    assert "<dt>Auteur</dt>" in text
    assert "<dt>Auteurs</dt>" not in text


@pytest.mark.django_db
def test_detail_shows_publisher_commissioner_and_identifiers(client, full_publication):
    meta = pages.find(
        pages.parse(client.get(full_publication.get_absolute_url())), "dl", cls="ikpob-meta"
    )

    terms = [pages.text(term) for term in pages.find_all(meta, "dt")]
    values = dict(zip(terms, pages.find_all(meta, "dd"), strict=True))
    assert pages.links(values["Uitgever"]) == {
        "Nederlandse School voor Openbaar Bestuur": (
            "/netwerk/nederlandse-school-voor-openbaar-bestuur/"
        )
    }
    assert pages.links(values["In opdracht van"]) == {
        "Ministerie van BZK": "/netwerk/ministerie-van-bzk/"
    }
    assert pages.text(values["ISBN"]) == "9780306406157"
    assert pages.links(values["DOI"]) == {"10.1234/abc.2020": "https://doi.org/10.1234/abc.2020"}


@pytest.mark.django_db
def test_detail_links_themes_to_their_theme_pages(client, full_publication):
    text = page_text(client.get(full_publication.get_absolute_url()))

    ethiek = text.index('<a class="theme-chip" href="/themas/ethiek/">Ethiek</a>')
    toezicht = text.index('<a class="theme-chip" href="/themas/toezicht/">Toezicht</a>')
    assert ethiek < toezicht  # alphabetical


@pytest.mark.django_db
def test_detail_shows_the_summary(client, full_publication):
    text = page_text(client.get(full_publication.get_absolute_url()))

    assert '<p class="lead">Wat maakt een ambtenaar goed in het vak?</p>' in text


@pytest.mark.django_db
def test_detail_renders_markdown_body_without_scripts_or_event_handlers(client, full_publication):
    response = client.get(full_publication.get_absolute_url())

    prose = section(response, "prose")
    assert "<h2>Tussenkop</h2>" in prose
    assert "<strong>vette</strong>" in prose
    assert 'href="https://example.org/"' in prose
    text = page_text(response)
    assert "<script" not in text
    assert "alert(" not in text
    assert "onerror" not in text
    assert "javascript:" not in text


@pytest.mark.django_db
def test_detail_offers_the_pdf_with_its_size(client, full_publication):
    text = page_text(client.get(full_publication.get_absolute_url()))

    download_url = f"/publicaties/{full_publication.slug}/download/"
    assert f'<a class="button" href="{download_url}" type="application/pdf">' in text
    assert f"Download PDF <span>({filesizeformat(len(MINIMAL_PDF))})</span>" in text


@pytest.mark.django_db
def test_detail_without_pdf_has_no_download_button(client):
    publication = make_publication("Zonder bestand")

    assert "Download PDF" not in page_text(client.get(publication.get_absolute_url()))


@pytest.mark.django_db
def test_detail_shows_the_apa_citation_and_citation_downloads(client, full_publication):
    text = page_text(client.get(full_publication.get_absolute_url()))

    assert "Citeer dit" in text
    assert (
        "Zwart, Z., &amp; Steen, M. van der. (2020). "
        "<i>Ambtelijk vakmanschap: Een verkenning van het vak</i>."
    ) in text
    assert f'href="/publicaties/{full_publication.slug}/citeer.bib" download>' in text
    assert f'href="/publicaties/{full_publication.slug}/citeer.ris" download>' in text


@pytest.mark.django_db
def test_detail_shows_related_publications(client):
    theme = make_theme("Ethiek")
    publication = make_publication("Hoofdstuk", themes=[theme])
    make_publication("Verwant stuk", themes=[theme])
    make_publication("Verwant concept", themes=[theme], status=Publication.Status.DRAFT)

    response = client.get(publication.get_absolute_url())

    assert "Verwante publicaties" in page_text(response)
    assert card_titles(response) == ["Verwant stuk"]


@pytest.mark.django_db
def test_detail_of_a_published_item_has_no_draft_notice(client, editor_client):
    publication = make_publication("Openbaar")

    assert "notice--draft" not in page_text(client.get(publication.get_absolute_url()))
    assert "notice--draft" not in page_text(editor_client.get(publication.get_absolute_url()))


@pytest.mark.django_db
def test_detail_of_a_draft_is_404_for_visitors(client):
    draft = make_publication("Geheim concept", status=Publication.Status.DRAFT)

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 404
    assert "Geheim concept" not in page_text(response)


@pytest.mark.django_db
def test_detail_of_a_scheduled_item_is_404_for_visitors(client):
    scheduled = make_publication("Ingepland", published_at=timezone.now() + timedelta(days=1))

    assert client.get(scheduled.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_detail_of_a_draft_is_shown_to_an_editor_with_a_concept_notice(editor_client):
    draft = make_publication("Geheim concept", status=Publication.Status.DRAFT)

    response = editor_client.get(draft.get_absolute_url())

    text = page_text(response)
    assert response.status_code == 200
    assert "<h1>Geheim concept</h1>" in text
    assert '<div class="notice notice--draft" role="status">' in text
    assert "<strong>Concept</strong>" in text
    assert DRAFT_NOTICE in text


@pytest.mark.django_db
def test_detail_of_a_scheduled_item_tells_an_editor_when_it_goes_public(editor_client):
    scheduled = make_publication("Ingepland", published_at=timezone.now() + timedelta(days=2))

    response = editor_client.get(scheduled.get_absolute_url())

    text = page_text(response)
    assert response.status_code == 200
    assert "<strong>Concept</strong>" in text
    assert SCHEDULED_NOTICE in text


@pytest.mark.django_db
def test_detail_of_a_draft_stays_404_for_a_logged_in_non_editor(client, django_user_model):
    user = django_user_model.objects.create_user(username="lezer", password="x")
    client.force_login(user)
    draft = make_publication("Concept", status=Publication.Status.DRAFT)

    assert client.get(draft.get_absolute_url()).status_code == 404


# --- Downloads ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_download_returns_the_pdf_of_a_published_item(client):
    publication = make_publication("Met pdf", pdf=MINIMAL_PDF)

    response = client.get(f"/publicaties/{publication.slug}/download/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{publication.slug}.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    response.close()


@pytest.mark.django_db
def test_download_of_a_drafts_pdf_is_404(client):
    draft = make_publication("Concept met pdf", status=Publication.Status.DRAFT, pdf=MINIMAL_PDF)

    assert client.get(f"/publicaties/{draft.slug}/download/").status_code == 404


@pytest.mark.django_db
def test_download_of_a_scheduled_items_pdf_is_404(client):
    scheduled = make_publication(
        "Ingepland met pdf", published_at=timezone.now() + timedelta(days=1), pdf=MINIMAL_PDF
    )

    assert client.get(f"/publicaties/{scheduled.slug}/download/").status_code == 404


@pytest.mark.django_db
def test_download_of_a_drafts_pdf_works_for_an_editor(editor_client):
    draft = make_publication("Concept met pdf", status=Publication.Status.DRAFT, pdf=MINIMAL_PDF)

    response = editor_client.get(f"/publicaties/{draft.slug}/download/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    response.close()


@pytest.mark.django_db
def test_download_without_pdf_is_404(client):
    publication = make_publication("Zonder pdf")

    assert client.get(f"/publicaties/{publication.slug}/download/").status_code == 404


@pytest.mark.django_db
def test_bibtex_download_is_an_attachment(client):
    publication = make_publication("Citeerbaar", authors=[make_person("Anna", "Jansen")])

    response = client.get(f"/publicaties/{publication.slug}/citeer.bib")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{publication.slug}.bib"'
    text = page_text(response)
    assert text.startswith("@techreport{")
    assert f"url = {{http://testserver/publicaties/{publication.slug}/}}" in text


@pytest.mark.django_db
def test_ris_download_is_an_attachment(client):
    publication = make_publication("Citeerbaar", authors=[make_person("Anna", "Jansen")])

    response = client.get(f"/publicaties/{publication.slug}/citeer.ris")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{publication.slug}.ris"'
    assert page_text(response).startswith("TY  - RPRT\r\n")


@pytest.mark.django_db
def test_citation_downloads_of_a_draft_are_404(client):
    draft = make_publication("Concept", status=Publication.Status.DRAFT)

    assert client.get(f"/publicaties/{draft.slug}/citeer.bib").status_code == 404
    assert client.get(f"/publicaties/{draft.slug}/citeer.ris").status_code == 404


# --- Query counts -------------------------------------------------------------------------


def make_published_batch(count: int, theme, start: int = 0) -> None:
    publisher = make_organisation(f"Uitgever {start}")
    commissioner = make_organisation(f"Opdrachtgever {start}")
    for number in range(start, start + count):
        make_publication(
            f"Stuk {number:03d}",
            authors=[make_person("Anna", f"Auteur{number}"), make_person("Bert", f"Mede{number}")],
            themes=[theme, make_theme(f"Bijthema {number}")],
            publisher=publisher,
            commissioned_by=[commissioner],
            publication_year=2000 + number % 20,
        )


def count_queries(client, url: str) -> int:
    client.get(url)  # warm per-process caches (content types) first
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "cap", "cards"),
    [(LIST_URL, 10, 20), ("/themas/ethiek/", 6, 12)],
    ids=["list", "theme-page"],
)
def test_public_page_query_count_does_not_grow_with_items(
    client, url, cap, cards, django_assert_max_num_queries
):
    theme = make_theme("Ethiek")
    make_published_batch(1, theme)
    with_one = count_queries(client, url)

    make_published_batch(49, theme, start=1)
    with_fifty = count_queries(client, url)

    assert with_fifty == with_one
    with django_assert_max_num_queries(cap):
        response = client.get(url)
    assert len(card_titles(response)) == cards


@pytest.mark.django_db
def test_list_query_count_with_filters_does_not_grow_with_items(client):
    theme = make_theme("Ethiek")
    url = f"{LIST_URL}?thema=ethiek&soort=essay&jaar=2001&jaar=2002&q=stuk"
    make_published_batch(3, theme)
    with_three = count_queries(client, url)

    make_published_batch(47, theme, start=3)

    assert count_queries(client, url) == with_three


# --- Home page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_home_shows_latest_publications_and_themes_but_no_drafts(client):
    ethiek = make_theme("Ethiek")
    only_in_drafts = make_theme("Geheim thema")
    make_publication("Nieuw essay", themes=[ethiek], publication_year=2024)
    make_publication("Ouder essay", themes=[ethiek], publication_year=2019)
    make_publication("Concept essay", status=Publication.Status.DRAFT, themes=[only_in_drafts])
    make_publication(
        "Ingepland essay", published_at=timezone.now() + timedelta(days=1), themes=[only_in_drafts]
    )

    response = client.get("/")

    text = page_text(response)
    assert response.status_code == 200
    assert "Nieuwste publicaties" in text
    assert card_titles(response) == ["Nieuw essay", "Ouder essay"]
    assert '<a href="/themas/ethiek/">Ethiek</a> <span class="count">(2)</span>' in text
    assert "Geheim thema" not in text
    assert "Concept essay" not in text
    assert "Ingepland essay" not in text


@pytest.mark.django_db
def test_home_shows_at_most_six_latest_publications(client):
    for year in range(2015, 2025):
        make_publication(f"Essay {year}", publication_year=year)

    titles = card_titles(client.get("/"))

    assert titles == [f"Essay {year}" for year in range(2024, 2018, -1)]
