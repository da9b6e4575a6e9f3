#!/usr/bin/env python
"""The registration form under abuse (issue 17, finding 1), against gunicorn on loopback.

Creates a throwaway PostgreSQL database, makes one event with the ORM (published, in two weeks,
unlimited places, registration open), starts gunicorn with production-like settings (DEBUG off,
Redis, the form token checked with a minimum fill time of 1 s, the default limits), then:

(a) replay: one visitor fetches the form once and posts that same form 10 times (a new e-mail
    address each time, so only the form token can stop it); prints how many were accepted
    (must be 1).
(b) flood: 30 visitors, each from its own loopback source address (127.0.0.x; the site trusts
    no proxy header by default, so the client address is the connection's), each fetch a fresh
    form and post it at the same moment; prints how many were accepted, the editors' alert
    mails in the outbox (must be 1) and the 5xx answers (must be 0).

Loopback only (127.0.0.1 and 127.0.0.x), every request with a timeout, the database dropped
and gunicorn stopped at the end. Exits non-zero when a figure misses its target.

    bench/abuse
"""

import argparse
import datetime
import http.client
import re
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
import registrations as registration_bench
from common import say

DATABASE = "ikpob_bench_abuse"
REDIS_DB = 7  # its own Redis database, flushed at the start (bench/registrations uses 5)
TIMEOUT = 30  # seconds per request
MIN_FILL_SECONDS = 1
REPLAYS = 10
FLOOD = 30
ALERT_KIND = "events.registration_alert"


@dataclass
class Answer:
    status: int
    location: str
    body: str


class LoopbackVisitor:
    """One browser on its own loopback source address: cookies by hand, no redirects."""

    def __init__(self, port: int, source: str) -> None:
        self.port = port
        self.source = source
        if not re.fullmatch(r"127\.\d{1,3}\.\d{1,3}\.\d{1,3}", source):
            sys.exit(f"bench: refusing source address {source!r}: loopback only")
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: list | None = None) -> Answer:
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=TIMEOUT, source_address=(self.source, 0)
        )
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return Answer(
                response.status,
                response.getheader("Location") or "",
                response.read().decode("utf-8", errors="replace"),
            )
        finally:
            connection.close()

    def fetch_form(self, path: str) -> list[tuple[str, str]]:
        page = self.request("GET", path)
        if page.status != 200:
            raise RuntimeError(f"GET {path}: {page.status}")
        return common.form_with(page.body, "csrfmiddlewaretoken").data()


def filled(form: list[tuple[str, str]], number: int) -> list[tuple[str, str]]:
    values = {
        "name": f"Deelnemer {number}",
        "email": f"deelnemer{number}@bench.example.org",
        "organisation": "Gemeente Benchmark",
        "consent": "on",
    }
    data = [(name, values.pop(name, value)) for name, value in form]
    return data + list(values.items())


def accepted(answer: Answer) -> bool:
    return answer.status == 302 and answer.location.startswith("/aanmelding/")


def replay(port: int, path: str) -> tuple[int, int]:
    """(a): one fetched form, posted REPLAYS times; (accepted, 5xx)."""
    visitor = LoopbackVisitor(port, "127.0.0.2")
    form = visitor.fetch_form(path)
    time.sleep(MIN_FILL_SECONDS + 0.2)  # a person's fill time, so only the replay is refused
    answers = [visitor.request("POST", path, filled(form, 1000 + n)) for n in range(REPLAYS)]
    return sum(accepted(a) for a in answers), sum(a.status >= 500 for a in answers)


def flood(port: int, path: str) -> tuple[int, int, list[str]]:
    """(b): FLOOD visitors from FLOOD source addresses post at once; (accepted, 5xx, errors)."""
    barrier = threading.Barrier(FLOOD, timeout=TIMEOUT)
    answers: list[Answer | None] = [None] * FLOOD
    errors: list[str] = []

    def visit(number: int) -> None:
        visitor = LoopbackVisitor(port, f"127.0.1.{number + 1}")
        try:
            form = visitor.fetch_form(path)
        except Exception as error:
            errors.append(f"GET {type(error).__name__}: {error}")
            barrier.abort()
            return
        try:
            barrier.wait()
            time.sleep(MIN_FILL_SECONDS + 0.2)
            answers[number] = visitor.request("POST", path, filled(form, number))
        except Exception as error:
            errors.append(f"POST {type(error).__name__}: {error}")

    threads = [threading.Thread(target=visit, args=(n,), daemon=True) for n in range(FLOOD)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=3 * TIMEOUT)
    done = [a for a in answers if a is not None]
    return sum(accepted(a) for a in done), sum(a.status >= 500 for a in done), errors


def main() -> None:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    url = common.database_url(DATABASE)
    env = common.server_env(
        url, redis_db=REDIS_DB, DJANGO_FORM_MIN_FILL_SECONDS=str(MIN_FILL_SECONDS)
    )
    failed = True
    try:
        common.drop_database(DATABASE)
        common.create_database(DATABASE)
        say(f"Database {DATABASE}: migrate + collectstatic …")
        common.migrate_and_collect(env)
        common.setup_django(env)
        from ikpob_portal.kernel.models import OutgoingMail

        event = registration_bench.make_event(
            f"Benchmark misbruik {datetime.datetime.now(datetime.UTC):%Y%m%d-%H%M%S}", capacity=None
        )
        path = f"/evenementen/{event.slug}/aanmelden/"
        common.flush_redis(REDIS_DB)
        with common.Gunicorn(env, workers=2) as server:
            replay_accepted, replay_5xx = replay(server.port, path)
            flood_accepted, flood_5xx, errors = flood(server.port, path)
            log_errors = server.errors_in_log()
        alerts = OutgoingMail.objects.filter(kind=ALERT_KIND, object_id=event.pk).count()
        registrations = event.registrations.count()
        say("")
        say(f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M UTC}")
        load = common.load_average()
        say(f"- commit: {common.commit_hash()}; nproc {common.nproc()}; load {load}")
        say(f"- PostgreSQL {common.postgres_version()}; gunicorn 2 workers; Redis db {REDIS_DB}")
        say("")
        say("| figure | value | target |")
        say("|---|---:|---|")
        say(f"| (a) one fetched form posted {REPLAYS}×: accepted | {replay_accepted} | 1 |")
        say(f"| (b) {FLOOD} addresses at once: accepted | {flood_accepted} | {FLOOD} |")
        say(f"| (b) editors' alert mails in the outbox | {alerts} | 1 |")
        say(f"| 5xx, (a) and (b) | {replay_5xx + flood_5xx} | 0 |")
        say(f"| registrations in the database | {registrations} | {1 + FLOOD} |")
        if errors:
            say(f"\nClient errors, e.g.: {sorted(set(errors))[:3]}")
        if log_errors:
            say(f"gunicorn log has {len(log_errors)} error lines, e.g. {log_errors[:3]}")
        failed = (
            replay_accepted != 1
            or flood_accepted != FLOOD
            or alerts != 1
            or replay_5xx + flood_5xx > 0
            or bool(errors)
        )
    finally:
        from django.apps import apps

        if apps.ready:
            from django.db import connections

            connections.close_all()
        common.drop_database(DATABASE)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
