"""schema.org Event JSON-LD on an event page, as a search engine reads it."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from events.models import Event
from tests.factories import (
    make_event,
    make_organisation,
    make_person,
    make_registration,
    make_theme,
)
from tests.html import cards, description_list, json_ld

SCHEMA = "https://schema.org/"
DRAFT = {"status": Event.Status.DRAFT}


def in_days(days: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days), time(hour)))


def event_json_ld(client, event: Event) -> dict:
    [data] = json_ld(client.get(event.get_absolute_url()))
    return data


@pytest.mark.django_db
def test_in_person_event_has_its_place_dates_people_and_offer(client):
    opens = timezone.now() - timedelta(days=2)
    event = make_event(
        "Vakdag",
        slug="vakdag",
        summary="Een dag over vakmanschap.",
        starts_at=in_days(14),
        registration_opens_at=opens,
        themes=[make_theme("Toezicht")],
        organisers=[make_organisation("NSOB"), make_organisation("Concept", status="draft")],
        speakers=[make_person("Anna", "Bos"), make_person("Geheim", "Concept", status="draft")],
    )

    data = event_json_ld(client, event)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "Vakdag"
    assert data["description"] == "Een dag over vakmanschap."
    assert data["url"] == "http://testserver/evenementen/vakdag/"
    assert data["startDate"] == timezone.localtime(event.starts_at).isoformat()
    assert data["endDate"] == timezone.localtime(event.ends_at).isoformat()
    assert data["startDate"].endswith(("+01:00", "+02:00"))
    assert datetime.fromisoformat(data["startDate"]) == event.starts_at
    assert data["eventAttendanceMode"] == f"{SCHEMA}OfflineEventAttendanceMode"
    assert data["eventStatus"] == f"{SCHEMA}EventScheduled"
    assert data["location"] == {
        "@type": "Place",
        "name": "Stadhuis Utrecht",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "Stadhuisbrug 1",
            "addressLocality": "Utrecht",
        },
    }
    assert [(o["@type"], o["name"]) for o in data["organizer"]] == [("Organization", "NSOB")]
    assert [(p["@type"], p["name"]) for p in data["performer"]] == [("Person", "Anna Bos")]
    assert data["offers"] == {
        "@type": "Offer",
        "url": "http://testserver/evenementen/vakdag/aanmelden/",
        "price": 0,
        "priceCurrency": "EUR",
        "availability": f"{SCHEMA}InStock",
        "validFrom": timezone.localtime(opens).isoformat(),
    }
    assert [(t["@type"], t["name"]) for t in data["about"]] == [("DefinedTerm", "Toezicht")]


@pytest.mark.django_db
def test_online_event_has_a_virtual_location_but_not_the_participants_link(client):
    event = make_event(
        "Webinar",
        slug="webinar",
        venue_name="",
        venue_address="",
        online_url="https://meet.example.org/geheim",
    )

    data = event_json_ld(client, event)

    assert data["eventAttendanceMode"] == f"{SCHEMA}OnlineEventAttendanceMode"
    assert data["location"] == {
        "@type": "VirtualLocation",
        "url": "http://testserver/evenementen/webinar/",
    }
    assert "meet.example.org" not in str(data)


@pytest.mark.django_db
def test_mixed_event_has_both_locations(client):
    event = make_event("Hybride", slug="hybride", online_url="https://meet.example.org/y")

    data = event_json_ld(client, event)

    assert data["eventAttendanceMode"] == f"{SCHEMA}MixedEventAttendanceMode"
    assert [place["@type"] for place in data["location"]] == ["Place", "VirtualLocation"]
    assert data["location"][0]["name"] == "Stadhuis Utrecht"


@pytest.mark.django_db
def test_full_event_offers_the_waiting_list_as_sold_out(client):
    event = make_event("Vol", capacity=1)
    make_registration(event)

    assert event_json_ld(client, event)["offers"]["availability"] == f"{SCHEMA}SoldOut"


@pytest.mark.django_db
def test_offer_valid_from_publication_when_registration_opens_at_once(client):
    event = make_event("Direct open")

    offer = event_json_ld(client, event)["offers"]

    assert offer["validFrom"] == timezone.localtime(event.published_at).isoformat()


@pytest.mark.django_db
def test_event_without_registration_has_no_offer_and_leaves_out_the_unknown(client):
    event = make_event("Inloop", registration_required=False, venue_address="")

    data = event_json_ld(client, event)

    assert "offers" not in data
    assert not {"organizer", "performer", "about"} & data.keys()
    assert data["location"] == {"@type": "Place", "name": "Stadhuis Utrecht"}


@pytest.mark.django_db
def test_an_editors_preview_of_a_draft_event_tells_machines_nothing(editor_client):
    event = make_event("Concept bijeenkomst", **DRAFT)

    response = editor_client.get(event.get_absolute_url())

    assert response.status_code == 200
    assert json_ld(response) == []


@pytest.mark.django_db
def test_event_marked_online_is_online_without_a_link_and_the_page_says_so(client):
    event = make_event(
        "Webinar zonder link",
        slug="webinar-zonder-link",
        venue_name="",
        venue_address="",
        online=True,
        registration_required=False,
    )

    data = event_json_ld(client, event)

    assert data["eventAttendanceMode"] == f"{SCHEMA}OnlineEventAttendanceMode"
    assert data["location"] == {
        "@type": "VirtualLocation",
        "url": "http://testserver/evenementen/webinar-zonder-link/",
    }
    # Nothing to confirm without registration: the page says only "Online".
    assert description_list(client.get(event.get_absolute_url()))["Waar"].text == "Online"
    assert "Online" in cards(client.get("/evenementen/"))[0].lines


@pytest.mark.django_db
def test_event_in_a_venue_and_online_is_mixed_with_the_address_and_the_page(client):
    event = make_event("Hybride dag", slug="hybride-dag", online=True)

    data = event_json_ld(client, event)

    assert data["eventAttendanceMode"] == f"{SCHEMA}MixedEventAttendanceMode"
    place, virtual = data["location"]
    assert place["@type"] == "Place"
    assert place["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Stadhuisbrug 1",
        "addressLocality": "Utrecht",
    }
    assert virtual == {
        "@type": "VirtualLocation",
        "url": "http://testserver/evenementen/hybride-dag/",
    }
    assert "Stadhuis Utrecht en online" in cards(client.get("/evenementen/"))[0].lines


@pytest.mark.django_db
def test_event_with_a_venue_name_only_gives_no_address_it_does_not_know(client):
    event = make_event("Vakdag", venue_address="")

    data = event_json_ld(client, event)

    assert data["eventAttendanceMode"] == f"{SCHEMA}OfflineEventAttendanceMode"
    assert data["location"] == {"@type": "Place", "name": "Stadhuis Utrecht"}


@pytest.mark.django_db
def test_recording_is_a_video_object_with_its_url(client):
    event = make_event(
        "Terugblik",
        starts_at=in_days(-30),
        recording_url="https://video.example.org/terugblik",
    )

    video = event_json_ld(client, event)["recordedIn"]

    # The page of a video site is not the media file: no contentUrl, and no upload date the
    # portal does not know.
    assert video == {
        "@type": "VideoObject",
        "name": "Terugblik",
        "url": "https://video.example.org/terugblik",
    }


@pytest.mark.django_db
def test_recording_as_a_video_file_is_also_its_content_url(client):
    url = "https://media.example.org/terugblik.mp4"
    event = make_event("Terugblik", starts_at=in_days(-30), recording_url=url)

    video = event_json_ld(client, event)["recordedIn"]

    assert video["url"] == video["contentUrl"] == url
    assert "uploadDate" not in video


@pytest.mark.django_db
def test_event_without_a_recording_has_no_video(client):
    assert "recordedIn" not in event_json_ld(client, make_event("Vakdag"))
