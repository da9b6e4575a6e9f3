from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from learning_circles.models import JoinRequest, LearningCircle, Participation, Phase
from tests.factories import (
    make_join_request,
    make_learning_circle,
    make_meeting,
    make_organisation,
    make_participation,
    make_person,
)

DAY = timedelta(days=1)


def today():
    return timezone.localdate()


# --- Phase ------------------------------------------------------------------------------------


PHASE_CASES = [
    ("starts-tomorrow", {"start_date": "+1"}, Phase.PREPARING),
    ("no-dates", {"start_date": None}, Phase.PREPARING),
    ("started-no-end", {"start_date": "-30"}, Phase.RUNNING),
    ("starts-today", {"start_date": "0"}, Phase.RUNNING),
    ("ends-today", {"start_date": "-30", "end_date": "0"}, Phase.RUNNING),
    ("ends-later", {"start_date": "-30", "end_date": "+30"}, Phase.RUNNING),
    ("ended-yesterday", {"start_date": "-30", "end_date": "-1"}, Phase.FINISHED),
    (
        "override-wins",
        {"start_date": "-30", "end_date": "+30", "phase_override": Phase.FINISHED},
        Phase.FINISHED,
    ),
    (
        "override-preparing",
        {"start_date": "-300", "end_date": "-30", "phase_override": Phase.PREPARING},
        Phase.PREPARING,
    ),
]


def dated(fields: dict) -> dict:
    """'+1' / '-30' / '0' in days from today, as the phase cases write them."""
    return {
        name: (today() + int(value) * DAY)
        if isinstance(value, str) and name.endswith("date")
        else value
        for name, value in fields.items()
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "phase"), [case[1:] for case in PHASE_CASES], ids=[case[0] for case in PHASE_CASES]
)
def test_phase_follows_the_dates_unless_an_editor_sets_it(fields, phase):
    circle = make_learning_circle(**dated(fields))

    assert circle.phase == phase
    annotated = LearningCircle.objects.with_phase().get(pk=circle.pk)
    assert annotated.phase == phase  # the database and Python agree
    assert annotated.phase_label == Phase(phase).label


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "open_"),
    [
        ({}, True),
        ({"accepts_join_requests": False}, False),
        ({"start_date": "-300", "end_date": "-1"}, False),
        ({"phase_override": Phase.FINISHED}, False),
        ({"start_date": "+30"}, True),
    ],
    ids=["running", "closed-by-editor", "finished", "finished-by-editor", "preparing"],
)
def test_circle_is_open_for_joining_until_it_is_finished(fields, open_):
    assert make_learning_circle(**dated(fields)).is_open_for_joining is open_


# --- Constraints ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_end_date_before_start_date_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_learning_circle(start_date=today(), end_date=today() - DAY)


@pytest.mark.django_db
def test_end_date_before_start_date_has_a_dutch_message_in_full_clean():
    circle = LearningCircle(
        title="Achterstevoren",
        slug="achterstevoren",
        summary="Eindigt voor het begint.",
        start_date=today(),
        end_date=today() - DAY,
    )

    with pytest.raises(ValidationError) as raised:
        circle.full_clean()

    assert raised.value.messages == ["De einddatum ligt vóór de startdatum."]


@pytest.mark.django_db
def test_a_circle_has_one_lead():
    circle = make_learning_circle(lead=make_organisation("Trekker"))

    with pytest.raises(IntegrityError), transaction.atomic():
        make_participation(circle, make_organisation("Tweede"), role=Participation.Role.LEAD)


@pytest.mark.django_db
def test_an_organisation_takes_part_in_a_circle_once():
    organisation = make_organisation("Gemeente Utrecht")
    circle = make_learning_circle(participants=[organisation])

    with pytest.raises(IntegrityError), transaction.atomic():
        make_participation(circle, organisation, role=Participation.Role.PARTNER)


@pytest.mark.django_db
def test_organisations_and_people_in_a_circle_cannot_be_deleted():
    organisation = make_organisation("Gemeente Utrecht")
    person = make_person("Anna", "Jansen")
    make_learning_circle(participants=[organisation], contacts=[person])

    with pytest.raises(ProtectedError):
        organisation.delete()
    with pytest.raises(ProtectedError):
        person.delete()


@pytest.mark.django_db
def test_one_open_join_request_per_email_and_circle_case_insensitive():
    circle = make_learning_circle()
    make_join_request(circle, email="Anna@Example.org")

    with pytest.raises(IntegrityError), transaction.atomic():
        make_join_request(circle, email="anna@example.ORG")


@pytest.mark.django_db
def test_a_handled_join_request_does_not_block_a_new_one():
    circle = make_learning_circle()
    make_join_request(circle, email="anna@example.org", status=JoinRequest.Status.DECLINED)

    make_join_request(circle, email="anna@example.org")

    assert circle.join_requests.count() == 2


@pytest.mark.django_db
def test_the_same_email_may_join_two_circles():
    make_join_request(make_learning_circle("Eerste"), email="anna@example.org")
    make_join_request(make_learning_circle("Tweede"), email="anna@example.org")

    assert JoinRequest.objects.count() == 2


# --- Participants -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_participants_are_listed_lead_first_then_participants_then_partners():
    circle = make_learning_circle()
    make_participation(circle, make_organisation("Aa partner"), role=Participation.Role.PARTNER)
    make_participation(circle, make_organisation("Zz trekker"), role=Participation.Role.LEAD)
    make_participation(circle, make_organisation("Mm deelnemer"))
    make_participation(circle, make_organisation("Bb deelnemer"))

    assert [str(p) for p in circle.participations.all()] == [
        "Zz trekker — Trekker",
        "Bb deelnemer — Deelnemer",
        "Mm deelnemer — Deelnemer",
        "Aa partner — Partner",
    ]


@pytest.mark.django_db
def test_lead_is_the_leading_organisation():
    lead = make_organisation("Gemeente Utrecht")
    circle = make_learning_circle(lead=lead, participants=[make_organisation("Andere")])

    assert circle.lead == lead
    assert LearningCircle.objects.for_cards().get(pk=circle.pk).lead == lead
    assert make_learning_circle("Zonder trekker").lead is None


@pytest.mark.django_db
def test_meeting_knows_whether_it_is_past_or_online():
    circle = make_learning_circle()
    past = make_meeting(circle, starts_at=timezone.now() - DAY)
    online = make_meeting(circle, location="", online_url="https://example.org/meet")

    assert past.is_past
    assert not past.is_online
    assert not online.is_past
    assert online.is_online


@pytest.mark.django_db
def test_circles_are_newest_first():
    make_learning_circle("Oud", start_date=today() - 400 * DAY)
    make_learning_circle("Nieuw", start_date=today() - DAY)
    make_learning_circle("Midden", start_date=today() - 100 * DAY)

    assert [c.title for c in LearningCircle.objects.all()] == ["Nieuw", "Midden", "Oud"]


@pytest.mark.django_db
def test_learning_circle_url_lives_under_leerkringen():
    circle = make_learning_circle("Toezicht in de praktijk")

    assert circle.get_absolute_url() == "/leerkringen/toezicht-in-de-praktijk/"
    assert str(circle) == "Toezicht in de praktijk"
