"""The message after the event: to the attendees only, once each, sent or scheduled by editors."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from events import followup
from events.models import Event, Registration
from ikpob_portal.kernel.models import OutgoingMail
from tests.factories import make_event, make_publication, make_registration
from tests.html import parse

CONFIRMED = Registration.Status.CONFIRMED
WAITING = Registration.Status.WAITING
CANCELLED = Registration.Status.CANCELLED


@pytest.fixture
def webinar(db) -> Event:
    """An event that ended yesterday, with everything a follow-up can carry."""
    start = timezone.now() - timedelta(days=1, hours=3)
    event = make_event(
        "Leren van doen",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        followup_message="Dank voor het **goede gesprek**.\n\n- de vragen staan online",
        recording_url="https://example.org/opname",
        materials="[Presentatie](https://example.org/dia.pdf)",
    )
    event.publications.add(make_publication("Leren van doen — het essay"))
    event.publications.add(make_publication("Een concept", status="draft", published_at=None))
    return event


def attendees(event: Event) -> dict[str, Registration]:
    now = timezone.now()
    return {
        "present": make_registration(event, email="present@example.org", checked_in_at=now),
        "absent": make_registration(event, email="absent@example.org"),
        "waiting": make_registration(event, email="waiting@example.org", status=WAITING),
        "cancelled": make_registration(
            event, email="cancelled@example.org", status=CANCELLED, cancelled_at=now
        ),
    }


def send(django_capture_on_commit_callbacks, event: Event) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return followup.queue_followup(event)


def html_of(message) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


@pytest.mark.django_db
def test_followup_reaches_only_those_checked_in(
    webinar, mailoutbox, django_capture_on_commit_callbacks
):
    people = attendees(webinar)

    assert send(django_capture_on_commit_callbacks, webinar) == 1

    [message] = mailoutbox
    assert message.to == ["present@example.org"]
    assert message.subject == "Na afloop van Leren van doen"
    present = people["present"]
    assert "Dank voor het **goede gesprek**." in message.body
    assert "https://example.org/opname" in message.body
    assert "Leren van doen — het essay" in message.body
    assert "Een concept" not in message.body
    assert f"/aanmelding/{present.token}/evaluatie/" in message.body
    assert f"/aanmelding/{present.token}/bewijs-van-deelname.pdf" in message.body
    html = parse(html_of(message))
    assert html.find("html").get("lang") == "nl"
    assert "goede gesprek" in [strong.text for strong in html.iter("strong")]
    links = {a.text: a.get("href") for a in html.iter("a")}
    assert links["De opname terugkijken"] == "https://example.org/opname"
    assert links["Presentatie"] == "https://example.org/dia.pdf"
    assert links["Vul de korte evaluatie in"].endswith(f"/aanmelding/{present.token}/evaluatie/")
    assert links["Download uw bewijs van deelname (PDF)"].endswith("/bewijs-van-deelname.pdf")


@pytest.mark.django_db
def test_followup_goes_to_every_confirmed_when_nobody_was_checked_in(
    webinar, mailoutbox, django_capture_on_commit_callbacks
):
    people = attendees(webinar)
    Registration.objects.filter(pk=people["present"].pk).update(checked_in_at=None)

    assert send(django_capture_on_commit_callbacks, webinar) == 2

    assert sorted(message.to[0] for message in mailoutbox) == [
        "absent@example.org",
        "present@example.org",
    ]
    # Without a check-in there is no certificate to link, but the evaluation is there.
    for message in mailoutbox:
        assert "bewijs-van-deelname" not in message.body
        assert "/evaluatie/" in message.body


@pytest.mark.django_db
def test_followup_queued_twice_and_by_the_schedule_goes_once(
    webinar, mailoutbox, django_capture_on_commit_callbacks
):
    attendees(webinar)
    webinar.followup_send_at = timezone.now() - timedelta(minutes=5)
    webinar.save()

    assert send(django_capture_on_commit_callbacks, webinar) == 1
    assert send(django_capture_on_commit_callbacks, webinar) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert followup.queue_due() == 0
        call_command("send_pending_mails", stdout=None)

    assert len(mailoutbox) == 1
    assert OutgoingMail.objects.filter(kind=followup.FOLLOWUP).count() == 1


@pytest.mark.django_db
def test_scheduled_followup_goes_out_with_send_pending_mails_when_its_moment_has_come(
    webinar, mailoutbox, django_capture_on_commit_callbacks
):
    attendees(webinar)
    webinar.followup_send_at = timezone.now() + timedelta(hours=1)
    webinar.save()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_pending_mails", stdout=None)
    assert mailoutbox == []  # not yet

    webinar.followup_send_at = timezone.now() - timedelta(minutes=1)
    webinar.save()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_pending_mails", stdout=None)
        call_command("send_pending_mails", stdout=None)

    [message] = mailoutbox
    assert message.to == ["present@example.org"]


@pytest.mark.django_db
def test_followup_is_not_sent_before_the_event_has_ended(
    mailoutbox, django_capture_on_commit_callbacks
):
    coming = make_event("Nog niet voorbij")
    make_registration(coming)

    assert send(django_capture_on_commit_callbacks, coming) == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_cancelled_or_anonymised_registration_gets_no_followup_that_was_still_waiting(
    webinar, mailoutbox, django_capture_on_commit_callbacks
):
    people = attendees(webinar)
    assert followup.queue_followup(webinar) == 1  # queued, not yet sent (no commit)
    Registration.objects.filter(pk=people["present"].pk).update(anonymised_at=timezone.now())

    [mail] = OutgoingMail.objects.filter(kind=followup.FOLLOWUP)
    assert followup.send_followup(mail) is False
    assert mailoutbox == []


@pytest.mark.django_db
def test_editor_sends_the_followup_from_the_event_page_after_a_confirm_page(
    webinar, editor_client, mailoutbox, django_capture_on_commit_callbacks
):
    attendees(webinar)
    change = editor_client.get(reverse("admin:events_event_change", args=[webinar.pk]))
    page = parse(change.content)
    url = reverse("admin:events_event_followup", args=[webinar.pk])
    assert any(a.get("href") == url for a in page.iter("a"))

    text = parse(editor_client.get(url)).find("main").text
    assert "aanwezig is gemeld" in text
    assert "Het gaat nu naar 1 deelnemer" in text

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(url)
        editor_client.post(url)  # a second click

    assert [message.to for message in mailoutbox] == [["present@example.org"]]


@pytest.mark.django_db
def test_the_followup_button_is_not_offered_before_the_event_has_ended(editor_client):
    coming = make_event("Volgende maand")
    change = editor_client.get(reverse("admin:events_event_change", args=[coming.pk]))
    url = reverse("admin:events_event_followup", args=[coming.pk])
    assert url.encode() not in change.content
    assert editor_client.post(url).status_code == 302
    assert not OutgoingMail.objects.filter(kind=followup.FOLLOWUP).exists()


@pytest.mark.django_db
def test_a_scheduled_moment_before_the_end_is_refused_with_a_clear_message(webinar):
    webinar.followup_send_at = webinar.starts_at
    with pytest.raises(ValidationError) as refused:
        webinar.full_clean()
    assert "na het einde" in str(refused.value.message_dict["followup_send_at"])


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_jobs_at_once_queue_each_followup_once():
    start = timezone.now() - timedelta(days=1)
    event = make_event("Samen tegelijk", starts_at=start, ends_at=start + timedelta(hours=1))
    for number in range(20):
        make_registration(event, email=f"p{number}@example.org")
    barrier = threading.Barrier(2)
    results = []

    def job():
        try:
            barrier.wait()
            results.append(followup.queue_followup(event))
        finally:
            connection.close()

    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sum(results) == 20
    assert OutgoingMail.objects.filter(kind=followup.FOLLOWUP).count() == 20
