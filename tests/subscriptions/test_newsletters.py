"""Sending the newsletter: once to each confirmed subscriber who asked for it, and bounces."""

import email
import io
import threading
from datetime import timedelta
from email import policy

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from ikpob_portal.kernel.models import OutgoingMail
from ikpob_portal.subscriptions import mails, newsletters
from ikpob_portal.subscriptions.models import Newsletter, NewsletterDelivery, Subscription
from tests.factories import make_news_item, make_publication, make_subscription
from tests.smtp import serving_smtp

Status = Newsletter.Status


def make_newsletter(items=(), **overrides) -> Newsletter:
    overrides.setdefault("subject", "Nieuwsbrief december")
    overrides.setdefault("intro", "Het jaar loopt ten einde. **Dank** voor uw belangstelling.")
    newsletter = Newsletter.objects.create(**overrides)
    newsletters.set_items(newsletter, list(items))
    return newsletter


def scheduled(items=(), **overrides) -> Newsletter:
    overrides.setdefault("status", Status.SCHEDULED)
    overrides.setdefault("send_at", timezone.now() - timedelta(minutes=1))
    return make_newsletter(items, **overrides)


def run_mail_jobs(capture) -> None:
    """What cron does every few minutes; the queued mails are sent after the commit."""
    with capture(execute=True):
        call_command("send_pending_mails", stdout=io.StringIO())


def recipients(received: list[bytes]) -> list[str]:
    return sorted(email.message_from_bytes(raw)["To"] for raw in received)


def parts(raw: bytes) -> dict[str, str]:
    message = email.message_from_bytes(raw)
    return {
        part.get_content_type(): part.get_payload(decode=True).decode()
        for part in message.walk()
        if not part.is_multipart()
    }


@pytest.fixture
def audience(db) -> dict[str, Subscription]:
    return {
        "anna": make_subscription("anna@example.org"),
        "bert": make_subscription("bert@example.org"),
        "unconfirmed": make_subscription("nog-niet@example.org", confirmed=False),
        "alerts_only": make_subscription("alleen-attenderingen@example.org", newsletter=False),
    }


@pytest.mark.django_db
def test_queue_due_sends_each_confirmed_newsletter_subscriber_exactly_one_mail(
    audience, smtp_server, django_capture_on_commit_callbacks
):
    newsletter = scheduled([make_publication("Burgerpanels in de praktijk")])

    run_mail_jobs(django_capture_on_commit_callbacks)
    run_mail_jobs(django_capture_on_commit_callbacks)

    assert recipients(smtp_server) == ["anna@example.org", "bert@example.org"]
    newsletter.refresh_from_db()
    assert newsletter.status == Status.SENT
    assert newsletter.sent_at is not None
    assert newsletter.deliveries.count() == 2


@pytest.mark.django_db
def test_queue_due_waits_for_the_moment_and_skips_drafts(
    audience, smtp_server, django_capture_on_commit_callbacks
):
    later = scheduled(send_at=timezone.now() + timedelta(hours=2))
    draft = make_newsletter()

    run_mail_jobs(django_capture_on_commit_callbacks)

    assert smtp_server == []
    later.refresh_from_db()
    draft.refresh_from_db()
    assert (later.status, draft.status) == (Status.SCHEDULED, Status.DRAFT)


@pytest.mark.django_db
def test_queue_due_works_in_batches(audience, settings, monkeypatch):
    monkeypatch.setattr(newsletters, "BATCH", 1)
    newsletter = scheduled()

    with transaction.atomic():
        queued = newsletters.queue_due()

    assert queued == 2
    assert OutgoingMail.objects.filter(kind=newsletters.NEWSLETTER).count() == 2
    assert newsletters.queue_due() == 0
    newsletter.refresh_from_db()
    assert newsletter.status == Status.SENT


@pytest.mark.django_db
def test_newsletter_mail_has_unsubscribe_headers_and_personal_links(
    smtp_server, django_capture_on_commit_callbacks
):
    anna = make_subscription("anna@example.org")
    scheduled([make_news_item("Nieuwe leerkring van start")])

    run_mail_jobs(django_capture_on_commit_callbacks)

    [raw] = smtp_server
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["Subject"] == "Nieuwsbrief december"
    assert message["List-Unsubscribe"].endswith(f"{anna.get_unsubscribe_url()}>")
    # One line, the URL as it is: an encoded word (=?utf-8?q?…) is no URL to mail providers.
    header = f"List-Unsubscribe: <{mails.absolute(anna.get_unsubscribe_url())}>"
    assert f"\r\n{header}\r\n".encode() in raw
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = parts(raw)
    assert '<html lang="nl">' in body["text/html"]
    assert "<strong>Dank</strong>" in body["text/html"]
    assert "Nieuwe leerkring van start" in body["text/html"]
    assert "Nieuwe leerkring van start" in body["text/plain"]
    assert anna.get_unsubscribe_url() in body["text/plain"]
    assert anna.get_absolute_url() in body["text/html"]
    # No remote images, no trackers.
    assert "<img" not in body["text/html"]


@pytest.mark.django_db
def test_newsletter_mail_links_to_the_site_in_full(smtp_server, django_capture_on_commit_callbacks):
    make_subscription("anna@example.org")
    scheduled(intro="Lees [ons jaarverslag](/publicaties/jaarverslag/).")

    run_mail_jobs(django_capture_on_commit_callbacks)

    html = parts(smtp_server[0])["text/html"]
    assert f'href="{mails.absolute("/publicaties/jaarverslag/")}"' in html


@pytest.mark.django_db
def test_newsletter_mail_leaves_out_items_no_longer_public(
    smtp_server, django_capture_on_commit_callbacks
):
    make_subscription("anna@example.org")
    kept = make_publication("Wat blijft")
    withdrawn = make_publication("Wat terugging")
    scheduled([kept, withdrawn])
    withdrawn.status = withdrawn.Status.DRAFT
    withdrawn.save()

    run_mail_jobs(django_capture_on_commit_callbacks)

    text = parts(smtp_server[0])["text/plain"]
    assert "Wat blijft" in text
    assert "Wat terugging" not in text


@pytest.mark.django_db
def test_newsletter_not_sent_to_who_unsubscribed_after_queueing(
    smtp_server, django_capture_on_commit_callbacks
):
    anna = make_subscription("anna@example.org")
    scheduled()
    with transaction.atomic():
        newsletters.queue_due()
    anna.delete()

    run_mail_jobs(django_capture_on_commit_callbacks)

    assert smtp_server == []


@pytest.fixture
def refusing_smtp_server(settings):
    """A real SMTP server: 550 for anyone at weg.example, the rest is kept."""
    received: list[str] = []

    class Server:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.endswith("@weg.example"):
                return f"550 5.1.1 <{address}>: Recipient address rejected"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            received.extend(envelope.rcpt_tos)
            return "250 OK"

    with serving_smtp(settings, Server()):
        yield received


@pytest.mark.django_db
def test_refused_recipient_is_unsubscribed(
    refusing_smtp_server, django_capture_on_commit_callbacks
):
    make_subscription("anna@example.org")
    make_subscription("bestaat-niet@weg.example")
    scheduled()

    run_mail_jobs(django_capture_on_commit_callbacks)

    assert refusing_smtp_server == ["anna@example.org"]
    assert list(Subscription.objects.values_list("email", flat=True)) == ["anna@example.org"]
    parked = OutgoingMail.objects.get(outcome=OutgoingMail.Outcome.PARKED)
    assert parked.failure == OutgoingMail.Failure.REFUSED


@pytest.mark.django_db
def test_refused_confirmation_deletes_the_unconfirmed_subscription(
    refusing_smtp_server, client, django_capture_on_commit_callbacks
):
    from ikpob_portal.subscriptions import services
    from ikpob_portal.subscriptions.choices import Choices

    with django_capture_on_commit_callbacks(execute=True):
        services.subscribe(email="typfout@weg.example", choices=Choices(newsletter=True))

    assert not Subscription.objects.exists()


# PostgreSQL: two runs at once ---------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_queue_due_twice_at_once_queues_each_subscriber_once(settings, monkeypatch):
    monkeypatch.setattr(newsletters, "BATCH", 3)
    for number in range(12):
        make_subscription(f"abonnee{number}@example.org")
    newsletter = scheduled()
    barrier = threading.Barrier(2)
    results: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(newsletters.queue_due())
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(results) == 12
    assert NewsletterDelivery.objects.filter(newsletter=newsletter).count() == 12
    assert OutgoingMail.objects.filter(kind=newsletters.NEWSLETTER).count() == 12
    newsletter.refresh_from_db()
    assert newsletter.status == Status.SENT


@pytest.fixture
def blocklisting_smtp_server(settings):
    """A real SMTP server that takes every address but refuses every message (554 at DATA),
    as a relay does that blocklists the content."""
    received: list[str] = []

    class Blocklist:
        async def handle_DATA(self, server, session, envelope):
            return "554 5.7.1 Message rejected as spam"

    with serving_smtp(settings, Blocklist()):
        yield received


@pytest.mark.django_db
def test_a_refused_message_unsubscribes_nobody(
    blocklisting_smtp_server, django_capture_on_commit_callbacks
):
    make_subscription("anna@example.org")
    make_subscription("bert@example.org")
    scheduled()

    run_mail_jobs(django_capture_on_commit_callbacks)

    assert OutgoingMail.objects.filter(outcome=OutgoingMail.Outcome.PARKED).count() == 2
    assert Subscription.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_digest_address_is_unsubscribed(
    refusing_smtp_server, django_capture_on_commit_callbacks
):
    subscription = make_subscription("bestaat-niet@weg.example", newsletter=False)
    subscription.kinds = ["publications.publication"]
    subscription.digest_from = timezone.now() - timedelta(days=8)
    subscription.save()
    make_publication("Nieuw")

    run_mail_jobs(django_capture_on_commit_callbacks)

    assert not Subscription.objects.exists()
