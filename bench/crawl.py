#!/usr/bin/env python
"""Crawlers on the facet combinations, and stored pages during a registration rush.

Two measurements of issue 18 under gunicorn with production-like settings (page cache and
query cache on Redis, the default rate limits), loopback only:

**Crawl simulation** (target 5). Four crawler processes walk 2,000 distinct facet URLs of the
publication list — theme, kind, year, author and organisation filters and the sort orders,
values taken from the seeded data, one filter added at a time as a crawler following the
filter links would — each URL once, as fast as the answers come (no waiting on a 429), with
a deadline. Meanwhile a fifth client browses normal pages (home, list page 1, a publication,
a theme page, an event) one after the other and records its latencies. Printed: that client's
p50/p95/p99 (target p99 < 500 ms) and the crawlers' status mix.

Where the crawlers come from matters: the list filter limit (DJANGO_LIST_FILTER_RATE_LIMIT_
PER_MINUTE, 120 by default) counts per client address. Run as they are, all four come from
127.0.0.1, one address, so together they get 120 rendered filter pages a minute and 429 for
the rest. `--addresses 4` gives each crawler its own loopback address (127.0.2.1–4), as a
crawler spread over several machines: four times the rendered pages. Both are run by default.

**Hit ratio under registration load** (target 1). On a copy of the database (registrations
are written): bench/registrations' clients register for an event in rounds (its `fire`),
while wrk fetches publication pages (list, deep page, a publication, a theme page) and counts
the `X-Page-Cache: hit` and `miss` answers. Printed: the hit ratio and the pages' requests/s
divided by the floor (`/__floor__/`, measured by wrk on the same gunicorn before the load).

    bench/crawl                                   # both, on ikpob_bench (read-only) and a copy
    bench/crawl --only crawl --addresses 1
    bench/crawl --database-url postgres://postgres@127.0.0.1:5432/other --scratch-database x

bench/run calls this at its end (both measurements).
"""

import argparse
import datetime
import http.client
import math
import multiprocessing
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from common import say

DATABASE = "ikpob_bench"
SCRATCH_DATABASE = "ikpob_bench_scratch"
TIMEOUT = 30  # seconds per request
P99_TARGET_MS = 500
HIT_RATIO_TARGET = 0.95
FLOOR_RATIO_TARGET = 0.5
SORTS = ("oudste", "titel")  # besides the default order, which needs no parameter


# --- The facet URLs ------------------------------------------------------------------------


def facet_values(per_facet: int) -> dict[str, list[str]]:
    """The filter values a crawler finds on the list pages, from the database: the themes,
    kinds and years in use and the most frequent authors and organisations (the facets show
    their 12 most frequent options; a crawler following them all sees more)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count

    from ikpob_portal.kernel.models import ThemedItem
    from network.models import Organisation, Person
    from publications.models import Publication

    published = Publication.objects.published()
    themes = (
        ThemedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Publication),
            object_id__in=published.values("pk"),
        )
        .values("tag__slug")
        .annotate(n=Count("pk"))
        .order_by("-n", "tag__slug")
        .values_list("tag__slug", flat=True)
    )
    kinds = published.values_list("kind", flat=True).distinct().order_by("kind")
    years = (
        published.exclude(publication_year=None)
        .values_list("publication_year", flat=True)
        .distinct()
        .order_by("-publication_year")
    )
    authors = (
        Person.objects.published()
        .filter(authorships__publication__in=published)
        .annotate(n=Count("authorships"))
        .order_by("-n", "slug")
        .values_list("slug", flat=True)
    )
    organisations = (
        Organisation.objects.published()
        .filter(published_publications__in=published)
        .annotate(n=Count("published_publications"))
        .order_by("-n", "slug")
        .values_list("slug", flat=True)
    )
    return {
        "thema": list(themes[:per_facet]),
        "soort": list(kinds),
        "jaar": [str(year) for year in years[:per_facet]],
        "auteur": list(authors[:per_facet]),
        "organisatie": list(organisations[:per_facet]),
    }


def facet_urls(values: dict[str, list[str]], count: int, seed: int = 18) -> list[str]:
    """`count` distinct list URLs, breadth first from the plain list: each URL adds one
    filter value (or a sort order) to one already found, as following a facet link does.
    The query is written as the site writes it (the filter set's order, sorted values)."""
    order = ["thema", "soort", "jaar", "organisatie", "auteur", "sortering"]
    choices = [(name, value) for name, options in values.items() for value in options]
    choices += [("sortering", sort) for sort in SORTS]
    rng = random.Random(seed)
    found: dict[frozenset, None] = {}
    frontier: list[frozenset] = [frozenset()]
    while frontier and len(found) < count:
        next_frontier = []
        for selection in frontier:
            names = {name for name, _ in selection}
            for name, value in rng.sample(choices, len(choices)):
                if (name, value) in selection or (name == "sortering" and name in names):
                    continue
                child = selection | {(name, value)}
                if child not in found:
                    found[child] = None
                    next_frontier.append(child)
                    if len(found) >= count:
                        break
            if len(found) >= count:
                break
        rng.shuffle(next_frontier)
        frontier = next_frontier

    def url(selection: frozenset) -> str:
        pairs = sorted(selection, key=lambda pair: (order.index(pair[0]), pair[1]))
        return "/publicaties/?" + urllib.parse.urlencode(pairs)

    return [url(selection) for selection in found]


# --- Clients ----------------------------------------------------------------------------------


def fetch(port: int, path: str, source: str = "127.0.0.1") -> tuple[int, float, dict]:
    """One GET from a loopback source address: (status, milliseconds, headers); status 0 on
    a connection error or a timeout."""
    if not re.fullmatch(r"127\.\d{1,3}\.\d{1,3}\.\d{1,3}", source):
        sys.exit(f"bench: refusing source address {source!r}: loopback only")
    start = time.perf_counter()
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=TIMEOUT, source_address=(source, 0)
    )
    try:
        connection.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
        response = connection.getresponse()
        response.read()
        status, headers = response.status, dict(response.headers)
    except OSError:
        status, headers = 0, {}
    finally:
        connection.close()
    return status, (time.perf_counter() - start) * 1000, headers


def crawler(port: int, paths: list[str], source: str, deadline: float, results) -> None:
    statuses: Counter = Counter()
    times = []
    for path in paths:
        if time.monotonic() > deadline:
            statuses["not fetched (deadline)"] += 1
            continue
        status, took, _ = fetch(port, path, source)
        statuses[status] += 1
        times.append(took)
    results.put(("crawler", dict(statuses), times))


def browser(port: int, paths: list[str], stop, deadline: float, results) -> None:
    """A visitor reading normal pages one after the other until the crawlers are done."""
    statuses: Counter = Counter()
    times = []
    while not stop.is_set() and time.monotonic() < deadline:
        for path in paths:
            status, took, _ = fetch(port, path)
            statuses[status] += 1
            times.append(took)
    results.put(("browser", dict(statuses), times))


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)]


# --- The crawl simulation -----------------------------------------------------------------------


def normal_pages() -> list[str]:
    """Home, list page 1, a publication, a theme page and an event, from the database."""
    from django.db.models import Count

    from events.models import Event
    from publications.models import Publication

    publication = (
        Publication.objects.published()
        .annotate(n=Count("themes"))
        .filter(n__gt=0)
        .order_by("-published_at")
        .first()
    )
    theme = publication.themes.order_by("slug").first()
    event = Event.objects.published().order_by("-starts_at").first()
    pages = ["/", "/publicaties/", publication.get_absolute_url(), theme.get_absolute_url()]
    return pages + ([event.get_absolute_url()] if event else [])


def crawl(server: common.Gunicorn, urls: list[str], pages: list[str], args, addresses: int):
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    stop = context.Event()
    deadline = time.monotonic() + args.max_seconds
    sources = [
        "127.0.0.1" if addresses == 1 else f"127.0.2.{number % addresses + 1}"
        for number in range(args.crawlers)
    ]
    # Interleaved shares: every crawler walks from the plain filters to the combinations.
    crawlers = [
        context.Process(
            target=crawler,
            args=(server.port, urls[number :: args.crawlers], sources[number], deadline, results),
        )
        for number in range(args.crawlers)
    ]
    reader = context.Process(target=browser, args=(server.port, pages, stop, deadline, results))
    start = time.monotonic()
    reader.start()
    for process in crawlers:
        process.start()
    gathered = [results.get(timeout=args.max_seconds + 2 * TIMEOUT + 30) for _ in crawlers]
    crawl_seconds = time.monotonic() - start
    stop.set()
    gathered.append(results.get(timeout=len(pages) * TIMEOUT + 30))
    for process in [*crawlers, reader]:
        process.join(timeout=10)
    crawled: Counter = Counter()
    crawl_times = []
    browse_statuses: Counter = Counter()
    browse_times: list[float] = []
    for kind, statuses, times in gathered:
        if kind == "crawler":
            crawled.update(statuses)
            crawl_times += times
        else:
            browse_statuses.update(statuses)
            browse_times = times
    return {
        "addresses": addresses,
        "sources": sorted(set(sources)),
        "seconds": crawl_seconds,
        "crawler_statuses": {str(k): v for k, v in sorted(crawled.items(), key=str)},
        "crawler_p50_ms": percentile(crawl_times, 0.5),
        "crawler_requests_per_second": len(crawl_times) / crawl_seconds if crawl_seconds else 0,
        "browser_requests": len(browse_times),
        "browser_statuses": {str(k): v for k, v in sorted(browse_statuses.items(), key=str)},
        "browser_p50_ms": percentile(browse_times, 0.5),
        "browser_p95_ms": percentile(browse_times, 0.95),
        "browser_p99_ms": percentile(browse_times, 0.99),
        "browser_max_ms": max(browse_times, default=None),
    }


def crawl_simulation(args, url: str) -> list[dict]:
    say(f"\n## Crawl simulation: {args.crawlers} crawlers, {args.urls:,} facet URLs")
    values = facet_values(args.per_facet)
    urls = facet_urls(values, args.urls)
    pages = normal_pages()
    from django.db import connections

    connections.close_all()  # the clients are forked; they need no database
    say(
        "Facet values: "
        + ", ".join(f"{name} {len(options)}" for name, options in values.items())
        + f", sortering {len(SORTS)}; {len(urls):,} distinct URLs, e.g. {urls[-1]}"
    )
    say(f"The fifth client browses: {', '.join(pages)}")
    runs = []
    for addresses in args.addresses:
        env = common.server_env(url, DJANGO_PAGE_CACHE="1", DJANGO_QUERY_CACHE="1")
        # The site's own limits on filtered lists (the other benches switch them off), or
        # what the options ask for.
        for name, value in (
            ("DJANGO_LIST_FILTER_RATE_LIMIT_PER_MINUTE", args.list_filter_limit),
            ("DJANGO_LIST_FILTER_CONCURRENCY", args.list_filter_concurrency),
            ("DJANGO_LIST_FILTER_BUSY_PAGES_PER_MINUTE", args.list_filter_busy_pages),
        ):
            env.pop(name, None)
            if value is not None:
                env[name] = str(value)
        common.flush_redis()
        with common.Gunicorn(env, workers=args.workers) as server:
            for path in pages:  # as a live site has them: stored
                fetch(server.port, path)
            say(f"Crawling from {addresses} address(es) …")
            result = crawl(server, urls, pages, args, addresses)
            result["log_errors"] = len(server.errors_in_log())
            result["worker_rss_mb"] = [round(mb) for mb in server.worker_rss_mb().values()]
        say(f"  {result}")
        runs.append(result)
    return runs


def crawl_lines(runs: list[dict], args) -> list[str]:
    def setting(value, site_default: str) -> str:
        return f"the site's {site_default}" if value is None else str(value)

    lines = [
        "",
        f"**Crawl simulation** ({args.crawlers} crawlers × {args.urls:,} distinct facet URLs, "
        f"a fifth client browsing normal pages; {args.workers} gunicorn workers, page and query "
        "cache on Redis; filtered pages per minute and address: "
        f"{setting(args.list_filter_limit, '120')}; uncounted pages while every slot is taken, "
        f"per minute and address: {setting(args.list_filter_busy_pages, '20')}; "
        "full filtered renders at once: "
        f"{setting(args.list_filter_concurrency, '1')} (0: no cap)):",
        "",
        "| crawler addresses | crawl took | crawlers' answers | crawler req/s "
        "| 5th client p50 / p95 / p99 | 5th client requests | p99 < 500 ms |",
        "|---|---:|---|---:|---:|---:|---|",
    ]
    for run in runs:
        statuses = ", ".join(f"{code}: {n:,}" for code, n in run["crawler_statuses"].items())
        p99 = run["browser_p99_ms"]
        met = "met" if p99 is not None and p99 < P99_TARGET_MS else "not met"
        bad = {k: v for k, v in run["browser_statuses"].items() if k != "200"}
        lines.append(
            f"| {run['addresses']} ({', '.join(run['sources'])}) | {run['seconds']:.0f} s "
            f"| {statuses} | {run['crawler_requests_per_second']:.1f} "
            f"| {ms(run['browser_p50_ms'])} / {ms(run['browser_p95_ms'])} / "
            f"{ms(run['browser_p99_ms'])} | {run['browser_requests']:,}"
            f"{f' (not 200: {bad})' if bad else ''} | {met} |"
        )
    lines += [
        "",
        "One address is what loopback gives and what one crawler machine is: the list filter "
        "limit counts per address, so the four crawlers share one budget of rendered filter "
        "pages a minute and get 429 (a cheap answer) for the rest. With four addresses each "
        "has its own budget, four times the rendered pages.",
    ]
    return lines


# --- Hit ratio under registration load -------------------------------------------------------

HIT_RATIO_LUA = """
local paths = {%s}
local threads = {}
local counter = 0
function setup(thread) table.insert(threads, thread) end
function init(args) hits = 0; misses = 0; other = 0; statuses = 0 end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
function response(status, headers, body)
  local answer = headers["X-Page-Cache"]
  if answer == "hit" then hits = hits + 1
  elseif answer == "miss" then misses = misses + 1
  else other = other + 1 end
  if status ~= 200 then statuses = statuses + 1 end
end
function done(summary, latency, requests)
  local h, m, o, s = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits"); m = m + thread:get("misses")
    o = o + thread:get("other"); s = s + thread:get("statuses")
  end
  io.write(string.format("PAGE-CACHE hit=%%d miss=%%d other=%%d non200=%%d\\n", h, m, o, s))
end
"""


def wrk(url: str, seconds: int, connections: int, script: Path | None = None) -> str:
    common.require_local_url(url)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency"]
    if script is not None:
        command += ["-s", str(script)]
    process = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 120, check=False
    )
    return process.stdout + process.stderr


def requests_per_second(output: str) -> float:
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    return float(match[1]) if match else 0.0


def copy_database(template: str, name: str, attempts: int = 20) -> str:
    """A scratch copy of `template` (CREATE DATABASE … TEMPLATE needs nobody connected to
    the template, so another bench reading it makes us wait and retry)."""
    common.drop_database(name)
    for attempt in range(attempts):
        result = common.pg_tool("createdb", "-T", template, name, check=False)
        if result.returncode == 0:
            return common.database_url(name)
        say(f"  createdb -T {template} failed ({result.stderr.strip()[:80]}); retry {attempt + 1}")
        time.sleep(5)
    sys.exit(f"bench: could not copy {template} to {name}")


def registration_env(url: str) -> dict[str, str]:
    import registrations

    return common.server_env(
        url,
        DJANGO_PAGE_CACHE="1",
        DJANGO_QUERY_CACHE="1",
        DJANGO_REGISTRATION_RATE_LIMIT_PER_HOUR=registrations.RATE_LIMIT,
        DJANGO_REGISTRATION_RATE_LIMIT_PER_EVENT_PER_HOUR=registrations.RATE_LIMIT,
    )


def hit_ratio_under_registrations(args, url: str) -> dict:
    """On `url`, the scratch copy this process's Django is set up on."""
    import registrations

    say(f"\n## Publication pages during registrations ({common.database_name(url)})")
    from django.db import connections

    event = registrations.make_event(f"Benchmark drukte {time.time_ns()}", 100)
    pages = ["/publicaties/", "/publicaties/?page=2", *normal_pages()[2:4]]
    connections.close_all()
    env = registration_env(url)
    common.flush_redis()
    with tempfile.TemporaryDirectory() as folder, common.Gunicorn(env, workers=2) as server:
        script = Path(folder) / "pages.lua"
        script.write_text(HIT_RATIO_LUA % ", ".join(f'"{path}"' for path in pages))
        for path in pages:
            fetch(server.port, path)  # stored, as on a live site
        floor = requests_per_second(wrk(server.url("/__floor__/"), 5, 16))
        quiet = wrk(server.url("/"), 5, 16, script)
        say(f"Floor {floor:.0f} req/s; pages without load: {page_cache_counts(quiet)}")
        rounds: list = []  # (summary, the moment the round ended)
        stop = threading.Event()

        def rush() -> None:
            while not stop.is_set():
                summary = registrations.fire([server.url()], event.slug, args.clients)
                rounds.append((summary, time.monotonic()))

        thread = threading.Thread(target=rush, daemon=True)
        thread.start()
        time.sleep(2)  # the clients are fetching their forms: the rush has begun
        load_start = time.monotonic()
        loaded = wrk(server.url("/"), args.load_seconds, 16, script)
        load_end = time.monotonic()
        stop.set()
        thread.join(timeout=300)
        errors = server.errors_in_log()
    counts = page_cache_counts(loaded)
    answered = counts["hit"] + counts["miss"]
    # Rounds that ended while wrk ran (their POSTs came at the end of each round).
    during = [summary for summary, ended in rounds if load_start <= ended <= load_end + 1]
    registered = sum(summary.successful for summary in during)
    rate = requests_per_second(loaded)
    return {
        "pages": pages,
        "floor_rps": floor,
        "quiet": page_cache_counts(quiet) | {"rps": requests_per_second(quiet)},
        "rps": rate,
        "floor_ratio": rate / floor if floor else None,
        **counts,
        "hit_ratio": counts["hit"] / answered if answered else None,
        "registrations": registered,
        "registration_rounds": len(during),
        "all_rounds": len(rounds),
        "registration_server_errors": sum(summary.server_errors for summary, _ in rounds),
        "log_errors": len(errors),
    }


def page_cache_counts(output: str) -> dict[str, int]:
    match = re.search(r"PAGE-CACHE hit=(\d+) miss=(\d+) other=(\d+) non200=(\d+)", output)
    if not match:
        return {"hit": 0, "miss": 0, "other": 0, "non200": 0, "wrk": output.strip()[-200:]}
    return dict(zip(("hit", "miss", "other", "non200"), map(int, match.groups()), strict=True))


def hit_ratio_lines(result: dict, args) -> list[str]:
    ratio = result["hit_ratio"]
    floor_ratio = result["floor_ratio"]
    met = (
        ratio is not None
        and ratio >= HIT_RATIO_TARGET
        and floor_ratio is not None
        and floor_ratio >= FLOOR_RATIO_TARGET
    )
    return [
        "",
        f"**Publication pages during registrations** (wrk -t2 -c16 for {args.load_seconds} s "
        f"over {', '.join(f'`{p}`' for p in result['pages'])}, while rounds of "
        f"{args.clients} bench/registrations clients register):",
        "",
        "| figure | value | target |",
        "|---|---:|---|",
        f"| hit ratio (X-Page-Cache hit / (hit + miss)) | "
        f"{pct(ratio)} ({result['hit']:,} hit, {result['miss']:,} miss) | ≥ 95 % |",
        f"| publication pages req/s × floor | {result['rps']:,.0f} / {result['floor_rps']:,.0f} "
        f"= {floor_ratio:.2f} | ≥ 0.5 |"
        if floor_ratio is not None
        else "| publication pages req/s × floor | – | ≥ 0.5 |",
        f"| the same pages without load | {result['quiet'].get('rps', 0):,.0f} req/s, "
        f"{result['quiet'].get('hit', 0):,} hit, {result['quiet'].get('miss', 0):,} miss | |",
        f"| registrations while wrk ran | {result['registrations']:,} in "
        f"{result['registration_rounds']} rounds of {result['all_rounds']}, "
        f"{result['registration_server_errors']} 5xx | |",
        "",
        f"Target (hit ratio ≥ 95 % and ≥ 0.5 of the floor): {'met' if met else 'not met'}.",
    ]


# --- Main ---------------------------------------------------------------------------------------


def ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value / 1000:,.2f} s" if value >= 1000 else f"{value:,.0f} ms"


def pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=common.database_url(DATABASE),
        help="the seeded database (only read; registrations go to --scratch-database)",
    )
    parser.add_argument(
        "--scratch-database",
        dest="scratch",
        default=SCRATCH_DATABASE,
        help="name of the copy the registrations are written to (dropped at the end)",
    )
    parser.add_argument("--only", choices=("crawl", "hit-ratio"), help="one measurement")
    parser.add_argument("--urls", type=int, default=2000, help="distinct facet URLs")
    parser.add_argument("--crawlers", type=int, default=4)
    parser.add_argument(
        "--addresses",
        default="1,4",
        help="runs with the crawlers on 1 address or each on its own (comma-separated)",
    )
    parser.add_argument(
        "--list-filter-limit",
        type=int,
        help="DJANGO_LIST_FILTER_RATE_LIMIT_PER_MINUTE for the crawl (default: the site's, 120)",
    )
    parser.add_argument(
        "--list-filter-concurrency",
        type=int,
        help="DJANGO_LIST_FILTER_CONCURRENCY for the crawl (default: the site's, 1; 0 = no cap)",
    )
    parser.add_argument(
        "--list-filter-busy-pages",
        type=int,
        help="DJANGO_LIST_FILTER_BUSY_PAGES_PER_MINUTE for the crawl (default: the site's, 20)",
    )
    parser.add_argument("--per-facet", type=int, default=40, help="values per facet at most")
    parser.add_argument("--max-seconds", type=int, default=300, help="deadline of one crawl")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=100, help="registration clients a round")
    parser.add_argument("--load-seconds", type=int, default=30, help="wrk during registrations")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args(argv)
    args.addresses = [int(n) for n in args.addresses.split(",") if n.strip()]
    if not all(1 <= n <= args.crawlers for n in args.addresses):
        parser.error("--addresses: 1 to --crawlers")
    common.require_local_postgres(args.database_url)
    seeded = common.database_name(args.database_url)
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.scratch) or args.scratch in (DATABASE, seeded):
        parser.error("--scratch-database: a plain name, not the seeded database (it is dropped)")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("bench: wrk is not installed (bench/run installs it: apt-get install wrk)")
    lines = [
        "",
        "# Crawlers and registrations",
        "",
        f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M UTC}",
        f"- commit: {common.commit_hash()}; nproc {common.nproc()}",
        f"- database: {common.database_name(args.database_url)}",
    ]
    # Registrations are written, so that part runs on a copy; Django in this process (which
    # finds the facet values and makes the event) is set up once, on the copy when there is one.
    scratch = None
    try:
        # Run alone, nothing has migrated or collected the static files yet (bench/run has):
        # the pages would be 500s, which the crawl would count as fast answers.
        common.migrate_and_collect(registration_env(args.database_url))
        if args.only in (None, "hit-ratio"):
            template = common.database_name(args.database_url)
            say(f"Copying {template} to {args.scratch} (registrations are written there) …")
            scratch = copy_database(template, args.scratch)
        common.setup_django(registration_env(scratch or args.database_url))
        if args.only in (None, "crawl"):
            lines += crawl_lines(crawl_simulation(args, args.database_url), args)
        if scratch:
            lines += hit_ratio_lines(hit_ratio_under_registrations(args, scratch), args)
    finally:
        from django.apps import apps

        if apps.ready:
            from django.db import connections

            connections.close_all()
        if scratch and not args.keep:
            common.drop_database(args.scratch)
    lines.append(f"- load average at the end: {common.load_average()}")
    say("\n".join(lines))


if __name__ == "__main__":
    main()
