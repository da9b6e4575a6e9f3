import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from ikpob_portal.kernel.editors import ACTIONS, EDITOR_GROUP
from learning_circles.models import JoinRequest, LearningCircle, Participation, Phase
from tests.factories import (
    make_join_request,
    make_learning_circle,
    make_organisation,
    make_person,
    make_publication,
)

ADMIN = f"/{settings.ADMIN_URL}"
CIRCLES = f"{ADMIN}learning_circles/learningcircle/"
JOIN_REQUESTS = f"{ADMIN}learning_circles/joinrequest/"
INLINES = ["questions", "participations", "contacts", "meetings"]


def changelist_names(response, field: str) -> list[str]:
    assert response.status_code == 200
    return re.findall(
        rf'<th class="field-{field}"><a [^>]*>(.*?)</a></th>', response.content.decode()
    )


def form_errors(response) -> dict:
    context = response.context
    errors = dict(context["adminform"].form.errors)
    for formset in context["inline_admin_formsets"]:
        errors.update({f"{formset.formset.prefix}": formset.formset.errors})
    return errors


def management(prefix: str, total: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def new_circle_data(**overrides) -> dict:
    data = {
        "title": "Toezicht in de praktijk",
        "slug": "toezicht-in-de-praktijk",
        "summary": "Inspecties en gemeenten leren samen.",
        "description": "",
        "start_date": "",
        "end_date": "",
        "phase_override": "",
        "accepts_join_requests": "on",
        "status": LearningCircle.Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "_save": "Opslaan",
    }
    for prefix in INLINES:
        data.update(management(prefix))
    data.update(overrides)
    return data


# --- Permissions ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model",
    ["learningcircle", "researchquestion", "participation", "contact", "meeting", "joinrequest"],
)
def test_editor_group_may_manage_learning_circle_models(model):
    group = Group.objects.get(name=EDITOR_GROUP)

    codenames = set(
        group.permissions.filter(content_type__app_label="learning_circles").values_list(
            "codename", flat=True
        )
    )

    assert {f"{action}_{model}" for action in ACTIONS} <= codenames


# --- Learning circles -------------------------------------------------------------------------


@pytest.mark.django_db
def test_circle_changelist_shows_phase_and_open_join_requests(editor_client):
    circle = make_learning_circle("Toezicht in de praktijk")
    make_join_request(circle)
    make_join_request(circle, status=JoinRequest.Status.CONTACTED)
    make_join_request(circle, status=JoinRequest.Status.DECLINED)
    make_learning_circle("Concept", status=LearningCircle.Status.DRAFT)

    response = editor_client.get(CIRCLES)

    assert sorted(changelist_names(response, "title")) == ["Concept", "Toezicht in de praktijk"]
    html = response.content.decode()
    assert re.search(r'<td class="field-phase_label">Lopend</td>', html)
    assert re.search(r'<td class="field-open_join_requests">2</td>', html)


@pytest.mark.django_db
def test_circle_changelist_filters_on_phase(editor_client):
    make_learning_circle("Lopend")
    make_learning_circle("Afgerond", phase_override=Phase.FINISHED)

    response = editor_client.get(CIRCLES, {"fase": "afgerond"})

    assert changelist_names(response, "title") == ["Afgerond"]


@pytest.mark.django_db
def test_circle_search_finds_by_title_and_participant_once(editor_client):
    utrecht = make_organisation("Gemeente Utrecht")
    make_learning_circle("Toezicht", lead=utrecht)
    make_learning_circle("Ethiek", participants=[make_organisation("Gemeente Berkelland")])

    assert changelist_names(editor_client.get(CIRCLES, {"q": "toezicht"}), "title") == ["Toezicht"]
    assert changelist_names(editor_client.get(CIRCLES, {"q": "gemeente"}), "title") == [
        "Ethiek",
        "Toezicht",
    ]


@pytest.mark.django_db
def test_circle_add_form_has_inlines_for_questions_participants_contacts_and_meetings(
    editor_client,
):
    response = editor_client.get(f"{CIRCLES}add/")

    assert response.status_code == 200
    html = response.content.decode()
    for prefix in INLINES:
        assert f'name="{prefix}-TOTAL_FORMS"' in html
    assert [formset.formset.prefix for formset in response.context["inline_admin_formsets"]] == (
        INLINES
    )


@pytest.mark.django_db
def test_circle_add_saves_the_circle_with_its_inlines(editor_client):
    lead = make_organisation("Gemeente Utrecht")
    contact = make_person("Anna", "Jansen")
    today = timezone.localdate()
    data = new_circle_data(
        start_date=today.strftime("%d-%m-%Y"),
        **management("questions", 1),
        **management("participations", 1),
        **management("contacts", 1),
        **management("meetings", 1),
        **{
            "questions-0-position": "1",
            "questions-0-text": "Wat is goed toezicht?",
            "participations-0-organisation": str(lead.pk),
            "participations-0-role": Participation.Role.LEAD,
            "participations-0-since": "",
            "contacts-0-person": str(contact.pk),
            "contacts-0-role": "coordinator",
            "contacts-0-position": "0",
            "meetings-0-title": "Startbijeenkomst",
            "meetings-0-starts_at_0": (today + timedelta(days=7)).strftime("%d-%m-%Y"),
            "meetings-0-starts_at_1": "14:00:00",
            "meetings-0-location": "Utrecht",
            "meetings-0-online_url": "",
            "meetings-0-summary": "",
        },
    )

    response = editor_client.post(f"{CIRCLES}add/", data)

    assert response.status_code == 302, form_errors(response)
    circle = LearningCircle.objects.get()
    assert circle.lead == lead
    assert [str(q) for q in circle.questions.all()] == ["Wat is goed toezicht?"]
    assert [c.person for c in circle.contacts.all()] == [contact]
    assert [m.title for m in circle.meetings.all()] == ["Startbijeenkomst"]
    assert circle.status == LearningCircle.Status.DRAFT


@pytest.mark.django_db
def test_circle_add_refuses_the_same_organisation_twice(editor_client):
    utrecht = make_organisation("Gemeente Utrecht")
    data = new_circle_data(
        **management("participations", 2),
        **{
            "participations-0-organisation": str(utrecht.pk),
            "participations-0-role": Participation.Role.PARTICIPANT,
            "participations-1-organisation": str(utrecht.pk),
            "participations-1-role": Participation.Role.PARTNER,
        },
    )

    response = editor_client.post(f"{CIRCLES}add/", data)

    assert response.status_code == 200
    assert not LearningCircle.objects.exists()


@pytest.mark.django_db
def test_circle_add_refuses_two_leads(editor_client):
    first = make_organisation("Eerste")
    second = make_organisation("Tweede")
    data = new_circle_data(
        **management("participations", 2),
        **{
            "participations-0-organisation": str(first.pk),
            "participations-0-role": Participation.Role.LEAD,
            "participations-1-organisation": str(second.pk),
            "participations-1-role": Participation.Role.LEAD,
        },
    )

    response = editor_client.post(f"{CIRCLES}add/", data)

    assert response.status_code == 200
    assert "Een leerkring heeft één trekker." in response.content.decode()
    assert not LearningCircle.objects.exists()


@pytest.mark.django_db
def test_circle_change_form_opens_with_its_inlines(editor_client):
    circle = make_learning_circle(
        "Toezicht", lead=make_organisation("Utrecht"), contacts=[make_person("Anna", "Jansen")]
    )
    circle.outcome_publications.add(make_publication("Essay"))

    response = editor_client.get(f"{CIRCLES}{circle.pk}/change/")

    assert response.status_code == 200
    assert 'name="participations-INITIAL_FORMS" value="1"' in response.content.decode()


# --- Join requests ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_join_request_changelist_and_search_open_for_editor(editor_client):
    circle = make_learning_circle("Toezicht")
    make_join_request(circle, name="Anna Jansen", email="anna@berkelland.nl")
    make_join_request(circle, name="Bert Bakker", organisation_name="Gemeente Utrecht")

    assert sorted(changelist_names(editor_client.get(JOIN_REQUESTS), "name")) == [
        "Anna Jansen",
        "Bert Bakker",
    ]
    for term in ("berkelland.nl", "utrecht", "anna"):
        assert len(changelist_names(editor_client.get(JOIN_REQUESTS, {"q": term}), "name")) == 1


@pytest.mark.django_db
def test_join_requests_cannot_be_added_in_the_admin(editor_client):
    # By design: requests come from the public form, with the visitor's consent.
    assert editor_client.get(f"{JOIN_REQUESTS}add/").status_code == 403


@pytest.mark.django_db
def test_join_request_change_form_shows_the_request_read_only(editor_client):
    join_request = make_join_request(make_learning_circle("Toezicht"), email="anna@berkelland.nl")

    response = editor_client.get(f"{JOIN_REQUESTS}{join_request.pk}/change/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="email"' not in html  # read-only
    assert "anna@berkelland.nl" in html
    assert 'name="status"' in html
    assert 'name="notes"' in html


@pytest.mark.django_db
def test_mark_contacted_action_updates_the_status(editor_client):
    join_request = make_join_request(make_learning_circle("Toezicht"))

    editor_client.post(
        JOIN_REQUESTS,
        {"action": "mark_contacted", "_selected_action": [join_request.pk], "index": 0},
    )

    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.CONTACTED


# --- Autocomplete -----------------------------------------------------------------------------


def autocomplete(client, model_name: str, field_name: str, term: str) -> list[str]:
    response = client.get(
        f"{ADMIN}autocomplete/",
        {
            "app_label": "learning_circles",
            "model_name": model_name,
            "field_name": field_name,
            "term": term,
        },
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


@pytest.mark.django_db
def test_participation_organisation_autocomplete_finds_organisations(editor_client):
    make_organisation("Gemeente Utrecht")
    make_organisation("Gemeente Berkelland")
    make_organisation("Ministerie van BZK")

    assert autocomplete(editor_client, "participation", "organisation", "gemeente") == [
        "Gemeente Berkelland",
        "Gemeente Utrecht",
    ]


@pytest.mark.django_db
def test_contact_person_autocomplete_finds_people(editor_client):
    make_person("Martijn", "Steen", particle="van der")
    make_person("Anna", "Jansen")

    assert autocomplete(editor_client, "contact", "person", "steen") == ["Martijn van der Steen"]


@pytest.mark.django_db
def test_outcome_publications_autocomplete_finds_publications(editor_client):
    make_publication("Essay over toezicht")
    make_publication("Boek over ethiek")

    assert autocomplete(editor_client, "learningcircle", "outcome_publications", "toezicht") == [
        "Essay over toezicht"
    ]
