"""The public forms' spam protection (ikpob_portal/platform/antispam.py): a honeypot and a minimum
fill time, on the event registration and the learning circle's join form."""

import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import signing
from django.core.cache import cache

from events.models import Registration
from ikpob_portal.platform import antispam
from learning_circles.models import JoinRequest
from tests.factories import make_event, make_learning_circle
from tests.html import control, label_of, main, notices, parse

RESUBMIT = (
    "Het formulier is nog niet verwerkt: controleer uw gegevens en verstuur het formulier opnieuw."
)
RESUBMIT_EN = (
    "The form has not been processed yet: please check your details and submit the form again."
)
REFUSED = (
    "Het formulier kon niet worden verwerkt. Blijft dit gebeuren, neem dan contact met ons op."
)


@dataclass
class PublicForm:
    url: str
    data: dict
    model: type
    scope: str


@pytest.fixture(autouse=True)
def _empty_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(params=["register", "join"])
def public_form(request, db) -> PublicForm:
    if request.param == "register":
        event = make_event("Slotconferentie")
        data = {
            "name": "Anna Jansen",
            "email": "anna@utrecht.nl",
            "organisation": "Gemeente Utrecht",
            "job_title": "beleidsadviseur",
            "consent": "on",
        }
        return PublicForm(
            f"/evenementen/{event.slug}/aanmelden/",
            data,
            Registration,
            f"events.register:{event.pk}",
        )
    circle = make_learning_circle("Toezicht in de praktijk")
    data = {
        "organisation_name": "Gemeente Berkelland",
        "name": "Anna Jansen",
        "email": "anna@berkelland.nl",
        "motivation": "Wij willen leren hoe andere gemeenten toezicht houden.",
        "consent": "on",
    }
    return PublicForm(
        f"/leerkringen/{circle.slug}/aanmelden/",
        data,
        JoinRequest,
        f"learning_circles.join:{circle.pk}",
    )


@pytest.fixture
def fill_time(settings):
    """The timing check as in production (the suite turns it off)."""
    settings.FORM_MIN_FILL_SECONDS = 3
    return 3


def handed_out_timestamp(client, url: str) -> str:
    """The signed timestamp in the form as a visitor gets it."""
    return control(client.get(url), antispam.TIMESTAMP_FIELD).get("value")


def says(page, message: str) -> bool:
    """The error summary (or another notice) of the page says `message`."""
    return any(message in notice for notice in notices(page))


def signed_ago(form: PublicForm, seconds: float) -> str:
    return antispam.issue_timestamp(form.scope, issued_at=time.time() - seconds)


# --- The honeypot -----------------------------------------------------------------------------


def test_honeypot_is_hidden_from_sight_screen_readers_and_the_keyboard(client, public_form):
    page = parse(client.get(public_form.url))

    honeypot = control(page, antispam.HONEYPOT_FIELD)
    wrapper = honeypot.closest(class_="ikpob-honeypot")
    assert wrapper is not None
    assert wrapper.get("aria-hidden") == "true"
    assert honeypot.get("tabindex") == "-1"
    assert honeypot.get("autocomplete") == "off"
    assert label_of(page, antispam.HONEYPOT_FIELD) == "Laat dit veld leeg"
    # The Content Security Policy allows no inline style: the class hides it.
    assert not main(page).find_all(style=True)
    stylesheet = Path(django_settings.BASE_DIR, "static", "css", "ikpob-theme.css").read_text()
    assert ".ikpob-honeypot {" in stylesheet


def test_honeypot_is_not_among_the_fields_a_visitor_fills_in(client, public_form):
    page = parse(client.get(public_form.url))

    form = main(page).find("form", method="post")
    labelled = [
        element.get("name")
        for element in form.iter("input", "textarea")
        if element.get("type") not in ("hidden", "radio")
        and not element.closest(aria_hidden="true")
    ]
    assert antispam.HONEYPOT_FIELD not in labelled
    assert set(public_form.data) <= set(labelled)


def test_filled_honeypot_is_refused_and_nothing_saved(client, public_form):
    data = {**public_form.data, antispam.HONEYPOT_FIELD: "https://spam.example.com"}

    response = client.post(public_form.url, data)

    page = parse(response, status=400)
    assert says(page, REFUSED)
    assert not public_form.model.objects.exists()


def test_filled_honeypot_is_refused_also_with_a_good_timestamp(client, public_form, fill_time):
    data = {
        **public_form.data,
        antispam.HONEYPOT_FIELD: "Gemeente Spam",
        antispam.TIMESTAMP_FIELD: signed_ago(public_form, 60),
    }

    page = parse(client.post(public_form.url, data), status=400)

    assert says(page, REFUSED)
    assert not says(page, RESUBMIT)
    assert not public_form.model.objects.exists()


# --- The minimum fill time --------------------------------------------------------------------


def test_form_sent_too_fast_is_shown_again_with_the_input_kept(client, public_form, fill_time):
    timestamp = handed_out_timestamp(client, public_form.url)

    response = client.post(
        public_form.url, {**public_form.data, antispam.TIMESTAMP_FIELD: timestamp}
    )

    page = parse(response)
    assert says(page, RESUBMIT)
    assert not public_form.model.objects.exists()
    assert control(page, "name").get("value") == "Anna Jansen"
    assert control(page, "email").get("value") == public_form.data["email"]
    # A fresh, validly signed timestamp: sending the form again later counts.
    fresh = control(page, antispam.TIMESTAMP_FIELD).get("value")
    assert antispam.seconds_since_issued(fresh, public_form.scope) is not None


def test_form_sent_again_later_is_accepted(client, public_form, fill_time):
    timestamp = handed_out_timestamp(client, public_form.url)
    client.post(public_form.url, {**public_form.data, antispam.TIMESTAMP_FIELD: timestamp})

    # The visitor checks the form and sends it again, some seconds after it was handed out.
    response = client.post(
        public_form.url,
        {**public_form.data, antispam.TIMESTAMP_FIELD: signed_ago(public_form, fill_time + 1)},
    )

    assert response.status_code == 302
    assert public_form.model.objects.count() == 1


def test_form_filled_in_at_a_human_pace_is_accepted_at_once(client, public_form, fill_time):
    response = client.post(
        public_form.url, {**public_form.data, antispam.TIMESTAMP_FIELD: signed_ago(public_form, 45)}
    )

    assert response.status_code == 302
    assert public_form.model.objects.count() == 1


@pytest.mark.parametrize(
    "timestamp",
    [
        pytest.param(None, id="missing"),
        pytest.param("", id="empty"),
        pytest.param("1700000000", id="unsigned"),
        pytest.param(signing.dumps(1700000000, salt="other"), id="other-salt"),
        pytest.param(signing.dumps(1700000000, key="not-our-secret-key"), id="other-key"),
    ],
)
def test_missing_or_forged_timestamp_is_not_accepted(client, public_form, fill_time, timestamp):
    data = dict(public_form.data)
    if timestamp is not None:
        data[antispam.TIMESTAMP_FIELD] = timestamp

    page = parse(client.post(public_form.url, data))

    assert says(page, RESUBMIT)
    assert not public_form.model.objects.exists()


def test_timestamp_of_another_form_is_not_accepted(client, public_form, fill_time):
    other_scope = (
        "learning_circles.join:1"
        if public_form.scope.startswith("events.register")
        else "events.register:1"
    )
    borrowed = antispam.issue_timestamp(other_scope, issued_at=time.time() - 60)

    page = parse(
        client.post(public_form.url, {**public_form.data, antispam.TIMESTAMP_FIELD: borrowed})
    )

    assert says(page, RESUBMIT)
    assert not public_form.model.objects.exists()


def test_expired_timestamp_is_not_accepted(client, public_form, fill_time):
    old = signed_ago(public_form, antispam.MAX_AGE_SECONDS + 60)

    page = parse(client.post(public_form.url, {**public_form.data, antispam.TIMESTAMP_FIELD: old}))

    assert says(page, RESUBMIT)
    assert not public_form.model.objects.exists()


def test_other_errors_are_shown_together_with_the_request_to_send_again(
    client, public_form, fill_time
):
    data = {**public_form.data, "email": "geen-adres"}

    page = parse(client.post(public_form.url, data))

    assert says(page, RESUBMIT)
    assert control(page, "email").get("aria-invalid") == "true"
    assert not public_form.model.objects.exists()


def test_no_minimum_fill_time_means_no_timing_check(client, public_form, settings):
    settings.FORM_MIN_FILL_SECONDS = 0

    response = client.post(public_form.url, public_form.data)

    assert response.status_code == 302
    assert public_form.model.objects.count() == 1


def test_request_to_send_again_is_in_english_under_en(client, public_form, fill_time):
    page = parse(client.post("/en" + public_form.url, public_form.data))

    assert says(page, RESUBMIT_EN)
    assert label_of(page, antispam.HONEYPOT_FIELD) == "Leave this field empty"
    assert not public_form.model.objects.exists()
