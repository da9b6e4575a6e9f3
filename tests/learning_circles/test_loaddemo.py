from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from ikpob_portal.kernel.models import ThemedItem
from learning_circles.demo import CIRCLES
from learning_circles.models import (
    Contact,
    LearningCircle,
    Meeting,
    Participation,
    Phase,
    ResearchQuestion,
)
from network.models import Affiliation, Organisation, Person

LEERKRING = "ambtelijk-vakmanschap-in-de-participatiemaatschappij"
PROGRAMME = "programma-innovatie-toezicht-professionalisering"


def load_demo() -> str:
    out = StringIO()
    call_command("loaddemo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Primary keys too: a row deleted and created again would look unchanged by count alone."""

    def rows(model, *fields):
        return sorted(model.objects.values_list("pk", *fields))

    return {
        "organisations": rows(Organisation, "updated"),
        "persons": rows(Person, "updated"),
        "affiliations": rows(Affiliation, "role", "position"),
        "circles": rows(LearningCircle, "updated"),
        "questions": rows(ResearchQuestion, "text", "position"),
        "participations": rows(Participation, "role"),
        "contacts": rows(Contact, "role", "position"),
        "meetings": rows(Meeting, "starts_at"),
        "outcomes": rows(LearningCircle.outcome_publications.through, "publication_id"),
        "themed_items": rows(ThemedItem, "tag_id"),
    }


@pytest.mark.django_db
def test_loaddemo_second_run_leaves_circles_and_network_untouched():
    load_demo()
    first = snapshot()

    output = load_demo()

    assert snapshot() == first
    assert len(first["circles"]) == len(CIRCLES)
    assert len(first["meetings"]) == sum(len(circle.meetings) for circle in CIRCLES)
    assert "Leerkringen:     0 nieuw, 0 bijgewerkt" in output
    assert "Verwijderd:      0 niet meer in de demo" in output


@pytest.mark.django_db
def test_loaddemo_leerkring_has_seven_questions_in_order_and_tilburg_as_lead():
    load_demo()

    circle = LearningCircle.objects.published().for_cards().get(slug=LEERKRING)

    questions = list(circle.questions.all())
    assert [question.position for question in questions] == [1, 2, 3, 4, 5, 6, 7]
    assert "inwoners" in questions[0].text
    assert "democratische waarden" in questions[-1].text
    assert circle.lead.name == "Universiteit van Tilburg"
    assert [(p.organisation.slug, p.role) for p in circle.ordered_participations] == [
        ("universiteit-van-tilburg", "trekker"),
        ("gemeente-berkelland", "deelnemer"),
        ("ao-fonds-gemeenten", "partner"),
        ("bzk", "partner"),
    ]


@pytest.mark.django_db
def test_loaddemo_leerkring_is_finished_and_closed_for_join_requests(client):
    load_demo()
    circle = LearningCircle.objects.get(slug=LEERKRING)

    response = client.get(circle.get_absolute_url())

    assert circle.phase == Phase.FINISHED
    assert not circle.is_open_for_joining
    assert circle.published_at.date().isoformat() == "2019-05-22"
    assert response.status_code == 200
    assert client.get(reverse("learning_circles:join", args=[LEERKRING])).status_code == 410
    assert "Maikel van der Neut" in response.text
    assert "Slotconferentie" in response.text
    assert circle.meetings.get(title="Slotconferentie").starts_at.date().isoformat() == (
        "2019-01-16"
    )


@pytest.mark.django_db
def test_loaddemo_programme_line_is_running_and_shows_its_publications(client):
    load_demo()
    circle = LearningCircle.objects.get(slug=PROGRAMME)

    response = client.get(circle.get_absolute_url())

    assert circle.phase == Phase.RUNNING
    assert circle.is_open_for_joining
    assert circle.lead.slug == "bureau-inspectieraad"
    assert client.get(reverse("learning_circles:join", args=[PROGRAMME])).status_code == 200
    for title in ("Kritische beroepssituaties", "Vragenwaaier", "Aandacht voor wat werkt"):
        assert title in response.text
    assert "Ytzen Renema" in response.text
    assert "Sanne Slegtenhorst" in response.text


@pytest.mark.django_db
def test_loaddemo_restores_edited_rows_and_removes_foreign_ones():
    load_demo()
    circle = LearningCircle.objects.get(slug=LEERKRING)
    circle.questions.filter(position=3).update(text="Aangepast door een redacteur")
    circle.participations.filter(organisation__slug="bzk").delete()
    Participation.objects.create(
        circle=circle, organisation=Organisation.objects.get(slug="vng"), role="deelnemer"
    )

    output = load_demo()

    assert "Aangepast" not in circle.questions.get(position=3).text
    assert set(circle.participations.values_list("organisation__slug", flat=True)) == {
        "universiteit-van-tilburg",
        "gemeente-berkelland",
        "ao-fonds-gemeenten",
        "bzk",
    }
    assert "Verwijderd:      1 niet meer in de demo" in output
