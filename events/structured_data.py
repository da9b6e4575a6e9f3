"""What an event page tells search engines about the event: schema.org `Event` JSON-LD.

Built from the shared helpers (see ikpob_portal.kernel.structured_data) for published events only.
Expects the event fetched with `for_cards()` (published organisers and themes prefetched)
and the published speakers, as the detail view has them.

Attendance follows the event's `online` field (`Event.is_online`) and whether it has a venue:
offline, online or mixed. The online link is not published: participants get it in their
confirmation, so a `VirtualLocation` points to the event's page instead. A recording after the
event is a `VideoObject` (`recordedIn`), without an upload date: the portal does not know it.
"""

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import timezone

from events.models import Event, RegistrationState
from ikpob_portal.kernel.links import safe_url
from ikpob_portal.kernel.structured_data import Absolute, document, image, node, theme_terms
from network.models import Person
from network.structured_data import organisation_reference, person_reference

SCHEMA = "https://schema.org/"
VIDEO_FILE_EXTENSIONS = (".mp4", ".webm", ".m4v", ".mov", ".ogv")
AVAILABILITY = {
    RegistrationState.OPEN: f"{SCHEMA}InStock",
    RegistrationState.FULL: f"{SCHEMA}SoldOut",  # only the waiting list is left
    RegistrationState.NOT_YET_OPEN: f"{SCHEMA}PreOrder",
}


def attendance_mode(event: Event) -> str:
    if event.is_in_person and event.is_online:
        return f"{SCHEMA}MixedEventAttendanceMode"
    if event.is_online:
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
    if event.is_in_person:
        places.append(
            node(
                "Place",
                name=event.venue_name or event.venue_address,
                address=postal_address(event.venue_address),
            )
        )
    if event.is_online:
        places.append(node("VirtualLocation", url=absolute(event.get_absolute_url())))
    return places


def recording(event: Event) -> dict | None:
    """The recording: its page as `url`; a link to the video file itself is its `contentUrl`
    too (a page on a video site is not the media's bytes)."""
    url = safe_url(event.recording_url)
    if not url:
        return None
    is_file = urlsplit(url).path.lower().endswith(VIDEO_FILE_EXTENSIONS)
    return node("VideoObject", name=event.title, url=url, contentUrl=url if is_file else None)


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
        image=image(event, absolute),
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
        recordedIn=recording(event),
    )
