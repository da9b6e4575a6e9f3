"""Check-in at the door: finding a person, the counts, and the check-in code as a QR code.

Writes (checking in, undoing) go through `events.services`; this module only reads.
"""

import io
from typing import NamedTuple

import segno
from django.db.models import Case, Count, Q, QuerySet, When
from django.utils.safestring import SafeString, mark_safe

from events.models import Event, Registration, normalise_checkin_code

# The group of door volunteers (created with its one permission in a migration).
DOOR_GROUP = "Ingang"
PERMISSION = "events.check_in_registration"
MAX_RESULTS = 25
RECENT = 5


class Attendance(NamedTuple):
    present: int
    expected: int


def attendance(event: Event) -> Attendance:
    """Checked in out of confirmed, in one query."""
    counts = (
        Registration.objects.taking_places()
        .filter(event=event)
        .aggregate(expected=Count("pk"), present=Count("pk", filter=Q(checked_in_at__isnull=False)))
    )
    return Attendance(present=counts["present"], expected=counts["expected"])


class Found(NamedTuple):
    registrations: list[Registration]
    more: bool  # more matched than are shown: type more of the name


def find(event: Event, query: str) -> Found:
    """Registrations of `event` matching a name, organisation or check-in code; one query.

    Every word must occur in the name or organisation ("jan utrecht"). An exact code comes
    first: a scanner types the code and presses Enter, and the person is then the first result.
    Waiting and cancelled registrations are found too, so the door can tell them why not.
    """
    words = query.split()
    if not words:
        return Found([], more=False)
    code = normalise_checkin_code(query)
    by_words = Q()
    for word in words:
        by_words &= Q(name__icontains=word) | Q(organisation__icontains=word)
    found = list(
        _for_door(event)
        .filter(by_words | Q(checkin_code=code))
        .order_by(Case(When(checkin_code=code, then=0), default=1), "name", "pk")[: MAX_RESULTS + 1]
    )
    return Found(found[:MAX_RESULTS], more=len(found) > MAX_RESULTS)


def exact_code_match(found: list[Registration], query: str) -> Registration | None:
    """The person whose code was typed or scanned, if the query was one."""
    if found and found[0].checkin_code == normalise_checkin_code(query):
        return found[0]
    return None


def recently_checked_in(event: Event) -> QuerySet[Registration]:
    """The last few checked in, to undo a mistake without searching."""
    return (
        _for_door(event)
        .filter(checked_in_at__isnull=False)
        .order_by("-checked_in_at", "-pk")[:RECENT]
    )


def _for_door(event: Event) -> QuerySet[Registration]:
    return Registration.objects.filter(event=event, anonymised_at__isnull=True).only(
        "pk", "name", "organisation", "status", "checkin_code", "checked_in_at", "event_id"
    )


# --- The QR code ------------------------------------------------------------------------------
# It holds the check-in code only (never the secret token of the personal page): a scanner at
# the door types it into the search field.


# One fixed mask pattern instead of letting segno score all eight for each code: any of them
# makes a valid QR code, and the scoring was most of the cost (about 8 ms of the 10 ms a code
# took on the personal page and in the mail). With this mask, 300 random codes rendered as PNG
# all decoded to themselves with zbarimg (2026-12-06).
QR_MASK = 2


def _qr(registration: Registration) -> segno.QRCode:
    return segno.make(registration.checkin_code, error="m", micro=False, mask=QR_MASK)


def qr_svg(registration: Registration, *, title: str) -> SafeString:
    """Inline SVG markup (no style attributes, so the strict CSP allows it as it is)."""
    svg = _qr(registration).svg_inline(
        scale=5, border=2, dark="#000", light="#fff", title=title, svgclass="ikpob-qr"
    )
    # Named by its <title> for screen readers; the code itself is printed next to it.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))


def qr_png(registration: Registration) -> bytes:
    """For the confirmation mail, where mail clients show PNG but rarely SVG."""
    buffer = io.BytesIO()
    _qr(registration).save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()
