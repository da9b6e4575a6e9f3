#!/usr/bin/env python
"""200 people register at the same moment for an event with 100 places, through the real form.

Creates a throwaway database (or uses --database-url, a local PostgreSQL database that is
already migrated), makes an event there with the ORM (published, in two weeks, capacity 100,
registration open, no sessions), starts gunicorn with production settings and a registration
rate limit high enough for 200 visitors from one address, and beside it the mail worker as
`make serve` does (`manage.py db_worker`, niced; production's task backend, django-tasks-db),
and then runs 200 clients in threads. Each client GETs /evenementen/<slug>/aanmelden/ (its own
cookies: the csrftoken), reads the form's hidden csrfmiddlewaretoken and its required fields,
and waits at a barrier; all POST at once (a unique email each) and follow the redirect to
their personal page.

Reports registrations per second (successful POSTs / wall time of the POST phase), confirmed
and waiting (counted in the database), errors, 5xx responses, and whether confirmed ≤ capacity;
then waits until the worker has sent every mail the registrations queued (the outbox rows are
done) and reports how many were sent and how long after the last registration the queue was
empty. Mail goes to the console backend (the worker's log), not to an SMTP server.
Exits non-zero on overbooking, a 5xx, another error, or mail left unsent.

    bench/registrations
    bench/registrations --clients 200 --capacity 100 --workers 2
"""

import argparse
import datetime
import secrets
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from common import say

DATABASE = "ikpob_bench_registrations"
RATE_LIMIT = "1000000"  # DJANGO_REGISTRATION_RATE_LIMIT_PER_HOUR: everyone is 127.0.0.1


@dataclass
class Outcome:
    index: int
    base_url: str
    get_status: int = 0
    post_status: int = 0
    final_url: str = ""
    started: float = 0.0
    finished: float = 0.0
    error: str = ""

    @property
    def registered(self) -> bool:
        return not self.error and self.post_status == 200 and "/aanmelding/" in self.final_url


@dataclass
class Summary:
    clients: int
    successful: int
    wall_seconds: float
    ended: float  # time.perf_counter() when the last POST was answered
    errors: int
    server_errors: int
    error_samples: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.successful / self.wall_seconds if self.wall_seconds else 0.0


def make_event(title: str, capacity: int):
    """A published event in two weeks, registration open, `capacity` places, no sessions."""
    from django.utils import timezone
    from django.utils.text import slugify

    from events.models import Event

    now = timezone.now()
    starts = now + datetime.timedelta(days=14)
    return Event.objects.create(
        title=title,
        slug=slugify(title),
        summary="Een evenement voor de benchmark van gelijktijdige aanmeldingen.",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=6),
        venue_name="Stadhuis Utrecht",
        venue_address="Stadhuisbrug 1, Utrecht",
        registration_required=True,
        capacity=capacity,
        status=Event.Status.PUBLISHED,
        published_at=now - datetime.timedelta(hours=1),
    )


def counts(event) -> dict[str, int]:
    from django.db.models import Count

    from events.models import Registration

    rows = Registration.objects.filter(event=event).values("status").annotate(n=Count("pk"))
    found = {row["status"]: row["n"] for row in rows}
    return {status: found.get(status, 0) for status in Registration.Status.values}


def fill(form: common.Form, index: int, run_id: str) -> list[tuple[str, str]]:
    """What a visitor types: every required field, and a unique email address."""
    values = {
        "email": f"deelnemer{index}-{run_id}@bench.example.org",
        "name": f"Deelnemer {index}",
        "organisation": "Gemeente Benchmark",
    }
    for f in form.fields:
        if f.name in values or not f.required:
            continue
        if f.type == "email":
            values[f.name] = values["email"]
        elif f.type == "checkbox":
            f.checked = True
        elif f.tag == "select" and f.options:
            values[f.name] = next((value for value, _ in f.options if value), f.options[0][0])
        else:
            values[f.name] = f"Benchmark {index}"
    data = [(name, values.get(name, value)) for name, value in form.data()]
    present = {name for name, _ in data}
    data += [(name, value) for name, value in values.items() if name not in present]
    return data


def fire(
    base_urls: list[str],
    slug: str,
    clients: int,
    *,
    timeout: float = 120,
    at_start: Callable[[], None] | None = None,
) -> Summary:
    """`clients` visitors, spread round-robin over base_urls, all POSTing at one moment
    (`at_start` runs once all have their form, just before they post)."""
    run_id = secrets.token_hex(3)
    path = f"/evenementen/{slug}/aanmelden/"
    barrier = threading.Barrier(clients, action=at_start, timeout=timeout)
    outcomes = [Outcome(i, base_urls[i % len(base_urls)]) for i in range(clients)]

    def visitor(outcome: Outcome) -> None:
        data = None
        client = common.Client(outcome.base_url, timeout=timeout)
        try:
            page = client.get(path)
            outcome.get_status = page.status
            if page.status != 200:
                outcome.error = f"GET {page.status}"
            else:
                form = common.form_with(page.text, "csrfmiddlewaretoken")
                if not client.cookie("csrftoken"):
                    outcome.error = "no csrftoken cookie"
                else:
                    data = fill(form, outcome.index, run_id)
        except Exception as error:
            outcome.error = f"GET {type(error).__name__}: {error}"
        try:
            barrier.wait()  # everyone, also a visitor whose GET failed: nobody waits forever
        except threading.BrokenBarrierError:
            outcome.error = outcome.error or "barrier broken"
            return
        if data is None:
            return
        outcome.started = time.perf_counter()
        try:
            response = client.post(path, data)
            outcome.post_status, outcome.final_url = response.status, response.url
            if not outcome.registered:
                outcome.error = f"POST {response.status} at {response.url}"
        except Exception as error:
            outcome.error = f"POST {type(error).__name__}: {error}"
        outcome.finished = time.perf_counter()

    threads = [threading.Thread(target=visitor, args=(o,), daemon=True) for o in outcomes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=2 * timeout + 30)
    timed = [o for o in outcomes if o.started and o.finished]
    ended = max((o.finished for o in timed), default=time.perf_counter())
    wall = ended - min(o.started for o in timed) if timed else 0.0
    errors = [o for o in outcomes if o.error]
    return Summary(
        clients=clients,
        successful=sum(o.registered for o in outcomes),
        wall_seconds=wall,
        ended=ended,
        errors=len(errors),
        server_errors=sum(1 for o in outcomes if o.get_status >= 500 or o.post_status >= 500),
        error_samples=sorted({o.error for o in errors})[:5],
    )


@dataclass
class MailQueue:
    queued: int
    sent: int
    drained_after: float | None  # seconds after the last registration; None: not in time


def wait_for_mail(since, ended: float, *, timeout: float = 300) -> MailQueue:
    """Wait until every outbox row made since `since` is done (the worker sent it)."""
    from django.db import close_old_connections

    from ikpob_portal.kernel.models import OutgoingMail

    rows = OutgoingMail.objects.filter(created_at__gte=since)
    deadline = time.perf_counter() + timeout
    drained_after = None
    while True:
        close_old_connections()
        if not rows.filter(done_at__isnull=True).exists():
            drained_after = time.perf_counter() - ended
            break
        if time.perf_counter() > deadline:
            break
        time.sleep(0.1)
    return MailQueue(
        queued=rows.count(),
        sent=rows.filter(outcome=OutgoingMail.Outcome.SENT).count(),
        drained_after=drained_after,
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--capacity", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--database-url",
        help="a migrated local PostgreSQL database to use instead of a throwaway one",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database (and event)")
    args = parser.parse_args()
    if not 1 <= args.clients <= 1000:
        parser.error("--clients 1–1000")
    return args


def main() -> None:
    args = parse_args()
    throwaway = not args.database_url
    url = args.database_url or common.database_url(DATABASE)
    common.require_local_postgres(url)
    env = common.server_env(
        url,
        DJANGO_REGISTRATION_RATE_LIMIT_PER_HOUR=RATE_LIMIT,
        # 200 registrations for one event in a minute is the point here (bench/abuse.py
        # shows the limits per event and per address).
        DJANGO_REGISTRATION_RATE_LIMIT_PER_EVENT_PER_HOUR=RATE_LIMIT,
    )
    event = None
    failed = True
    try:
        if throwaway:
            common.drop_database(DATABASE)
            common.create_database(DATABASE)
        say(f"Database {common.database_name(url)}: migrate + collectstatic …")
        common.migrate_and_collect(env)
        common.setup_django(env)
        title = f"Benchmark aanmelden {datetime.datetime.now():%Y%m%d-%H%M%S}"  # noqa: DTZ005
        event = make_event(title, args.capacity)
        common.flush_redis()
        say(
            f"{args.clients} clients, one event with {args.capacity} places, "
            f"{args.workers} gunicorn workers"
        )
        from django.utils import timezone

        since = timezone.now()
        with common.Gunicorn(env, workers=args.workers) as server, common.TaskWorker(env) as worker:
            # CPU seconds used: by the gunicorn workers in the POST phase, by the mail worker
            # until the queue is empty (the same machine, so both count against the 2 cores).
            cpu: dict[str, float] = {}

            def posting_starts() -> None:
                cpu.update(web=-server.worker_cpu_seconds(), mail=-worker.cpu_seconds())

            posting_starts()  # again at the barrier, unless a visitor's GET broke it
            summary = fire([server.url()], event.slug, args.clients, at_start=posting_starts)
            cpu["web"] += server.worker_cpu_seconds()
            rss = server.worker_rss_mb()
            mail = wait_for_mail(since, summary.ended)
            cpu["mail"] += worker.cpu_seconds()
            rss["mail worker"] = worker.rss_mb()
            log_errors = server.errors_in_log() + worker.errors_in_log()
        found = counts(event)
        failed = report(summary, found, args.capacity, log_errors, rss, mail, cpu)
    finally:
        if event is not None and not args.keep and not throwaway:
            event.registrations.all().delete()
            event.delete()
        from django.apps import apps

        if apps.ready:
            from django.db import connections

            connections.close_all()
        if throwaway and not args.keep:
            common.drop_database(DATABASE)
    sys.exit(1 if failed else 0)


def report(
    summary: Summary,
    found: dict[str, int],
    capacity: int,
    log_errors: list,
    rss: dict,
    mail: MailQueue,
    cpu: dict[str, float],
) -> bool:
    confirmed, waiting = found["confirmed"], found["waiting"]
    no_overbooking = confirmed <= capacity
    say("")
    say(f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M UTC}")
    say(f"- commit: {common.commit_hash()}; nproc {common.nproc()}; load {common.load_average()}")
    say(f"- PostgreSQL {common.postgres_version()}")
    say("")
    say("| figure | value | target |")
    say("|---|---:|---|")
    say(
        f"| registrations/s | {summary.per_second:,.1f} "
        f"({summary.successful} in {summary.wall_seconds:.2f} s) | ≥ 100 |"
    )
    say(f"| confirmed | {confirmed} | ≤ {capacity} |")
    say(f"| waiting | {waiting} | |")
    say(f"| errors | {summary.errors} | 0 |")
    say(f"| 5xx | {summary.server_errors} | 0 |")
    say(f"| zero overbooking | {'yes' if no_overbooking else 'NO'} | yes |")
    web_rss = ", ".join(f"{mb:.0f}" for pid, mb in rss.items() if pid != "mail worker")
    mail_rss = rss.get("mail worker", 0.0)
    say(f"| RSS (MB): gunicorn workers; mail worker | {web_rss}; {mail_rss:.0f} | < 150 |")
    say(f"| mails sent by the worker | {mail.sent} of {mail.queued} queued | all |")
    drained = f"{mail.drained_after:.1f} s" if mail.drained_after is not None else "NOT drained"
    say(f"| mail queue empty after the last registration | {drained} | |")
    if summary.successful:
        per_registration = 1000 * cpu["web"] / summary.successful  # milliseconds
        say(f"| web CPU per registration (POST, personal page) | {per_registration:.1f} ms | |")
    if mail.sent:
        say(f"| mail worker CPU per mail | {1000 * cpu['mail'] / mail.sent:.1f} ms | |")
    if summary.error_samples:
        say(f"\nErrors, e.g.: {summary.error_samples}")
    if log_errors:
        say(f"gunicorn log has {len(log_errors)} error lines, e.g. {log_errors[:3]}")
    complete = confirmed + waiting == summary.successful
    if not complete:
        say(f"Database rows ({confirmed + waiting}) ≠ successful POSTs ({summary.successful})")
    say(f"\nTarget ≥ 100 registrations/s: {'met' if summary.per_second >= 100 else 'not met'}")
    all_sent = mail.drained_after is not None and mail.sent == mail.queued
    return (
        not no_overbooking
        or summary.server_errors > 0
        or summary.errors > 0
        or not complete
        or not all_sent
    )


if __name__ == "__main__":
    main()
