"""iCalendar (RFC 5545) for one event or a feed to subscribe to: Outlook, Google, Apple."""

import functools
from collections.abc import Iterable
from datetime import date
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Timezone, vCalAddress
from icalendar import Event as CalendarEvent

from events.models import Event

PRODID = "-//Stichting IKPOB//Kennisportaal//NL"


def uid(event: Event) -> str:
    """Stable for the life of the event, so a re-import updates instead of duplicating."""
    host = urlsplit(settings.SITE_URL).hostname or "ikpob.nl"
    return f"event-{event.pk}@{host}"


def organizer() -> vCalAddress:
    """The foundation, at its contact address (DJANGO_CONTACT_EMAIL): whom to ask about an
    entry. Not the event's organisers: they have no address in the portal."""
    address = vCalAddress(f"mailto:{settings.CONTACT_EMAIL}")
    address.params["cn"] = f"Stichting {settings.SITE_NAME}"
    return address


def location(event: Event) -> str:
    parts = [part for part in (event.venue_name, event.venue_address) if part]
    if not parts and event.is_online:
        return "Online"
    return ", ".join(parts)


def _vevent(event: Event, *, url: str, description: str = "") -> CalendarEvent:
    item = CalendarEvent()
    item.add("uid", uid(event))
    item.add("dtstamp", timezone.now())
    item.add("last-modified", event.updated)
    # Stored in UTC; written with the Europe/Amsterdam zone so clients show local times.
    item.add("dtstart", timezone.localtime(event.starts_at))
    item.add("dtend", timezone.localtime(event.ends_at))
    item.add("summary", event.title)
    where = location(event)
    if where:
        item.add("location", where)
    item.add("url", url)
    item.add("organizer", organizer())
    item.add("description", "\n\n".join(part for part in (event.summary, description, url) if part))
    item.add("status", "CONFIRMED")
    return item


def calendar(events: Iterable[Event], *, url_for, name: str, description: str = "") -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # An X- property is written as it is: a line break in a title would end the line early.
    cal.add("x-wr-calname", " ".join(name.split()))
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    events = list(events)
    for event in events:
        cal.add_component(_vevent(event, url=url_for(event), description=description))
    if events:
        years = [
            timezone.localtime(moment).year for e in events for moment in (e.starts_at, e.ends_at)
        ]
        cal.subcomponents.insert(0, _vtimezone(settings.TIME_ZONE, min(years), max(years)))
    return cal.to_ical()


@functools.lru_cache(maxsize=16)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """The zone's rules for the years the events fall in, built once per process: computing
    them from the zone database took most of the time of a calendar feed."""
    return Timezone.from_tzid(
        tzid, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
    )
