#!/usr/bin/env python
"""How fast is the site search on PostgreSQL with 100,000 publications?

Creates a throwaway database on the local PostgreSQL server (createdb -h 127.0.0.1 -U
postgres), migrates it, seeds generated Dutch-ish publications with authors, publishers and
themes, builds their search rows in bulk (the same fields and weighted vector as
`search.index()`), then times what /zoeken/ does for a first page of 20 results:

  search     `search.matching_entries(q)`, the paginator's count, the page's rows and
             `search.hits` (which cuts the passages): --runs after a warm-up;
  icontains  the naive alternative for contrast: the SQLite fallback (title, summary or body
             contains every word) on the same table: --naive-runs;
  view       with --view: the whole `SearchView` context, kind and theme facets included.

Each series stops early once it has used its time budget (--budget seconds), so the run
stays bounded; the report says how many runs were made. The database is dropped at the end
unless --keep.

    python bench/search_bench.py                  # 100,000 publications, 50 runs per query
    python bench/search_bench.py --rows 20000 --runs 10 --keep

Needs PostgreSQL with pg_trgm and the client tools (createdb, dropdb) on this machine; it
refuses any other database and any host but this one. No network beyond 127.0.0.1.
"""

import argparse
import datetime
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

# Run as a script, bench/ is on sys.path: the shared generator and bulk indexing live there.
import corpus
from corpus import BATCH, FAMILY_NAMES, GIVEN_NAMES, LOCAL_HOSTS, THEMES, Writer, say, step

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [
    "ambtenaar",
    "burgerinitiatief",
    "netwerksturing",
    "toezicht gemeente",
    '"lokaal bestuur"',
    "participatie -gemeente",
    "vakmanscap",
]
PAGE_SIZE = 20  # ikpob_portal.views.SEARCH_PAGE_SIZE

# --- Database -----------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="publications to seed")
    parser.add_argument("--runs", type=int, default=50, help="timed runs per query (search)")
    parser.add_argument(
        "--view", action="store_true", help="also time the whole SearchView context (facets)"
    )
    parser.add_argument("--naive-runs", type=int, default=5, help="timed runs (icontains)")
    parser.add_argument(
        "--budget", type=float, default=10.0, help="seconds per series before it stops early"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="5432")
    parser.add_argument("--user", default="postgres")
    parser.add_argument("--database", help="name of the throwaway database (default: generated)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--explain", action="store_true", help="print the count query's plan")
    return parser.parse_args()


def seed(rows: int, seed_value: int) -> dict:
    """Bulk-load `rows` publications (5% drafts, 1% scheduled) and their search rows."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone

    from ikpob_portal.kernel.models import Publishable, Theme, ThemedItem
    from network.models import Organisation, Person
    from publications.models import Authorship, Publication

    writer = Writer(seed_value)
    r = writer.random
    now = timezone.now()
    timings = {}
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # A throwaway database: no need to wait for the disk at every commit.
        cursor.execute("SET synchronous_commit TO off")

    with (
        step("themes, organisations and people (saved one by one, indexed by signals)"),
        transaction.atomic(),
    ):
        themes = [
            Theme.objects.create(name=name, slug=f"thema-{i}") for i, name in enumerate(THEMES)
        ]
        organisations = [
            Organisation.objects.create(
                name=f"Gemeente {writer.adjective(inflected=False).title()}stad {i}",
                slug=f"organisatie-{i}",
                kind=Organisation.Kind.GEMEENTE,
                description=writer.paragraph(2),
                status=Publishable.Status.PUBLISHED,
                published_at=now,
            )
            for i in range(40)
        ]
        people = []
        for i in range(300):
            given, family = r.choice(GIVEN_NAMES), r.choice(FAMILY_NAMES)
            particle, _, family = family.rpartition(" ")
            people.append(
                Person.objects.create(
                    given_name=given,
                    particle=particle,
                    family_name=family,
                    slug=f"persoon-{i}",
                    bio=writer.paragraph(2),
                    status=Publishable.Status.PUBLISHED,
                    published_at=now,
                )
            )

    content_type = ContentType.objects.get_for_model(Publication)
    publication_ids: list[int] = []
    with step(f"{rows:,} publications, authors and themes (bulk_create, batches of {BATCH})"):
        for first in range(0, rows, BATCH):
            batch = []
            for number in range(first, min(first + BATCH, rows)):
                status, published_at = corpus.publish_state(r, now)
                batch.append(
                    Publication(
                        title=writer.title(),
                        slug=f"publicatie-{number}",
                        summary=writer.paragraph(r.randint(2, 3)),
                        body=writer.body(),
                        publication_year=r.randint(2000, 2026),
                        publisher=r.choice(organisations) if r.random() < 0.3 else None,
                        status=status,
                        published_at=published_at,
                    )
                )
            created = Publication.objects.bulk_create(batch)
            publication_ids += [publication.pk for publication in created]
            Authorship.objects.bulk_create(
                Authorship(publication=publication, person=person, position=position)
                for publication in created
                for position, person in enumerate(r.sample(people, r.randint(1, 3)))
            )
            ThemedItem.objects.bulk_create(
                ThemedItem(content_type=content_type, object_id=publication.pk, tag=theme)
                for publication in created
                for theme in r.sample(themes, r.randint(1, 2))
            )
    timings["publications"] = time.perf_counter() - started

    started = time.perf_counter()
    corpus.drop_gin_indexes()
    with step("search rows (bulk_create) and one UPDATE of the weighted vector per batch"):
        corpus.index_in_bulk(Publication, publication_ids)
    with step("GIN indexes (full text, trigrams), as migration 0004 creates them"):
        corpus.create_gin_indexes()
    timings["index"] = time.perf_counter() - started

    with step("VACUUM ANALYZE"), connection.cursor() as cursor:
        for table in (
            "ikpob_portal_searchentry",
            "publications_publication",
            "ikpob_portal_themeditem",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return timings


# --- Timing -------------------------------------------------------------------------------


def first_page(q: str) -> int:
    """What SearchView does for the results themselves: count, one page, its passages."""
    from django.core.paginator import Paginator

    from ikpob_portal.kernel import search

    entries = search.matching_entries(q)
    paginator = Paginator(entries, PAGE_SIZE)
    page = paginator.get_page(1)
    window = slice(page.start_index() - 1, page.end_index())
    rows = list(entries[window]) if paginator.count else []
    search.hits(rows, q)
    return paginator.count


def whole_view(q: str) -> int:
    """SearchView's whole context (facets included), without rendering the template."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from ikpob_portal.views import SearchView

    request = RequestFactory().get("/zoeken/", {"q": q})
    request.user = AnonymousUser()
    view = SearchView()
    view.setup(request)
    return view.get_context_data()["paginator"].count


def naive_page(q: str) -> int:
    """The same first page through the icontains fallback, on PostgreSQL."""
    from ikpob_portal.kernel import search

    with mock.patch.object(search, "uses_postgres", return_value=False):
        return first_page(q)


def timed(function: Callable[[str], int], q: str, runs: int, budget: float) -> dict:
    """Up to `runs` timed calls after a warm-up; stops once `budget` seconds have gone.

    A first call under a second warms caches, plans and pages and is not counted (nor is a
    second warm-up call); a slower first call is counted: warming up hardly changes it, and
    repeating it would only make the run long.
    """
    samples = []
    start = time.perf_counter()
    matches = function(q)
    elapsed = time.perf_counter() - start
    if elapsed < 1:
        function(q)
    else:
        samples.append(elapsed * 1000)
    deadline = time.perf_counter() + budget
    while len(samples) < runs and (not samples or time.perf_counter() < deadline):
        start = time.perf_counter()
        matches = function(q)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "matches": matches,
        "runs": len(samples),
        "median": statistics.median(samples),
        "p95": samples[max(0, round(0.95 * len(samples)) - 1)],
        "total": sum(samples),
    }


def explain(q: str) -> None:
    from django.db import connection

    from ikpob_portal.kernel import search

    sql, params = search.matching_entries(q).order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FROM ({sql}) AS matching", params
        )
        say(f"\nEXPLAIN count for {q!r}:")
        for (line,) in cursor.fetchall():
            say(f"    {line}")


def machine_facts() -> dict:
    from django.db import connection

    from ikpob_portal.kernel.models import SearchEntry
    from publications.models import Publication

    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kilobytes = int(meminfo.read_text().split()[1])
        memory = f"{kilobytes / 1024 / 1024:.1f} GiB"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('ikpob_portal_searchentry'))")
        (index_size,) = cursor.fetchone()
        cursor.execute("SHOW shared_buffers")
        (shared_buffers,) = cursor.fetchone()
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        # Other work on the machine skews every figure: the load says how much there was.
        "load average": " ".join(f"{load:.2f}" for load in os.getloadavg()),
        "cpus (nproc)": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgresql": f"{version} (shared_buffers {shared_buffers})",
        "publications": f"{Publication.objects.count():,} "
        f"({Publication.objects.published().count():,} published)",
        "search rows": f"{SearchEntry.objects.count():,} ({index_size} with indexes)",
    }


def report(results: dict[str, dict[str, dict]]) -> None:
    present = next(iter(results.values()))
    series = [name for name in ("search", "view", "icontains") if name in present]
    say("\nFirst page of 20 results, milliseconds: median / p95 (runs)")
    say("  search     matching_entries(q) + count + page + passages, as /zoeken/ does")
    if "view" in series:
        say("  view       the whole SearchView context, with kind and theme facets")
    say("  icontains  the naive alternative: title, summary or body icontains every word")
    say("  ratio      icontains median / search median\n")
    header = f"{'query':<24} {'matches':>7}"
    header += "".join(f" {name:>21}" for name in series) + f" {'ratio':>6}"
    say(header)
    say("-" * len(header))
    for q, row in results.items():
        line = f"{q:<24} {row['search']['matches']:>7,}"
        for name in series:
            t = row[name]
            line += f" {t['median']:>8.0f} /{t['p95']:>7.0f} ({t['runs']:>2})"
        line += f" {row['icontains']['median'] / row['search']['median']:>5.1f}×"
        say(line)

    def total(name: str) -> float:
        return sum(row[name]["median"] for row in results.values())

    runs = sum(row["search"]["runs"] for row in results.values())
    seconds = sum(row["search"]["total"] for row in results.values()) / 1000
    say(f"\nTotals: {runs} timed searches in {seconds:.1f} s. Sum of the medians over all queries:")
    say("  " + ", ".join(f"{name} {total(name):,.0f} ms" for name in series))
    say(f"  icontains / search {total('icontains') / total('search'):.2f}×")


def main() -> None:
    args = parse_args()
    if args.host not in LOCAL_HOSTS:
        sys.exit(f"search_bench: refuses host {args.host!r}; it only uses this machine")
    name = args.database or f"ikpob_bench_{os.getpid()}"
    say(f"search_bench: creating database {name} on {args.host}:{args.port}")
    corpus.pg_tool("createdb", name, host=args.host, port=args.port, user=args.user)
    try:
        corpus.setup_django(f"postgres://{args.user}@{args.host}:{args.port}/{name}")
        from django.core.management import call_command
        from django.db import connection

        if connection.vendor != "postgresql":
            sys.exit(f"search_bench: refuses {connection.vendor}; it measures PostgreSQL only")
        say("Seeding")
        with step("migrate"):
            call_command("migrate", verbosity=0)
        started = time.perf_counter()
        timings = seed(args.rows, args.seed)
        seeded = time.perf_counter() - started

        facts = machine_facts()
        say("\nMachine")
        for key, value in facts.items():
            say(f"  {key:<14} {value}")
        say(
            f"  {'seeding':<14} {seeded:.0f} s (publications {timings['publications']:.0f} s, "
            f"search rows {timings['index']:.0f} s)"
        )

        results = {}
        say("\nTiming (median of the search series as it finishes)")
        for q in QUERIES:
            say(f"  {q} …", end="")
            runs, budget = args.runs, args.budget
            results[q] = {
                "search": timed(first_page, q, runs, budget),
                "icontains": timed(naive_page, q, args.naive_runs, budget),
            }
            if args.view:
                results[q]["view"] = timed(whole_view, q, args.naive_runs, budget)
            say(f" {results[q]['search']['median']:.1f} ms")
        report(results)
        say(f"Load average at the end: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
        if args.explain:
            for q in QUERIES:
                explain(q)
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if args.keep:
            say(
                f"\nKept database {name}; drop it with: dropdb -h {args.host} -U {args.user} {name}"
            )
        else:
            corpus.pg_tool(
                "dropdb",
                "--if-exists",
                "--force",
                name,
                host=args.host,
                port=args.port,
                user=args.user,
            )
            say(f"\nDropped database {name}")


if __name__ == "__main__":
    main()
