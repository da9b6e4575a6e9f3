"""The join link of an online event, its dial-in and access code: for confirmed registrants
only (their page, their mails), and nowhere the public can read."""

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from events import services
from events.models import Event, Registration
from tests.factories import make_event, make_registration
from tests.html import json_ld, parse

JOIN_LINK = "https://meet.example.org/j/join-marker-93817"
PAST_JOIN_LINK = "https://meet.example.org/j/past-marker-40212"
DIAL_IN = "+31 85 303 9911"
ACCESS_CODE = "kx7-code-5120"
SECRETS = (
    JOIN_LINK,
    "join-marker-93817",
    PAST_JOIN_LINK,
    "past-marker-40212",
    DIAL_IN,
    ACCESS_CODE,
)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()  # rate limits and cached pages of other tests
    yield
    cache.clear()


@pytest.fixture
def webinar(db) -> Event:
    """A hybrid meeting with a join link, and a past webinar that had one."""
    make_event(
        "Terugblik webinar handhaving",
        starts_at=timezone.now() - timedelta(days=30),
        venue_name="",
        venue_address="",
        online=True,
        online_url=PAST_JOIN_LINK,
        kind=Event.Kind.WEBINAR,
    )
    return make_event(
        "Webinar wijkgericht toezicht",
        online=True,
        online_url=JOIN_LINK,
        dial_in=DIAL_IN,
        access_code=ACCESS_CODE,
        capacity=1,
    )


def assert_no_secrets(content: bytes | str, where: str) -> None:
    text = content.decode() if isinstance(content, bytes) else content
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} appears in {where}"


def register(capture, event: Event, email: str) -> Registration:
    data = {"name": "Sanne de Vries", "email": email, "organisation": "ILT", "job_title": ""}
    with capture(execute=True):
        return services.register(event=event, data={**data, "needs": ""})


@pytest.mark.django_db
def test_join_link_is_on_the_personal_page_of_a_confirmed_registrant(client, webinar):
    registration = make_registration(webinar)

    page = parse(client.get(registration.get_absolute_url()).content)

    section = page.find("section", aria_labelledby="online-heading")
    assert section.find("h2").text == "Online meedoen"
    assert [a.get("href") for a in section.iter("a")] == [JOIN_LINK]
    assert DIAL_IN in section.text
    assert ACCESS_CODE in section.text


@pytest.mark.django_db
def test_join_link_is_not_on_the_page_of_someone_waiting_or_cancelled(client, webinar):
    make_registration(webinar)
    waiting = make_registration(webinar, status=Registration.Status.WAITING)
    cancelled = make_registration(webinar, status=Registration.Status.CANCELLED)

    for registration in (waiting, cancelled):
        response = client.get(registration.get_absolute_url())
        assert response.status_code == 200
        assert_no_secrets(response.content, f"the page of a {registration.status} registration")


@pytest.mark.django_db
def test_join_link_is_in_the_confirmation_and_not_in_the_waiting_list_mail(
    webinar, mailoutbox, django_capture_on_commit_callbacks
):
    register(django_capture_on_commit_callbacks, webinar, "eerste@ilt.nl")
    register(django_capture_on_commit_callbacks, webinar, "tweede@ilt.nl")

    confirmation, waiting = mailoutbox
    assert confirmation.subject.startswith("Bevestiging van uw aanmelding")
    for content in (confirmation.body, confirmation.alternatives[0].content):
        assert JOIN_LINK in content
        assert DIAL_IN in content
        assert ACCESS_CODE in content
    assert waiting.subject.startswith("U staat op de wachtlijst")
    assert_no_secrets(waiting.body, "the waiting-list mail")
    assert_no_secrets(waiting.alternatives[0].content, "the waiting-list mail (HTML)")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/evenementen/",
        "/evenementen/archief/",
        "/evenementen/webinar-wijkgericht-toezicht/",
        "/evenementen/terugblik-webinar-handhaving/",
        "/evenementen/webinar-wijkgericht-toezicht/aanmelden/",
        "/evenementen/feed/rss/",
        "/evenementen/feed/atom/",
        "/evenementen/agenda.ics",
        "/evenementen/webinar-wijkgericht-toezicht/agenda.ics",
        "/evenementen/terugblik-webinar-handhaving/agenda.ics",
        "/sitemap.xml",
    ],
)
def test_join_link_is_on_no_public_page_feed_or_calendar(client, webinar, url):
    make_registration(webinar)  # someone has a place: the page is no different for others

    response = client.get(url)

    assert response.status_code == 200
    assert_no_secrets(response.content, url)


@pytest.mark.django_db
def test_site_search_finds_the_event_but_not_its_join_link(client, webinar):
    found = client.get("/zoeken/", {"q": "wijkgericht toezicht"})
    assert "Webinar wijkgericht toezicht" in found.content.decode()
    assert_no_secrets(found.content, "the search results")

    for secret in ("join-marker-93817", ACCESS_CODE, "303 9911"):
        response = client.get("/zoeken/", {"q": secret})
        assert "Webinar wijkgericht toezicht" not in response.content.decode(), secret


@pytest.mark.django_db
def test_json_ld_points_online_visitors_to_the_event_page_never_the_join_link(client, webinar):
    page = client.get(webinar.get_absolute_url()).content
    online_only = make_event(
        "Online spreekuur", venue_name="", venue_address="", online=True, online_url=JOIN_LINK
    )
    online_page = client.get(online_only.get_absolute_url()).content

    [hybrid] = json_ld(page)
    assert hybrid["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    place, virtual = hybrid["location"]
    assert place["@type"] == "Place"
    assert virtual == {
        "@type": "VirtualLocation",
        "url": "http://testserver/evenementen/webinar-wijkgericht-toezicht/",
    }
    [online] = json_ld(online_page)
    assert online["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert online["location"] == {
        "@type": "VirtualLocation",
        "url": "http://testserver/evenementen/online-spreekuur/",
    }
    assert_no_secrets(json.dumps([hybrid, online]), "the JSON-LD")


@pytest.mark.django_db
def test_online_only_event_has_no_door_code_in_mail_or_on_the_page(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    """A check-in code is for the door: an event followed only online has none to show."""
    webinar = make_event(
        "Webinar zonder zaal", venue_name="", venue_address="", online=True, online_url=JOIN_LINK
    )
    registration = register(django_capture_on_commit_callbacks, webinar, "online@ilt.nl")

    (confirmation,) = mailoutbox
    page = client.get(registration.get_absolute_url()).text
    for text in (confirmation.body, confirmation.alternatives[0].content, page):
        assert registration.checkin_code not in text
        assert "aanmeldcode" not in text.lower()
    assert JOIN_LINK in page
