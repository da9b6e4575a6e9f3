"""Simultaneous submits against a live server: the lock, not luck, keeps the places right.

Each visitor is a thread with its own cookie jar that fetches the form (for its CSRF cookie and
token), waits at a barrier, and then posts at the same moment as all the others. A short sleep
after counting the places and before writing the registration (the `racing` fixture wraps the
service's `_has_room`) makes the window wide enough that the control run, with the lock taken
out, overbooks every time.

SQLite serialises writers, so a race there proves nothing: these tests run on PostgreSQL (the
second pass of .ci/run, which sets CI_REQUIRE_POSTGRES=1 so that they cannot skip there).
"""

import http.client
import http.cookiejar
import os
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from events import mails, services
from events.models import Event, Registration, Session
from tests.factories import make_event, make_registration, make_session
from tests.html import element_by_id, parse

ON_POSTGRESQL = connection.vendor == "postgresql"
POSTGRESQL_REQUIRED = os.environ.get("CI_REQUIRE_POSTGRES") == "1"

if not ON_POSTGRESQL and not POSTGRESQL_REQUIRED:
    pytest.skip(
        f"needs PostgreSQL, not {connection.vendor} (which serialises writers); "
        "runs in the PostgreSQL pass of .ci/run",
        allow_module_level=True,
    )

pytestmark = pytest.mark.django_db(transaction=True)

CONFIRMED = Registration.Status.CONFIRMED
WAITING = Registration.Status.WAITING
CANCELLED = Registration.Status.CANCELLED
VISITORS = 25
TIMEOUT = 60  # seconds; generous, so a slow CI machine fails on counts, never on time


@pytest.fixture(autouse=True)
def _require_postgresql():
    assert ON_POSTGRESQL, (
        f"CI_REQUIRE_POSTGRES=1 but the database is {connection.vendor}: the concurrency tests "
        "must run on PostgreSQL in this pass"
    )


@pytest.fixture
def racing(settings, monkeypatch):
    """Everyone posts from 127.0.0.1 over plain HTTP, with a wide window for the race."""
    settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_SECURE = False
    settings.REGISTRATION_RATE_LIMIT_PER_HOUR = 10_000
    # One address spelt many ways must reach the duplicate check, not the limit per address.
    settings.REGISTRATION_RATE_LIMIT_PER_ADDRESS_PER_HOUR = 10_000
    count_places = services._has_room

    def has_room_slowly(event: Event, sessions: list[Session]) -> bool:
        room = count_places(event, sessions)
        time.sleep(0.05)  # between counting and writing: the moment another submit slips in
        return room

    monkeypatch.setattr(services, "_has_room", has_room_slowly)
    cache.clear()
    yield
    cache.clear()


def lock_nothing(event: Event, sessions=()) -> tuple[Event, list[Session]]:
    """`services._lock` without `select_for_update`: the same reads, no row locks."""
    session_ids = sorted({session.pk for session in sessions})
    return (
        Event.objects.get(pk=event.pk),
        list(Session.objects.filter(pk__in=session_ids, event_id=event.pk).order_by("pk")),
    )


# --- Visitors ---------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    location: str | None
    body: str


class Visitor:
    """One browser: its own cookie jar, the form it fetched, and an open connection.

    The connection is opened before the barrier, so the race is between requests, not
    between TCP handshakes queueing in the live server's small listen backlog.
    """

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.csrf_token = ""
        self.connection: http.client.HTTPConnection | None = None

    def open_form(self, path: str) -> None:
        with self.opener.open(self.base_url + path, timeout=TIMEOUT) as response:
            page = parse(response.read())
        self.csrf_token = page.find("input", name="csrfmiddlewaretoken").get("value")

    def connect(self) -> None:
        address = urllib.parse.urlsplit(self.base_url)
        self.connection = http.client.HTTPConnection(
            address.hostname, address.port, timeout=TIMEOUT
        )
        self.connection.connect()

    def post(self, path: str, data: dict) -> Answer:
        """Post the form with its CSRF token and cookie; a redirect is not followed."""
        request = urllib.request.Request(self.base_url + path, method="POST")
        self.cookies.add_cookie_header(request)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf_token})
        self.connection.request(
            "POST",
            path,
            body=body.encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": request.get_header("Cookie"),
            },
        )
        response = self.connection.getresponse()
        try:
            return Answer(response.status, response.getheader("Location"), response.read().decode())
        finally:
            self.connection.close()


def race(live_server, submissions: list[tuple[str, dict]]) -> list[Answer]:
    """Every (path, data) posted by its own visitor, all released at once by a barrier."""
    barrier = threading.Barrier(len(submissions))
    answers: list[Answer | None] = [None] * len(submissions)
    failures: list[tuple[str, BaseException]] = []

    def visit(number: int, path: str, data: dict) -> None:
        step = "fetching the form"
        try:
            visitor = Visitor(live_server.url)
            visitor.open_form(path)
            step = "connecting"
            visitor.connect()
            step = "waiting for the others"
            barrier.wait(timeout=TIMEOUT)
            step = "posting"
            answers[number] = visitor.post(path, data)
        except BaseException as error:
            failures.append((step, error))
            barrier.abort()

    threads = [
        threading.Thread(target=visit, args=(number, path, data))
        for number, (path, data) in enumerate(submissions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=2 * TIMEOUT)
    assert not failures, failures
    assert all(answer is not None for answer in answers)
    return answers


def register_url(event: Event) -> str:
    return f"/evenementen/{event.slug}/aanmelden/"


def form(number: int, **overrides) -> dict:
    return {
        "name": f"Deelnemer {number}",
        "email": f"deelnemer{number}@example.org",
        "organisation": "Gemeente Utrecht",
        "consent": "on",
        **overrides,
    }


def registrations(event: Event, count: int, **overrides) -> list[tuple[str, dict]]:
    return [(register_url(event), form(number, **overrides)) for number in range(count)]


def statuses(queryset) -> Counter:
    return Counter(queryset.values_list("status", flat=True))


def assert_all_registered(answers: list[Answer]) -> None:
    """Every visitor was sent on to their own registration page: no error, no refusal."""
    assert Counter(answer.status for answer in answers) == Counter({302: len(answers)})
    locations = {answer.location for answer in answers}
    assert len(locations) == len(answers)
    assert all(
        location.startswith("/aanmelding/") and location.endswith("/?nieuw=1")
        for location in locations
    )


# --- The event's capacity ---------------------------------------------------------------------


def test_simultaneous_registrations_confirm_exactly_the_capacity(live_server, racing):
    event = make_event("Populair congres", capacity=5)

    answers = race(live_server, registrations(event, VISITORS))

    assert_all_registered(answers)
    assert statuses(event.registrations) == {CONFIRMED: 5, WAITING: VISITORS - 5}
    waiting = event.registrations.filter(status=WAITING)
    assert sorted(r.waiting_position() for r in waiting) == list(range(1, VISITORS - 5 + 1))


def test_control_without_the_lock_the_same_race_overbooks(live_server, racing, monkeypatch):
    monkeypatch.setattr(services, "_lock", lock_nothing)
    event = make_event("Populair congres", capacity=5)

    answers = race(live_server, registrations(event, VISITORS))

    assert_all_registered(answers)
    assert statuses(event.registrations)[CONFIRMED] > 5  # the race is real


# --- A session's capacity ---------------------------------------------------------------------


def test_simultaneous_registrations_fill_a_session_exactly(live_server, racing):
    event = make_event("Congres met workshops", capacity=None)
    workshop = make_session(event, "Workshop toezicht", capacity=3)
    make_session(event, "Workshop ethiek")

    answers = race(live_server, registrations(event, 20, ronde_1=str(workshop.pk)))

    assert_all_registered(answers)
    assert statuses(event.registrations) == {CONFIRMED: 3, WAITING: 17}
    assert statuses(workshop.registrations) == {CONFIRMED: 3, WAITING: 17}


def test_control_without_the_lock_a_session_overfills(live_server, racing, monkeypatch):
    monkeypatch.setattr(services, "_lock", lock_nothing)
    event = make_event("Congres met workshops", capacity=None)
    workshop = make_session(event, "Workshop toezicht", capacity=3)

    answers = race(live_server, registrations(event, 20, ronde_1=str(workshop.pk)))

    assert_all_registered(answers)
    assert statuses(workshop.registrations)[CONFIRMED] > 3  # the race is real


# --- One registration per email ---------------------------------------------------------------


@pytest.mark.parametrize("lock", ["with-lock", "constraint-only"])
def test_simultaneous_submits_of_one_email_register_once(live_server, racing, monkeypatch, lock):
    if lock == "constraint-only":
        monkeypatch.setattr(services, "_lock", lock_nothing)
    event = make_event("Populair congres", capacity=5)
    spellings = ["anna@utrecht.nl", "Anna@Utrecht.nl", "ANNA@UTRECHT.NL", "anna@UTRECHT.nl"]
    submissions = [
        (register_url(event), form(number, email=spellings[number % len(spellings)]))
        for number in range(20)
    ]

    answers = race(live_server, submissions)

    assert Counter(answer.status for answer in answers) == {302: 1, 200: 19}
    for answer in answers:
        if answer.status == 200:
            error = element_by_id(answer.body, "id_email-error1")
            assert error.text.startswith(
                "Met dit e-mailadres is al iemand aangemeld voor dit evenement."
            )
    assert statuses(event.registrations) == {CONFIRMED: 1}


# --- Places held for unconfirmed addresses (Event.confirm_email) -------------------------------


UNVERIFIED = Registration.Status.UNVERIFIED


def test_simultaneous_registrations_hold_exactly_the_capacity(live_server, racing):
    event = make_event("Populair congres", capacity=5, confirm_email=True)

    answers = race(live_server, registrations(event, VISITORS))

    assert Counter(answer.status for answer in answers) == {200: VISITORS}
    assert all("Kijk in uw e-mail" in answer.body for answer in answers)
    assert statuses(event.registrations) == {UNVERIFIED: VISITORS}
    assert event.registrations.filter(hold_until__isnull=False).count() == 5
    assert event.places_left() == 0


def test_simultaneous_confirmations_confirm_exactly_the_capacity(live_server, racing):
    """Everyone clicks the link in their mail at once, some after their hold ran out while
    others' holds still count: never more confirmed than the capacity."""
    event = make_event("Populair congres", capacity=5, confirm_email=True)
    now = timezone.now()
    held = [
        make_registration(event, status=UNVERIFIED, hold_until=now + timedelta(minutes=30))
        for _n in range(3)
    ]
    expired = [
        make_registration(event, status=UNVERIFIED, hold_until=now - timedelta(minutes=1))
        for _n in range(10)
    ]
    without = [make_registration(event, status=UNVERIFIED) for _n in range(10)]
    everyone = [*held, *expired, *without]

    answers = race(
        live_server,
        [(f"/aanmelding/bevestigen/{mails.verify_token(r)}/", {}) for r in everyone],
    )

    assert Counter(answer.status for answer in answers) == {302: len(everyone)}
    assert statuses(event.registrations) == {CONFIRMED: 5, WAITING: len(everyone) - 5}
    for registration in held:  # a held place is kept for its holder
        registration.refresh_from_db()
        assert registration.status == CONFIRMED


# --- Cancelling -------------------------------------------------------------------------------


def test_simultaneous_cancellations_each_promote_exactly_one_in_order(live_server, racing):
    event = make_event("Vol congres", capacity=10)
    confirmed = [make_registration(event, name=f"Bevestigd {n}") for n in range(10)]
    waiting = [make_registration(event, name=f"Wachtend {n}", status=WAITING) for n in range(10)]
    leaving = confirmed[::2]

    answers = race(live_server, [(f"{r.get_absolute_url()}annuleren/", {}) for r in leaving])

    assert [(answer.status, answer.location) for answer in answers] == [
        (302, registration.get_absolute_url()) for registration in leaving
    ]
    assert statuses(event.registrations) == {CONFIRMED: 10, WAITING: 5, CANCELLED: 5}
    promoted = event.registrations.filter(status=CONFIRMED, name__startswith="Wachtend")
    assert sorted(promoted.values_list("pk", flat=True)) == [r.pk for r in waiting[:5]]
    still_waiting = event.registrations.filter(status=WAITING).order_by("created", "id")
    assert [r.waiting_position() for r in still_waiting] == [1, 2, 3, 4, 5]
    assert [r.pk for r in still_waiting] == [r.pk for r in waiting[5:]]
