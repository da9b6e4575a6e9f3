#!/usr/bin/env python
"""What does one request of each page cost in Django itself, cold and in counts mode?

wrk against gunicorn (bench/run.py) measures requests per second of the whole machine, which
other load moves by a factor of two. This script measures the part that is Django's alone:
it requests each page N times *in this process* through Django's test client, with DEBUG off
and the settings the benchmark's gunicorn uses (bench_settings, production-like environment),
and prints the mean CPU time of this process per request (`time.process_time`: PostgreSQL's
own work runs in its processes and is not counted), the wall time and the number of queries.

    .venv/bin/python bench/render_profile.py --database-url postgres://postgres@127.0.0.1:5432/DB
    .venv/bin/python bench/render_profile.py --pages list,detail -n 50 --modes cold
    .venv/bin/python bench/render_profile.py --profile list      # cProfile of 20 requests
    .venv/bin/python bench/render_profile.py --fragments off     # card fragments not kept

Modes as in bench/run.py: cold (page cache and query cache off), counts (query cache on).
The card fragment cache (DJANGO_FRAGMENT_CACHE) is on in both unless `--fragments off`;
`--fragments both` measures each mode with and without it. Each mode starts from an empty
Redis database (BENCH_REDIS_DB, default 5) and requests every page `--warmup` times before
measuring, so templates are compiled and whatever the mode keeps is kept: the figures are the
steady state of that mode, the first request is printed apart.

Pages render summaries and visit counts into the database (kernel/summaries.py, statistics),
so run it on a copy of the bench database (`createdb -T ikpob_bench <name>`), not the shared
one.
"""

import argparse
import cProfile
import datetime
import io
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from common import say

DEFAULT_PAGES = "floor,statement,home,list,deep,filtered,detail,theme,search,event"
MODES = {"cold": False, "counts": True}  # mode: QUERY_CACHE


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or common.database_url("ikpob_bench"),
        help="PostgreSQL on this machine (a copy of the bench database: pages write summaries)",
    )
    parser.add_argument("--modes", default="cold,counts", help="cold and/or counts")
    parser.add_argument("--pages", default=DEFAULT_PAGES, help=f"keys (default {DEFAULT_PAGES})")
    parser.add_argument("-n", "--requests", type=int, default=20, help="measured per page")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured requests per page")
    parser.add_argument("--fragments", choices=["on", "off", "both"], default="on")
    parser.add_argument(
        "--profile", metavar="PAGE", help="instead: cProfile of --requests requests of one page"
    )
    parser.add_argument("--profile-lines", type=int, default=40)
    parser.add_argument(
        "--language", default="nl", help="nl, or en for every page under /en/ (default nl)"
    )
    return parser.parse_args()


# Static files collected for this script alone (the manifest storage needs them): another
# bench's gunicorn may be serving bench/common.py's directory meanwhile.
STATIC_ROOT = Path(tempfile.gettempdir()) / "ikpob-render-profile-static"


def setup(url: str) -> None:
    env = common.server_env(url, BENCH_STATIC_ROOT=str(STATIC_ROOT))
    common.manage(env, "collectstatic", "--noinput", "-v0")
    common.setup_django(env)


def pages_to_measure(keys: list[str], language: str) -> list:
    import run

    targets = run.find_targets({})
    pages = {page.key: page for page in run.page_list(targets)}
    # For scale: what every request pays (the floor: middleware, no template) and a page of
    # base.html around a few paragraphs (header, menus, footer, metadata), no query of its own.
    pages["floor"] = run.Page("floor", "floor (trivial view)", "/__floor__/")
    pages["statement"] = run.Page("statement", "accessibility statement", "/toegankelijkheid/")
    pages["detail"] = pages.pop("detail", None) or pages.get("publication")
    chosen = []
    for key in keys:
        page = pages.get(key)
        if page is None:
            say(f"  no page {key!r} (known: {', '.join(sorted(pages))})")
            continue
        if language != "nl":
            page = run.Page(page.key, page.label, f"/{language}{page.path}")
        chosen.append(page)
    return chosen


def request_once(client, path: str) -> tuple[float, float, int, int]:
    """(CPU ms, wall ms, queries, bytes) of one GET."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        cpu, wall = time.process_time(), time.perf_counter()
        response = client.get(path)
        body = response.content
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if response.status_code != 200:
        raise SystemExit(f"bench: {path} answered {response.status_code}")
    return cpu * 1000, wall * 1000, len(queries), len(body)


def measure(pages, args: argparse.Namespace, mode: str, fragments: bool) -> list[dict]:
    from django.test import Client, override_settings

    rows = []
    with override_settings(PAGE_CACHE=False, QUERY_CACHE=MODES[mode], FRAGMENT_CACHE=fragments):
        common.flush_redis()
        client = Client(SERVER_NAME="127.0.0.1")
        for page in pages:
            first = request_once(client, page.path)
            for _ in range(args.warmup - 1):
                request_once(client, page.path)
            runs = [request_once(client, page.path) for _ in range(args.requests)]
            cpu = [run[0] for run in runs]
            rows.append(
                {
                    "page": page.key,
                    "path": page.path,
                    "mode": mode,
                    "fragments": "on" if fragments else "off",
                    "cpu_mean": statistics.fmean(cpu),
                    "cpu_median": statistics.median(cpu),
                    "wall_mean": statistics.fmean(run[1] for run in runs),
                    "queries": max(run[2] for run in runs),
                    "bytes": runs[-1][3],
                    "first_ms": first[1],
                }
            )
            row = rows[-1]
            say(
                f"  {mode:6} fragments {row['fragments']:3}  {page.key:9} "
                f"CPU {row['cpu_mean']:7.1f} ms (median {row['cpu_median']:6.1f})  "
                f"wall {row['wall_mean']:7.1f} ms  {row['queries']:3} queries  "
                f"{row['bytes']:>7,} B  first {row['first_ms']:7.0f} ms"
            )
    return rows


def profile(pages, args: argparse.Namespace, mode: str, fragments: bool) -> None:
    from django.test import Client, override_settings

    page = pages[0]
    with override_settings(PAGE_CACHE=False, QUERY_CACHE=MODES[mode], FRAGMENT_CACHE=fragments):
        common.flush_redis()
        client = Client(SERVER_NAME="127.0.0.1")
        for _ in range(args.warmup):
            request_once(client, page.path)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            client.get(page.path)
        profiler.disable()
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats(order).print_stats(args.profile_lines)
        say(f"\n## {page.path}, {mode}, fragments {'on' if fragments else 'off'}: by {order}")
        say(out.getvalue())


def main() -> None:
    args = parse_args()
    url = common.require_local_postgres(args.database_url)
    setup(url)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=common.ROOT, capture_output=True, text=True
    ).stdout.strip()
    say(
        f"# render_profile {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, "
        f"commit {commit}, database {common.database_name(url)}, "
        f"load average {' '.join(f'{load:.2f}' for load in os.getloadavg())}"
    )
    modes = [mode.strip() for mode in args.modes.split(",") if mode.strip()]
    if not modes or set(modes) - set(MODES):
        sys.exit("bench: --modes takes cold and/or counts")
    fragment_choices = {"on": [True], "off": [False], "both": [True, False]}[args.fragments]
    if args.profile:
        pages = pages_to_measure([args.profile], args.language)
        if not pages:
            sys.exit(1)
        profile(pages, args, modes[0], fragment_choices[0])
        return
    pages = pages_to_measure(args.pages.split(","), args.language)
    for page in pages:
        say(f"  {page.key:9} {page.path}")
    rows = []
    for mode in modes:
        for fragments in fragment_choices:
            rows += measure(pages, args, mode, fragments)
    say(
        f"\nMean over {args.requests} requests after {args.warmup} unmeasured; "
        f"load average now {' '.join(f'{load:.2f}' for load in os.getloadavg())}\n"
    )
    say("| page | mode | fragments | CPU ms/request | queries | bytes |")
    say("|---|---|---|---:|---:|---:|")
    for row in rows:
        say(
            f"| {row['page']} | {row['mode']} | {row['fragments']} | {row['cpu_mean']:.1f} | "
            f"{row['queries']} | {row['bytes']:,} |"
        )


if __name__ == "__main__":
    main()
