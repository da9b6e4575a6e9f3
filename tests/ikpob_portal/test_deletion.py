"""Deleting in the admin never silently takes other content along.

Per relation: deleting the target is either refused, with Django's page naming what blocks it
(and nothing removed, also on a confirming POST), or it goes and the content that linked to it
stays, only without the link. Children that exist only as part of their parent (an event's
sessions, a circle's questions, contacts and meetings, a person's affiliations, a
publication's authorships) go with it, and the confirmation page lists them first.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import models

from events.models import Event, Registration
from ikpob_portal.kernel.models import Theme, ThemeRedirect
from learning_circles.models import (
    Contact,
    JoinRequest,
    LearningCircle,
    Meeting,
    Participation,
    ResearchQuestion,
)
from network.models import Affiliation, Organisation, Person
from publications.models import Authorship, Publication
from tests.factories import (
    make_affiliation,
    make_contact,
    make_event,
    make_join_request,
    make_learning_circle,
    make_meeting,
    make_organisation,
    make_participation,
    make_person,
    make_publication,
    make_registration,
    make_research_question,
    make_session,
    make_theme,
)

ADMIN = f"/{settings.ADMIN_URL}"


def admin_url(model: type[models.Model], *parts: str) -> str:
    meta = model._meta
    return f"{ADMIN}{meta.app_label}/{meta.model_name}/" + "".join(f"{part}/" for part in parts)


@dataclass
class Blocked:
    """Deleting `target` must be refused because `blocker` links to it."""

    make: Callable[[], tuple[models.Model, models.Model]]  # (target, blocker)


def _publisher():
    organisation = make_organisation("Uitgeverij Boom")
    return organisation, make_publication("Vakmanschap", publisher=organisation)


def _affiliated_organisation():
    organisation = make_organisation("Gemeente Utrecht")
    return organisation, make_affiliation(make_person("Anna", "Visser"), organisation)


def _participating_organisation():
    organisation = make_organisation("Gemeente Zeist")
    return organisation, make_participation(make_learning_circle("Toezicht"), organisation)


def _author():
    person = make_person("Anna", "Visser")
    publication = make_publication("Vakmanschap", authors=[person])
    return person, Authorship.objects.get(publication=publication)


def _circle_contact():
    person = make_person("Piet", "de Vries")
    return person, make_contact(make_learning_circle("Toezicht"), person)


def _circle_with_participation():
    circle = make_learning_circle("Toezicht")
    return circle, make_participation(circle, make_organisation("Gemeente Zeist"))


def _circle_with_join_request():
    circle = make_learning_circle("Toezicht")
    return circle, make_join_request(circle, name="Karin Bos")


def _event_with_registration():
    event = make_event("Kennisdag")
    return event, make_registration(event, name="Karin Bos")


BLOCKED = {
    "organisation-as-publisher": _publisher,
    "organisation-with-affiliation": _affiliated_organisation,
    "organisation-in-circle": _participating_organisation,
    "person-as-author": _author,
    "person-as-circle-contact": _circle_contact,
    "circle-with-participation": _circle_with_participation,
    "circle-with-join-request": _circle_with_join_request,
    "event-with-registration": _event_with_registration,
}


@pytest.mark.django_db
@pytest.mark.parametrize("make", BLOCKED.values(), ids=BLOCKED.keys())
def test_delete_view_refuses_content_others_link_to_and_names_it(editor_client, make):
    target, blocker = make()
    url = admin_url(type(target), str(target.pk), "delete")

    page = editor_client.get(url)

    assert page.status_code == 200
    content = page.content.decode()
    article = admin.site._registry[type(target)].article  # "het evenement", "de persoon"
    name = f"{article} {target._meta.verbose_name}"
    assert f"Het verwijderen van {name} “{target}” vereist" in content
    assert "de volgende beschermde gerelateerde objecten" in content
    assert any(str(blocker) in line for line in map(str, page.context["protected"]))

    response = editor_client.post(url, {"post": "yes"})

    assert response.status_code == 200  # the same refusal again, not a redirect
    assert type(target).objects.filter(pk=target.pk).exists()
    assert type(blocker).objects.filter(pk=blocker.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("make", BLOCKED.values(), ids=BLOCKED.keys())
def test_delete_selected_action_refuses_content_others_link_to(editor_client, make):
    target, blocker = make()
    model = type(target)
    selection = {"action": "delete_selected", "_selected_action": [target.pk], "index": 0}

    page = editor_client.post(admin_url(model), selection)
    assert page.status_code == 200
    assert "vereist het verwijderen van de volgende beschermde gerelateerde objecten" in (
        page.content.decode()
    )
    assert any(str(blocker) in line for line in map(str, page.context["protected"]))

    editor_client.post(admin_url(model), {**selection, "post": "yes"})

    assert model.objects.filter(pk=target.pk).exists()
    assert type(blocker).objects.filter(pk=blocker.pk).exists()


def delete_through_admin(client, target: models.Model) -> None:
    url = admin_url(type(target), str(target.pk), "delete")
    page = client.get(url)
    assert page.status_code == 200
    assert not page.context["protected"], page.context["protected"]
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not type(target).objects.filter(pk=target.pk).exists()


@pytest.mark.django_db
def test_deleting_a_commissioner_or_organiser_leaves_the_publication_and_event(editor_client):
    organisation = make_organisation("Ministerie van BZK")
    publication = make_publication("Vakmanschap", commissioned_by=[organisation])
    event = make_event("Kennisdag", organisers=[organisation])

    delete_through_admin(editor_client, organisation)

    assert list(Publication.objects.get(pk=publication.pk).commissioned_by.all()) == []
    assert list(Event.objects.get(pk=event.pk).organisers.all()) == []


@pytest.mark.django_db
def test_deleting_a_speaker_leaves_the_event(editor_client):
    speaker = make_person("Anna", "Visser")
    event = make_event("Kennisdag", speakers=[speaker])

    delete_through_admin(editor_client, speaker)

    assert list(Event.objects.get(pk=event.pk).speakers.all()) == []


@pytest.mark.django_db
def test_deleting_a_person_takes_only_their_affiliations(editor_client):
    organisation = make_organisation("Gemeente Utrecht")
    person = make_person("Anna", "Visser", organisations=[organisation])

    delete_through_admin(editor_client, person)

    assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert not Affiliation.objects.exists()


@pytest.mark.django_db
def test_deleting_a_publication_leaves_what_linked_to_it(editor_client):
    author = make_person("Anna", "Visser")
    publisher = make_organisation("Uitgeverij Boom")
    publication = make_publication("Vakmanschap", authors=[author], publisher=publisher)
    other = make_publication("Toezicht op afstand")
    other.related_publications.add(publication)
    circle = make_learning_circle("Toezicht")
    circle.outcome_publications.add(publication)
    event = make_event("Kennisdag")
    event.publications.add(publication)

    delete_through_admin(editor_client, publication)

    assert list(Publication.objects.get(pk=other.pk).related_publications.all()) == []
    assert list(LearningCircle.objects.get(pk=circle.pk).outcome_publications.all()) == []
    assert list(Event.objects.get(pk=event.pk).publications.all()) == []
    assert Person.objects.filter(pk=author.pk).exists()
    assert Organisation.objects.filter(pk=publisher.pk).exists()
    assert not Authorship.objects.exists()


@pytest.mark.django_db
def test_deleting_a_circle_leaves_its_events_and_takes_only_its_own_parts(editor_client):
    contact = make_person("Piet", "de Vries")
    circle = make_learning_circle("Toezicht", contacts=[contact])
    make_research_question(circle, "Wat werkt?")
    make_meeting(circle, "Eerste bijeenkomst")
    event = make_event("Kennisdag", learning_circle=circle)

    delete_through_admin(editor_client, circle)

    assert Event.objects.get(pk=event.pk).learning_circle is None
    assert Person.objects.filter(pk=contact.pk).exists()
    assert not Contact.objects.exists()
    assert not ResearchQuestion.objects.exists()
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_deleting_a_circle_is_possible_once_its_participations_and_requests_are_handled(
    editor_client,
):
    circle = make_learning_circle("Toezicht", lead=make_organisation("Gemeente Zeist"))
    make_join_request(circle)

    Participation.objects.filter(circle=circle).delete()
    JoinRequest.objects.filter(circle=circle).delete()
    delete_through_admin(editor_client, circle)

    assert Organisation.objects.filter(name="Gemeente Zeist").exists()


@pytest.mark.django_db
def test_deleting_an_event_without_registrations_takes_its_sessions(editor_client):
    event = make_event("Kennisdag")
    make_session(event, "Workshop toezicht")

    delete_through_admin(editor_client, event)

    assert not event.sessions.model.objects.exists()


@pytest.mark.django_db
def test_deleting_a_session_leaves_the_registrations_that_chose_it(editor_client):
    # Sessions are edited in the event's form; the inline's delete box removes the session and
    # the choice of it, never the registration.
    event = make_event("Kennisdag")
    morning, afternoon = make_session(event, "Ochtend"), make_session(event, "Middag", slot=2)
    registration = make_registration(event, sessions=[morning, afternoon])

    morning.delete()

    registration = Registration.objects.get(pk=registration.pk)
    assert list(registration.sessions.all()) == [afternoon]
    assert registration.status == Registration.Status.CONFIRMED


@pytest.mark.django_db
def test_deleting_a_theme_leaves_the_content_it_was_on(editor_client):
    theme = make_theme("Toezicht")
    publication = make_publication("Vakmanschap", themes=[theme])
    organisation = make_organisation("Gemeente Utrecht", themes=[theme])
    ThemeRedirect.objects.create(old_slug="oud-toezicht", theme=theme)

    delete_through_admin(editor_client, theme)

    assert list(Publication.objects.get(pk=publication.pk).themes.all()) == []
    assert list(Organisation.objects.get(pk=organisation.pk).themes.all()) == []
    assert not Theme.objects.exists()
    assert not ThemeRedirect.objects.exists()  # nothing left to point to
