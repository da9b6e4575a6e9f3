"""The evaluation: one per registration through the personal link, read by editors without names."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import EVALUATION_OPEN_DAYS, Evaluation, Event, Registration
from tests.factories import make_event, make_registration
from tests.html import element_by_id, main, parse

WAITING = Registration.Status.WAITING
CANCELLED = Registration.Status.CANCELLED


@pytest.fixture
def ended(db) -> Event:
    start = timezone.now() - timedelta(days=2)
    return make_event("Slotconferentie", starts_at=start, ends_at=start + timedelta(hours=6))


def evaluation_url(registration: Registration) -> str:
    return reverse("registrations:evaluation", args=[registration.token])


def answers(**overrides) -> dict:
    data = {"rating": "4", "takeaway": "Eerst vragen, dan regels.", "remarks": "Goede zaal."}
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_evaluation_filled_in_through_the_personal_link(
    client, ended, django_assert_max_num_queries
):
    registration = make_registration(ended, name="Anna Jansen")
    personal = client.get(registration.get_absolute_url())
    link = next(a for a in main(personal).iter("a") if a.text == "Evaluatie invullen")
    assert link.get("href") == evaluation_url(registration)

    with django_assert_max_num_queries(8):
        page = client.get(evaluation_url(registration))
    assert page["Cache-Control"] == "private, no-store"
    assert page["X-Robots-Tag"] == "noindex"
    rating = element_by_id(page, "id_rating")
    assert rating.tag == "fieldset"
    assert rating.find("legend").text == "Hoe waardeert u het evenement?"
    assert len([i for i in rating.iter("input") if i.get("type") == "radio"]) == 5

    response = client.post(evaluation_url(registration), answers())

    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.event, evaluation.registration) == (ended, registration)
    assert (evaluation.rating, evaluation.takeaway) == (4, "Eerst vragen, dan regels.")
    after = client.get(response["Location"])
    assert "Dank u wel: uw evaluatie is bewaard." in main(after).text
    assert any(a.text == "Uw evaluatie wijzigen" for a in main(after).iter("a"))


@pytest.mark.django_db
def test_evaluation_can_be_changed_and_stays_one_per_registration(client, ended):
    registration = make_registration(ended)
    client.post(evaluation_url(registration), answers())

    page = client.get(evaluation_url(registration))
    assert "U hebt de evaluatie al ingevuld." in main(page).text
    client.post(evaluation_url(registration), answers(rating="2", remarks="Te kort."))

    evaluation = Evaluation.objects.get()
    assert (evaluation.rating, evaluation.remarks) == (2, "Te kort.")


@pytest.mark.django_db
def test_evaluation_without_rating_says_clearly_what_is_missing(client, ended):
    registration = make_registration(ended)

    page = client.post(evaluation_url(registration), answers(rating=""))

    summary = parse(page).find(class_="ikpob-error-summary")
    assert "Kies een waardering van 1 tot en met 5." in summary.text
    assert element_by_id(page, "id_rating").get("aria-describedby") == "id_rating-error1"
    assert not Evaluation.objects.exists()
    page = client.post(evaluation_url(registration), answers(rating="9"))
    assert "Kies een waardering van 1 tot en met 5." in main(page).text
    assert not Evaluation.objects.exists()


@pytest.mark.django_db
def test_evaluation_is_closed_after_its_deadline(client, db):
    start = timezone.now() - timedelta(days=3)
    event = make_event(
        "Gesloten",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        evaluation_closes_at=timezone.now() - timedelta(minutes=1),
    )
    registration = make_registration(event)

    page = client.get(evaluation_url(registration))
    assert "De evaluatie is gesloten" in main(page).text
    assert main(page).find("form") is None
    client.post(evaluation_url(registration), answers())
    assert not Evaluation.objects.exists()


@pytest.mark.django_db
def test_evaluation_without_own_deadline_closes_30_days_after_the_end(db):
    start = timezone.now() - timedelta(days=EVALUATION_OPEN_DAYS + 1)
    event = make_event("Lang geleden", starts_at=start, ends_at=start + timedelta(hours=2))
    assert event.evaluation_deadline == event.ends_at + timedelta(days=30)
    assert event.evaluation_is_open(now=event.ends_at + timedelta(days=29))
    assert not event.evaluation_is_open()
    assert not event.evaluation_is_open(now=event.starts_at - timedelta(minutes=1))


@pytest.mark.django_db
@pytest.mark.parametrize("status", [WAITING, CANCELLED])
def test_evaluation_is_not_for_the_waiting_list_or_the_cancelled(client, ended, status):
    registration = make_registration(ended, status=status)

    page = client.get(evaluation_url(registration))
    assert "Alleen wie een bevestigde plaats had" in main(page).text
    client.post(evaluation_url(registration), answers())
    assert not Evaluation.objects.exists()


@pytest.mark.django_db
def test_evaluation_is_not_open_before_the_event_starts(client):
    registration = make_registration(make_event("Komt nog"))
    client.post(evaluation_url(registration), answers())
    assert not Evaluation.objects.exists()
    personal = client.get(registration.get_absolute_url())
    assert not any(a.text == "Evaluatie invullen" for a in main(personal).iter("a"))


@pytest.mark.django_db
def test_editors_see_count_average_and_answers_and_export_them_without_names(
    client, editor_client, ended
):
    for rating, takeaway in ((5, "Meer luisteren."), (4, "=SOM(1;2)")):
        registration = make_registration(ended, name=f"Persoon {rating}")
        client.post(evaluation_url(registration), answers(rating=str(rating), takeaway=takeaway))

    change = editor_client.get(reverse("admin:events_event_change", args=[ended.pk]))
    summary = parse(change).find(class_="ikpob-evaluation-summary")
    assert "Evaluaties: 2 reacties, gemiddeld 4,5" in summary.text

    results = editor_client.get(
        reverse("admin:events_evaluation_changelist") + f"?event__id__exact={ended.pk}"
    )
    assert "Meer luisteren." in parse(results).text
    assert "Persoon 5" not in results.content.decode()
    assert editor_client.get(reverse("admin:events_evaluation_add")).status_code == 403

    export = editor_client.get(reverse("admin:events_evaluation_csv", args=[ended.pk]))
    content = export.content.decode("utf-8-sig")
    assert export["Content-Type"].startswith("text/csv")
    assert "Meer luisteren." in content
    assert "'=SOM(1;2)" in content  # no formula in a spreadsheet
    assert timezone.localdate().isoformat() in content
    for personal in ("Persoon", "@example.org", "Gemeente"):
        assert personal not in content


@pytest.mark.django_db
def test_evaluation_answers_stay_after_the_purge_without_personal_data(client, ended):
    registration = make_registration(ended, name="Anna Jansen", email="anna@utrecht.nl")
    client.post(evaluation_url(registration), answers())
    Event.objects.filter(pk=ended.pk).update(
        starts_at=ended.starts_at - timedelta(days=60), ends_at=ended.ends_at - timedelta(days=60)
    )

    services.purge(retention_days=30)

    evaluation = Evaluation.objects.get()
    assert (evaluation.event_id, evaluation.rating) == (ended.pk, 4)
    assert evaluation.takeaway == "Eerst vragen, dan regels."
    registration.refresh_from_db()
    assert registration.anonymised_at is not None
    shown = " ".join(
        str(value) for value in (evaluation, evaluation.registration, evaluation.remarks)
    )
    assert "Anna" not in shown
    assert "anna@utrecht.nl" not in shown
    # The personal link no longer opens anything: not the page, not the evaluation.
    assert client.get(evaluation_url(registration)).status_code == 404


@pytest.mark.django_db
def test_evaluation_page_in_english(client, ended):
    english = "/en" + evaluation_url(make_registration(ended))

    page = client.get(english)

    assert element_by_id(page, "id_rating").find("legend").text == "How do you rate the event?"
    assert "5 — excellent" in main(page).text
    page = client.post(english, answers(rating=""))
    assert "Choose a rating from 1 to 5." in main(page).text
