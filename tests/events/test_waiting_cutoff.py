"""The waiting list near the start: nobody moves up in the last hours, those still waiting hear
so once, and someone who moved up can give the place back in one click."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from events import reminders, services
from events.models import Event, Registration, RegistrationState
from tests.events.test_mail import html_text, personal_link
from tests.factories import make_event, make_registration
from tests.html import parse

CONFIRMED = Registration.Status.CONFIRMED
WAITING = Registration.Status.WAITING
CANCELLED = Registration.Status.CANCELLED


def make_full(hours_to_start: float, **overrides) -> Event:
    """One place, taken; two people waiting."""
    event = make_event(
        "Gesprek over toezicht",
        starts_at=timezone.now() + timedelta(hours=hours_to_start),
        capacity=1,
        reminder_days=None,
        **overrides,
    )
    make_registration(event, email="bevestigd@utrecht.nl")
    make_registration(event, status=WAITING, email="eerste@utrecht.nl")
    make_registration(event, status=WAITING, email="tweede@utrecht.nl")
    return event


def by_email(email: str) -> Registration:
    return Registration.objects.get(email=email)


def cancel(capture, email: str) -> None:
    with capture(execute=True):
        services.cancel_registration(registration=by_email(email))


def run_job(capture) -> None:
    with capture(execute=True):
        call_command("send_pending_mails", stdout=io.StringIO())


@pytest.mark.django_db
def test_cancellation_before_the_cutoff_gives_the_place_to_the_first_waiting(
    django_capture_on_commit_callbacks,
):
    make_full(hours_to_start=48)

    cancel(django_capture_on_commit_callbacks, "bevestigd@utrecht.nl")

    assert by_email("eerste@utrecht.nl").status == CONFIRMED


@pytest.mark.django_db
def test_promotion_stops_at_the_cutoff_and_the_freed_place_stays_free(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.WAITING_LIST_CUTOFF_HOURS = 24
    event = make_full(hours_to_start=20)

    cancel(django_capture_on_commit_callbacks, "bevestigd@utrecht.nl")

    assert by_email("bevestigd@utrecht.nl").status == CANCELLED
    assert by_email("eerste@utrecht.nl").status == WAITING
    assert event.places_left() == 1
    assert [message.to for message in mailoutbox] == [["bevestigd@utrecht.nl"]]


@pytest.mark.django_db
def test_cutoff_follows_the_setting(settings, django_capture_on_commit_callbacks):
    settings.WAITING_LIST_CUTOFF_HOURS = 6
    make_full(hours_to_start=20)

    cancel(django_capture_on_commit_callbacks, "bevestigd@utrecht.nl")

    assert by_email("eerste@utrecht.nl").status == CONFIRMED


@pytest.mark.django_db
def test_editor_can_still_promote_after_the_cutoff(mailoutbox, django_capture_on_commit_callbacks):
    make_full(hours_to_start=3)

    with django_capture_on_commit_callbacks(execute=True):
        services.promote(registration=by_email("tweede@utrecht.nl"))

    assert by_email("tweede@utrecht.nl").status == CONFIRMED
    [message] = mailoutbox
    assert message.subject == "Er is een plaats voor u: Gesprek over toezicht"


@pytest.mark.django_db
def test_full_event_takes_nobody_on_the_waiting_list_after_the_cutoff(client):
    event = make_full(hours_to_start=3)

    assert event.registration_state() == RegistrationState.CLOSED
    response = client.get(f"/evenementen/{event.slug}/aanmelden/")
    assert "Aanmelden voor Gesprek over toezicht is gesloten." in response.content.decode()


@pytest.mark.django_db
def test_those_still_waiting_at_the_cutoff_get_one_kind_message(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = make_full(hours_to_start=10)

    run_job(django_capture_on_commit_callbacks)
    run_job(django_capture_on_commit_callbacks)
    assert reminders.queue_waiting_closed() == 0

    assert sorted(message.to[0] for message in mailoutbox) == [
        "eerste@utrecht.nl",
        "tweede@utrecht.nl",
    ]
    message = next(m for m in mailoutbox if m.to == ["eerste@utrecht.nl"])
    assert message.subject == "De wachtlijst is gesloten: Gesprek over toezicht"
    text = (
        "De wachtlijst voor Gesprek over toezicht is gesloten. Er is helaas geen plaats voor u "
        "vrijgekomen."
    )
    assert text in message.body
    assert text in html_text(message)
    assert "Na afloop vindt u het materiaal" in message.body
    assert event.get_absolute_url() in message.body
    assert message.attachments == []


@pytest.mark.django_db
def test_no_waiting_list_message_before_the_cutoff_or_to_someone_promoted_meanwhile(
    mailoutbox, django_capture_on_commit_callbacks
):
    make_full(hours_to_start=48)
    late = make_full(hours_to_start=10, slug="later-gesprek")
    with django_capture_on_commit_callbacks(execute=False):  # not sent yet
        assert reminders.queue_waiting_closed() == 2
    promoted = late.registrations.get(email="eerste@utrecht.nl")
    with django_capture_on_commit_callbacks(execute=True):
        services.promote(registration=promoted)
    mailoutbox.clear()

    run_job(django_capture_on_commit_callbacks)

    assert [message.to for message in mailoutbox] == [["tweede@utrecht.nl"]]


@pytest.mark.django_db
def test_personal_page_of_someone_waiting_after_the_cutoff_says_the_list_is_closed(client):
    event = make_full(hours_to_start=10)
    waiting = event.registrations.get(email="eerste@utrecht.nl")

    page = client.get(waiting.get_absolute_url()).content.decode()

    assert "De wachtlijst is gesloten" in page
    assert "Komt er een plaats vrij" not in page


@pytest.mark.django_db
def test_promoted_person_gives_the_place_back_in_one_click_and_the_next_moves_up(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    make_full(hours_to_start=72)
    cancel(django_capture_on_commit_callbacks, "bevestigd@utrecht.nl")
    first = by_email("eerste@utrecht.nl")
    promotion = next(m for m in mailoutbox if m.to == ["eerste@utrecht.nl"])
    decline_url = f"/aanmelding/{first.token}/plaats-teruggeven/"
    assert decline_url in promotion.body
    assert decline_url in promotion.alternatives[0].content
    own_page = parse(client.get(first.get_absolute_url()).content)
    assert decline_url in [a.get("href") for a in own_page.iter("a")]
    mailoutbox.clear()

    page = parse(client.get(decline_url).content)
    assert page.find("h1").text == "Plaats teruggeven?"
    [button] = page.find("main").iter("button")
    assert button.text == "Ja, geef mijn plaats terug"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decline_url)

    assert response.status_code == 302
    assert by_email("eerste@utrecht.nl").status == CANCELLED
    assert by_email("tweede@utrecht.nl").status == CONFIRMED
    mails = {message.to[0]: message.subject for message in mailoutbox}
    assert mails == {
        "eerste@utrecht.nl": "Uw aanmelding is geannuleerd: Gesprek over toezicht",
        "tweede@utrecht.nl": "Er is een plaats voor u: Gesprek over toezicht",
    }
    followed = client.get(response["Location"]).content.decode()
    assert "U hebt uw plaats teruggegeven." in followed
    assert personal_link(first).endswith(response["Location"])
