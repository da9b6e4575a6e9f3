"""Plain `make_<model>(**overrides)` helpers: sensible defaults, real database rows."""

import itertools
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from events.models import Event, Registration, Session
from ikpob_portal.kernel.editors import CHIEF_EDITOR_GROUP, EDITOR_GROUP
from ikpob_portal.kernel.models import Publishable, Theme
from ikpob_portal.pages.models import Page
from ikpob_portal.subscriptions.models import Subscription
from learning_circles.models import (
    Contact,
    JoinRequest,
    LearningCircle,
    Meeting,
    Participation,
    ResearchQuestion,
)
from network.models import Affiliation, Organisation, Person
from publications.models import Authorship, NewsContribution, NewsItem, Publication

_counter = itertools.count(1)


def _minimal_pdf() -> bytes:
    """A catalog and an empty page tree, with the cross-reference table a parser needs
    (the upload check reads the file with pypdf)."""
    output = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(
        (b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[]/Count 0>>"), start=1
    ):
        offsets.append(len(output))
        output += b"%d 0 obj%sendobj\n" % (number, body)
    xref = len(output)
    output += b"xref\n0 3\n0000000000 65535 f \n"
    output += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return output + b"trailer<</Size 3/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref


MINIMAL_PDF = _minimal_pdf()


def make_theme(name: str | None = None, **overrides) -> Theme:
    name = name or f"Thema {next(_counter)}"
    overrides.setdefault("slug", slugify(name))
    return Theme.objects.create(name=name, **overrides)


def _published_by_default(overrides: dict) -> None:
    """Published an hour ago unless overrides say otherwise (like make_publication)."""
    overrides.setdefault("status", Publishable.Status.PUBLISHED)
    if overrides["status"] == Publishable.Status.PUBLISHED:
        overrides.setdefault("published_at", timezone.now() - timedelta(hours=1))


def make_organisation(
    name: str | None = None, *, themes: list[Theme] = (), **overrides
) -> Organisation:
    """A published organisation (published an hour ago) unless overrides say otherwise."""
    name = name or f"Organisatie {next(_counter)}"
    overrides.setdefault("slug", slugify(name))
    _published_by_default(overrides)
    organisation = Organisation.objects.create(name=name, **overrides)
    if themes:
        organisation.themes.set(list(themes))
    return organisation


def make_person(
    given_name: str = "Anna",
    family_name: str | None = None,
    *,
    themes: list[Theme] = (),
    organisations: list[Organisation] = (),
    **overrides,
) -> Person:
    """A published person (published an hour ago) unless overrides say otherwise."""
    family_name = family_name or f"Jansen{next(_counter)}"
    particle = overrides.get("particle", "")
    overrides.setdefault("slug", slugify(f"{given_name} {particle} {family_name}"))
    _published_by_default(overrides)
    person = Person.objects.create(given_name=given_name, family_name=family_name, **overrides)
    for position, organisation in enumerate(organisations):
        make_affiliation(person, organisation, position=position)
    if themes:
        person.themes.set(list(themes))
    return person


def make_affiliation(person: Person, organisation: Organisation, **overrides) -> Affiliation:
    return Affiliation.objects.create(person=person, organisation=organisation, **overrides)


def make_publication(
    title: str | None = None,
    *,
    authors: list[Person] = (),
    themes: list[Theme] = (),
    commissioned_by: list[Organisation] = (),
    pdf: bytes | None = None,
    **overrides,
) -> Publication:
    """A published publication (published an hour ago) unless overrides say otherwise."""
    title = title or f"Publicatie {next(_counter)}"
    overrides.setdefault("slug", slugify(title))
    overrides.setdefault("summary", f"Samenvatting van {title}.")
    overrides.setdefault("publication_year", 2020)
    overrides.setdefault("status", Publication.Status.PUBLISHED)
    if overrides["status"] == Publication.Status.PUBLISHED:
        overrides.setdefault("published_at", timezone.now() - timedelta(hours=1))
    publication = Publication(title=title, **overrides)
    if pdf is not None:
        publication.pdf.save(f"{overrides['slug']}.pdf", ContentFile(pdf), save=False)
    publication.save()
    for position, person in enumerate(authors):
        Authorship.objects.create(publication=publication, person=person, position=position)
    if themes:
        publication.themes.set(list(themes))
    if commissioned_by:
        publication.commissioned_by.set(commissioned_by)
    return publication


def make_editor(username: str = "redacteur", **overrides):
    user = get_user_model().objects.create_user(
        username=username, password="een-lang-wachtwoord-2026", is_staff=True, **overrides
    )
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    return user


def make_chief_editor(username: str = "anna", **overrides):
    """A member of the Hoofdredactie: publishes without review and reviews what others submit."""
    overrides.setdefault("first_name", "Anna")
    user = get_user_model().objects.create_user(
        username=username, password="een-lang-wachtwoord-2026", is_staff=True, **overrides
    )
    user.groups.add(Group.objects.get(name=CHIEF_EDITOR_GROUP))
    return user


def make_learning_circle(
    title: str | None = None,
    *,
    themes: list[Theme] = (),
    lead: Organisation | None = None,
    participants: list[Organisation] = (),
    contacts: list[Person] = (),
    **overrides,
) -> LearningCircle:
    """A published, running circle (started a month ago) unless overrides say otherwise."""
    title = title or f"Leerkring {next(_counter)}"
    overrides.setdefault("slug", slugify(title))
    overrides.setdefault("summary", f"Samenvatting van {title}.")
    overrides.setdefault("start_date", timezone.localdate() - timedelta(days=30))
    _published_by_default(overrides)
    circle = LearningCircle.objects.create(title=title, **overrides)
    if lead is not None:
        make_participation(circle, lead, role=Participation.Role.LEAD)
    for organisation in participants:
        make_participation(circle, organisation)
    for position, person in enumerate(contacts):
        make_contact(circle, person, position=position)
    if themes:
        circle.themes.set(list(themes))
    return circle


def make_participation(
    circle: LearningCircle, organisation: Organisation, **overrides
) -> Participation:
    return Participation.objects.create(circle=circle, organisation=organisation, **overrides)


def make_contact(circle: LearningCircle, person: Person, **overrides) -> Contact:
    return Contact.objects.create(circle=circle, person=person, **overrides)


def make_research_question(circle: LearningCircle, text: str, **overrides) -> ResearchQuestion:
    return ResearchQuestion.objects.create(circle=circle, text=text, **overrides)


def make_meeting(circle: LearningCircle, title: str | None = None, **overrides) -> Meeting:
    """A meeting a week from now unless overrides say otherwise."""
    overrides.setdefault("starts_at", timezone.now() + timedelta(days=7))
    overrides.setdefault("location", "Utrecht")
    return Meeting.objects.create(
        circle=circle, title=title or f"Bijeenkomst {next(_counter)}", **overrides
    )


def make_join_request(circle: LearningCircle, **overrides) -> JoinRequest:
    number = next(_counter)
    overrides.setdefault("organisation_name", f"Gemeente {number}")
    overrides.setdefault("name", f"Deelnemer {number}")
    overrides.setdefault("email", f"deelnemer{number}@example.org")
    overrides.setdefault("motivation", "Wij willen graag meedoen.")
    overrides.setdefault("consent_at", timezone.now())
    return JoinRequest.objects.create(circle=circle, **overrides)


def make_event(
    title: str | None = None,
    *,
    themes: list[Theme] = (),
    organisers: list[Organisation] = (),
    speakers: list[Person] = (),
    **overrides,
) -> Event:
    """A published event in a venue, two weeks from now from 10:00 to 16:00 (Amsterdam time),
    registration open and unlimited, unless overrides say otherwise."""
    title = title or f"Bijeenkomst {next(_counter)}"
    overrides.setdefault("slug", slugify(title))
    overrides.setdefault("summary", f"Samenvatting van {title}.")
    if "starts_at" not in overrides:
        day = timezone.localdate() + timedelta(days=14)
        overrides["starts_at"] = timezone.make_aware(datetime.combine(day, time(10)))
    overrides.setdefault("ends_at", overrides["starts_at"] + timedelta(hours=6))
    overrides.setdefault("venue_name", "Stadhuis Utrecht")
    overrides.setdefault("venue_address", "Stadhuisbrug 1, Utrecht")
    _published_by_default(overrides)
    event = Event.objects.create(title=title, **overrides)
    if themes:
        event.themes.set(list(themes))
    if organisers:
        event.organisers.set(organisers)
    if speakers:
        event.speakers.set(speakers)
    return event


def make_session(event: Event, title: str | None = None, **overrides) -> Session:
    """A parallel session in round 1, unlimited, unless overrides say otherwise."""
    return Session.objects.create(
        event=event, title=title or f"Workshop {next(_counter)}", **overrides
    )


def make_registration(event: Event, *, sessions: list[Session] = (), **overrides) -> Registration:
    """A confirmed registration, written directly (not through the service: no capacity check,
    no mail) unless overrides say otherwise."""
    number = next(_counter)
    overrides.setdefault("name", f"Deelnemer {number}")
    overrides.setdefault("email", f"deelnemer{number}@example.org")
    overrides.setdefault("organisation", f"Gemeente {number}")
    overrides.setdefault("status", Registration.Status.CONFIRMED)
    overrides.setdefault("consent_at", timezone.now())
    if overrides["status"] == Registration.Status.CONFIRMED:
        overrides.setdefault("confirmed_at", overrides["consent_at"])
    registration = Registration.objects.create(event=event, **overrides)
    if sessions:
        registration.sessions.set(sessions)
    return registration


def make_page(title: str | None = None, *, themes: list[Theme] = (), **overrides) -> Page:
    """A published top-level page (published an hour ago) unless overrides say otherwise."""
    title = title or f"Pagina {next(_counter)}"
    overrides.setdefault("slug", slugify(title))
    overrides.setdefault("summary", f"Samenvatting van {title}.")
    _published_by_default(overrides)
    page = Page.objects.create(title=title, **overrides)
    if themes:
        page.themes.set(list(themes))
    return page


def make_news_item(
    title: str | None = None,
    *,
    people: list[tuple[Person, str]] = (),
    organisations: list[Organisation] = (),
    themes: list[Theme] = (),
    **overrides,
) -> NewsItem:
    """A published news item (published an hour ago, dated today) unless overrides say
    otherwise; `people` as (person, role) in order, roles from NewsContribution.Role."""
    title = title or f"Bericht {next(_counter)}"
    overrides.setdefault("slug", slugify(title))
    overrides.setdefault("summary", f"Samenvatting van {title}.")
    _published_by_default(overrides)
    item = NewsItem.objects.create(title=title, **overrides)
    for position, (person, role) in enumerate(people, start=1):
        NewsContribution.objects.create(news_item=item, person=person, role=role, position=position)
    if organisations:
        item.organisations.set(list(organisations))
    if themes:
        item.themes.set(list(themes))
    return item


def make_subscription(
    email: str | None = None,
    *,
    confirmed: bool = True,
    themes: list[Theme] = (),
    **overrides,
) -> Subscription:
    """A confirmed subscription (to the newsletter unless overrides say otherwise)."""
    email = email or f"abonnee{next(_counter)}@example.org"
    overrides.setdefault("newsletter", True)
    if confirmed:
        overrides.setdefault("confirmed_at", timezone.now() - timedelta(days=1))
    subscription = Subscription.objects.create(email=email, **overrides)
    if themes:
        subscription.themes.set(list(themes))
    return subscription
