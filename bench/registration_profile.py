#!/usr/bin/env python
"""What one registration costs in CPU, per request, in this process (no gunicorn, no wrk).

`bench/registrations` measures registrations per second with 200 clients, but on a shared
machine its figures move with everything else the machine does. This runs the same requests
as each of its clients, through Django's test client with the benchmark's production-like
settings (DEBUG off, Redis cache, the same rate limits and form settings as
`bench/registrations`), and reports the CPU time (time.process_time) and the queries of each
step:

1. GET  /evenementen/<slug>/aanmelden/   (the form; the client keeps the csrftoken cookie)
2. POST the form as filled in by `registrations.fill` (a unique address each)
3. GET  the personal page the POST redirects to (…/aanmelding/<token>/?nieuw=1)

Each run makes an event like bench/registrations' (in two weeks, in person, no sessions)
with `--capacity` places, so half of the default 200 registrations are confirmed (their page
shows the QR code) and half wait, as in the bench. The CPU figures come from a pass without
query capture; the query counts from a second, short pass with it; then a cProfile pass
prints the top functions by cumulative and by own time (`--profile 0` skips it).

The database must be a migrated local PostgreSQL database of your own (events are created
in it and deleted afterwards, with the outbox rows and mail tasks their registrations queued):

    bench/registration_profile.py --database-url postgres://postgres@127.0.0.1:5432/reg_bench
    bench/registration_profile.py --database-url … --registrations 400 --capacity 200 --profile 100

Only 127.0.0.1: PostgreSQL and Redis (BENCH_REDIS_DB, default 5, flushed at the start).
"""

import argparse
import cProfile
import datetime
import functools
import io
import os
import pstats
import secrets
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from common import say

STEPS = ("form", "post", "page")
SHOW_QUERIES = "--show-queries" in sys.argv
STATIC_ROOT = Path(tempfile.gettempdir()) / "ikpob-registration-profile-static"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a migrated local PostgreSQL db")
    parser.add_argument("--registrations", type=int, default=200, help="per timed pass")
    parser.add_argument("--capacity", type=int, help="places (default: half the registrations)")
    parser.add_argument("--queries", type=int, default=20, help="registrations with query capture")
    parser.add_argument("--profile", type=int, default=100, help="registrations under cProfile")
    parser.add_argument(
        "--profile-steps",
        nargs="+",
        choices=STEPS,
        default=list(STEPS),
        help="the steps the profile covers (default: all three)",
    )
    parser.add_argument(
        "--show-queries", action="store_true", help="print the SQL of the first captured one"
    )
    parser.add_argument("--profile-file", help="also write the profile there (pstats)")
    parser.add_argument("--top", type=int, default=35, help="lines of each profile list")
    parser.add_argument("--warmup", type=int, default=20, help="untimed registrations first")
    return parser.parse_args()


def setup(url: str) -> None:
    env = common.server_env(
        url,
        # As bench/registrations: everyone is 127.0.0.1, and 200 registrations for one event.
        DJANGO_REGISTRATION_RATE_LIMIT_PER_HOUR="1000000",
        DJANGO_REGISTRATION_RATE_LIMIT_PER_EVENT_PER_HOUR="1000000",
        # Static files of its own (the manifest the templates' {% static %} reads), collected
        # once: not the directory a running bench/run or bench/registrations uses.
        BENCH_STATIC_ROOT=str(STATIC_ROOT),
    )
    if not (STATIC_ROOT / "staticfiles.json").exists():
        common.manage(env, "collectstatic", "--noinput", "-v0")
    common.setup_django(env)
    # Kept between requests, as gunicorn's workers keep theirs (CONN_MAX_AGE in production).
    from django.db import connection

    connection.settings_dict["CONN_MAX_AGE"] = None
    common.flush_redis()


@functools.cache
def shared_handler():
    from django.test.client import ClientHandler

    return ClientHandler(enforce_csrf_checks=True)


class Visitor:
    """One bench client: its own cookies, the three requests, CPU and queries per step."""

    USER_AGENT = "Python-urllib/3.13"  # what bench/registrations' clients send

    def __init__(self, index: int, slug: str, run_id: str) -> None:
        from django.test import Client

        self.client = Client(
            enforce_csrf_checks=True, HTTP_HOST="127.0.0.1", HTTP_USER_AGENT=self.USER_AGENT
        )
        # One handler for every visitor, as one gunicorn worker has: a new one loads the
        # middleware again (WhiteNoise scans the static files), which is not a request's cost.
        self.client.handler = shared_handler()
        self.index = index
        self.path = f"/evenementen/{slug}/aanmelden/"
        self.run_id = run_id

    def register(
        self,
        cpu: dict[str, list[float]],
        queries: dict[str, list[int]] | None,
        profiler: cProfile.Profile | None = None,
        profiled: tuple[str, ...] = STEPS,
    ) -> None:
        import registrations

        def step(name: str, call):
            if queries is not None:
                from django.db import connection
                from django.test.utils import CaptureQueriesContext

                with CaptureQueriesContext(connection) as captured:
                    response = call()
                queries[name].append(len(captured))
                if SHOW_QUERIES and len(queries[name]) == 1:
                    say(f"\n{name}: {len(captured)} queries")
                    for query in captured.captured_queries:
                        say(f"  {query['sql'][:400]}")
                return response
            if profiler is not None:
                if name not in profiled:
                    return call()
                profiler.enable()
                try:
                    return call()
                finally:
                    profiler.disable()
            start = time.process_time()
            response = call()
            cpu[name].append(time.process_time() - start)
            return response

        page = step("form", lambda: self.client.get(self.path))
        assert page.status_code == 200, page.status_code
        form = common.form_with(page.content.decode(), "csrfmiddlewaretoken")
        data = registrations.fill(form, self.index, self.run_id)
        url = f"http://127.0.0.1{self.path}"
        posted = step(
            "post",
            # Encoded as a browser (and bench/registrations' urllib) sends a form.
            lambda: self.client.post(
                self.path,
                urllib.parse.urlencode(data),
                content_type="application/x-www-form-urlencoded",
                HTTP_REFERER=url,
            ),
        )
        assert posted.status_code == 302, (posted.status_code, posted.content[:2000])
        location = posted["Location"]
        assert "/aanmelding/" in location, location
        personal = step("page", lambda: self.client.get(location))
        assert personal.status_code == 200, personal.status_code


def run(
    count: int,
    capacity: int,
    *,
    queries: bool = False,
    profiler: cProfile.Profile | None = None,
    profiled: tuple[str, ...] = STEPS,
):
    import registrations
    from django.utils import timezone

    since = timezone.now()
    event = registrations.make_event(
        f"Profiel aanmelden {datetime.datetime.now():%Y%m%d-%H%M%S-%f}",  # noqa: DTZ005
        capacity,
    )
    run_id = secrets.token_hex(3)
    cpu: dict[str, list[float]] = {step: [] for step in STEPS}
    counted: dict[str, list[int]] | None = {step: [] for step in STEPS} if queries else None
    try:
        for index in range(count):
            Visitor(index, event.slug, run_id).register(cpu, counted, profiler, profiled)
        found = registrations.counts(event)
    finally:
        event.registrations.all().delete()
        event.delete()
        forget_mail(since)
    return cpu, counted, found


def forget_mail(since) -> None:
    """Delete the outbox rows and mail tasks the run queued: no worker sends them, and a mail
    worker started later on this database (bench/registrations) would send them all first."""
    from django_tasks_db.models import DBTaskResult

    from ikpob_portal.kernel.models import OutgoingMail

    OutgoingMail.objects.filter(created_at__gte=since).delete()
    DBTaskResult.objects.filter(enqueued_at__gte=since).delete()


def report_profile(profiler: cProfile.Profile, top: int) -> None:
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.strip_dirs().sort_stats(order).print_stats(top)
        say(f"\n#### cProfile, by {order}\n")
        say(out.getvalue().split("\n", 4)[-1].rstrip())  # without the header lines


def main() -> None:
    args = parse_args()
    setup(common.require_local_postgres(args.database_url))
    from django.conf import settings

    capacity = args.capacity if args.capacity is not None else args.registrations // 2
    if args.warmup:
        run(args.warmup, args.warmup // 2)
    cpu, _none, found = run(args.registrations, capacity)
    _none, counted, _found = run(args.queries, args.queries // 2, queries=True)

    say(f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M UTC}")
    say(f"- commit: {common.commit_hash()}; nproc {common.nproc()}; load {common.load_average()}")
    say(f"- PostgreSQL {common.postgres_version()}; DEBUG {settings.DEBUG}; pid {os.getpid()}")
    say(
        f"- {args.registrations} registrations, {capacity} places: "
        f"{found['confirmed']} confirmed, {found['waiting']} waiting"
    )
    say("")
    say("| step | CPU ms mean | median | p90 | queries (mean of " + f"{args.queries}) |")
    say("|---|---:|---:|---:|---:|")
    total = 0.0
    for name in STEPS:
        values = sorted(cpu[name])
        mean = statistics.fmean(values) * 1000
        total += mean
        p90 = values[int(0.9 * (len(values) - 1))] * 1000
        say(
            f"| {name} | {mean:.2f} | {statistics.median(values) * 1000:.2f} | {p90:.2f} | "
            f"{statistics.fmean(counted[name]):.1f} |"
        )
    say(f"| POST + personal page | {total - statistics.fmean(cpu['form']) * 1000:.2f} | | | |")
    say(f"| all three | {total:.2f} | | | |")

    if args.profile:
        profiler = cProfile.Profile(time.process_time)  # CPU, as the table
        run(args.profile, args.profile // 2, profiler=profiler, profiled=tuple(args.profile_steps))
        report_profile(profiler, args.top)
        if args.profile_file:
            profiler.dump_stats(args.profile_file)


if __name__ == "__main__":
    main()
