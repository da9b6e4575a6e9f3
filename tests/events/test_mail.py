"""What registrants receive: confirmation, waiting list, promotion and cancellation mails."""

import email
from datetime import datetime, time, timedelta
from email import policy

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone, translation
from django.utils.formats import date_format
from icalendar import Calendar

from events import checkin, services
from events.mails import send_registration_mail
from events.models import Event, Registration
from ikpob_portal.kernel.models import OutgoingMail
from tests.factories import make_event, make_registration, make_session
from tests.html import parse

CONFIRMED = Registration.Status.CONFIRMED
WAITING = Registration.Status.WAITING
DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def _empty_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def congress(db) -> Event:
    start = timezone.make_aware(datetime.combine(timezone.localdate() + 20 * DAY, time(9, 30)))
    return make_event(
        "Tussen Participatie en Populisme",
        starts_at=start,
        ends_at=start + timedelta(hours=7),
        capacity=1,
        online_url="https://example.org/live",
    )


def person(number: int = 1, **overrides) -> dict:
    data = {
        "name": f"Anna Jansen {number}",
        "email": f"anna{number}@utrecht.nl",
        "organisation": "Gemeente Utrecht",
        "job_title": "",
        "needs": "",
    }
    data.update(overrides)
    return data


def register(django_capture_on_commit_callbacks, event: Event, *, sessions=(), **data):
    with django_capture_on_commit_callbacks(execute=True):
        return services.register(event=event, data=person(**data), sessions=sessions)


def cancel(django_capture_on_commit_callbacks, registration: Registration) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(token=registration.token)


def parts(message) -> dict[str, list]:
    """The MIME parts as a mail client sees them, by content type."""
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    found: dict[str, list] = {}
    for part in parsed.walk():
        found.setdefault(part.get_content_type(), []).append(part)
    return found


def html_text(message) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return parse(content).find("body").text


def calendar_attachment(message) -> Calendar:
    [part] = parts(message)["text/calendar"]
    assert part.get_content_disposition() == "attachment"
    assert part.get_param("method") == "PUBLISH"
    return Calendar.from_ical(part.get_content())


def when(event: Event) -> str:
    """As the mails write it, in Dutch whatever language the test client left active."""
    with translation.override("nl"):
        start = date_format(timezone.localtime(event.starts_at), "l j F Y, G.i")
        end = date_format(timezone.localtime(event.ends_at), "G.i")
    return f"{start}–{end} uur"


def personal_link(registration: Registration) -> str:
    return f"{settings.SITE_URL}/aanmelding/{registration.token}/"


# --- Confirmation -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_confirmation_mail_says_what_when_and_where_in_text_and_html(
    congress, mailoutbox, django_capture_on_commit_callbacks
):
    workshop = make_session(congress, "Workshop toezicht", slot=1)
    registration = register(
        django_capture_on_commit_callbacks, congress, sessions=[workshop], needs="Ringleiding"
    )

    [message] = mailoutbox
    assert message.subject == "Bevestiging van uw aanmelding: Tussen Participatie en Populisme"
    assert message.to == ["anna1@utrecht.nl"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    body = message.body
    assert body.startswith("Beste Anna Jansen 1,\n\nU bent aangemeld voor Tussen Participatie en ")
    assert "Uw plaats is bevestigd." in body
    assert "Wat:    Tussen Participatie en Populisme" in body
    assert f"Wanneer: {when(congress)}" in body
    assert "Waar:   Stadhuis Utrecht, Stadhuisbrug 1, Utrecht en online" in body
    assert "Online: https://example.org/live" in body
    assert "Uw sessies:\n- ronde 1: Workshop toezicht" in body
    assert personal_link(registration) in body
    assert f"{settings.SITE_URL}/evenementen/tussen-participatie-en-populisme/" in body
    # Confirmed as passed on, never echoed: the form can send mail to any address (issue 17).
    assert "Uw wensen voor toegankelijkheid of eten: doorgegeven." in body
    assert "Ringleiding" not in body
    assert "We verwijderen dit na afloop van het evenement." in body
    html = parse(message.alternatives[0].content)
    assert html.find("p").text == "Beste Anna Jansen 1,"
    assert (
        "U bent aangemeld voor Tussen Participatie en Populisme. Uw plaats is bevestigd."
        in html.text
    )
    rows = {row.find("th").text: row.find("td") for row in html.iter("tr")}
    assert {
        label: cell.text for label, cell in rows.items() if label not in ("Waar", "Online meedoen")
    } == {
        "Wat": "Tussen Participatie en Populisme",
        "Wanneer": when(congress),
        "Uw sessies": "ronde 1: Workshop toezicht",
    }
    assert rows["Waar"].text.startswith("Stadhuis Utrecht, Stadhuisbrug 1, Utrecht")
    assert rows["Waar"].find("a").get("href").startswith("https://www.openstreetmap.org/search?")
    assert rows["Online meedoen"].find("a").get("href") == "https://example.org/live"
    assert "Uw wensen voor toegankelijkheid of eten: doorgegeven." in html.text
    assert "Ringleiding" not in html.text
    links = [a.get("href") for a in parse(message.alternatives[0].content).iter("a")]
    assert personal_link(registration) in links


@pytest.mark.django_db
def test_confirmation_mail_is_text_and_html_alternatives_with_the_ics_attached(
    congress, mailoutbox, django_capture_on_commit_callbacks
):
    register(django_capture_on_commit_callbacks, congress)

    [message] = mailoutbox
    found = parts(message)
    assert list(found) == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "multipart/related",  # the HTML with the QR code of the check-in code inside it
        "text/html",
        "image/png",
        "text/calendar",
    ]
    [ics] = found["text/calendar"]
    assert ics.get_filename() == "tussen-participatie-en-populisme.ics"
    assert found["text/plain"][0].get_content() == message.body


@pytest.mark.django_db
def test_confirmation_ics_matches_the_event_and_its_download(
    client, congress, mailoutbox, django_capture_on_commit_callbacks
):
    registration = register(django_capture_on_commit_callbacks, congress)

    calendar = calendar_attachment(mailoutbox[0])

    [item] = calendar.walk("VEVENT")
    assert item["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert item["DTSTART"].dt == congress.starts_at
    assert item["DTEND"].params["TZID"] == "Europe/Amsterdam"
    assert item["DTEND"].dt == congress.ends_at
    assert item["DTSTAMP"].dt.tzinfo is not None
    assert str(item["SUMMARY"]) == "Tussen Participatie en Populisme"
    assert str(item["LOCATION"]) == "Stadhuis Utrecht, Stadhuisbrug 1, Utrecht"
    assert str(item["URL"]) == f"{settings.SITE_URL}/evenementen/tussen-participatie-en-populisme/"
    assert personal_link(registration) in str(item["DESCRIPTION"])
    download = Calendar.from_ical(
        client.get("/evenementen/tussen-participatie-en-populisme/agenda.ics").content
    )
    assert str(item["UID"]) == str(download.walk("VEVENT")[0]["UID"])


@pytest.mark.django_db
def test_mail_escapes_what_the_registrant_typed_in_html(
    congress, mailoutbox, django_capture_on_commit_callbacks
):
    register(django_capture_on_commit_callbacks, congress, name="Anna <b>Jansen</b> & co")

    [message] = mailoutbox
    assert message.body.startswith("Beste Anna <b>Jansen</b> & co,")
    assert "Anna &lt;b&gt;Jansen&lt;/b&gt; &amp; co" in message.alternatives[0].content


def register_on_the_english_site(client, event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/evenementen/{event.slug}/aanmelden/", {**person(), "consent": "on"}
        )
    assert response.status_code == 302


@pytest.mark.django_db
def test_mail_is_dutch_when_registering_on_the_english_site(
    client, congress, mailoutbox, django_capture_on_commit_callbacks
):
    register_on_the_english_site(client, congress, django_capture_on_commit_callbacks)

    [message] = mailoutbox
    assert message.subject.startswith("Bevestiging van uw aanmelding")
    assert f"Wanneer: {when(congress)}" in message.body  # Dutch day and month names


@pytest.mark.django_db
def test_dutch_mail_links_to_the_dutch_pages_whatever_language_was_active(
    client, congress, mailoutbox, django_capture_on_commit_callbacks
):
    register_on_the_english_site(client, congress, django_capture_on_commit_callbacks)

    registration = Registration.objects.get()
    [message] = mailoutbox
    assert personal_link(registration) in message.body
    assert f"{settings.SITE_URL}/evenementen/{congress.slug}/" in message.body


# --- Waiting list, promotion, cancellation ----------------------------------------------------


@pytest.mark.django_db
def test_waiting_list_mail_gives_the_position_and_no_calendar_or_online_link(
    congress, mailoutbox, django_capture_on_commit_callbacks
):
    make_registration(congress)
    make_registration(congress, status=WAITING)
    registration = register(django_capture_on_commit_callbacks, congress)

    [message] = mailoutbox
    assert registration.status == WAITING
    assert message.subject == "U staat op de wachtlijst: Tussen Participatie en Populisme"
    expected = (
        "Tussen Participatie en Populisme is vol. U staat op de wachtlijst, op plaats 2. Komt er "
        "een plaats vrij, dan krijgt u vanzelf bericht."
    )
    assert expected in message.body
    assert expected in html_text(message)
    assert personal_link(registration) in message.body
    assert "https://example.org/live" not in message.body
    assert "https://example.org/live" not in message.alternatives[0].content
    assert "In de bijlage" not in message.body
    assert message.attachments == []


@pytest.mark.django_db
def test_cancelling_mails_the_registrant_and_the_promoted_one(
    congress, mailoutbox, django_capture_on_commit_callbacks
):
    first = register(django_capture_on_commit_callbacks, congress, number=1)
    second = register(django_capture_on_commit_callbacks, congress, number=2)
    register(django_capture_on_commit_callbacks, congress, number=3)
    mailoutbox.clear()

    cancel(django_capture_on_commit_callbacks, first)

    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert sorted(by_recipient) == ["anna1@utrecht.nl", "anna2@utrecht.nl"]
    cancelled = by_recipient["anna1@utrecht.nl"]
    assert cancelled.subject == "Uw aanmelding is geannuleerd: Tussen Participatie en Populisme"
    text = "Uw aanmelding voor Tussen Participatie en Populisme is geannuleerd."
    assert text in cancelled.body
    assert text in html_text(cancelled)
    assert personal_link(first) not in cancelled.body  # nothing left to view or cancel
    assert cancelled.attachments == []
    promoted = by_recipient["anna2@utrecht.nl"]
    assert promoted.subject == "Er is een plaats voor u: Tussen Participatie en Populisme"
    text = (
        "Er is een plaats vrijgekomen bij Tussen Participatie en Populisme. Uw aanmelding is nu "
        "bevestigd."
    )
    assert text in promoted.body
    assert text in html_text(promoted)
    assert "Online: https://example.org/live" in promoted.body
    assert personal_link(second) in promoted.body
    [item] = calendar_attachment(promoted).walk("VEVENT")
    assert item["DTSTART"].dt == congress.starts_at


@pytest.mark.django_db
def test_promotion_by_an_editor_mails_the_promoted_one(
    congress, mailoutbox, django_capture_on_commit_callbacks
):
    make_registration(congress)
    waiting = make_registration(congress, status=WAITING, email="wacht@utrecht.nl")

    with django_capture_on_commit_callbacks(execute=True):
        services.promote(registration=waiting)

    [message] = mailoutbox
    assert message.to == ["wacht@utrecht.nl"]
    assert message.subject == "Er is een plaats voor u: Tussen Participatie en Populisme"


@pytest.mark.django_db
def test_no_mail_to_an_anonymised_registration(congress, mailoutbox):
    registration = make_registration(congress, anonymised_at=timezone.now())

    assert send_registration_mail(registration.pk, "registered") is False

    assert mailoutbox == []


@pytest.mark.django_db
def test_stale_promotion_mail_is_not_sent_after_cancelling(congress, mailoutbox):
    registration = make_registration(congress, status=Registration.Status.CANCELLED)

    assert send_registration_mail(registration.pk, "promoted") is False

    assert mailoutbox == []


@pytest.mark.django_db
def test_failing_mail_server_never_loses_or_blocks_a_registration(
    client, congress, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    def refuse(self, messages):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/evenementen/{congress.slug}/aanmelden/", {**person(), "consent": "on"}
        )

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/aanmelding/{registration.token}/?nieuw=1"
    assert registration.status == CONFIRMED
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_failing_mail_server_loses_no_registration_and_the_mail_is_retried(
    monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    import smtplib

    from django.core.mail import EmailMultiAlternatives
    from django.core.management import call_command

    from events import services
    from events.models import Registration

    event = make_event(capacity=5)
    original_send = EmailMultiAlternatives.send

    def broken_send(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", broken_send)
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(
            event=event,
            data={"name": "Anna", "email": "anna@example.org", "organisation": "VNG"},
        )
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert unsent_mails() == [("events.registration.registered", registration.pk)]
    assert mailoutbox == []

    monkeypatch.setattr(EmailMultiAlternatives, "send", original_send)
    call_command("send_pending_mails")

    assert unsent_mails() == []
    assert [mail.to for mail in mailoutbox] == [["anna@example.org"]]
    call_command("send_pending_mails")  # nothing left to send
    assert len(mailoutbox) == 1


def unsent_mails() -> list[tuple[str, int]]:
    return list(OutgoingMail.objects.filter(done_at__isnull=True).values_list("kind", "object_id"))


# --- The check-in code ------------------------------------------------------------------------


def html_part_and_images(message) -> tuple[str, dict[str, bytes]]:
    """The HTML a mail client shows and its inline images by Content-ID (without <>)."""
    parsed = (
        message
        if isinstance(message, email.message.EmailMessage)
        else (email.message_from_bytes(message.message().as_bytes(), policy=policy.default))
    )
    html = parsed.get_body(preferencelist=("html",)).get_content()
    images = {
        part["Content-ID"].strip("<>"): part.get_content()
        for part in parsed.walk()
        if part.get_content_type() == "image/png"
    }
    return html, images


@pytest.mark.django_db
def test_confirmation_mail_gives_the_check_in_code_and_its_qr_code_inline(
    congress, mailoutbox, django_capture_on_commit_callbacks
):
    registration = register(django_capture_on_commit_callbacks, congress)

    [message] = mailoutbox
    code = registration.checkin_code
    assert f"Uw aanmeldcode voor de ingang: {code}\n" in message.body
    html, images = html_part_and_images(message)
    [img] = parse(html).find_all("img")
    assert img.get("alt") == f"QR-code van uw aanmeldcode {code}"
    [(cid, png)] = images.items()
    assert img.get("src") == f"cid:{cid}"
    # The QR code holds the check-in code, never the secret token of the personal page.
    assert png == checkin.qr_png(registration)
    assert png.startswith(b"\x89PNG")


@pytest.mark.django_db
def test_waiting_list_mail_has_no_check_in_code(
    congress, mailoutbox, django_capture_on_commit_callbacks
):
    register(django_capture_on_commit_callbacks, congress, number=1)
    mailoutbox.clear()
    waiting = register(django_capture_on_commit_callbacks, congress, number=2)

    [message] = mailoutbox
    assert waiting.status == WAITING
    assert waiting.checkin_code not in message.body
    html, images = html_part_and_images(message)
    assert images == {}
    assert "aanmeldcode" not in html


@pytest.mark.django_db
def test_confirmation_with_its_qr_code_arrives_whole_through_smtp(
    congress, smtp_server, django_capture_on_commit_callbacks
):
    registration = register(django_capture_on_commit_callbacks, congress)

    [raw] = smtp_server
    received = email.message_from_bytes(raw, policy=policy.default)
    assert received["To"] == "anna1@utrecht.nl"
    html, images = html_part_and_images(received)
    [(cid, png)] = images.items()
    assert f'src="cid:{cid}"' in html
    assert png == checkin.qr_png(registration)
    assert [part.get_content_type() for part in received.walk()][-1] == "text/calendar"
