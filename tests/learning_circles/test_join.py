from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from learning_circles.models import JoinRequest, Phase
from tests.factories import make_join_request, make_learning_circle
from tests.html import (
    Link,
    control,
    element_by_id,
    error_summary,
    find_link,
    label_of,
    links,
    main,
    notices,
    page_heading,
    parse,
    text,
)

DAY = timedelta(days=1)
REQUIRED_MESSAGES = {
    "organisation_name": "Vul de naam van uw organisatie in.",
    "name": "Vul uw naam in.",
    "email": "Vul uw e-mailadres in.",
    "motivation": "Vertel in een paar zinnen waarom u wilt meedoen.",
    "consent": "Zonder uw toestemming kunnen we uw aanmelding niet bewaren.",
}
LABELS = {
    "organisation_name": "Organisatie",
    "name": "Naam",
    "email": "E-mailadres",
    "motivation": "Waarom wilt u meedoen?",
    "consent": "Ik geef toestemming om deze gegevens te bewaren",
}
TOO_OFTEN = "U heeft het formulier te vaak verstuurd. Probeer het over een uur opnieuw."


@pytest.fixture(autouse=True)
def _empty_rate_limit():
    """The rate limit lives in the (local memory) cache: every test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def circle(db):
    return make_learning_circle("Toezicht in de praktijk")


def join_url(circle) -> str:
    return f"/leerkringen/{circle.slug}/aanmelden/"


def form_data(**overrides) -> dict:
    data = {
        "organisation_name": "Gemeente Berkelland",
        "name": "Anna Jansen",
        "email": "anna@berkelland.nl",
        "motivation": "Wij willen leren hoe andere gemeenten toezicht houden.",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- A valid submission -----------------------------------------------------------------------


@pytest.mark.django_db
def test_join_form_shows_every_field_with_its_label(client, circle):
    page = parse(client.get(join_url(circle)))

    form = main(page).find("form", method="post")
    for field, label in LABELS.items():
        assert control(form, field).get("id") == f"id_{field}"
        assert label_of(form, field).startswith(label)
    assert Link("privacyverklaring", "/privacy/") in links(form)
    assert control(form, "email").get("autocomplete") == "email"


@pytest.mark.django_db
def test_valid_submission_is_stored_with_consent_and_redirects(client, circle):
    before = timezone.now()

    response = client.post(join_url(circle), form_data())

    assert response.status_code == 302
    assert response["Location"] == "/leerkringen/toezicht-in-de-praktijk/aanmelden/ontvangen/"
    join_request = JoinRequest.objects.get()
    assert join_request.circle == circle
    assert join_request.organisation_name == "Gemeente Berkelland"
    assert join_request.name == "Anna Jansen"
    assert join_request.email == "anna@berkelland.nl"
    assert join_request.status == JoinRequest.Status.NEW
    assert before <= join_request.consent_at <= timezone.now()


@pytest.mark.django_db
def test_received_page_thanks_the_visitor(client, circle):
    response = client.post(join_url(circle), form_data(), follow=True)

    page = parse(response)
    assert page_heading(page) == "Bedankt, uw belangstelling is ontvangen"
    [status] = notices(page)
    assert "Toezicht in de praktijk" in status


@pytest.mark.django_db
def test_valid_submission_emails_the_editors(
    client, circle, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(join_url(circle), form_data())

    join_request = JoinRequest.objects.get()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [settings.EDITORS_EMAIL]
    assert message.subject == "Nieuwe aanmelding voor de leerkring 'Toezicht in de praktijk'"
    assert "Anna Jansen (Gemeente Berkelland)" in message.body
    assert "Wij willen leren hoe andere gemeenten toezicht houden." in message.body
    admin_url = f"{settings.SITE_URL}/{settings.ADMIN_URL}learning_circles/joinrequest/"
    assert f"{admin_url}{join_request.pk}/change/" in message.body  # clickable in a mail client


@pytest.mark.django_db
def test_editors_are_emailed_only_after_the_request_is_committed(
    client, circle, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(join_url(circle), form_data())

    assert len(callbacks) == 1
    assert mailoutbox == []


# --- Invalid submissions --------------------------------------------------------------------


@pytest.mark.django_db
def test_empty_submission_shows_a_dutch_error_for_every_field(client, circle):
    response = client.post(join_url(circle), {})

    summary = error_summary(response)
    assert summary.title == "Er ging iets mis. Controleer:"
    # "Label: message", or "Question? message" where the label is a question.
    assert summary.errors == [
        Link(
            f"{LABELS[field]}{'' if LABELS[field].endswith('?') else ':'} {message}", f"#id_{field}"
        )
        for field, message in REQUIRED_MESSAGES.items()
    ]
    assert not JoinRequest.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("field", list(REQUIRED_MESSAGES))
def test_field_error_is_linked_to_its_input(client, circle, field):
    page = parse(client.post(join_url(circle), form_data(**{field: None})))

    widget = element_by_id(page, f"id_{field}")
    assert widget.get("aria-invalid") == "true"
    described_by = widget.get("aria-describedby").split()
    assert f"id_{field}-error1" in described_by
    assert element_by_id(page, f"id_{field}-error1").text == REQUIRED_MESSAGES[field]
    assert all(element_by_id(page, target) is not None for target in described_by)
    assert find_link(page, href=f"#id_{field}")


@pytest.mark.django_db
def test_invalid_submission_keeps_what_was_typed(client, circle):
    page = parse(client.post(join_url(circle), form_data(email="anna@", consent=None)))

    assert control(page, "organisation_name").get("value") == "Gemeente Berkelland"
    assert control(page, "name").get("value") == "Anna Jansen"
    assert control(page, "email").get("value") == "anna@"
    assert control(page, "motivation").text == (
        "Wij willen leren hoe andere gemeenten toezicht houden."
    )
    assert element_by_id(page, "id_email-error1").text == (
        "Vul een geldig e-mailadres in, zoals naam@organisatie.nl."
    )
    # Fields without errors are not marked invalid.
    assert control(page, "name").get("aria-invalid") is None


@pytest.mark.django_db
def test_submission_without_consent_is_refused(client, circle):
    response = client.post(join_url(circle), form_data(consent=None))

    assert response.status_code == 200
    assert element_by_id(response, "id_consent-error1").text == (
        "Zonder uw toestemming kunnen we uw aanmelding niet bewaren."
    )
    assert not JoinRequest.objects.exists()


@pytest.mark.django_db
def test_too_long_motivation_is_refused_in_dutch(client, circle):
    page = parse(client.post(join_url(circle), form_data(motivation="x" * 3001)))

    assert element_by_id(page, "id_motivation-error1").text == (
        "Uw motivatie is te lang: gebruik hoogstens 3000 tekens."
    )
    assert not JoinRequest.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "email", ["anna@berkelland.nl", "Anna@Berkelland.NL", " ANNA@berkelland.nl "]
)
def test_same_email_twice_for_one_circle_is_refused_with_a_clear_message(client, circle, email):
    make_join_request(circle, email="anna@berkelland.nl")

    response = client.post(join_url(circle), form_data(email=email))

    assert response.status_code == 200
    assert element_by_id(response, "id_email-error1").text == (
        "Met dit e-mailadres is al belangstelling gemeld voor deze leerkring. "
        "De redactie neemt contact met u op."
    )
    assert JoinRequest.objects.count() == 1


@pytest.mark.django_db
def test_same_email_may_join_again_after_a_declined_request(client, circle):
    make_join_request(circle, email="anna@berkelland.nl", status=JoinRequest.Status.DECLINED)

    assert client.post(join_url(circle), form_data()).status_code == 302
    assert JoinRequest.objects.count() == 2


@pytest.mark.django_db
def test_same_email_may_join_another_circle(client, circle):
    make_join_request(make_learning_circle("Andere leerkring"), email="anna@berkelland.nl")

    assert client.post(join_url(circle), form_data()).status_code == 302


# --- Closed circles ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"phase_override": Phase.FINISHED},
        {"start_date": timezone.localdate() - 300 * DAY, "end_date": timezone.localdate() - DAY},
        {"accepts_join_requests": False},
    ],
    ids=["finished-by-editor", "finished-by-dates", "closed-by-editor"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_closed_circle_answers_410_without_a_form(client, fields, method):
    circle = make_learning_circle("Afgelopen", **fields)

    page = parse(getattr(client, method)(join_url(circle), form_data()), status=410)

    assert main(page).find_all("form") == []
    assert page_heading(page) == "Aanmelden is niet mogelijk"
    assert 'De leerkring "Afgelopen" neemt geen nieuwe deelnemers meer aan.' in text(page)
    assert not JoinRequest.objects.exists()


# --- Rate limit -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sixth_submission_within_an_hour_from_one_address_is_refused(client, circle):
    for number in range(5):
        response = client.post(join_url(circle), form_data(email=f"persoon{number}@example.org"))
        assert response.status_code == 302

    response = client.post(join_url(circle), form_data(email="zesde@example.org"))

    assert response.status_code == 429
    page = parse(response, status=429)
    assert error_summary(page).title == "Er ging iets mis. Controleer:"
    [summary] = notices(page)
    assert TOO_OFTEN in summary
    assert JoinRequest.objects.count() == 5


@pytest.mark.django_db
def test_invalid_submissions_count_towards_the_rate_limit(client, circle):
    for _attempt in range(5):
        assert client.post(join_url(circle), {}).status_code == 200

    assert client.post(join_url(circle), form_data()).status_code == 429
    assert not JoinRequest.objects.exists()


@pytest.mark.django_db
def test_rate_limit_is_per_address(client, circle):
    for number in range(5):
        client.post(join_url(circle), form_data(email=f"persoon{number}@example.org"))

    response = client.post(join_url(circle), form_data(), REMOTE_ADDR="192.0.2.7")

    assert response.status_code == 302


@pytest.mark.django_db
def test_viewing_the_form_does_not_count_towards_the_rate_limit(client, circle):
    for _visit in range(10):
        assert client.get(join_url(circle)).status_code == 200

    assert client.post(join_url(circle), form_data()).status_code == 302


@pytest.mark.django_db
def test_submission_that_loses_the_race_to_the_same_email_shows_the_dutch_message(
    client, circle, monkeypatch
):
    # A second request with the same email arrives between the form's check and the insert:
    # the form's check passes, the database refuses, the service says why.
    monkeypatch.setattr(
        "learning_circles.forms.JoinRequestForm.clean_email",
        lambda form: form.cleaned_data["email"],
    )
    make_join_request(circle, email="anna@berkelland.nl")

    response = client.post(join_url(circle), form_data())

    assert response.status_code == 200
    assert element_by_id(response, "id_email-error1").text == (
        "Met dit e-mailadres is al belangstelling gemeld voor deze leerkring. "
        "De redactie neemt contact met u op."
    )
    assert JoinRequest.objects.count() == 1


@pytest.mark.django_db
def test_join_rate_limit_is_a_setting(client, circle, settings):
    settings.JOIN_RATE_LIMIT_PER_HOUR = 1

    assert client.post(join_url(circle), form_data()).status_code == 302
    response = client.post(join_url(circle), form_data(email="bram@berkelland.nl"))

    assert response.status_code == 429
    [summary] = notices(parse(response, status=429))
    assert TOO_OFTEN in summary
