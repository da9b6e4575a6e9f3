"""What an event page tells search engines about the event: schema.org `Event` JSON-LD.

Built from the shared helpers (see ikpob_portal.kernel.structured_data) for published events only.
Expects the event fetched with `for_cards()` (published organisers and themes prefetched)
and the published speakers, as the detail view has them.

The online link is not published: participants get it in their confirmation, so a
`VirtualLocation` points to the event's page instead.
"""

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone

from events.models import Event, RegistrationState
from ikpob_portal.kernel.structured_data import Absolute, document, node, theme_terms
from network.models import Person
from network.structured_data import organisation_reference, person_reference

SCHEMA = "https://schema.org/"
AVAILABILITY = {
    RegistrationState.OPEN: f"{SCHEMA}InStock",
    RegistrationState.FULL: f"{SCHEMA}SoldOut",  # only the waiting list is left
    RegistrationState.NOT_YET_OPEN: f"{SCHEMA}PreOrder",
}


def attendance_mode(event: Event) -> str:
    in_person = bool(event.venue_name or event.venue_address)
    if in_person and event.online_url:
        return f"{SCHEMA}MixedEventAttendanceMode"
    if event.online_url:
        return f"{SCHEMA}OnlineEventAttendanceMode"
    return f"{SCHEMA}OfflineEventAttendanceMode"


def postal_address(address: str) -> dict | None:
    """From "Stadhuisbrug 1, Utrecht": the street before the last comma, the place after it."""
    if not address:
        return None
    street, _, locality = address.rpartition(",")
    if not street:
        return node("PostalAddress", streetAddress=address.strip())
    return node("PostalAddress", streetAddress=street.strip(), addressLocality=locality.strip())


def location(event: Event, absolute: Absolute) -> list[dict]:
    places = []
    if event.venue_name or event.venue_address:
        places.append(
            node(
                "Place",
                name=event.venue_name or event.venue_address,
                address=postal_address(event.venue_address),
            )
        )
    if event.online_url:
        places.append(node("VirtualLocation", url=absolute(event.get_absolute_url())))
    return places


def offer(event: Event, absolute: Absolute) -> dict | None:
    """Free registration, when registration is required."""
    if not event.registration_required:
        return None
    valid_from = event.registration_opens_at or event.published_at
    return node(
        "Offer",
        url=absolute(reverse("events:register", kwargs={"slug": event.slug})),
        price=0,
        priceCurrency="EUR",
        availability=AVAILABILITY.get(event.registration_state()),
        validFrom=timezone.localtime(valid_from).isoformat() if valid_from else None,
    )


def json_ld(event: Event, absolute: Absolute, *, speakers: Iterable[Person] = ()) -> dict:
    places = location(event, absolute)
    starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    # Starting and ending at the same moment means no time is known: the day only (a Date).
    day_only = event.starts_at == event.ends_at
    return document(
        "Event",
        name=event.title,
        description=event.summary,
        url=absolute(event.get_absolute_url()),
        startDate=starts.date().isoformat() if day_only else starts.isoformat(),
        endDate=ends.date().isoformat() if day_only else ends.isoformat(),
        eventAttendanceMode=attendance_mode(event),
        eventStatus=f"{SCHEMA}EventScheduled",
        location=places[0] if len(places) == 1 else places,
        organizer=[organisation_reference(o, absolute) for o in event.public_organisers],
        performer=[person_reference(person, absolute) for person in speakers],
        offers=offer(event, absolute),
        about=theme_terms(event.theme_list, absolute),
    )
