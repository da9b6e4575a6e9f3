from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import InMemoryStorage
from django.template.defaultfilters import filesizeformat
from django.test import override_settings
from django.utils import timezone

from ikpob_portal.kernel import registry
from publications.models import Publication
from tests.factories import (
    MINIMAL_PDF,
    make_organisation,
    make_person,
    make_publication,
    make_theme,
)
from tests.html import (
    Link,
    breadcrumb,
    card_titles,
    cards,
    count_queries,
    description_list,
    find_link,
    headings,
    links,
    list_items,
    notices,
    page_heading,
    page_title,
    pagination,
    parse,
    rel_link,
    results_heading,
    section,
    text,
)

LIST_URL = "/publicaties/"
EMPTY_STATE = "Er zijn geen publicaties die aan al deze filters voldoen."
DRAFT_NOTICE = "deze publicatie is niet openbaar. Alleen redacteuren zien deze pagina."
SCHEDULED_NOTICE = "deze publicatie wordt openbaar op"


def page_text(response) -> str:
    return response.content.decode()


# --- List ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_only_published_publications(client):
    make_publication("Openbaar essay")
    make_publication("Concept essay", status=Publication.Status.DRAFT)
    make_publication("Ingepland essay", published_at=timezone.now() + timedelta(hours=2))

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert card_titles(response) == ["Openbaar essay"]
    assert results_heading(response) == "1 publicatie gevonden"
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

    [card] = cards(client.get(LIST_URL))

    assert card.title == "Een essay"
    assert card.href == "/publicaties/een-essay/"
    assert "Essay · mei 2021" in card.lines
    assert "Martijn van der Steen" in card.lines
    assert card.links == [Link("Ethiek", "/themas/ethiek/")]


@pytest.mark.django_db
def test_list_without_results_offers_a_reset_link(client):
    make_publication("Een essay")

    response = client.get(LIST_URL, {"q": "onvindbaar"})

    assert card_titles(response) == []
    assert results_heading(response) == "0 publicaties gevonden"
    assert EMPTY_STATE in text(response)
    assert Link("Wis de filters en toon alle publicaties", LIST_URL) in links(response)


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

    assert results_heading(first) == "45 publicaties gevonden, pagina 1 van 3"
    assert len(card_titles(first)) == 20
    assert second.status_code == 200
    assert results_heading(second) == "45 publicaties gevonden, pagina 2 van 3"
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

    next_href = rel_link(response, "next")
    assert "thema=ethiek" in next_href
    assert "soort=essay" in next_href
    assert "page=2" in next_href
    numbered = [link for link in pagination(response) if link.rel is None]
    assert [link.text for link in numbered] == ["Pagina 1", "Pagina 2", "Pagina 3"]
    assert [link.current for link in numbered] == [True, False, False]
    assert all("thema=ethiek" in link.href and "soort=essay" in link.href for link in numbered)

    second = client.get(LIST_URL + next_href)
    assert second.status_code == 200
    assert len(card_titles(second)) == 20
    previous_href = rel_link(second, "prev")
    assert "thema=ethiek" in previous_href
    assert "soort=essay" in previous_href


@pytest.mark.django_db
def test_pagination_is_hidden_on_a_single_page(client):
    make_publication("Een essay")

    assert pagination(client.get(LIST_URL)) == []


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

    assert response.status_code == 200
    assert page_heading(response) == "Ambtelijk vakmanschap"
    header = parse(response).find("main").find("header")
    assert [p.text for p in header.iter("p")] == [
        "Essay · 22 september 2020",
        "Een verkenning van het vak",
    ]
    assert [time.text for time in header.iter("time")] == ["22 september 2020"]
    assert page_title(response).startswith("Ambtelijk vakmanschap · ")


@pytest.mark.django_db
def test_detail_links_authors_in_order(client, full_publication):
    authors = description_list(client.get(full_publication.get_absolute_url()))["Auteurs"]

    assert authors.text == "Zoë Zwart, Martijn van der Steen"
    assert authors.links == [
        Link("Zoë Zwart", "/netwerk/personen/zoe-zwart/"),
        Link("Martijn van der Steen", "/netwerk/personen/martijn-van-der-steen/"),
    ]


@pytest.mark.django_db
def test_detail_breadcrumb_leads_home_and_to_the_list_but_not_to_itself(client, full_publication):
    trail = breadcrumb(client.get(full_publication.get_absolute_url()))

    # NL Design System: the trail holds the pages above this one, not the page itself.
    assert [link.href for link in trail] == ["/", LIST_URL]
    assert trail[-1] == Link("Publicaties", LIST_URL)
    assert [link.href for link in breadcrumb(client.get(LIST_URL))] == ["/"]


@pytest.mark.django_db
def test_detail_single_author_label_is_singular(client):
    publication = make_publication("Solo", authors=[make_person("Anna", "Jansen")])

    facts = description_list(client.get(publication.get_absolute_url()))

    assert facts["Auteur"].text == "Anna Jansen"
    assert "Auteurs" not in facts


@pytest.mark.django_db
def test_detail_shows_publisher_commissioner_and_identifiers(client, full_publication):
    facts = description_list(client.get(full_publication.get_absolute_url()))

    assert facts["Uitgever"].links == [
        Link(
            "Nederlandse School voor Openbaar Bestuur",
            "/netwerk/nederlandse-school-voor-openbaar-bestuur/",
        )
    ]
    assert facts["In opdracht van"].links == [
        Link("Ministerie van BZK", "/netwerk/ministerie-van-bzk/")
    ]
    assert facts["ISBN"].text == "9780306406157"
    assert facts["DOI"].links == [Link("10.1234/abc.2020", "https://doi.org/10.1234/abc.2020")]


@pytest.mark.django_db
def test_detail_links_themes_to_their_theme_pages(client, full_publication):
    facts = description_list(client.get(full_publication.get_absolute_url()))

    assert facts["Thema's"].links == [  # alphabetical
        Link("Ethiek", "/themas/ethiek/"),
        Link("Toezicht", "/themas/toezicht/"),
    ]


@pytest.mark.django_db
def test_detail_shows_the_summary(client, full_publication):
    summary = section(client.get(full_publication.get_absolute_url()), "Samenvatting")

    assert [p.text for p in summary.iter("p")] == ["Wat maakt een ambtenaar goed in het vak?"]


@pytest.mark.django_db
def test_detail_renders_markdown_body_without_scripts_or_event_handlers(client, full_publication):
    response = client.get(full_publication.get_absolute_url())

    body = section(response, "Over deze publicatie")
    assert [heading.text for heading in headings(body)] == ["Over deze publicatie", "Tussenkop"]
    assert [strong.text for strong in body.iter("strong")] == ["vette"]
    assert Link("link", "https://example.org/") in links(body)
    assert body.find("script") is None
    assert body.find("img") is None
    # The page's own scripts are files (JSON-LD is data, not run); nothing from the body runs.
    assert all(
        script.get("src") or script.get("type") == "application/ld+json"
        for script in parse(response).iter("script")
    )
    text = page_text(response)
    assert "alert(" not in text
    assert "onerror" not in text
    assert "javascript:" not in text


@pytest.mark.django_db
def test_detail_body_headings_sit_below_their_section_heading(client, full_publication):
    body = section(client.get(full_publication.get_absolute_url()), "Over deze publicatie")

    own, *inner = headings(body)
    assert inner
    assert all(heading.level > own.level for heading in inner)


@pytest.mark.django_db
def test_detail_offers_the_pdf_with_its_size(client, full_publication):
    response = client.get(full_publication.get_absolute_url())

    download = find_link(response, href=f"/publicaties/{full_publication.slug}/download/")
    assert download.get("type") == "application/pdf"
    # The title, visually hidden, tells the link apart from other downloads on a screen reader.
    size = filesizeformat(len(MINIMAL_PDF))
    assert download.text == f"Download PDF ({size}): Ambtelijk vakmanschap"


@pytest.mark.django_db
def test_detail_without_pdf_has_no_download_button(client):
    publication = make_publication("Zonder bestand")

    assert "Download PDF" not in page_text(client.get(publication.get_absolute_url()))


@pytest.mark.django_db
def test_detail_shows_the_apa_citation_and_citation_downloads(client, full_publication):
    response = client.get(full_publication.get_absolute_url())

    cite = section(response, "Citeer dit")
    citation = cite.find("blockquote")
    assert citation.text.startswith(
        "Zwart, Z., & Steen, M. van der. (2020). Ambtelijk vakmanschap: Een verkenning van het vak."
    )
    assert [i.text for i in citation.iter("i")] == [
        "Ambtelijk vakmanschap: Een verkenning van het vak"
    ]
    bibtex = find_link(cite, href=f"/publicaties/{full_publication.slug}/citeer.bib")
    ris = find_link(cite, href=f"/publicaties/{full_publication.slug}/citeer.ris")
    assert bibtex.get("download") is not None
    assert ris.get("download") is not None


@pytest.mark.django_db
def test_detail_shows_related_publications(client):
    theme = make_theme("Ethiek")
    publication = make_publication("Hoofdstuk", themes=[theme])
    make_publication("Verwant stuk", themes=[theme])
    make_publication("Verwant concept", themes=[theme], status=Publication.Status.DRAFT)

    response = client.get(publication.get_absolute_url())

    assert card_titles(section(response, "Verwante publicaties")) == ["Verwant stuk"]
    assert card_titles(response) == ["Verwant stuk"]


@pytest.mark.django_db
def test_detail_of_a_published_item_has_no_draft_notice(client, editor_client):
    publication = make_publication("Openbaar")

    assert notices(client.get(publication.get_absolute_url())) == []
    assert notices(editor_client.get(publication.get_absolute_url())) == []


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

    assert response.status_code == 200
    assert page_heading(response) == "Geheim concept"
    assert notices(response) == [f"Concept — {DRAFT_NOTICE}"]
    notice = parse(response).find(role="status")
    assert notice.find("strong").text == "Concept"


@pytest.mark.django_db
def test_detail_of_a_scheduled_item_tells_an_editor_when_it_goes_public(editor_client):
    scheduled = make_publication("Ingepland", published_at=timezone.now() + timedelta(days=2))

    response = editor_client.get(scheduled.get_absolute_url())

    assert response.status_code == 200
    [notice] = notices(response)
    assert notice.startswith(f"Concept — {SCHEDULED_NOTICE} ")
    assert notice.endswith(" Alleen redacteuren zien deze pagina nu.")


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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "cap", "cards"),
    # List: count, the page's keys, its rows, their authors and themes, and the facets (the
    # organisation facet three: published, commissioned, the organisations).
    # Theme page: the theme, its counts (one query per registered kind), the items of the one
    # kind that has any, the cards' authors and themes; and the menus.
    [(LIST_URL, 13, 20), ("/themas/ethiek/", 5 + len(registry.kinds()), 6)],
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
    assert card_titles(section(response, "Nieuwste publicaties")) == ["Nieuw essay", "Ouder essay"]
    assert card_titles(response) == ["Nieuw essay", "Ouder essay"]
    themes = section(response, "Thema's")
    assert list_items(themes) == ["Ethiek 2 publicaties"]
    assert Link("Ethiek", "/themas/ethiek/") in links(themes)
    assert "Geheim thema" not in text
    assert "Concept essay" not in text
    assert "Ingepland essay" not in text


@pytest.mark.django_db
def test_home_shows_at_most_six_latest_publications(client):
    for year in range(2015, 2025):
        make_publication(f"Essay {year}", publication_year=year)

    titles = card_titles(client.get("/"))

    assert titles == [f"Essay {year}" for year in range(2024, 2018, -1)]


@pytest.mark.django_db
def test_download_streams_the_pdf_from_a_storage_that_is_not_the_local_disk(client, settings):
    """With several app servers the PDFs live on object storage (DJANGO_MEDIA_STORAGE=s3).

    The view reads through the storage API only, so any storage works; Django's in-memory
    storage stands in for S3 here, and nothing may land in MEDIA_ROOT.
    """
    in_memory = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    with override_settings(STORAGES=in_memory):
        publication = make_publication("Uit de objectopslag", pdf=MINIMAL_PDF)
        assert isinstance(publication.pdf.storage, InMemoryStorage)
        assert publication.pdf_size == len(MINIMAL_PDF)

        response = client.get(f"/publicaties/{publication.slug}/download/")

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert f'filename="{publication.slug}.pdf"' in response["Content-Disposition"]
        assert b"".join(response.streaming_content) == MINIMAL_PDF
        response.close()
    media_root = Path(settings.MEDIA_ROOT)
    assert not media_root.exists() or not any(media_root.rglob("*"))
