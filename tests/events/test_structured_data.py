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
from tests.html import json_ld

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
