"""The .ics of one event and the subscribable agenda, read back with the icalendar library."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from events.models import Event
from tests.factories import make_event
from tests.html import parse

AGENDA = "/evenementen/agenda.ics"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DAY = timedelta(days=1)


def ics_url(event: Event) -> str:
    return f"/evenementen/{event.slug}/agenda.ics"


def read_calendar(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def vevents(calendar: Calendar) -> list:
    return list(calendar.walk("VEVENT"))


def next_year_at(month: int, day: int, hour: int) -> datetime:
    return datetime(timezone.localdate().year + 1, month, day, hour, tzinfo=AMSTERDAM)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("month", "utc_offset"), [(1, timedelta(hours=1)), (7, timedelta(hours=2))]
)
def test_event_ics_has_the_local_times_with_the_amsterdam_zone(client, month, utc_offset):
    start = next_year_at(month, 15, 10)
    event = make_event("Congres", starts_at=start, ends_at=start + timedelta(hours=7))

    calendar = read_calendar(client.get(ics_url(event)))

    [item] = vevents(calendar)
    for name, moment in (("DTSTART", event.starts_at), ("DTEND", event.ends_at)):
        assert item[name].params["TZID"] == "Europe/Amsterdam"
        assert item[name].dt == moment
        assert item[name].dt.utcoffset() == utc_offset
    assert item["DTSTART"].to_ical() == f"{start.year}{month:02d}15T100000".encode()
    assert item["DTEND"].to_ical() == f"{start.year}{month:02d}15T170000".encode()
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]


@pytest.mark.django_db
def test_event_ics_has_uid_dtstamp_summary_location_and_url(client):
    event = make_event("Tussen Participatie en Populisme")

    response = client.get(ics_url(event))

    assert response["Content-Disposition"] == (
        'attachment; filename="tussen-participatie-en-populisme.ics"'
    )
    calendar = read_calendar(response)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//Stichting IKPOB//Kennisportaal//NL"
    [item] = vevents(calendar)
    assert str(item["UID"]) == f"event-{event.pk}@127.0.0.1"
    assert item["DTSTAMP"].dt.tzinfo is not None
    assert abs(item["DTSTAMP"].dt - timezone.now()) < timedelta(minutes=1)
    assert str(item["SUMMARY"]) == "Tussen Participatie en Populisme"
    assert str(item["LOCATION"]) == "Stadhuis Utrecht, Stadhuisbrug 1, Utrecht"
    url = "http://testserver/evenementen/tussen-participatie-en-populisme/"
    assert str(item["URL"]) == url
    assert url in str(item["DESCRIPTION"])
    assert str(item["DESCRIPTION"]).startswith(event.summary)


@pytest.mark.django_db
def test_event_uid_is_stable_across_generations_and_edits(client):
    event = make_event("Congres")
    first = vevents(read_calendar(client.get(ics_url(event))))[0]

    event.title = "Congres (nieuwe titel)"
    event.starts_at += DAY
    event.ends_at += DAY
    event.save()
    second = vevents(read_calendar(client.get(ics_url(event))))[0]
    in_feed = vevents(read_calendar(client.get(AGENDA)))[0]

    assert str(second["UID"]) == str(first["UID"]) == str(in_feed["UID"])
    assert str(second["SUMMARY"]) == "Congres (nieuwe titel)"
    other = vevents(read_calendar(client.get(ics_url(make_event("Ander congres")))))[0]
    assert str(other["UID"]) != str(first["UID"])


@pytest.mark.django_db
def test_online_event_location_is_online(client):
    event = make_event(venue_name="", venue_address="", online_url="https://x.nl/webinar")

    [item] = vevents(read_calendar(client.get(ics_url(event))))

    assert str(item["LOCATION"]) == "Online"


@pytest.mark.django_db
def test_event_marked_online_without_a_link_is_online_in_the_calendar(client):
    event = make_event(venue_name="", venue_address="", online=True, online_url="")

    [item] = vevents(read_calendar(client.get(ics_url(event))))

    assert str(item["LOCATION"]) == "Online"


@pytest.mark.django_db
def test_event_ics_and_agenda_name_the_foundation_as_organizer(client, settings):
    settings.CONTACT_EMAIL = "secretariaat@example.org"
    event = make_event("Congres")

    for url in (ics_url(event), AGENDA):
        [item] = vevents(read_calendar(client.get(url)))
        assert str(item["ORGANIZER"]) == "mailto:secretariaat@example.org"
        assert item["ORGANIZER"].params["CN"] == "Stichting IKPOB"


@pytest.mark.django_db
def test_event_ics_keeps_accents_and_punctuation(client):
    event = make_event(
        "Café-gesprek; ‘Leren van doen’, deel 2", venue_name="Café de Zwaan", venue_address=""
    )

    [item] = vevents(read_calendar(client.get(ics_url(event))))

    assert str(item["SUMMARY"]) == "Café-gesprek; ‘Leren van doen’, deel 2"
    assert str(item["LOCATION"]) == "Café de Zwaan"


@pytest.mark.django_db
def test_agenda_feed_has_only_published_upcoming_events_soonest_first(client):
    now = timezone.now()
    make_event("Volgende maand", starts_at=now + 30 * DAY)
    make_event("Morgen", starts_at=now + DAY)
    make_event("Nu bezig", starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1))
    make_event("Vorige week", starts_at=now - 7 * DAY)
    make_event("Concept", status=Event.Status.DRAFT)
    make_event("Ingepland", published_at=now + DAY)

    response = client.get(AGENDA)

    assert response["Content-Disposition"] == 'inline; filename="ikpob-agenda.ics"'
    calendar = read_calendar(response)
    assert str(calendar["X-WR-CALNAME"]) == "IKPOB-agenda"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Amsterdam"
    items = vevents(calendar)
    assert [str(item["SUMMARY"]) for item in items] == ["Nu bezig", "Morgen", "Volgende maand"]
    assert len({str(item["UID"]) for item in items}) == 3
    assert all(item["DTSTART"].params["TZID"] == "Europe/Amsterdam" for item in items)


@pytest.mark.django_db
def test_agenda_feed_without_events_is_a_valid_empty_calendar(client):
    calendar = read_calendar(client.get(AGENDA))

    assert vevents(calendar) == []
    assert str(calendar["VERSION"]) == "2.0"


@pytest.mark.django_db
def test_list_page_announces_the_agenda_feed(client):
    link = parse(client.get("/evenementen/")).find("link", rel="alternate", type="text/calendar")

    assert link.get("href") == AGENDA


@pytest.mark.django_db
def test_event_ics_of_an_unknown_or_unpublished_event_is_404(client):
    draft = make_event("Concept", status=Event.Status.DRAFT)

    assert client.get(ics_url(draft)).status_code == 404
    assert client.get("/evenementen/bestaat-niet/agenda.ics").status_code == 404
