"""RSS and Atom feeds of upcoming events, as a feed reader (feedparser) reads them."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from events.models import Event
from tests.factories import make_event, make_theme
from tests.html import feed, feed_links, shown

FEEDS = ["/evenementen/feed/rss/", "/evenementen/feed/atom/"]
FORMATS = {"rss": "application/rss+xml", "atom": "application/atom+xml"}


def in_days(days: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days), time(hour)))


def titles(parsed) -> list[str]:
    return [shown(entry.title_detail) for entry in parsed.entries]


@pytest.fixture
def agenda(db):
    """Two published upcoming events (the later one created first), a draft and a past one."""
    make_event("Slotconferentie", starts_at=in_days(30))
    make_event("Webinar toezicht", starts_at=in_days(3))
    make_event("Concept bijeenkomst", starts_at=in_days(5), status=Event.Status.DRAFT)
    make_event("Voorbije bijeenkomst", starts_at=in_days(-10))


@pytest.mark.parametrize("url", FEEDS)
@pytest.mark.django_db
def test_feed_holds_exactly_the_published_upcoming_events_soonest_first(client, agenda, url):
    response = client.get(url)

    assert titles(feed(response)) == ["Webinar toezicht", "Slotconferentie"]
    assert b"Concept bijeenkomst" not in response.content
    assert b"Voorbije" not in response.content


@pytest.mark.parametrize("url", FEEDS)
@pytest.mark.django_db
def test_an_event_that_has_started_but_not_ended_is_still_upcoming(client, url):
    now = timezone.now()
    make_event(
        "Tweedaags congres", starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=1)
    )

    assert titles(feed(client.get(url))) == ["Tweedaags congres"]


@pytest.mark.parametrize("url", FEEDS)
@pytest.mark.django_db
def test_feed_item_has_link_guid_summary_date_place_and_themes(client, url):
    published_at = timezone.now() - timedelta(hours=3)
    event = make_event(
        "Vakdag <ambtelijk> vakmanschap",
        slug="vakdag",
        summary="Een dag over vakmanschap & integriteit.",
        starts_at=in_days(14),
        themes=[make_theme("Toezicht"), make_theme("Vakmanschap")],
        published_at=published_at,
    )

    parsed = feed(client.get(url))

    assert parsed.feed.title == "IKPOB: komende evenementen"
    [entry] = parsed.entries
    page = "http://testserver/evenementen/vakdag/"
    assert shown(entry.title_detail) == "Vakdag <ambtelijk> vakmanschap"
    assert entry.link == page
    assert entry.id == page
    assert "Een dag over vakmanschap &amp; integriteit." in entry.summary
    day = timezone.localtime(event.starts_at)
    assert str(day.year) in entry.summary
    assert "10.00–16.00 uur" in entry.summary
    assert "Stadhuis Utrecht, Stadhuisbrug 1, Utrecht" in entry.summary
    assert datetime(*entry.published_parsed[:6], tzinfo=timezone.UTC) == published_at.replace(
        microsecond=0
    )
    assert sorted(tag.term for tag in entry.tags) == ["Toezicht", "Vakmanschap"]


@pytest.mark.parametrize("url", FEEDS)
@pytest.mark.django_db
def test_feed_says_an_online_event_is_online(client, url):
    make_event("Webinar", venue_name="", venue_address="", online_url="https://meet.example.org/x")
    make_event("Hybride", online_url="https://meet.example.org/y")

    summaries = {entry.title: entry.summary for entry in feed(client.get(url)).entries}

    assert "Online" in summaries["Webinar"]
    assert "Stadhuis Utrecht, Stadhuisbrug 1, Utrecht en online" in summaries["Hybride"]
    # The link itself is for participants only: it is in their confirmation.
    assert "meet.example.org" not in "".join(summaries.values())


@pytest.mark.parametrize("url", FEEDS)
@pytest.mark.django_db
def test_empty_feed_is_still_a_feed(client, url):
    assert feed(client.get(url)).entries == []


@pytest.mark.parametrize("page", ["/", "/evenementen/"])
@pytest.mark.django_db
def test_home_and_events_list_announce_the_events_feeds(client, agenda, page):
    announced = [
        link
        for link in feed_links(client.get(page))
        if link.type in FORMATS.values() and "evenementen" in link.href
    ]

    assert {link.type: link.href for link in announced} == {
        FORMATS["rss"]: "http://testserver/evenementen/feed/rss/",
        FORMATS["atom"]: "http://testserver/evenementen/feed/atom/",
    }
    assert [link.title for link in announced] == [
        "IKPOB – Komende evenementen (RSS)",
        "IKPOB – Komende evenementen (Atom)",
    ]
    for link in announced:
        assert titles(feed(client.get(link.href))) == ["Webinar toezicht", "Slotconferentie"]


@pytest.mark.django_db
def test_events_list_announces_only_the_events_feeds_and_the_calendar(client):
    announced = feed_links(client.get("/evenementen/"))

    assert {link.href for link in announced} == {
        "http://testserver/evenementen/feed/rss/",
        "http://testserver/evenementen/feed/atom/",
        "/evenementen/agenda.ics",
    }


@pytest.mark.django_db
def test_feed_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    theme = make_theme("Toezicht")
    for number in range(8):
        make_event(f"Bijeenkomst {number}", starts_at=in_days(number + 1), themes=[theme])

    with django_assert_max_num_queries(3):
        assert len(feed(client.get(FEEDS[0])).entries) == 8


@pytest.mark.parametrize("url", FEEDS)
@pytest.mark.django_db
def test_feed_leaves_out_characters_xml_cannot_hold(client, url):
    # Pasted from a word processor: a vertical tab for a line break. The site's one feed base
    # (ikpob_portal/kernel/feeds.py) drops it for events as it does for publications.
    make_event("Webinar\x0btoezicht", summary="Over\x0b toezicht.", starts_at=in_days(3))

    response = client.get(url)

    assert response.status_code == 200
    assert titles(feed(response)) == ["Webinartoezicht"]
