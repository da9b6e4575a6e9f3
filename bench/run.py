#!/usr/bin/env python
"""How many requests per second do the portal's pages take under gunicorn, cold and warm?

Seeds a PostgreSQL database (bench/seed: 100,000 publications at --scale 1; or reuses the
database ikpob_bench with --reuse), starts gunicorn on 127.0.0.1 with production settings, and
loads every page type with wrk from this machine, in three modes: cold (DJANGO_PAGE_CACHE=0,
DJANGO_QUERY_CACHE=0: every query of every page runs), counts (pages rendered, but counts and
rankings kept per content version) and warm (stored pages, after one warm-up request per page),
each with its own gunicorn and its own floor: a trivial view behind the same middleware
(bench/bench_urls.py; never a stored page), so that "page / floor" says what a page costs
beyond what every request pays.

Also measures: the search page's p95 over sequential requests, the RSS of every gunicorn
worker, whether a publication and the RSS feed answer a conditional GET with 304, and whether
a static file is served compressed with a far-future Cache-Control.

    bench/run                           # seed (about 100,000 publications), measure, drop
    bench/run --scale 0.1 --duration 5  # smaller and quicker
    bench/run --keep                    # keep the database ikpob_bench for --reuse
    bench/run --reuse --json out.json

Only 127.0.0.1: PostgreSQL, Redis (db 5, flushed at every gunicorn start) and gunicorn.
"""

import argparse
import datetime
import json
import math
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from common import say

DATABASE = "ikpob_bench"
SEARCH = "/zoeken/?q=ambtelijk+vakmanschap"
DEEP_PAGE = 2500
PAGE_SIZE = 20  # settings.PAGE_SIZE
RSS_TARGET_MB = 150
# What bench/seed reported, kept with --keep for a later --reuse.
TARGETS_FILE = Path(tempfile.gettempdir()) / f"{DATABASE}-seed-targets.json"
ONE_YEAR = 365 * 24 * 3600
BROWSER_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/140.0 Safari/537.36"
)


@dataclass
class Page:
    key: str
    label: str
    path: str


@dataclass
class Result:
    key: str
    label: str
    path: str
    status: int = 0
    size: int = 0
    requests: int = 0
    rps: float = 0.0
    p50_ms: float | None = None
    p99_ms: float | None = None
    non_2xx: int = 0
    socket_errors: dict[str, int] = field(default_factory=dict)
    ratio: float | None = None
    first_ms: float = 0.0
    seconds: int = 0
    drain_seconds: float = 0.0
    error: str = ""


# --- Seeding and the pages ------------------------------------------------------------------


def seed_database(args: argparse.Namespace, url: str) -> dict:
    """Run bench/seed (or loaddemo when it is not there yet); returns its SEED-TARGETS."""
    wrapper, script = common.BENCH / "seed", common.BENCH / "seed.py"
    if (wrapper.exists() or script.exists()) and not args.demo:
        python = str(common.VENV_BIN / "python")
        runner = [str(wrapper)] if wrapper.exists() else [python, str(script)]
        command = [
            *runner,
            "--database-url",
            url,
            "--scale",
            str(args.scale),
            "--drop-first",
            "--create",
        ]
        say(f"Seeding {common.database_name(url)} with bench/seed --scale {args.scale} …")
        start = time.monotonic()
        lines = []
        with subprocess.Popen(
            command, cwd=common.ROOT, stdout=subprocess.PIPE, text=True
        ) as process:
            for line in process.stdout:  # shown as it comes: seeding takes minutes
                lines.append(line.rstrip("\n"))
                if not line.startswith("SEED-TARGETS "):
                    say(f"  {lines[-1]}")
        if process.returncode != 0:
            sys.exit(f"bench: bench/seed failed (exit {process.returncode})")
        say(f"  seeded in {time.monotonic() - start:.0f} s")
        for line in reversed(lines):
            if line.startswith("SEED-TARGETS "):
                return json.loads(line.removeprefix("SEED-TARGETS "))
        say("  (bench/seed printed no SEED-TARGETS line; finding pages from the database)")
        return {}
    say(f"Seeding {common.database_name(url)} with manage.py loaddemo (small) …")
    common.drop_database(common.database_name(url))
    common.create_database(common.database_name(url))
    env = common.server_env(url)
    common.manage(env, "migrate", "--noinput", "-v0")
    common.manage(env, "loaddemo", "-v0")
    return {}


def find_targets(seeded: dict) -> dict[str, str]:
    """Page URLs from the database (Django is set up), preferring what the seed reported."""
    from django.db.models import Count

    from events.models import Event
    from publications.models import Publication

    published = Publication.objects.published()
    count = published.count()
    if not count:
        sys.exit("bench: the database has no published publications; seed it first")
    themed = published.annotate(n=Count("themes")).filter(n__gt=0).order_by("-published_at")
    sample = themed.first() or published.order_by("-published_at").first()
    theme = sample.themes.order_by("slug").first()
    event = Event.objects.published().order_by("-starts_at").first()
    filtered = None
    if theme is not None and sample.publication_year:
        filtered = (
            f"/publicaties/?thema={theme.slug}&soort={sample.kind}&jaar={sample.publication_year}"
        )
    pages = min(DEEP_PAGE, math.ceil(count / PAGE_SIZE))
    targets = {
        # bench/seed's SEED-TARGETS keys; found in the database when missing (loaddemo, --reuse).
        "publication": seeded.get("publication") or sample.get_absolute_url(),
        "theme": seeded.get("theme") or (theme.get_absolute_url() if theme else None),
        "event": seeded.get("event") or (event.get_absolute_url() if event else None),
        "filtered": seeded.get("filters") or filtered,
        "deep": f"/publicaties/?page={pages}",
        "publications": f"{count:,}",
    }
    # The seed may give absolute URLs; only the path goes to the server under test.
    for key in ("publication", "theme", "event", "filtered"):
        value = targets[key]
        if value and value.startswith("http"):
            parts = value.split("/", 3)
            targets[key] = "/" + (parts[3] if len(parts) > 3 else "")
    return targets


def page_list(targets: dict[str, str]) -> list[Page]:
    pages = [
        Page("home", "home", "/"),
        Page("list", "publications, page 1", "/publicaties/"),
        Page("deep", "publications, deep page", targets["deep"]),
        Page("filtered", "publications, three filters", targets["filtered"]),
        Page("detail", "publication", targets["publication"]),
        Page("theme", "theme page", targets["theme"]),
        Page("search", "search, two words", SEARCH),
        Page("event", "event", targets["event"]),
        Page("oai", "OAI-PMH ListRecords", "/oai/?verb=ListRecords&metadataPrefix=oai_dc"),
        Page("ics", "agenda .ics", "/evenementen/agenda.ics"),
    ]
    missing = [page.label for page in pages if not page.path]
    if missing:
        say(f"  no URL for: {', '.join(missing)} (left out)")
    return [page for page in pages if page.path]


# --- wrk ----------------------------------------------------------------------------------------

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def milliseconds(text: str) -> float | None:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    return float(match[1]) * UNITS_MS[match[2]] if match else None


def parse_wrk(output: str) -> dict:
    figures: dict = {"non_2xx": 0, "socket_errors": {}, "requests": 0}
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        figures["rps"] = float(match[1])
    if match := re.search(r"(\d+) requests in", output):
        figures["requests"] = int(match[1])
    for percent, key in (("50", "p50_ms"), ("99", "p99_ms")):
        if match := re.search(rf"^\s+{percent}%\s+(\S+)", output, re.MULTILINE):
            figures[key] = milliseconds(match[1])
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        figures["non_2xx"] = int(match[1])
    if match := re.search(r"Socket errors:(.*)", output):
        errors = {name: int(n) for name, n in re.findall(r"(\w+) (\d+)", match[1])}
        figures["socket_errors"] = {name: n for name, n in errors.items() if n}
    return figures


def load_seconds(first_ms: float, args: argparse.Namespace) -> int:
    """Long enough for every connection to finish a few requests, within --max-duration.

    With 16 connections on 2 workers a page that takes 2 s is answered once every 16 s per
    connection: 10 s of load would finish next to nothing.
    """
    needed = 4 * args.connections * (first_ms / 1000) / args.workers
    return int(min(max(args.duration, math.ceil(needed)), max(args.duration, args.max_duration)))


def drain(server: common.Gunicorn, timeout: float = 300) -> float:
    """Wait until gunicorn has worked off what wrk left behind; the seconds it took.

    Sync workers finish every request they accepted, also those whose client (wrk, at the
    end of its run) has gone; without this the next page's run would wait behind them.
    """
    start = time.monotonic()
    probe = common.Client(server.url(), timeout=timeout)
    for _ in range(server.workers + 1):
        probe.get("/__floor__/")
    return time.monotonic() - start


def run_wrk(url: str, seconds: int, args: argparse.Namespace) -> tuple[dict, str]:
    common.require_local_url(url)
    command = [
        "wrk",
        # Like a browser: wrk sends no User-Agent of its own, and the page statistics leave
        # requests without one uncounted, so the load would skip the counting it must pay.
        "--header",
        f"User-Agent: {BROWSER_USER_AGENT}",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{seconds}s",
        "--timeout",
        "60s",
        "--latency",
        url,
    ]
    process = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 120, check=False
    )
    if process.returncode != 0:
        return {"error": (process.stderr or process.stdout).strip()[:200]}, process.stdout
    return parse_wrk(process.stdout), process.stdout


# --- Checks -----------------------------------------------------------------------------------


def sequential_p95(client: common.Client, path: str, runs: int, budget: float) -> dict:
    """Median and p95 of up to `runs` sequential requests (stops after `budget` seconds)."""
    times = []
    deadline = time.monotonic() + budget
    while len(times) < runs and time.monotonic() < deadline:
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        if response.status != 200:
            return {"error": f"status {response.status}"}
    times.sort()
    p95 = times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)]
    return {"runs": len(times), "median_ms": statistics.median(times), "p95_ms": p95}


def conditional_get(client: common.Client, path: str) -> dict:
    first = client.get(path)
    etag, modified = first.headers.get("ETag"), first.headers.get("Last-Modified")
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    if not headers:
        return {"ok": False, "detail": f"{first.status}, neither ETag nor Last-Modified"}
    second = client.get(path, headers=headers)
    sent = " + ".join(sorted(headers))
    return {"ok": second.status == 304, "detail": f"{sent} → {second.status}"}


def static_check(client: common.Client) -> dict:
    home = client.get("/").text
    match = re.search(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+\.css)"', home) or re.search(
        r'href="(/static/[^"]+\.css)"', home
    )
    if not match:
        return {"ok": False, "detail": "no stylesheet linked from the home page"}
    path = match[1]
    response = client.get(path, headers={"Accept-Encoding": "br, gzip"})
    encoding = response.headers.get("Content-Encoding", "")
    cache_control = response.headers.get("Cache-Control", "")
    max_age = re.search(r"max-age=(\d+)", cache_control)
    far_future = bool(max_age) and int(max_age[1]) >= ONE_YEAR
    return {
        "ok": response.status == 200 and encoding in {"gzip", "br"} and far_future,
        "path": path,
        "status": response.status,
        "content_encoding": encoding or "none",
        "cache_control": cache_control or "none",
    }


# --- One mode -------------------------------------------------------------------------------


# (DJANGO_PAGE_CACHE, DJANGO_QUERY_CACHE) per mode: cold runs every query of every page;
# counts renders every page but keeps counts and rankings per content version; warm stores pages.
MODES = {"cold": ("0", "0"), "counts": ("0", "1"), "warm": ("1", "1")}


def measure_mode(mode: str, url: str, pages: list[Page], args: argparse.Namespace) -> dict:
    cache, query_cache = MODES[mode]
    # Stored pages and counts must outlive the whole run (the default is 60 s).
    env = common.server_env(
        url,
        DJANGO_PAGE_CACHE=cache,
        DJANGO_PAGE_CACHE_SECONDS="3600",
        DJANGO_QUERY_CACHE=query_cache,
        DJANGO_QUERY_CACHE_SECONDS="3600",
        # Cards and filter panels kept as HTML (kernel/cards.py): on in every mode, as in
        # production with Redis, unless --no-fragments.
        DJANGO_FRAGMENT_CACHE="1" if args.fragments else "0",
        DJANGO_FRAGMENT_CACHE_SECONDS="3600",
    )
    common.flush_redis()
    say(
        f"\n## {mode}: DJANGO_PAGE_CACHE={cache}, DJANGO_QUERY_CACHE={query_cache}, "
        f"DJANGO_FRAGMENT_CACHE={int(args.fragments)}, "
        f"{args.workers} gunicorn workers"
    )
    with common.Gunicorn(env, workers=args.workers) as server:
        client = common.Client(server.url())
        floor = Page("floor", "floor (trivial view)", "/__floor__/")
        results: list[Result] = []
        # First every URL once: it must answer 200 (and in warm mode this is the warm-up).
        say("Every page once (status, size, time):")
        # The floor first and last: the machine's other load moves it, so the ratio uses both.
        floor_again = Page("floor-end", "floor, again at the end", floor.path)
        for page in [floor, *pages, floor_again]:
            start = time.perf_counter()
            response = client.get(page.path)
            took = (time.perf_counter() - start) * 1000
            result = Result(page.key, page.label, page.path, response.status, len(response.body))
            result.first_ms = took
            if response.status != 200:
                result.error = f"status {response.status}"
            say(f"  {response.status} {len(response.body):>9,} B {took:>8.0f} ms  {page.path}")
            results.append(result)
        say(
            f"Load: wrk -t{args.threads} -c{args.connections}, {args.duration} s per page "
            f"(slow pages longer, up to {args.max_duration} s)"
        )
        for result in results:
            if result.error:
                say(f"  {result.path}: skipped ({result.error})")
                continue
            if mode == "warm":
                client.get(result.path)  # warm-up, again: the content version may have moved
                start = time.perf_counter()
                client.get(result.path)  # what a stored page takes, for the load's length
                result.first_ms = (time.perf_counter() - start) * 1000
            result.seconds = load_seconds(result.first_ms, args)
            figures, _output = run_wrk(server.url(result.path), result.seconds, args)
            result.drain_seconds = drain(server)
            if "error" in figures:
                result.error = figures["error"]
            for key in ("rps", "requests", "p50_ms", "p99_ms", "non_2xx", "socket_errors"):
                if key in figures:
                    setattr(result, key, figures[key])
            if not result.requests and not result.error:
                result.error = f"no request finished in {result.seconds} s"
                result.p50_ms = result.p99_ms = None
            if result.non_2xx:
                result.error = f"{result.non_2xx} non-2xx/3xx responses"
                say(f"  ERROR {result.path}: {result.error}")
            if result.socket_errors:
                say(f"  socket errors {result.path}: {result.socket_errors}")
            say(
                f"  {result.rps:>9.1f} req/s  p50 {fmt_ms(result.p50_ms):>9}  "
                f"p99 {fmt_ms(result.p99_ms):>9}  {result.requests:>6} in {result.seconds} s "
                f"(+{result.drain_seconds:.0f} s drain)  {result.path}"
            )
        floors = [r.rps for r in results if r.key.startswith("floor") and r.rps]
        floor_rps = statistics.mean(floors) if floors else 0.0
        for result in results:
            result.ratio = result.rps / floor_rps if floor_rps and result.rps else None
        say(f"Search, {args.search_runs} sequential requests:")
        search = sequential_p95(client, SEARCH, args.search_runs, budget=120)
        say(f"  {search}")
        checks = {
            "conditional GET, RSS feed": conditional_get(client, "/publicaties/feed/rss/"),
            "static file compressed, far-future Cache-Control": static_check(client),
        }
        # The publication of this run's pages (none when `--pages` leaves it out).
        for page in pages:
            if page.key == "detail":
                checks["conditional GET, publication"] = conditional_get(client, page.path)
        rss = server.worker_rss_mb()
        log_errors = server.errors_in_log()
    return {
        "mode": mode,
        "page_cache": cache,
        "query_cache": query_cache,
        "fragment_cache": int(args.fragments),
        "results": [asdict(result) for result in results],
        "search_sequential": search,
        "checks": checks,
        "worker_rss_mb": {str(pid): round(mb, 1) for pid, mb in rss.items()},
        "server_log_errors": log_errors[:20],
        "log": str(server.log_path),
    }


# --- Report ----------------------------------------------------------------------------------


def fmt_ms(value: float | None) -> str:
    if value is None:
        return "–"
    if value >= 1000:
        return f"{value / 1000:,.2f} s"
    return f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"


def mode_table(mode: dict) -> list[str]:
    lines = [
        f"**{mode['mode']}** (`DJANGO_PAGE_CACHE={mode['page_cache']}`, "
        f"`DJANGO_QUERY_CACHE={mode['query_cache']}`, "
        f"`DJANGO_FRAGMENT_CACHE={mode.get('fragment_cache', 0)}`)",
        "",
        "| page | URL | size | req/s | p50 | p99 | × floor | requests | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in mode["results"]:
        ratio = f"{r['ratio']:.2f}" if r["ratio"] is not None else "–"
        errors = r["error"] or ", ".join(f"{k} {v}" for k, v in r["socket_errors"].items()) or "0"
        size = f"{r['size'] / 1024:,.1f} kB"
        lines.append(
            f"| {r['label']} | `{r['path']}` | {size} | {r['rps']:,.1f} | {fmt_ms(r['p50_ms'])} "
            f"| {fmt_ms(r['p99_ms'])} | {ratio} | {r['requests']:,} in {r['seconds']} s "
            f"| {errors} |"
        )
    return lines


def report(facts: dict, modes: list[dict], args: argparse.Namespace) -> list[str]:
    lines = ["", "# Results", ""]
    lines += [f"- {key}: {value}" for key, value in facts.items()]
    lines.append(
        f"- load: `wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency` "
        f"(slow pages up to {args.max_duration} s), "
        f"{args.workers} gunicorn workers of 4 threads (gunicorn.conf.py); "
        "gunicorn, PostgreSQL and wrk share the machine"
    )
    for mode in modes:
        lines += ["", *mode_table(mode)]
    lines += ["", "| mode | search p95 (sequential) | worker RSS (MB) | conditional GET | static |"]
    lines.append("|---|---:|---|---|---|")
    for mode in modes:
        search = mode["search_sequential"]
        p95 = (
            f"{fmt_ms(search['p95_ms'])} (median {fmt_ms(search['median_ms'])}, "
            f"{search['runs']} runs)"
            if "p95_ms" in search
            else search.get("error", "–")
        )
        rss = ", ".join(f"{mb:.0f}" for mb in mode["worker_rss_mb"].values())
        over = any(mb >= RSS_TARGET_MB for mb in mode["worker_rss_mb"].values())
        rss += f" ({'over' if over else 'under'} {RSS_TARGET_MB})"
        checks = mode["checks"]
        conditional = "; ".join(
            f"{name.split(', ')[1]}: {'yes' if check['ok'] else 'no'} ({check['detail']})"
            for name, check in checks.items()
            if name.startswith("conditional")
        )
        static = checks["static file compressed, far-future Cache-Control"]
        static_text = (
            f"{'yes' if static['ok'] else 'no'}: {static.get('content_encoding')}, "
            f"`{static.get('cache_control')}`"
            if "path" in static
            else f"no: {static['detail']}"
        )
        lines.append(f"| {mode['mode']} | {p95} | {rss} | {conditional} | {static_text} |")
    errors = [
        f"{mode['mode']} {r['path']}: {r['error']}"
        for mode in modes
        for r in mode["results"]
        if r["error"]
    ]
    lines += ["", f"Errors: {'; '.join(errors) if errors else 'none'}"]
    for mode in modes:
        if mode["server_log_errors"]:
            lines.append(f"gunicorn log ({mode['mode']}) has errors: {mode['log']}")
    return lines


def machine_facts(targets: dict) -> dict:
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    wrk_version = (wrk.stdout or wrk.stderr).split("[")[0].strip() or "wrk"
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": common.commit_hash(),
        "nproc": common.nproc(),
        "load average at the end": common.load_average(),
        "PostgreSQL": common.postgres_version(),
        "Python": platform.python_version(),
        "wrk": wrk_version,
        "published publications": targets.get("publications", "?"),
    }


# --- Crawlers and registrations (issue 18) -------------------------------------------------------


def crawl_section(url: str, args: argparse.Namespace) -> None:
    """bench/crawl.py as the last section: the crawl simulation and the hit ratio of
    publication pages under registration load, printed as it goes."""
    from django.db import connections

    connections.close_all()  # bench/crawl copies the database: nobody may be connected
    command = [str(common.VENV_BIN / "python"), str(common.BENCH / "crawl.py")]
    command += ["--database-url", url, "--workers", str(args.workers)]
    say("\nbench/crawl.py (crawlers on the facet URLs, stored pages during registrations) …")
    result = subprocess.run(command, cwd=common.ROOT, check=False)
    if result.returncode != 0:
        say(f"bench/crawl.py failed (exit {result.returncode})")


# --- Main --------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse", action="store_true", help="use the seeded --database as is")
    parser.add_argument(
        "--database",
        default=DATABASE,
        help=f"the PostgreSQL database on this machine (default {DATABASE}; a copy, "
        "createdb -T, leaves the shared one untouched: pages write summaries)",
    )
    parser.add_argument("--scale", type=float, default=1.0, help="bench/seed --scale (1: 100k)")
    parser.add_argument("--demo", action="store_true", help="seed with loaddemo, not bench/seed")
    parser.add_argument("--keep", action="store_true", help=f"keep {DATABASE} at the end")
    parser.add_argument("--duration", type=int, default=10, help="wrk seconds per page")
    parser.add_argument(
        "--max-duration", type=int, default=60, help="at most this long for a slow page"
    )
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--search-runs", type=int, default=50, help="sequential search requests")
    parser.add_argument(
        "--modes", default="cold,counts,warm", help="any of cold, counts, warm (comma-separated)"
    )
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument(
        "--no-fragments",
        dest="fragments",
        action="store_false",
        help="cards and filter panels rendered on every request (DJANGO_FRAGMENT_CACHE=0)",
    )
    parser.add_argument(
        "--no-crawl",
        dest="crawl",
        action="store_false",
        help="leave out the last section (bench/crawl.py: crawlers, registrations)",
    )
    parser.add_argument(
        "--pages",
        help="measure only these pages (comma-separated keys: home, list, deep, filtered, "
        "detail, theme, search, event, oai, ics); the floor is measured all the same",
    )
    args = parser.parse_args()
    args.pages = [key.strip() for key in (args.pages or "").split(",") if key.strip()]
    args.modes = [mode.strip() for mode in args.modes.split(",") if mode.strip()]
    if not set(args.modes) <= set(MODES):
        parser.error("--modes takes cold, counts and/or warm")
    if not 1 <= args.duration <= args.max_duration <= 300 or not 1 <= args.connections <= 512:
        parser.error("1 ≤ --duration ≤ --max-duration ≤ 300 s, --connections 1–512")
    return args


def main() -> None:
    args = parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench: wrk is not installed (bench/run installs it: apt-get install wrk)")
    url = common.database_url(args.database)
    created = False
    try:
        if args.reuse:
            if not common.database_exists(args.database):
                sys.exit(f"bench: --reuse, but there is no database {args.database}")
            seeded = json.loads(TARGETS_FILE.read_text()) if TARGETS_FILE.exists() else {}
        else:
            created = True
            seeded = seed_database(args, url)
            if args.keep:
                TARGETS_FILE.write_text(json.dumps(seeded))
        env = common.server_env(url)
        say("migrate + collectstatic …")
        common.migrate_and_collect(env)
        common.setup_django(env)
        targets = find_targets(seeded)
        pages = page_list(targets)
        if args.pages:
            unknown = set(args.pages) - {page.key for page in pages}
            if unknown:
                sys.exit(f"bench: --pages: no page {', '.join(sorted(unknown))}")
            pages = [page for page in pages if page.key in args.pages]
        modes = [measure_mode(mode, url, pages, args) for mode in args.modes]
        facts = machine_facts(targets)
        lines = report(facts, modes, args)
        say("\n".join(lines))
        if args.json:
            args.json.write_text(
                json.dumps({"facts": facts, "targets": targets, "modes": modes}, indent=2)
            )
            say(f"\nFigures written to {args.json}")
        if args.crawl:
            crawl_section(url, args)
    finally:
        from django.apps import apps

        if apps.ready:
            from django.db import connections

            connections.close_all()  # or dropdb --force ends them
        if created and not args.keep:
            common.drop_database(args.database)
            say(f"Dropped database {args.database}")
        elif created:
            say(
                f"Kept database {args.database}: bench/run --reuse; drop it with "
                f"dropdb -h 127.0.0.1 -U postgres {args.database}"
            )


if __name__ == "__main__":
    main()
