"""The weekly or monthly digest: what a subscriber finds in it, and that each one is queued
and sent exactly once, through a real SMTP server, however the job runs or is interrupted."""

import email
import email.policy
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.utils import timezone

from ikpob_portal.kernel import outbox
from ikpob_portal.kernel.models import OutgoingMail
from ikpob_portal.subscriptions import digests
from ikpob_portal.subscriptions.models import Digest, SavedSearch, Subscription
from publications.models import Publication
from tests.factories import make_event, make_news_item, make_publication, make_theme
from tests.smtp import serving_smtp

PUBLICATION = "publications.publication"
EVENT = "events.event"


def subscriber(
    number: int = 1, *, days_ago: int = 8, kinds=(), themes=(), **overrides
) -> Subscription:
    """A confirmed subscription whose last digest (or confirmation) was `days_ago` days ago."""
    moment = timezone.now() - timedelta(days=days_ago)
    subscription = Subscription.objects.create(
        email=f"lezer{number}@example.org",
        kinds=list(kinds),
        confirmed_at=moment,
        digest_from=moment,
        **overrides,
    )
    if themes:
        subscription.themes.set(themes)
    return subscription


def old(item, days: int = 20):
    """Make an item published and last changed `days` days ago (before any digest period)."""
    moment = timezone.now() - timedelta(days=days)
    type(item).objects.filter(pk=item.pk).update(published_at=moment, updated=moment)
    return item


def never_sleep(seconds: float) -> None:
    raise AssertionError(f"the job waited {seconds} s with room under the rate")


def run_job(capture, sleep=never_sleep) -> int:
    """The scheduled job as `send_pending_mails` runs it; the mails go out after each commit."""
    with capture(execute=True):
        return digests.queue_due(sleep=sleep)


def messages(received: list[bytes]) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(raw, policy=email.policy.default) for raw in received]


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def digest_to(received, address: str) -> email.message.EmailMessage:
    [message] = [m for m in messages(received) if m["To"] == address]
    return message


# --- What goes in ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_digest_shows_new_items_of_a_followed_theme_of_every_kind(
    smtp_server, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://ikpob.example.nl"
    theme = make_theme("Sturen in netwerken")
    other = make_theme("Toezicht")
    make_publication("Netwerken sturen in de praktijk", themes=[theme])
    make_event("Netwerkdag", themes=[theme])
    make_news_item("Over toezicht", themes=[other])
    old(make_publication("Oud stuk over netwerken", themes=[theme]))
    subscription = subscriber(themes=[theme])

    assert run_job(django_capture_on_commit_callbacks) == 1

    message = digest_to(smtp_server, subscription.email)
    text = text_of(message)
    assert "Netwerken sturen in de praktijk" in text
    assert "Netwerkdag" in text
    assert "Over toezicht" not in text
    assert "Oud stuk over netwerken" not in text
    assert message["Subject"].startswith("Nieuw bij Stichting IKPOB sinds ")
    html = html_of(message)
    assert '<html lang="nl">' in html
    # A heading per kind, in the site's order, with real lists and absolute links.
    assert html.index(">Publicaties</h2>") < html.index(">Evenementen</h2>")
    publication = Publication.objects.get(title="Netwerken sturen in de praktijk")
    link = f'href="https://ikpob.example.nl{publication.get_absolute_url()}"'
    assert f'<a {link} style="color: #01689b;">Netwerken sturen in de praktijk</a>' in html
    assert "<ul" in html
    assert "<li" in html
    assert "<img" not in html


@pytest.mark.django_db
def test_digest_shows_every_new_item_of_a_followed_kind_and_none_of_others(
    smtp_server, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://ikpob.example.nl"
    new = make_publication("Handreiking samenwerken")
    changed = old(make_publication("Bijgewerkte handreiking"))
    Publication.objects.filter(pk=changed.pk).update(updated=timezone.now())
    old(make_publication("Al lang bekend"))
    make_event("Studiedag")
    subscription = subscriber(kinds=[PUBLICATION])

    run_job(django_capture_on_commit_callbacks)

    message = digest_to(smtp_server, subscription.email)
    text = text_of(message)
    assert "Handreiking samenwerken" in text
    assert f"https://ikpob.example.nl{new.get_absolute_url()}" in text
    assert "Nieuw op " in text
    assert "Bijgewerkte handreiking" in text
    assert "Bijgewerkt op " in text
    assert "Al lang bekend" not in text
    assert "Studiedag" not in text


@pytest.mark.django_db
def test_digest_shows_matches_of_a_saved_list_search_and_names_the_search(
    smtp_server, django_capture_on_commit_callbacks
):
    make_publication("Rapport over wijken", kind=Publication.Kind.RAPPORT)
    make_publication("Essay over wijken", kind=Publication.Kind.ESSAY)
    subscription = subscriber()
    SavedSearch.objects.create(
        subscription=subscription,
        url_name="publications:list",
        query="soort=rapport",
        label="Publicaties (Soort: Rapport)",
    )

    run_job(django_capture_on_commit_callbacks)

    text = text_of(digest_to(smtp_server, subscription.email))
    assert "Rapport over wijken" in text
    assert "Essay over wijken" not in text
    assert "Gevonden met uw zoekopdracht: Publicaties (Soort: Rapport)" in text


@pytest.mark.django_db
def test_digest_shows_public_matches_of_a_saved_site_search(
    smtp_server, django_capture_on_commit_callbacks
):
    make_publication("Toezicht op jeugdzorg")
    make_news_item("Nieuw kader voor toezicht")
    make_publication("Concept over toezicht", status=Publication.Status.DRAFT)
    make_publication("Iets anders geheel")
    old(make_publication("Ouder toezicht"))
    subscription = subscriber()
    SavedSearch.objects.create(
        subscription=subscription,
        url_name="search",
        query="q=toezicht",
        label="Zoeken op “toezicht”",
    )

    run_job(django_capture_on_commit_callbacks)

    text = text_of(digest_to(smtp_server, subscription.email))
    assert "Toezicht op jeugdzorg" in text
    assert "Nieuw kader voor toezicht" in text
    assert "Concept over toezicht" not in text
    assert "Iets anders geheel" not in text
    assert "Ouder toezicht" not in text
    assert "Gevonden met uw zoekopdracht: Zoeken op “toezicht”" in text


@pytest.mark.django_db
def test_digest_never_shows_drafts_or_items_scheduled_for_later(
    smtp_server, django_capture_on_commit_callbacks
):
    make_publication("Openbaar stuk")
    make_publication("Nog een concept", status=Publication.Status.DRAFT)
    make_publication("Pas volgende week", published_at=timezone.now() + timedelta(days=7))
    subscription = subscriber(kinds=[PUBLICATION])

    run_job(django_capture_on_commit_callbacks)

    text = text_of(digest_to(smtp_server, subscription.email))
    assert "Openbaar stuk" in text
    assert "Nog een concept" not in text
    assert "Pas volgende week" not in text


@pytest.mark.django_db
def test_digest_shows_an_item_matched_twice_once(smtp_server, django_capture_on_commit_callbacks):
    theme = make_theme("Wijkaanpak")
    make_publication("Rapport over de wijkaanpak", themes=[theme], kind=Publication.Kind.RAPPORT)
    subscription = subscriber(kinds=[PUBLICATION], themes=[theme])
    SavedSearch.objects.create(
        subscription=subscription,
        url_name="publications:list",
        query="soort=rapport",
        label="Publicaties (Soort: Rapport)",
    )

    run_job(django_capture_on_commit_callbacks)

    assert (
        text_of(digest_to(smtp_server, subscription.email)).count("Rapport over de wijkaanpak") == 1
    )


@pytest.mark.django_db
def test_digest_shows_at_most_twenty_per_kind_and_links_to_the_rest(
    smtp_server, django_capture_on_commit_callbacks
):
    for number in range(23):
        make_publication(f"Reeksdeel {number:02d}")
    subscription = subscriber(kinds=[PUBLICATION])

    run_job(django_capture_on_commit_callbacks)

    message = digest_to(smtp_server, subscription.email)
    assert text_of(message).count("Reeksdeel") == 20
    assert ">Meer publicaties op de site</a>" in html_of(message)


@pytest.mark.django_db
def test_nothing_new_sends_nothing_but_the_next_digest_starts_now(
    smtp_server, django_capture_on_commit_callbacks
):
    old(make_publication("Al lang bekend"))
    subscription = subscriber(kinds=[PUBLICATION])

    assert run_job(django_capture_on_commit_callbacks) == 0

    assert smtp_server == []
    assert not Digest.objects.exists()
    subscription.refresh_from_db()
    assert subscription.digest_from > timezone.now() - timedelta(minutes=1)


@pytest.mark.django_db
def test_digest_is_not_due_before_its_week_or_month_is_over(
    smtp_server, django_capture_on_commit_callbacks
):
    make_publication("Net verschenen")
    subscriber(1, days_ago=6, kinds=[PUBLICATION])
    subscriber(2, days_ago=20, kinds=[PUBLICATION], frequency=Subscription.Frequency.MONTHLY)
    monthly = subscriber(
        3, days_ago=31, kinds=[PUBLICATION], frequency=Subscription.Frequency.MONTHLY
    )
    Subscription.objects.create(email="onbevestigd@example.org", kinds=[PUBLICATION])

    assert run_job(django_capture_on_commit_callbacks) == 1

    assert [m["To"] for m in messages(smtp_server)] == [monthly.email]


@pytest.mark.django_db
def test_digest_carries_one_click_unsubscribe_headers_and_footer_links(
    smtp_server, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://ikpob.example.nl"
    make_publication("Nieuw stuk")
    subscription = subscriber(kinds=[PUBLICATION])

    run_job(django_capture_on_commit_callbacks)

    message = digest_to(smtp_server, subscription.email)
    unsubscribe = f"https://ikpob.example.nl{subscription.get_unsubscribe_url()}"
    assert message["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in text_of(message)
    assert f"https://ikpob.example.nl{subscription.get_absolute_url()}" in html_of(message)


@pytest.mark.django_db
def test_digest_leaves_out_what_was_unpublished_before_it_was_sent(
    smtp_server, django_capture_on_commit_callbacks
):
    kept = make_publication("Blijft staan")
    gone = make_publication("Wordt ingetrokken")
    subscription = subscriber(kinds=[PUBLICATION])
    with django_capture_on_commit_callbacks(execute=False):  # queued; the worker is busy
        assert digests.queue_due(sleep=never_sleep) == 1
    Publication.objects.filter(pk=gone.pk).update(status=Publication.Status.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        outbox.send_pending()

    text = text_of(digest_to(smtp_server, subscription.email))
    assert kept.title in text
    assert gone.title not in text


@pytest.mark.django_db
def test_digest_whose_items_all_went_is_not_sent(smtp_server, django_capture_on_commit_callbacks):
    gone = make_publication("Wordt ingetrokken")
    subscriber(kinds=[PUBLICATION])
    with django_capture_on_commit_callbacks(execute=False):
        digests.queue_due(sleep=never_sleep)
    Publication.objects.filter(pk=gone.pk).delete()

    with django_capture_on_commit_callbacks(execute=True):
        outbox.send_pending()

    assert smtp_server == []
    assert OutgoingMail.objects.get(kind=digests.DIGEST).outcome == OutgoingMail.Outcome.SKIPPED


# --- Exactly once ---------------------------------------------------------------------------


class FailsAfter:
    """A mail server that takes `limit` messages and then answers 451 (try later), until
    `recover()`."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.received: list[bytes] = []
        self.refusing = True

    def recover(self) -> None:
        self.refusing = False

    async def handle_DATA(self, server, session, envelope):
        if self.refusing and len(self.received) >= self.limit:
            return "451 4.3.0 Try again later"
        self.received.append(envelope.original_content)
        return "250 OK"


def recipients(received: list[bytes]) -> Counter:
    return Counter(message["To"] for message in messages(received))


@pytest.mark.django_db
def test_a_batch_cut_short_by_the_mail_server_is_sent_once_each_when_retried(
    settings, django_capture_on_commit_callbacks
):
    make_publication("Nieuw stuk")
    everyone = [subscriber(number, kinds=[PUBLICATION]).email for number in range(1, 6)]
    server = FailsAfter(2)
    with serving_smtp(settings, server):
        assert run_job(django_capture_on_commit_callbacks) == 5
        assert len(server.received) == 2
        assert OutgoingMail.objects.filter(kind=digests.DIGEST, done_at__isnull=True).count() == 3

        server.recover()
        run_job(django_capture_on_commit_callbacks)  # the next run: nothing is due any more
        with django_capture_on_commit_callbacks(execute=True):
            outbox.send_pending()
        with django_capture_on_commit_callbacks(execute=True):
            outbox.send_pending()

    assert recipients(server.received) == dict.fromkeys(everyone, 1)
    assert Digest.objects.count() == 5
    assert not OutgoingMail.objects.filter(kind=digests.DIGEST, done_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_job_stopped_halfway_leaves_the_rest_for_the_next_run(
    smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.SUBSCRIPTIONS_DIGEST_MAILS_PER_MINUTE = 2
    make_publication("Nieuw stuk")
    everyone = [subscriber(number, kinds=[PUBLICATION]).email for number in range(1, 6)]

    def killed(seconds: float) -> None:
        raise KeyboardInterrupt  # the job is stopped while it waits out the minute

    with pytest.raises(KeyboardInterrupt):
        run_job(django_capture_on_commit_callbacks, sleep=killed)
    assert len(smtp_server) == 2

    def a_minute_passes(seconds: float) -> None:
        assert 0 < seconds <= 60
        Digest.objects.update(created_at=F("created_at") - timedelta(seconds=61))

    assert run_job(django_capture_on_commit_callbacks, sleep=a_minute_passes) == 3

    assert recipients(smtp_server) == dict.fromkeys(everyone, 1)


@pytest.mark.django_db(transaction=True)
def test_the_job_sends_at_most_the_rate_per_minute(smtp_server, settings):
    settings.SUBSCRIPTIONS_DIGEST_MAILS_PER_MINUTE = 2
    make_publication("Nieuw stuk")
    for number in range(1, 6):
        subscriber(number, kinds=[PUBLICATION])
    sent_per_minute = []

    def a_minute_passes(seconds: float) -> None:
        assert 0 < seconds <= 60
        sent_per_minute.append(len(smtp_server) - sum(sent_per_minute))
        Digest.objects.update(created_at=F("created_at") - timedelta(seconds=61))

    # Committed for real: each digest's mail goes out as its transaction commits.
    assert digests.queue_due(sleep=a_minute_passes) == 5

    assert sent_per_minute == [2, 2]
    assert len(smtp_server) == 5


@pytest.mark.django_db
def test_a_second_run_sends_nobody_the_same_digest_again(
    smtp_server, django_capture_on_commit_callbacks
):
    make_publication("Nieuw stuk")
    subscriber(kinds=[PUBLICATION])

    assert run_job(django_capture_on_commit_callbacks) == 1
    assert run_job(django_capture_on_commit_callbacks) == 0
    with django_capture_on_commit_callbacks(execute=True):
        outbox.send_pending()

    assert len(smtp_server) == 1


@pytest.mark.postgres_only
def test_two_jobs_at_once_queue_each_digest_once(transactional_db, smtp_server):
    make_publication("Nieuw stuk")
    make_event("Nieuwe bijeenkomst")
    everyone = [subscriber(number, kinds=[PUBLICATION, EVENT]).email for number in range(1, 13)]
    enqueue = outbox.enqueue

    def slow_enqueue(kind, obj, **kwargs):
        # An editor keeps changing the publication, so there is news at every moment; and the
        # locked subscription is held a moment, so the other job meets it locked.
        Publication.objects.update(updated=timezone.now())
        time.sleep(0.02)
        return enqueue(kind, obj, **kwargs)

    outbox.enqueue = slow_enqueue
    barrier = threading.Barrier(2)
    queued, errors = [], []

    def job() -> None:
        try:
            barrier.wait(timeout=30)
            queued.append(digests.queue_due(sleep=never_sleep))
        except Exception as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=job) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        outbox.enqueue = enqueue

    assert errors == []
    assert sum(queued) == 12
    assert all(count > 0 for count in queued), queued  # both jobs did part of the work
    assert Digest.objects.count() == 12
    assert OutgoingMail.objects.filter(kind=digests.DIGEST).count() == 12
    assert recipients(smtp_server) == dict.fromkeys(everyone, 1)


@pytest.mark.django_db
def test_a_saved_list_search_on_a_deleted_theme_matches_nothing(
    smtp_server, django_capture_on_commit_callbacks
):
    wonen = make_theme("Wonen")
    make_publication("Over iets anders")
    subscription = subscriber()
    SavedSearch.objects.create(
        subscription=subscription,
        url_name="publications:list",
        query=f"thema={wonen.slug}",
        label="Publicaties (Thema: Wonen)",
    )
    wonen.delete()

    run_job(django_capture_on_commit_callbacks)

    assert smtp_server == []  # not every new publication
