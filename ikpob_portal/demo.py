"""The demo loader behind `manage.py loaddemo`: one place that turns each app's demo data into rows.

Each app keeps its demo content as plain data in `<app>/demo.py` (themes in
`ikpob_portal/kernel/demo.py`), referring to other apps' items by slug. Only this module, in
the composition root, imports them all and knows the models; no app imports another's demo.

Loading is idempotent: records are matched on their slug (child rows on a natural key) and
saved only when a value differs, relations are set only when they differ, a PDF or an image
is written only when an item has none or its file has gone missing, and the search index is
rebuilt only when something changed. A second run therefore changes no row, timestamp, search
entry or history. Demo registrations go through `events.services.register`, like a visitor's,
but their mails are withdrawn before they are sent: loaddemo prints a summary, never a mail.
"""

import datetime
import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from events import demo as events_demo
from events.mails import REGISTRATION_KINDS
from events.models import Event, Invitation, Registration, Session
from events.services import register
from ikpob_portal import demo_images
from ikpob_portal.kernel import demo as kernel_demo
from ikpob_portal.kernel import search
from ikpob_portal.kernel.models import OutgoingMail, Theme
from ikpob_portal.pages import demo as pages_demo
from ikpob_portal.pages.models import HomePage, Page
from ikpob_portal.platform import images
from ikpob_portal.subscriptions import choices
from ikpob_portal.subscriptions import demo as subscriptions_demo
from ikpob_portal.subscriptions.models import (
    Newsletter,
    NewsletterDelivery,
    NewsletterItem,
    SavedSearch,
    Subscription,
)
from learning_circles import demo as circles_demo
from learning_circles.models import (
    Contact,
    LearningCircle,
    Meeting,
    Participation,
    ResearchQuestion,
)
from network import demo as network_demo
from network.models import Affiliation, Organisation, Person
from publications import demo as publications_demo
from publications.models import Authorship, NewsContribution, NewsItem, Publication
from publications.pdf import build_pdf

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# Fixed, so a second run finds nothing to change.
PUBLISHED_AT = datetime.datetime(2025, 1, 6, 9, 0, tzinfo=datetime.UTC)

PDF_NOTICE = (
    "Dit is een voorbeeldbestand uit de demo-omgeving van het IKPOB-portaal. "
    "Het is niet de oorspronkelijke publicatie."
)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

FOUNDATION = "ikpob"  # the one organisation whose logo the demo may draw: the foundation's own
FOUNDATION_LOGO_ALT = "Logo van Stichting IKPOB"


# --- Text and dates --------------------------------------------------------------------------


def md(text: str) -> str:
    """Markdown from a hard-wrapped source block: one line per paragraph, heading or item."""
    lines: list[str] = []
    for raw in textwrap.dedent(text).strip().splitlines():
        line = raw.strip()
        continues = line and lines and lines[-1] and not lines[-1].startswith("#")
        if continues and not line.startswith(("#", "- ")):
            lines[-1] += " " + line
        else:
            lines.append(line)
    return "\n".join(lines)


def easter(year: int) -> datetime.date:
    """Easter Sunday (Gregorian calendar; the anonymous algorithm of Meeus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    lunar = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * lunar) // 451
    month = (h + lunar - 7 * m + 114) // 31
    day = (h + lunar - 7 * m + 114) % 31 + 1
    return datetime.date(year, month, day)


def dutch_public_holidays(year: int) -> set[datetime.date]:
    """The Dutch public holidays of a year, Good Friday included (many offices close)."""
    date, delta = datetime.date, datetime.timedelta
    sunday = easter(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:  # on a Sunday it moves to Saturday the 26th
        kings_day = date(year, 4, 26)
    return {
        date(year, 1, 1),  # Nieuwjaarsdag
        sunday - delta(days=2),  # Goede Vrijdag
        sunday,  # Eerste Paasdag
        sunday + delta(days=1),  # Tweede Paasdag
        kings_day,  # Koningsdag
        date(year, 5, 5),  # Bevrijdingsdag
        sunday + delta(days=39),  # Hemelvaartsdag
        sunday + delta(days=49),  # Eerste Pinksterdag
        sunday + delta(days=50),  # Tweede Pinksterdag
        date(year, 12, 25),  # Eerste Kerstdag
        date(year, 12, 26),  # Tweede Kerstdag
    }


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in dutch_public_holidays(day.year)


def resolve_day(when: dict, today: datetime.date) -> datetime.date:
    """The day an event's `when` (see `events.demo`) falls on, counted from today."""
    if "on" in when:
        return when["on"]
    if "next" in when:
        # At least two days away: registration closes the day before and must be open now.
        month, day_of_month = when["next"]
        year = today.year
        while True:
            candidate = datetime.date(year, month, day_of_month)
            if candidate >= today + datetime.timedelta(days=2) and is_working_day(candidate):
                return candidate
            year += 1
    candidate = today + datetime.timedelta(days=when["days"])
    candidate += datetime.timedelta(days=(when["weekday"] - candidate.weekday()) % 7)
    while not is_working_day(candidate):  # a holiday: the same weekday a week later
        candidate += datetime.timedelta(weeks=1)
    return candidate


def at(day: datetime.date, hhmm: str) -> datetime.datetime:
    """A local (Europe/Amsterdam) moment; zoneinfo picks summer or winter time by the date."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=AMSTERDAM)


def day_only(day: datetime.date) -> datetime.datetime:
    """A day without a known time: local midnight (start and end alike for events)."""
    return at(day, "00:00")


# --- Saving only what differs ----------------------------------------------------------------


@dataclass
class Tally:
    """What one run did: per kind of record how many exist in the demo, and the changes."""

    counts: dict[str, int] = field(default_factory=dict)
    created: int = 0
    updated: int = 0
    removed: int = 0
    relinked: int = 0  # relations (themes, authors' publications, speakers, …) set anew
    pdfs_written: int = 0
    images_written: int = 0  # drawn by demo_images, with their renditions

    def add(self, outcome: str) -> None:
        if outcome == CREATED:
            self.created += 1
        elif outcome == UPDATED:
            self.updated += 1

    def count(self, label: str, number: int = 1) -> None:
        self.counts[label] = self.counts.get(label, 0) + number

    @property
    def changed(self) -> bool:
        return bool(
            self.created
            or self.updated
            or self.removed
            or self.relinked
            or self.pdfs_written
            or self.images_written
        )

    def lines(self) -> list[str]:
        """The Dutch summary that `loaddemo` prints."""
        content = ", ".join(f"{number} {label}" for label, number in self.counts.items())
        return [
            f"Demo-inhoud: {content}.",
            f"Nieuw: {self.created}, bijgewerkt: {self.updated}, verwijderd: {self.removed}, "
            f"koppelingen gezet: {self.relinked}, PDF's geschreven: {self.pdfs_written}, "
            f"afbeeldingen gemaakt: {self.images_written}.",
        ]


def upsert[M: models.Model](
    model: type[M], lookup: dict[str, object], values: dict[str, object], tally: Tally
) -> M:
    """Like `update_or_create`, but saves only when a value really differs.

    `update_or_create` saves on every call, which moves `updated` timestamps, writes search
    rows and history on each run; the demo loader must leave an unchanged database untouched.
    """
    manager = model._default_manager
    instance = manager.filter(**lookup).first()
    if instance is None:
        tally.add(CREATED)
        return manager.create(**lookup, **values)
    changed = {name: value for name, value in values.items() if getattr(instance, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(instance, name, value)
        instance.save()
        tally.add(UPDATED)
    return instance


def set_related(manager, wanted: Iterable[models.Model], tally: Tally) -> None:
    """Set a many-to-many (or the themes) to exactly `wanted`, only when it differs."""
    wanted = list(wanted)
    if {obj.pk for obj in manager.all()} != {obj.pk for obj in wanted}:
        manager.set(wanted)
        tally.relinked += 1


def sync_rows[M: models.Model](
    model: type[M],
    scope: dict[str, object],
    key: tuple[str, ...],
    rows: list[dict[str, object]],
    tally: Tally,
) -> None:
    """Make the rows of `model` within `scope` exactly `rows`, matched on the `key` fields.

    Unchanged rows are left alone (see `upsert`). Rows no longer wanted go first, so a unique
    constraint (one trekker per circle) never sees an old and a new row at once.
    """
    manager = model._default_manager
    wanted = {tuple(row[name] for name in key) for row in rows}
    stale = [
        instance.pk
        for instance in manager.filter(**scope)
        if tuple(getattr(instance, name) for name in key) not in wanted
    ]
    if stale:
        tally.removed += manager.filter(pk__in=stale).delete()[1].get(model._meta.label, 0)
    for row in rows:
        lookup = {**scope, **{name: row[name] for name in key}}
        values = {name: value for name, value in row.items() if name not in key}
        upsert(model, lookup, values, tally)


def by_slug[M: models.Model](model: type[M], slugs: Iterable[str]) -> dict[str, M]:
    slugs = set(slugs)
    found = model._default_manager.in_bulk(slugs, field_name="slug")
    missing = slugs - found.keys()
    if missing:
        raise LookupError(
            f"{model._meta.verbose_name_plural}: {', '.join(sorted(missing))} ontbreken in de "
            "demo-inhoud."
        )
    return found


def ensure_image(
    item: models.Model, tally: Tally, draw: Callable[[str], bytes], subject: str, field="image"
) -> None:
    """Draw the item's demo image unless it has one whose file exists (its renditions are made
    when it is saved; see ikpob_portal/platform/images.py)."""
    image = getattr(item, field)
    if image and image.storage.exists(image.name) and getattr(item, f"{field}_width"):
        return
    # The stored name and extension come from the content (uploads.checked_image_name); only
    # the image's columns are written, so timestamps, history and search rows stay as they are.
    images.attach_image(item, ContentFile(draw(subject), name=item.slug), field)
    tally.images_written += 1


# --- Per app -----------------------------------------------------------------------------------


def load_themes(tally: Tally) -> dict[str, Theme]:
    themes = {}
    for name, description in kernel_demo.THEMES:
        themes[name] = upsert(
            Theme, {"slug": slugify(name)}, {"name": name, "description": description}, tally
        )
    tally.count("thema's", len(themes))
    return themes


def load_network(tally: Tally, themes: dict[str, Theme]) -> None:
    for data in network_demo.ORGANISATIONS:
        relations = data.get("relations", ())
        flags = {flag: key in relations for key, (flag, _) in Organisation.RELATIONS.items()}
        organisation = upsert(
            Organisation,
            {"slug": data["slug"]},
            {
                "name": data["name"],
                "short_name": data.get("short_name", ""),
                "kind": data["kind"],
                "description": data["description"],
                "tooi_uri": data.get("tooi_uri", ""),
                # Only the foundation's own logo is drawn (see demo_images).
                "logo_alt": FOUNDATION_LOGO_ALT if data["slug"] == FOUNDATION else "",
                **flags,
                # Unpublished organisations have no page: every demo organisation is public.
                "status": Organisation.Status.PUBLISHED,
                "published_at": PUBLISHED_AT,
            },
            tally,
        )
        set_related(organisation.themes, [themes[name] for name in data["themes"]], tally)
        if data["slug"] == FOUNDATION:
            ensure_image(
                organisation, tally, demo_images.foundation_logo, data["short_name"], "logo"
            )
    tally.count("organisaties", len(network_demo.ORGANISATIONS))

    organisations = by_slug(Organisation, [o["slug"] for o in network_demo.ORGANISATIONS])
    for data in network_demo.PERSONS:
        person = upsert(
            Person,
            {"slug": data["slug"]},
            {
                "given_name": data.get("given_name", ""),
                "particle": data.get("particle", ""),
                "family_name": data["family_name"],
                "title": data.get("title", ""),
                "bio": data["bio"],
                "image_alt": "",
                "image_decorative": True,  # initials beside the name: nothing to read out
                "status": Person.Status.PUBLISHED,
                "published_at": PUBLISHED_AT,
            },
            tally,
        )
        ensure_image(person, tally, demo_images.portrait, person.full_name)
        set_related(person.themes, [themes[name] for name in data["themes"]], tally)
        sync_rows(
            Affiliation,
            {"person_id": person.pk},
            ("organisation_id", "role"),
            [
                {
                    "organisation_id": organisations[slug].pk,
                    "role": role,
                    "is_current": is_current,
                    "position": position,
                }
                for position, (slug, role, is_current) in enumerate(data.get("affiliations", ()))
            ],
            tally,
        )
    tally.count("personen", len(network_demo.PERSONS))


def markdown_to_lines(text: str) -> list[str]:
    """Plain lines for the PDF: headings, bullets and emphasis without Markdown syntax."""
    lines = []
    for raw in text.splitlines():
        line = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", raw.strip()).replace("**", "")
        if line.startswith("#"):
            lines += ["", line.lstrip("#").strip().upper()]
        elif line.startswith("- "):
            lines.append("\N{BULLET} " + line[2:])
        else:
            lines.append(line)
    return lines


def pdf_content(publication: Publication) -> bytes:
    lines = []
    if publication.subtitle:
        lines.append(publication.subtitle)
    authors = publication.ordered_authors
    if authors:
        lines.append(", ".join(person.full_name for person in authors))
    # Only what is known: no year or publisher is printed when there is none.
    imprint = [publication.publisher.name if publication.publisher else ""]
    imprint.append(str(publication.publication_year or ""))
    if any(imprint):
        lines.append(", ".join(part for part in imprint if part))
    lines += ["", publication.summary, "", *markdown_to_lines(publication.body), "", PDF_NOTICE]
    return build_pdf(publication.title, lines)


def ensure_pdf(publication: Publication, tally: Tally) -> None:
    """Write the demo PDF unless the publication already has a file that exists."""
    if publication.pdf and publication.pdf.storage.exists(publication.pdf.name):
        return
    publication.pdf.save(f"{publication.slug}.pdf", ContentFile(pdf_content(publication)))
    tally.pdfs_written += 1


def remove_pdf(publication: Publication, tally: Tally) -> None:
    """A publication that is no download in the demo has no file (the KBS booklet)."""
    if publication.pdf:
        publication.pdf.delete(save=True)
        tally.updated += 1


def load_publications(tally: Tally, themes: dict[str, Theme]) -> None:
    items = publications_demo.PUBLICATIONS
    organisations = by_slug(
        Organisation,
        {s for item in items for s in [*item.get("commissioned_by", ()), item.get("publisher")]}
        - {None},
    )
    persons = by_slug(Person, {s for item in items for s in item.get("authors", ())})
    publications = {}
    for data in items:
        draft = data.get("draft", False)
        publisher = organisations[data["publisher"]] if data.get("publisher") else None
        publication = upsert(
            Publication,
            {"slug": data["slug"]},
            {
                "title": data["title"],
                "subtitle": data.get("subtitle", ""),
                "kind": data["kind"],
                "summary": data["summary"],
                "body": md(data["body"]),
                "publication_year": data["year"],
                "publication_month": data.get("month"),
                "publication_day": data.get("day"),
                "language": Publication.Language.NL,
                "licence": Publication.Licence.ALL_RIGHTS,
                "publisher_id": publisher.pk if publisher else None,
                "image_alt": "",
                "image_decorative": True,  # an abstract composition (demo_images.cover)
                "status": Publication.Status.DRAFT if draft else Publication.Status.PUBLISHED,
                "published_at": None if draft else PUBLISHED_AT,
            },
            tally,
        )
        ensure_image(publication, tally, demo_images.cover, publication.slug)
        publications[data["slug"]] = publication
        sync_rows(
            Authorship,
            {"publication_id": publication.pk},
            ("person_id",),
            [
                {"person_id": persons[slug].pk, "position": position}
                for position, slug in enumerate(data.get("authors", ()), start=1)
            ],
            tally,
        )
        set_related(
            publication.commissioned_by,
            [organisations[slug] for slug in data.get("commissioned_by", ())],
            tally,
        )
        set_related(publication.themes, [themes[name] for name in data["themes"]], tally)
        if data["pdf"]:
            ensure_pdf(publication, tally)
        else:
            remove_pdf(publication, tally)
    # Only now does every publication exist to point to.
    for data in items:
        set_related(
            publications[data["slug"]].related_publications,
            [publications[slug] for slug in data["related"]],
            tally,
        )
    tally.count("publicaties", len(items))


def load_news(tally: Tally, themes: dict[str, Theme]) -> None:
    items = publications_demo.NEWS
    organisations = by_slug(Organisation, {s for item in items for s in item["organisations"]})
    persons = by_slug(Person, {slug for item in items for slug, _role in item["people"]})
    for data in items:
        item = upsert(
            NewsItem,
            {"slug": data["slug"]},
            {
                "title": data["title"],
                "kind": data["kind"],
                # Dated on the day the demo publishes it: the sheet gives no date.
                "date": data.get("date", PUBLISHED_AT.date()),
                "summary": data["summary"],
                "body": md(data["body"]),
                "status": NewsItem.Status.PUBLISHED,
                "published_at": PUBLISHED_AT,
            },
            tally,
        )
        sync_rows(
            NewsContribution,
            {"news_item_id": item.pk},
            ("person_id", "role"),
            [
                {"person_id": persons[slug].pk, "role": role, "position": position}
                for position, (slug, role) in enumerate(data["people"], start=1)
            ],
            tally,
        )
        set_related(item.organisations, [organisations[s] for s in data["organisations"]], tally)
        set_related(item.themes, [themes[name] for name in data["themes"]], tally)
    tally.count("berichten", len(items))


def load_circles(tally: Tally, themes: dict[str, Theme]) -> None:
    items = circles_demo.CIRCLES
    organisations = by_slug(Organisation, {s for c in items for s, _ in c["participations"]})
    persons = by_slug(Person, {s for c in items for s, _ in c["contacts"]})
    publications = by_slug(Publication, {s for c in items for s in c["outcomes"]})
    for data in items:
        published_on = data["published_on"]
        circle = upsert(
            LearningCircle,
            {"slug": data["slug"]},
            {
                "title": data["title"],
                "summary": data["summary"],
                "description": md(data["description"]),
                "start_date": data["start_date"],
                "end_date": data["end_date"],
                "phase_override": data["phase"],
                "accepts_join_requests": data["accepts_join_requests"],
                "status": LearningCircle.Status.PUBLISHED,
                # Noon: the day stays the same in UTC and in local time.
                "published_at": at(published_on, "12:00") if published_on else PUBLISHED_AT,
            },
            tally,
        )
        set_related(circle.themes, [themes[name] for name in data["themes"]], tally)
        set_related(circle.outcome_publications, [publications[s] for s in data["outcomes"]], tally)
        scope = {"circle_id": circle.pk}
        sync_rows(
            ResearchQuestion,
            scope,
            ("position",),
            [{"position": n, "text": text} for n, text in enumerate(data["questions"], start=1)],
            tally,
        )
        sync_rows(
            Participation,
            scope,
            ("organisation_id",),
            [
                {"organisation_id": organisations[slug].pk, "role": role}
                for slug, role in data["participations"]
            ],
            tally,
        )
        sync_rows(
            Contact,
            scope,
            ("person_id", "role"),
            [
                {"person_id": persons[slug].pk, "role": role, "position": position}
                for position, (slug, role) in enumerate(data["contacts"])
            ],
            tally,
        )
        sync_rows(
            Meeting,
            scope,
            ("title",),
            [
                {
                    "title": meeting["title"],
                    "starts_at": day_only(meeting["day"]),
                    "location": meeting["location"],
                    "online_url": "",
                    "summary": meeting["summary"],
                }
                for meeting in data["meetings"]
            ],
            tally,
        )
    tally.count("leerkringen", len(items))


def relative_moment(day: datetime.date, spec: tuple[int, str] | None) -> datetime.datetime | None:
    if spec is None:
        return None
    days, hhmm = spec
    return at(day + datetime.timedelta(days=days), hhmm)


def event_days(today: datetime.date) -> dict[str, datetime.date]:
    """The day of every demo event (for the loader and for tests)."""
    return {data["slug"]: resolve_day(data["when"], today) for data in events_demo.EVENTS}


def load_events(tally: Tally, themes: dict[str, Theme], today: datetime.date) -> None:
    items = events_demo.EVENTS
    organisations = by_slug(Organisation, {s for e in items for s in e.get("organisers", ())})
    persons = by_slug(Person, {s for e in items for s in e.get("speakers", ())})
    publications = by_slug(
        Publication,
        {s for e in items for s in (*e.get("publications", ()), e.get("recording")) if s},
    )
    circles = by_slug(
        LearningCircle, {e["learning_circle"] for e in items if e.get("learning_circle")}
    )
    days = event_days(today)
    tally.count("evenementen", len(items))
    for data in items:
        day = days[data["slug"]]
        if data["times"]:
            starts_at, ends_at = at(day, data["times"][0]), at(day, data["times"][1])
        else:
            starts_at = ends_at = day_only(day)
        circle = circles[data["learning_circle"]] if data.get("learning_circle") else None
        event = upsert(
            Event,
            {"slug": data["slug"]},
            {
                "title": data["title"],
                "kind": data["kind"],
                "summary": data["summary"],
                "programme": md(data.get("programme", "")),
                "starts_at": starts_at,
                "ends_at": ends_at,
                "venue_name": data.get("venue_name", ""),
                "venue_address": "",
                "online": data.get("online", False),
                "online_url": data.get("join", {}).get("online_url", ""),
                "access_code": data.get("join", {}).get("access_code", ""),
                "dial_in": data.get("join", {}).get("dial_in", ""),
                "learning_circle_id": circle.pk if circle else None,
                "registration_required": data.get("registration_required", True),
                "access": data.get("access", Event.Access.OPEN),
                "capacity": data.get("capacity"),
                "registration_opens_at": relative_moment(day, data.get("registration_opens")),
                "registration_closes_at": relative_moment(day, data.get("registration_closes")),
                "recording_url": (
                    settings.SITE_URL + publications[data["recording"]].get_absolute_url()
                    if data.get("recording")
                    else ""
                ),
                "materials": md(data.get("materials", "")),
                "followup_message": md(data.get("followup", "")),
                "featured": data.get("featured", False),
                "image_alt": "",
                "image_decorative": True,  # an abstract composition (demo_images.cover)
                "status": Event.Status.PUBLISHED,
                "published_at": PUBLISHED_AT,
            },
            tally,
        )
        ensure_image(event, tally, demo_images.cover, event.slug)
        set_related(event.themes, [themes[name] for name in data["themes"]], tally)
        set_related(event.organisers, [organisations[s] for s in data.get("organisers", ())], tally)
        set_related(event.speakers, [persons[s] for s in data.get("speakers", ())], tally)
        set_related(
            event.publications, [publications[s] for s in data.get("publications", ())], tally
        )
        sync_rows(
            Session,
            {"event_id": event.pk},
            ("slot", "title"),
            [
                {
                    "slot": slot,
                    "title": title,
                    "description": description,
                    "capacity": capacity,
                    "starts_at": None,  # the rounds have no times yet (provisional programme)
                    "ends_at": None,
                }
                for slot, title, description, capacity in data.get("sessions", ())
            ],
            tally,
        )
        register_samples(event, data.get("registrants", ()), tally)


def register_samples(event: Event, people: Iterable[dict], tally: Tally) -> None:
    """Register each sample person through the service unless they already hold a place.

    Their mails are withdrawn in the same transaction, before anything is sent: the outbox
    rows are marked handled ("niet nodig"), so the mail task (run after commit, now or by a
    worker) finds nothing to send and `send_pending_mails` nothing to retry.
    """
    registered = []
    for person in people:
        held = Registration.objects.active().filter(event=event, email__iexact=person["email"])
        if not held.exists():
            invitation = None
            if event.access == Event.Access.INVITATION:
                # Made as sent; the loader sends no invitation mail (see below).
                invitation, _created = Invitation.objects.get_or_create(
                    event=event, email=person["email"], defaults={"sent_at": PUBLISHED_AT}
                )
                if invitation.state != Invitation.State.SENT:  # used by a cancelled sample
                    invitation.state = Invitation.State.SENT
                    invitation.registration = None
                    invitation.save(update_fields=["state", "registration"])
            registration = register(
                event=event, data={**person, "needs": ""}, invitation=invitation
            )
            registered.append(registration.pk)
            tally.add(CREATED)
        tally.count("voorbeeldaanmeldingen")
    OutgoingMail.objects.filter(
        kind__in=REGISTRATION_KINDS, object_id__in=registered, done_at__isnull=True
    ).update(done_at=timezone.now(), outcome=OutgoingMail.Outcome.SKIPPED)


def load_pages(tally: Tally, themes: dict[str, Theme]) -> None:
    """The foundation's own pages (parents before their subpages) and the home page's intro.

    Featured items are the editors' own choice: the demo has none and leaves theirs alone.
    """
    pages: dict[str, Page] = {}
    ordered = sorted(pages_demo.PAGES, key=lambda data: data["parent"] is not None)
    for data in ordered:
        parent = pages[data["parent"]] if data["parent"] else None
        page = upsert(
            Page,
            {"parent": parent, "slug": data["slug"]},
            {
                "title": data["title"],
                "summary": data["summary"],
                "body": md(data["body"]),
                "in_header": data["in_header"],
                "in_footer": data["in_footer"],
                "menu_order": data["menu_order"],
                "status": Page.Status.PUBLISHED,
                "published_at": PUBLISHED_AT,
            },
            tally,
        )
        set_related(page.themes, [themes[name] for name in data["themes"]], tally)
        pages[data["slug"]] = page
    tally.count("pagina's", len(pages))
    upsert(HomePage, {"pk": HomePage.SINGLETON_PK}, {"intro": pages_demo.HOME["intro"]}, tally)


def load_subscriptions(tally: Tally, themes: dict[str, Theme]) -> None:
    """Example subscribers, confirmed, and one newsletter sent to those who asked for it."""
    for data in subscriptions_demo.SUBSCRIPTIONS:
        subscription = upsert(
            Subscription,
            {"email": data["email"]},
            {
                "kinds": data["kinds"],
                "frequency": data["frequency"],
                "newsletter": data["newsletter"],
                "created_at": PUBLISHED_AT,
                "confirmed_at": PUBLISHED_AT,
            },
            tally,
        )
        if subscription.digest_from is None:  # set once: a digest job moves it on
            Subscription.objects.filter(pk=subscription.pk).update(digest_from=PUBLISHED_AT)
        set_related(subscription.themes, [themes[name] for name in data["themes"]], tally)
        for url_name, query in data["searches"]:
            search = choices.saved_search(url_name, query)
            upsert(
                SavedSearch,
                {"subscription": subscription, "url_name": search.url_name, "query": search.query},
                {"label": search.label, "created_at": PUBLISHED_AT},
                tally,
            )
    tally.count("voorbeeldabonnementen", len(subscriptions_demo.SUBSCRIPTIONS))

    data = subscriptions_demo.NEWSLETTER
    newsletter = upsert(
        Newsletter,
        {"subject": data["subject"]},
        {
            "intro": data["intro"],
            "status": Newsletter.Status.SENT,
            "send_at": PUBLISHED_AT,
            "sent_at": PUBLISHED_AT,
            "created_at": PUBLISHED_AT,
        },
        tally,
    )
    publications = by_slug(Publication, data["publications"])
    for position, slug in enumerate(data["publications"]):
        publication = publications[slug]
        upsert(
            NewsletterItem,
            {
                "newsletter": newsletter,
                "content_type": ContentType.objects.get_for_model(Publication),
                "object_id": publication.pk,
            },
            {"position": position},
            tally,
        )
    demo_addresses = [data["email"] for data in subscriptions_demo.SUBSCRIPTIONS]
    readers = Subscription.objects.confirmed().filter(newsletter=True, email__in=demo_addresses)
    for subscription in readers:
        upsert(
            NewsletterDelivery,
            {"newsletter": newsletter, "subscription": subscription},
            {"created_at": PUBLISHED_AT},
            tally,
        )
    tally.count("verzonden nieuwsbrief", 1)


# --- All of it -------------------------------------------------------------------------------


def load(today: datetime.date | None = None) -> Tally:
    """Create or update all demo content; running it again changes nothing."""
    today = today or timezone.localdate()
    tally = Tally()
    with transaction.atomic():
        themes = load_themes(tally)
        load_network(tally, themes)
        load_publications(tally, themes)
        load_news(tally, themes)
        load_circles(tally, themes)
        load_events(tally, themes, today)
        load_pages(tally, themes)
        load_subscriptions(tally, themes)
        # Authors, questions and speakers are added after their parents were saved, so the
        # index is rebuilt once at the end; not at all when nothing changed.
        if tally.changed:
            search.rebuild()
    return tally
