"""News and interviews ("Actueel"): the kind, its list and page, and everywhere it shows up.

A visitor finds a news item in its own list (with facets), on its page, in the feeds, the
sitemap and the site search, and as a card on the pages of its themes, its people and its
organisations. Drafts and scheduled items appear nowhere until their moment.
"""

import io
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError
from django.test import Client
from django.utils import timezone
from PIL import Image

from publications.models import NewsContribution, NewsItem, Publication
from tests.factories import (
    make_news_item,
    make_organisation,
    make_person,
    make_publication,
    make_theme,
)
from tests.html import (
    card_titles,
    cards,
    count_queries,
    description_list,
    facet_counts,
    feed,
    feed_links,
    json_ld,
    main,
    meta,
    meta_values,
    page_heading,
    parse,
    result_count,
    section,
    sitemap,
    text,
    text_in_language,
)

pytestmark = pytest.mark.django_db

LIST_URL = "/actueel/"
HOST = "http://testserver"
Role = NewsContribution.Role
Kind = NewsItem.Kind
DRAFT = {"status": NewsItem.Status.DRAFT}


def scheduled() -> dict:
    return {"published_at": timezone.now() + timedelta(days=1)}


@pytest.fixture
def interview():
    """An interview with a board member, written by an editor, about two themes."""
    theme = make_theme("Leiderschap")
    foundation = make_organisation("Stichting Voorbeeld", short_name="SV")
    interviewee = make_person("Annet", "Doesburg", organisations=[foundation])
    author = make_person("Rik", "Schrijver")
    return make_news_item(
        "In gesprek over vakmanschap",
        kind=Kind.INTERVIEW,
        date=date(2026, 3, 2),
        summary="Een gesprek over het vak van de ambtenaar.",
        body="## Waarom\n\nOmdat het **vak** verandert.",
        people=[(author, Role.AUTHOR), (interviewee, Role.INTERVIEWEE)],
        organisations=[foundation],
        themes=[theme, make_theme("Ambtelijk vakmanschap")],
    )


# --- The model ------------------------------------------------------------------------------


def test_news_item_lives_at_its_own_address_apart_from_publications():
    make_publication("Zelfde naam", slug="zelfde-naam")
    item = make_news_item("Zelfde naam", slug="zelfde-naam")

    assert item.get_absolute_url() == "/actueel/zelfde-naam/"
    assert str(item) == "Zelfde naam"


def test_news_item_names_people_by_role_in_the_editors_order(interview):
    second = make_person("Bea", "Tweede")
    NewsContribution.objects.create(
        news_item=interview, person=second, role=Role.INTERVIEWEE, position=5
    )

    groups = [
        (heading, [p.full_name for p in people]) for heading, people in interview.people_by_role()
    ]

    assert groups == [
        ("Geïnterviewden", ["Annet Doesburg", "Bea Tweede"]),
        ("Auteur", ["Rik Schrijver"]),
    ]


def test_news_item_takes_a_person_once_per_role(interview):
    person = interview.featured_people[0]

    with pytest.raises(IntegrityError):
        NewsContribution.objects.create(news_item=interview, person=person, role=Role.INTERVIEWEE)


def test_news_item_published_without_a_moment_is_published_now():
    item = make_news_item("Nu", status=NewsItem.Status.PUBLISHED, published_at=None)

    assert item.published_at is not None
    assert NewsItem.objects.published().filter(pk=item.pk).exists()


# --- The list and its facets --------------------------------------------------------------------


def test_list_shows_published_items_newest_first_and_hides_drafts(client):
    make_news_item("Ouder", date=date(2025, 5, 1))
    make_news_item("Nieuwer", date=date(2026, 5, 1))
    make_news_item("Concept", **DRAFT)
    make_news_item("Gepland", **scheduled())

    response = client.get(LIST_URL)

    assert page_heading(response) == "Actueel"
    assert card_titles(response) == ["Nieuwer", "Ouder"]
    assert result_count(response) == 2


def test_list_card_says_kind_date_who_and_themes(client, interview):
    card = cards(client.get(LIST_URL))[0]

    assert card.title == "In gesprek over vakmanschap"
    assert card.href == "/actueel/in-gesprek-over-vakmanschap/"
    assert card.lines[0] == "Interview · 2 maart 2026"
    assert card.lines[1] == "Geïnterviewde: Annet Doesburg · Auteur: Rik Schrijver"
    assert [link.text for link in card.links] == ["Ambtelijk vakmanschap", "Leiderschap"]


def test_list_facets_count_kind_theme_year_organisation_and_person(client, interview):
    make_news_item("Verslag", kind=Kind.VERSLAG, date=date(2019, 1, 16))
    make_news_item("Verborgen", kind=Kind.COLUMN, **DRAFT)
    response = client.get(LIST_URL)

    assert facet_counts(response, "soort") == {"interview": 1, "verslag": 1}
    assert facet_counts(response, "thema") == {"ambtelijk-vakmanschap": 1, "leiderschap": 1}
    assert facet_counts(response, "jaar") == {"2026": 1, "2019": 1}
    assert facet_counts(response, "organisatie") == {"stichting-voorbeeld": 1}
    assert facet_counts(response, "persoon") == {"annet-doesburg": 1, "rik-schrijver": 1}


@pytest.mark.parametrize(
    "query",
    [
        "soort=interview",
        "thema=leiderschap",
        "jaar=2026",
        "organisatie=stichting-voorbeeld",
        "persoon=annet-doesburg",
        "q=vakmanschap",
    ],
)
def test_list_filters_narrow_to_the_matching_items(client, interview, query):
    make_news_item("Verslag van elders", kind=Kind.VERSLAG, date=date(2019, 1, 16))

    assert card_titles(client.get(f"{LIST_URL}?{query}")) == ["In gesprek over vakmanschap"]


def test_list_query_count_does_not_grow_with_rows(client, interview):
    filtered = f"{LIST_URL}?thema=leiderschap&soort=interview&persoon=annet-doesburg"
    before = [count_queries(client, url) for url in (LIST_URL, filtered)]
    theme = interview.theme_list[0]
    for number in range(15):
        make_news_item(
            f"Bericht {number}",
            kind=Kind.INTERVIEW,
            people=[(make_person("Piet", f"Persoon{number}"), Role.INTERVIEWEE)],
            organisations=[make_organisation(f"Organisatie {number}")],
            themes=[theme],
        )

    after = [count_queries(client, url) for url in (LIST_URL, filtered)]

    assert after == before
    assert after[0] <= 11
    assert after[1] <= 13


# --- The page -------------------------------------------------------------------------------------


def test_page_shows_kind_date_people_by_role_organisations_themes_and_body(client, interview):
    response = client.get(interview.get_absolute_url())
    facts = description_list(response)

    assert page_heading(response) == "In gesprek over vakmanschap"
    assert "Interview · 2 maart 2026" in text(response)
    assert facts["Geïnterviewde"].links[0].href == "/netwerk/personen/annet-doesburg/"
    assert facts["Auteur"].text == "Rik Schrijver"
    assert facts["Organisatie"].text == "Stichting Voorbeeld"
    assert [link.text for link in facts["Thema's"].links] == [
        "Ambtelijk vakmanschap",
        "Leiderschap",
    ]
    assert section(response, "Waarom") is not None


def test_page_sanitises_the_body_like_every_other_kind(client):
    item = make_news_item(
        "Met script", body="Tekst <script>alert(1)</script> [x](javascript:alert(1))"
    )

    body = client.get(item.get_absolute_url()).content.decode()

    assert "<script>alert" not in body
    assert "javascript:alert" not in body


def test_page_names_a_draft_person_without_linking_them(client):
    hidden = make_person("Geheim", "Concept", **DRAFT)
    item = make_news_item("Over iemand", people=[(hidden, Role.INTERVIEWEE)])

    facts = description_list(client.get(item.get_absolute_url()))

    assert facts["Geïnterviewde"].text == "Geheim Concept"
    assert facts["Geïnterviewde"].links == []


@pytest.mark.parametrize("state", [DRAFT, "scheduled"])
def test_draft_and_scheduled_pages_are_not_found_but_editors_preview_them(editor_client, state):
    item = make_news_item("Nog niet", **(scheduled() if state == "scheduled" else state))

    assert Client().get(item.get_absolute_url()).status_code == 404
    preview = editor_client.get(item.get_absolute_url())
    assert preview.status_code == 200
    assert "Concept" in text(preview)
    assert json_ld(preview) == []


def test_page_query_count_does_not_grow_with_people_and_organisations(client, interview):
    before = count_queries(client, interview.get_absolute_url())
    for number in range(10):
        NewsContribution.objects.create(
            news_item=interview,
            person=make_person("Extra", f"Persoon{number}"),
            role=Role.MENTIONED,
            position=10 + number,
        )
        interview.organisations.add(make_organisation(f"Extra organisatie {number}"))

    after = count_queries(client, interview.get_absolute_url())

    assert after == before
    assert after <= 6


# --- JSON-LD ----------------------------------------------------------------------------------


def test_interview_json_ld_is_a_news_article_with_author_about_and_mentions(client, interview):
    mentioned = make_person("Genoemd", "Iemand")
    NewsContribution.objects.create(
        news_item=interview, person=mentioned, role=Role.MENTIONED, position=9
    )

    [data] = json_ld(client.get(interview.get_absolute_url()))

    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "In gesprek over vakmanschap"
    assert data["datePublished"] == "2026-03-02"
    assert [a["name"] for a in data["author"]] == ["Rik Schrijver"]
    people_about = [node["name"] for node in data["about"] if node["@type"] == "Person"]
    assert people_about == ["Annet Doesburg"]
    assert [node["name"] for node in data["mentions"]] == ["Genoemd Iemand", "Stichting Voorbeeld"]
    assert data["publisher"]["name"] == "Stichting IKPOB"
    assert "image" not in data


def test_column_json_ld_is_an_article_without_an_invented_author(client):
    item = make_news_item("Mijn column", kind=Kind.COLUMN)

    [data] = json_ld(client.get(item.get_absolute_url()))

    assert data["@type"] == "Article"
    assert "author" not in data


# --- The cover image -----------------------------------------------------------------------------


def with_cover(item: NewsItem, *, alt: str = "Annet Doesburg aan tafel") -> NewsItem:
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 900), (21, 66, 115)).save(buffer, "JPEG")
    item.image = SimpleUploadedFile("foto.jpg", buffer.getvalue(), content_type="image/jpeg")
    item.image_alt = alt
    item.full_clean()
    item.save()
    return item


def test_cover_image_needs_alt_text_unless_decorative(interview):
    buffer = io.BytesIO()
    Image.new("RGB", (800, 450), (21, 66, 115)).save(buffer, "PNG")
    interview.image = SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")

    with pytest.raises(ValidationError) as refused:
        interview.full_clean()
    assert "image_alt" in refused.value.message_dict

    interview.image_decorative = True
    interview.full_clean()


def test_cover_image_shows_on_card_and_page_and_feeds_link_previews(client, interview):
    with_cover(interview)

    card = parse(client.get(LIST_URL)).find("article")
    page = client.get(interview.get_absolute_url())
    picture = main(page).find("picture")
    [data] = json_ld(page)

    assert card.find("img").get("alt") == "Annet Doesburg aan tafel"
    assert picture.find("img").get("alt") == "Annet Doesburg aan tafel"
    assert picture.find("img").get("fetchpriority") == "high"
    og_image = meta(page, "og:image")
    assert og_image.startswith(f"{HOST}/afbeeldingen/")
    assert og_image.endswith(".jpg")
    assert data["image"] == og_image
    assert client.get(og_image.removeprefix(HOST)).status_code == 200


def test_page_without_image_has_no_picture_and_no_og_image(client, interview):
    page = client.get(interview.get_absolute_url())

    assert main(page).find("picture") is None
    assert meta_values(page, "og:image") == []


# --- Feeds, sitemap and search -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        ("/actueel/feed/rss/", "application/rss+xml"),
        ("/actueel/feed/atom/", "application/atom+xml"),
    ],
)
def test_feeds_hold_published_items_newest_first_with_authors_and_themes(
    client, interview, url, content_type
):
    make_news_item("Ouder bericht", published_at=timezone.now() - timedelta(days=3))
    make_news_item("Concept", **DRAFT)
    make_news_item("Gepland", **scheduled())

    response = client.get(url)
    parsed = feed(response)

    assert response["Content-Type"].startswith(content_type)
    assert [entry.title for entry in parsed.entries] == [
        "In gesprek over vakmanschap",
        "Ouder bericht",
    ]
    first = parsed.entries[0]
    assert first.link == "http://testserver/actueel/in-gesprek-over-vakmanschap/"
    assert [author.name for author in first.authors] == ["Rik Schrijver"]
    assert {tag.term for tag in first.tags} == {"Ambtelijk vakmanschap", "Leiderschap"}


def test_list_and_page_link_the_feeds_in_their_head(client, interview):
    for url in (LIST_URL, interview.get_absolute_url()):
        hrefs = {link.href for link in feed_links(client.get(url))}
        assert {f"{HOST}/actueel/feed/rss/", f"{HOST}/actueel/feed/atom/"} <= hrefs


def test_home_page_links_the_news_feed(client):
    hrefs = {link.href for link in feed_links(client.get("/"))}

    assert f"{HOST}/actueel/feed/rss/" in hrefs


def test_sitemap_lists_the_list_and_published_items_only(client, interview):
    make_news_item("Concept", **DRAFT)
    make_news_item("Gepland", **scheduled())

    entries = sitemap(client.get("/sitemap.xml"))
    news = sorted(loc for loc in entries if "/actueel/" in loc)

    assert news == [
        "http://testserver/actueel/",
        "http://testserver/actueel/in-gesprek-over-vakmanschap/",
    ]


def test_search_finds_the_interview_by_words_and_by_the_interviewees_name(client, interview):
    make_news_item("Geheim interview over vakmanschap", **DRAFT)

    for q in ("vakmanschap", "Doesburg"):
        news = card_titles(client.get("/zoeken/", {"q": q, "soort": "newsitem"}))
        assert news == ["In gesprek over vakmanschap"], q


def test_search_follows_people_added_after_the_item(client):
    item = make_news_item("Een gesprek")
    NewsContribution.objects.create(
        news_item=item, person=make_person("Zeldzame", "Naamdrager"), role=Role.INTERVIEWEE
    )

    assert "Een gesprek" in card_titles(client.get("/zoeken/", {"q": "Naamdrager"}))


# --- Cards elsewhere ---------------------------------------------------------------------------


def test_theme_page_shows_the_card_with_a_link_to_the_filtered_list(client, interview):
    make_news_item("Concept over leiderschap", themes=interview.theme_list, **DRAFT)

    response = client.get("/themas/leiderschap/")
    news = section(response, "Actueel")

    assert card_titles(news) == ["In gesprek over vakmanschap"]
    assert "1 bericht" in text(client.get("/themas/"))


def test_person_page_shows_the_interview_instead_of_nothing_published(client, interview):
    response = client.get("/netwerk/personen/annet-doesburg/")

    assert card_titles(section(response, "Nieuws en interviews")) == ["In gesprek over vakmanschap"]
    assert "nog niets gepubliceerd" not in text(response)


def test_person_page_leaves_out_draft_news(client):
    person = make_person("Alleen", "Concept")
    make_news_item("Niet af", people=[(person, Role.INTERVIEWEE)], **DRAFT)

    response = client.get(person.get_absolute_url())

    assert "nog niets gepubliceerd" in text(response)


def test_organisation_page_shows_the_items_about_it(client, interview):
    response = client.get("/netwerk/stichting-voorbeeld/")

    assert card_titles(section(response, "Nieuws en interviews")) == ["In gesprek over vakmanschap"]


def test_home_page_shows_the_newest_items_under_a_heading_that_reads(client, interview):
    response = client.get("/")
    newest = section(response, "Nieuwste berichten")

    assert card_titles(newest) == ["In gesprek over vakmanschap"]
    assert "Alle berichten" in text(newest)
    assert "Latest news items" in text(client.get("/en/"))


def test_saving_a_news_item_refreshes_cached_pages(
    client, settings, interview, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE = True
    cache.clear()
    client.get(LIST_URL)
    assert client.get(LIST_URL).get("X-Page-Cache") == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        make_news_item("Net verschenen")

    assert "Net verschenen" in card_titles(client.get(LIST_URL))


# --- English ----------------------------------------------------------------------------------


def test_english_list_and_page_speak_english_and_mark_the_dutch_content(client, interview):
    listing = client.get("/en/actueel/")
    page = client.get("/en/actueel/in-gesprek-over-vakmanschap/")

    assert page_heading(listing) == "News"
    assert "In gesprek over vakmanschap" in text_in_language(listing, "nl")
    assert "Interviewee" in text_in_language(page, "en")
    assert "In gesprek over vakmanschap" in text_in_language(page, "nl")
    assert "Een gesprek over het vak van de ambtenaar." in text_in_language(page, "nl")


# --- Demo ---------------------------------------------------------------------------------------


def test_demo_has_the_interview_with_annet_doesburg_on_her_page(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("loaddemo", stdout=io.StringIO())

    response = client.get("/netwerk/personen/annet-doesburg/")
    interview = NewsItem.objects.get(kind=Kind.INTERVIEW)

    assert card_titles(section(response, "Nieuws en interviews")) == [interview.title]
    # Honest about what it is: a summary in our words, no quotes, no invented author.
    assert "geen letterlijke weergave" in interview.body
    assert not any(mark in interview.body for mark in ('"', "“", "„", "”"))
    assert interview.authors == []
    assert NewsItem.objects.filter(kind=Kind.VERSLAG, summary__contains="16 januari 2019").exists()
    assert interview.title in card_titles(client.get("/zoeken/", {"q": "Doesburg"}))
    assert not Publication.objects.filter(slug=interview.slug).exists()
