"""RSS and Atom feeds of new publications, as a feed reader (feedparser) reads them."""

import calendar
from datetime import timedelta

import pytest
from django.utils import timezone

from ikpob_portal.kernel.models import ThemeRedirect
from publications.models import Publication
from tests.factories import (
    MINIMAL_PDF,
    make_organisation,
    make_person,
    make_publication,
    make_theme,
)
from tests.html import feed, feed_links, shown

FEEDS = ["/publicaties/feed/rss/", "/publicaties/feed/atom/"]
FORMATS = {"rss": "application/rss+xml", "atom": "application/atom+xml"}


def published(hours_ago: float, title: str, **overrides) -> Publication:
    return make_publication(
        title, published_at=timezone.now() - timedelta(hours=hours_ago), **overrides
    )


def titles(parsed) -> list[str]:
    return [shown(entry.title_detail) for entry in parsed.entries]


@pytest.fixture
def mixed(db):
    """Two published publications, a draft and one scheduled for tomorrow."""
    published(5, "Ouder essay")
    published(1, "Nieuw essay")
    make_publication("Concept over toezicht", status=Publication.Status.DRAFT)
    make_publication("Gepland essay", published_at=timezone.now() + timedelta(days=1))


@pytest.mark.parametrize("url", FEEDS)
@pytest.mark.django_db
def test_feed_holds_exactly_the_published_publications_newest_first(client, mixed, url):
    response = client.get(url)

    assert titles(feed(response)) == ["Nieuw essay", "Ouder essay"]
    # Nothing of a draft or a scheduled item is in the feed, not even in passing.
    assert b"Concept over toezicht" not in response.content
    assert b"Gepland" not in response.content


@pytest.mark.parametrize("url", FEEDS)
@pytest.mark.django_db
def test_feed_item_has_link_guid_summary_date_authors_and_themes(client, url):
    toezicht, vakmanschap = make_theme("Toezicht"), make_theme("Vakmanschap")
    first = make_person("Martijn", "Steen", particle="van der")
    second = make_person("Anna", "Bos")
    publication = published(
        2,
        "Het vak & de <praktijk>",
        subtitle="Lessen",
        summary="Wat ambtenaren leren van doen & laten.",
        authors=[first, second],
        themes=[vakmanschap, toezicht],
    )

    [entry] = feed(client.get(url)).entries

    page = f"http://testserver{publication.get_absolute_url()}"
    assert shown(entry.title_detail) == "Het vak & de <praktijk>: Lessen"
    assert entry.link == page
    assert entry.id == page
    assert entry.summary == "Wat ambtenaren leren van doen &amp; laten."  # HTML, escaped
    assert [author.name for author in entry.authors] == ["Martijn van der Steen", "Anna Bos"]
    assert sorted(tag.term for tag in entry.tags) == ["Toezicht", "Vakmanschap"]
    assert calendar.timegm(entry.published_parsed) == int(publication.published_at.timestamp())


@pytest.mark.django_db
def test_rss_guid_is_the_permalink(client):
    publication = published(1, "Essay")

    [entry] = feed(client.get(FEEDS[0])).entries

    assert entry.id == f"http://testserver{publication.get_absolute_url()}"
    assert entry.guidislink is False  # feedparser: a separate guid, which equals the link
    assert b'<guid isPermaLink="true">' in client.get(FEEDS[0]).content


@pytest.mark.parametrize("url", FEEDS)
@pytest.mark.django_db
def test_feed_item_encloses_the_pdf(client, url):
    publication = published(1, "Met PDF", pdf=MINIMAL_PDF)
    published(2, "Zonder PDF")

    with_pdf, without_pdf = feed(client.get(url)).entries

    [enclosure] = with_pdf.enclosures
    assert enclosure.href == f"http://testserver/publicaties/{publication.slug}/download/"
    assert enclosure.type == "application/pdf"
    assert int(enclosure.length) == len(MINIMAL_PDF)
    assert without_pdf.enclosures == []
    assert client.get(enclosure.href).status_code == 200


@pytest.mark.parametrize("url", FEEDS)
@pytest.mark.django_db
def test_feed_holds_the_latest_thirty(client, url):
    for n in range(31):
        published(n + 1, f"Essay {n:02d}")

    entries = titles(feed(client.get(url)))

    assert len(entries) == 30
    assert entries[0] == "Essay 00"
    assert "Essay 30" not in entries


@pytest.mark.django_db
def test_feed_length_is_a_setting(client, settings):
    settings.FEED_ITEMS = 2
    for n in range(3):
        published(n + 1, f"Essay {n}")

    assert titles(feed(client.get("/publicaties/feed/rss/"))) == ["Essay 0", "Essay 1"]


@pytest.mark.django_db
def test_feed_channel_describes_the_site(client):
    published(1, "Essay")

    rss = feed(client.get(FEEDS[0])).feed
    atom = feed(client.get(FEEDS[1])).feed

    assert rss.title == atom.title == "IKPOB: nieuwe publicaties"
    assert rss.link == atom.link == "http://testserver/publicaties/"
    assert rss.language == "nl"


@pytest.mark.django_db
def test_english_feed_links_to_the_english_pages(client):
    publication = published(1, "Essay")

    [entry] = feed(client.get("/en/publicaties/feed/rss/")).entries

    assert entry.link == f"http://testserver/en/publicaties/{publication.slug}/"


@pytest.mark.parametrize("kind", ["rss", "atom"])
@pytest.mark.django_db
def test_theme_feed_holds_only_that_themes_published_publications(client, kind):
    toezicht, other = make_theme("Toezicht"), make_theme("Financiën")
    published(3, "Over toezicht", themes=[toezicht])
    published(1, "Ook over toezicht", themes=[toezicht, other])
    published(2, "Over geld", themes=[other])
    make_publication("Concept over toezicht", themes=[toezicht], status=Publication.Status.DRAFT)
    make_publication(
        "Gepland over toezicht",
        themes=[toezicht],
        published_at=timezone.now() + timedelta(days=1),
    )

    response = client.get(f"/themas/{toezicht.slug}/feed/{kind}/")
    parsed = feed(response)

    assert titles(parsed) == ["Ook over toezicht", "Over toezicht"]
    assert parsed.feed.title == "IKPOB: nieuwe publicaties over Toezicht"
    assert parsed.feed.link == f"http://testserver{toezicht.get_absolute_url()}"
    assert b"Concept" not in response.content


@pytest.mark.django_db
def test_theme_feed_of_an_unknown_theme_is_404(client):
    assert client.get("/themas/bestaat-niet/feed/rss/").status_code == 404


@pytest.mark.django_db
def test_theme_feed_of_a_merged_theme_redirects_to_the_survivor(client):
    survivor = make_theme("Toezicht")
    ThemeRedirect.objects.create(old_slug="inspectie", theme=survivor)

    response = client.get("/themas/inspectie/feed/atom/")

    assert response.status_code == 301
    assert response["Location"] == f"/themas/{survivor.slug}/feed/atom/"


@pytest.mark.django_db
def test_feed_query_count_does_not_grow_with_items(client, django_assert_max_num_queries):
    theme = make_theme("Toezicht")
    publisher = make_organisation("NSOB")
    for n in range(12):
        published(
            n + 1,
            f"Essay {n}",
            themes=[theme],
            publisher=publisher,
            authors=[make_person("Auteur", f"Nummer{n}")],
        )

    with django_assert_max_num_queries(4):
        assert len(feed(client.get(FEEDS[0])).entries) == 12
    with django_assert_max_num_queries(5):
        assert len(feed(client.get(f"/themas/{theme.slug}/feed/rss/")).entries) == 12


@pytest.mark.parametrize(
    "page",
    ["/", "/publicaties/", "publication"],
)
@pytest.mark.django_db
def test_pages_announce_the_publication_feeds(client, page):
    publication = published(1, "Essay")
    url = publication.get_absolute_url() if page == "publication" else page

    # The home page links every site-wide feed (upcoming events too: tests/events/test_feeds.py).
    announced = [link for link in feed_links(client.get(url)) if "/publicaties/" in link.href]

    assert {link.type: link.href for link in announced} == {
        FORMATS["rss"]: "http://testserver/publicaties/feed/rss/",
        FORMATS["atom"]: "http://testserver/publicaties/feed/atom/",
    }
    assert all(link.title.startswith("IKPOB – Publicaties") for link in announced)
    for link in announced:
        assert feed(client.get(link.href)).entries


@pytest.mark.django_db
def test_theme_page_announces_its_own_feeds(client):
    theme = make_theme("Toezicht")
    published(1, "Essay", themes=[theme])

    announced = feed_links(client.get(theme.get_absolute_url()))

    assert {link.type: link.href for link in announced} == {
        FORMATS["rss"]: f"http://testserver/themas/{theme.slug}/feed/rss/",
        FORMATS["atom"]: f"http://testserver/themas/{theme.slug}/feed/atom/",
    }
    assert [link.title for link in announced] == [
        "IKPOB – Publicaties: Toezicht (RSS)",
        "IKPOB – Publicaties: Toezicht (Atom)",
    ]
    for link in announced:
        assert titles(feed(client.get(link.href))) == ["Essay"]
