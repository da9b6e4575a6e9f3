#!/usr/bin/env python
"""What counting a page view costs a stored page, in CPU time per request.

bench/run's requests per second move with everything else the machine does (on a shared
machine by tens of percent between two runs of the same code), so this measures the CPU time
of this one process instead: two copies of the site's WSGI handler, one with the statistics
middleware (`ikpob_portal.kernel.statistics`) and one built without it, answer the same warm
pages from the page cache (Redis) in alternating rounds. Each request carries a browser's
User-Agent, so every answer is counted (and the buffer is written to the database every
DJANGO_STATISTICS_FLUSH_SECONDS, as in production).

    bench/statistics_overhead.py                 # on the database bench/run --keep left
    bench/statistics_overhead.py --requests 2000 --rounds 9

Only 127.0.0.1: PostgreSQL (the database ikpob_bench) and Redis (db 7, flushed at the start).
"""

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from common import say

DATABASE = "ikpob_bench"
REDIS_DB = 7
PAGES = ["/", "/publicaties/", "/themas/", "/evenementen/"]
BROWSER_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/140.0 Safari/537.36"
)
MIDDLEWARE = "ikpob_portal.kernel.statistics.StatisticsMiddleware"


def environ(path: str) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_USER_AGENT": BROWSER_USER_AGENT,
        "HTTP_ACCEPT": "text/html",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def get(handler, path: str) -> str:
    status = []
    response = handler(environ(path), lambda line, headers: status.append(line))
    for _chunk in response:
        pass
    response.close()
    return status[0]


def cpu_microseconds(handler, paths: list[str], requests: int) -> float:
    start = time.process_time()
    for number in range(requests):
        get(handler, paths[number % len(paths)])
    return (time.process_time() - start) / requests * 1_000_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per round")
    parser.add_argument("--rounds", type=int, default=7, help="rounds with and without")
    args = parser.parse_args()
    if not common.database_exists(DATABASE):
        sys.exit(f"bench: no database {DATABASE}; run bench/run --keep (or bench/seed) first")
    env = common.server_env(
        common.database_url(DATABASE),
        redis_db=REDIS_DB,
        DJANGO_PAGE_CACHE="1",
        DJANGO_PAGE_CACHE_SECONDS="3600",
        DJANGO_QUERY_CACHE="1",
        DJANGO_STATISTICS="1",
    )
    common.flush_redis(REDIS_DB)
    common.manage(env, "migrate", "--noinput", "-v0")  # the code may be newer than the seed
    common.setup_django(env)
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.utils import override_settings

    from ikpob_portal.kernel import statistics as counting
    from ikpob_portal.kernel.models import VisitCount

    if MIDDLEWARE not in settings.MIDDLEWARE:
        sys.exit(f"bench: {MIDDLEWARE} is not in MIDDLEWARE")
    with_counting = WSGIHandler()
    with override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != MIDDLEWARE]):
        without = WSGIHandler()
    for path in PAGES:  # rendered and stored once, then every request is a stored page
        for handler in (without, with_counting, with_counting):
            status = get(handler, path)
            if not status.startswith("200"):
                sys.exit(f"bench: {path} answered {status}")
    counting.flush()
    before = sum(VisitCount.objects.values_list("count", flat=True))

    say(f"{args.rounds} rounds of {args.requests:,} requests each over {', '.join(PAGES)}")
    timings: dict[str, list[float]] = {"without": [], "with": []}
    for round_number in range(args.rounds):
        # Alternating which goes first, so a slow moment of the machine hits both.
        order = [("without", without), ("with", with_counting)]
        for name, handler in order if round_number % 2 == 0 else reversed(order):
            timings[name].append(cpu_microseconds(handler, PAGES, args.requests))
        say(
            f"  round {round_number + 1}: without {timings['without'][-1]:.1f} µs, "
            f"with {timings['with'][-1]:.1f} µs CPU per request"
        )
    counting.flush()
    written = sum(VisitCount.objects.values_list("count", flat=True)) - before
    without_median = statistics.median(timings["without"])
    with_median = statistics.median(timings["with"])
    say(
        f"\nMedian CPU per stored page: without counting {without_median:.1f} µs, with "
        f"{with_median:.1f} µs: +{with_median - without_median:.1f} µs "
        f"({(with_median / without_median - 1) * 100:+.1f} %); "
        f"a ratio of {without_median / with_median:.3f} of the requests per second without"
    )
    # The fastest round is the one the machine's other load disturbed least.
    fastest = min(timings["without"]), min(timings["with"])
    say(
        f"Fastest round: without {fastest[0]:.1f} µs, with {fastest[1]:.1f} µs: "
        f"+{fastest[1] - fastest[0]:.1f} µs ({(fastest[1] / fastest[0] - 1) * 100:+.1f} %)"
    )
    expected = args.rounds * args.requests
    say(f"Counted and written: {written:,} of {expected:,} requests with counting")


if __name__ == "__main__":
    main()
