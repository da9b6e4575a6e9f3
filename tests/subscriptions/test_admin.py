"""The newsletter in the admin, as a Redacteur (editor) uses it: write, preview, test,
schedule; subscriber counts; unsubscribing after a bounce or complaint."""

import email
from email import policy

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from ikpob_portal.kernel.models import OutgoingMail
from ikpob_portal.subscriptions import newsletters
from ikpob_portal.subscriptions.models import Newsletter, Subscription
from publications.models import Publication
from tests.factories import (
    make_editor,
    make_event,
    make_publication,
    make_subscription,
    make_theme,
)
from tests.html import admin_messages, parse

ADMIN = f"/{settings.ADMIN_URL}"
NEWSLETTERS = f"{ADMIN}subscriptions/newsletter/"
Status = Newsletter.Status


@pytest.fixture
def editor_client(client, db):
    client.force_login(make_editor(email="redacteur@ikpob.nl"))
    return client


@pytest.fixture
def newsletter(db) -> Newsletter:
    newsletter = Newsletter.objects.create(
        subject="Nieuwsbrief december", intro="Het jaar loopt ten einde."
    )
    newsletters.set_items(
        newsletter, [make_publication("Burgerpanels in de praktijk"), make_event("Slotcongres")]
    )
    return newsletter


def url(newsletter: Newsletter, view: str) -> str:
    return f"{NEWSLETTERS}{newsletter.pk}/{view}"


@pytest.mark.django_db
def test_newsletter_admin_stores_subject_intro_and_picked_items(editor_client):
    first = make_publication("Eerste publicatie")
    second = make_publication("Tweede publicatie")
    event = make_event("Een evenement")

    response = editor_client.post(
        f"{NEWSLETTERS}add/",
        {
            "subject": "Nieuwsbrief januari",
            "intro": "Welkom in het nieuwe jaar.",
            "items_publications_publication": [second.pk, first.pk],
            "items_events_event": [event.pk],
        },
        follow=True,
    )

    assert response.status_code == 200
    newsletter = Newsletter.objects.get()
    assert (newsletter.subject, newsletter.status) == ("Nieuwsbrief januari", Status.DRAFT)
    assert [str(row) for row in newsletter.items.all()] == [
        "Tweede publicatie",
        "Eerste publicatie",
        "Een evenement",
    ]


@pytest.mark.django_db
def test_newsletter_picker_offers_only_public_items(editor_client):
    make_publication("Openbaar")
    make_publication("Concept", status=Publication.Status.DRAFT)

    page = parse(editor_client.get(f"{NEWSLETTERS}add/"))

    boxes = page.find_all("input", name="items_publications_publication")
    labels = [
        label.text.strip()
        for label in page.iter("label")
        if label.get("for", "").startswith("id_items_publications_publication_")
    ]
    assert len(boxes) == 1
    assert labels == ["Openbaar"]


@pytest.mark.django_db
def test_preview_shows_intro_and_items_as_sent(editor_client, newsletter):
    html = editor_client.get(url(newsletter, "voorbeeld/html/"))
    text = editor_client.get(url(newsletter, "voorbeeld/"))

    assert html.status_code == 200
    body = html.content.decode()
    assert '<html lang="nl">' in body
    assert "Het jaar loopt ten einde." in body
    assert "Burgerpanels in de praktijk" in body
    assert "Slotcongres" in body
    assert body.index("Burgerpanels in de praktijk") < body.index("Slotcongres")
    assert "style-src 'unsafe-inline'" in html["Content-Security-Policy"]
    page = parse(text).text
    assert "Het jaar loopt ten einde." in page
    assert "Burgerpanels in de praktijk" in page
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in page


@pytest.mark.django_db
def test_send_test_reaches_the_editor_only(
    editor_client, newsletter, smtp_server, django_capture_on_commit_callbacks
):
    make_subscription("anna@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url(newsletter, "test/"), follow=True)

    assert admin_messages(response) == ["De testmail gaat naar redacteur@ikpob.nl."]
    [raw] = smtp_server
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["To"] == "redacteur@ikpob.nl"
    assert message["Subject"] == "[Test] Nieuwsbrief december"
    assert "Burgerpanels in de praktijk" in message.get_body(("plain",)).get_content()
    # The outbox row names the newsletter and the editor's id, never an address.
    row = OutgoingMail.objects.get(kind=newsletters.TEST)
    assert (row.object_id, row.data) == (newsletter.pk, {"user": response.wsgi_request.user.pk})
    newsletter.refresh_from_db()
    assert newsletter.status == Status.DRAFT


@pytest.mark.django_db
def test_schedule_now_then_page_is_read_only(editor_client, newsletter):
    response = editor_client.post(
        url(newsletter, "inplannen/"), {"send_at_0": "", "send_at_1": ""}, follow=True
    )

    newsletter.refresh_from_db()
    assert newsletter.status == Status.SCHEDULED
    assert newsletter.send_at is not None
    assert admin_messages(response)[0].startswith("De nieuwsbrief is ingepland voor ")
    page = parse(editor_client.get(url(newsletter, "change/")))
    assert page.find("input", name="subject") is None
    assert "Terug naar concept" in page.text
    # A POST to the change page changes nothing.
    editor_client.post(url(newsletter, "change/"), {"subject": "Anders", "intro": "Anders"})
    newsletter.refresh_from_db()
    assert newsletter.subject == "Nieuwsbrief december"


@pytest.mark.django_db
def test_schedule_later_and_take_back_to_draft(editor_client, newsletter):
    editor_client.post(
        url(newsletter, "inplannen/"), {"send_at_0": "24-12-2030", "send_at_1": "09:00"}
    )
    newsletter.refresh_from_db()
    assert newsletter.status == Status.SCHEDULED
    assert newsletter.send_at.year == 2030

    editor_client.post(url(newsletter, "inplannen/"), {"unschedule": "1"})

    newsletter.refresh_from_db()
    assert newsletter.status == Status.DRAFT


@pytest.mark.django_db
def test_sent_newsletter_page_is_read_only_with_its_items(editor_client, newsletter):
    make_subscription("anna@example.org")
    newsletters.schedule(newsletter)
    with transaction.atomic():
        newsletters.queue_due()

    page = parse(editor_client.get(url(newsletter, "change/")))

    assert page.find("input", name="subject") is None
    assert page.find("input", name="_save") is None
    assert "Burgerpanels in de praktijk" in page.text
    assert "Inplannen" not in page.text
    newsletter.refresh_from_db()
    assert newsletter.status == Status.SENT


@pytest.mark.django_db
def test_status_is_not_a_form_field(editor_client, newsletter):
    editor_client.post(
        url(newsletter, "change/"),
        {"subject": "Nieuwsbrief december", "intro": "Tekst", "status": Status.SENT},
    )

    newsletter.refresh_from_db()
    assert newsletter.status == Status.DRAFT
    assert newsletter.intro == "Tekst"


@pytest.mark.django_db
def test_counts_page_shows_numbers_and_no_address(editor_client):
    theme = make_theme("Participatie")
    make_subscription("anna@example.org", themes=[theme], kinds=["publications.publication"])
    make_subscription("bert@example.org", newsletter=False, themes=[theme])
    make_subscription("carla@example.org", confirmed=False)

    changelist = parse(editor_client.get(NEWSLETTERS))
    response = editor_client.get(f"{NEWSLETTERS}aantallen/")

    assert "Aantallen abonnees" in changelist.text
    page = parse(response)
    rows = {
        row.find("th").text.strip(): row.find("td").text.strip()
        for row in page.iter("tr")
        if row.find("td") is not None
    }
    assert rows["Bevestigde abonnees"] == "2"
    assert rows["Voor de nieuwsbrief"] == "1"
    assert rows["Nog niet bevestigd"] == "1"
    assert rows["Participatie"] == "2"
    assert rows["Publicaties"] == "1"
    assert "@" not in response.content.decode()


@pytest.mark.django_db
def test_subscriptions_have_no_changelist(editor_client):
    assert editor_client.get(f"{ADMIN}subscriptions/subscription/").status_code == 404


@pytest.mark.django_db
def test_bounce_form_deletes_and_says_only_verwerkt(editor_client):
    make_subscription("Anna@Example.org")

    known = editor_client.post(
        f"{NEWSLETTERS}afmelden/", {"email": "anna@example.org"}, follow=True
    )
    unknown = editor_client.post(
        f"{NEWSLETTERS}afmelden/", {"email": "onbekend@example.org"}, follow=True
    )

    assert not Subscription.objects.exists()
    assert admin_messages(known) == admin_messages(unknown) == ["Verwerkt."]
    assert "anna@example.org" not in known.content.decode().lower()


@pytest.mark.django_db
def test_sent_newsletter_cannot_be_deleted(editor_client, newsletter):
    newsletter.status = Status.SENT
    newsletter.save()

    response = editor_client.post(url(newsletter, "delete/"), {"post": "yes"})

    assert response.status_code == 403
    assert Newsletter.objects.filter(pk=newsletter.pk).exists()
    assert ContentType.objects.get_for_model(Newsletter)  # nothing else touched


@pytest.mark.django_db
def test_editors_may_manage_newsletters_but_not_subscriptions():
    editor = make_editor()

    assert editor.has_perm("subscriptions.change_newsletter")
    assert not editor.has_perm("subscriptions.view_subscription")


@pytest.mark.django_db
def test_a_subject_on_two_lines_is_refused_with_a_clear_message(editor_client):
    response = editor_client.post(
        f"{NEWSLETTERS}add/", {"subject": "Nieuwsbrief\r\nBcc: iedereen", "intro": "Welkom."}
    )

    assert response.status_code == 200
    assert "Het onderwerp moet op één regel staan." in response.content.decode()
    assert not Newsletter.objects.exists()
