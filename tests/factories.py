"""Plain `make_<model>(**overrides)` helpers: sensible defaults, real database rows."""

import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from ikpob_portal.editors import EDITOR_GROUP
from ikpob_portal.models import Theme
from network.models import Organisation, Person
from publications.models import Authorship, Publication

_counter = itertools.count(1)

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def make_theme(name: str | None = None, **overrides) -> Theme:
    name = name or f"Thema {next(_counter)}"
    overrides.setdefault("slug", slugify(name))
    return Theme.objects.create(name=name, **overrides)


def make_organisation(name: str | None = None, **overrides) -> Organisation:
    name = name or f"Organisatie {next(_counter)}"
    overrides.setdefault("slug", slugify(name))
    return Organisation.objects.create(name=name, **overrides)


def make_person(given_name: str = "Anna", family_name: str | None = None, **overrides) -> Person:
    family_name = family_name or f"Jansen{next(_counter)}"
    particle = overrides.get("particle", "")
    overrides.setdefault("slug", slugify(f"{given_name} {particle} {family_name}"))
    return Person.objects.create(given_name=given_name, family_name=family_name, **overrides)


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
