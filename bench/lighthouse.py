"""Lighthouse (mobile) on five page types of the demo site under production-like gunicorn.

A throwaway PostgreSQL database gets the demo content (`loaddemo`); static files are collected
with the production storage (hashed names, whitenoise compression) into a temporary directory;
gunicorn serves with DEBUG off on 127.0.0.1. Lighthouse comes from bench/lighthouse/ (its own
package.json and lock file, never installed by CI) and drives Debian's Chromium. Each page runs
`--runs` times; the table shows the median of each figure. See bench/README.md.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import common

LIGHTHOUSE = common.BENCH / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# A Redis database of its own, flushed at the start (bench/run uses 5).
REDIS_DB = 6
ATTEMPTS = 3
TARGETS = """
import json
from django.utils import timezone
from events.models import Event
from publications.models import Publication

essay = Publication.objects.published().filter(kind="essay").order_by("-published_at").first()
event = next(
    event
    for event in Event.objects.published().upcoming()
    if event.registration_state(timezone.now()) == "open"
)
print(json.dumps({
    "essay": essay.get_absolute_url(),
    "event": event.get_absolute_url(),
    "register": event.get_absolute_url() + "aanmelden/",
}))
"""


def find_targets(env: dict[str, str]) -> list[tuple[str, str]]:
    output = subprocess.run(
        [str(common.VENV_BIN / "python"), "manage.py", "shell", "-c", TARGETS],
        cwd=common.ROOT,
        env=env,
        check=True,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    ).stdout
    found = json.loads(output.strip().splitlines()[-1])
    return [
        ("home", "/"),
        ("publication list", "/publicaties/"),
        ("essay", found["essay"]),
        ("event", found["event"]),
        ("registration form", found["register"]),
    ]


def lighthouse(url: str, report: Path) -> dict:
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox",
        "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": CHROME}
    # Now and then Lighthouse loses the trace on a busy machine (NO_NAVSTART): try again.
    for attempt in range(ATTEMPTS):
        if subprocess.run(command, env=env, stdin=subprocess.DEVNULL).returncode == 0:
            break
        common.say(f"bench: Lighthouse failed on {url} (attempt {attempt + 1} of {ATTEMPTS})")
    else:
        sys.exit(f"bench: Lighthouse failed {ATTEMPTS} times on {url}")
    result = json.loads(report.read_text())
    audits = result["audits"]
    figures = {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}
    figures["cls"] = audits["cumulative-layout-shift"]["numericValue"]
    figures["fcp"] = audits["first-contentful-paint"]["numericValue"] / 1000
    figures["lcp"] = audits["largest-contentful-paint"]["numericValue"] / 1000
    figures["failed"] = sorted(
        audit_id
        for name in CATEGORIES[1:]
        for ref in result["categories"][name]["auditRefs"]
        if ref["weight"] and (audit_id := ref["id"]) and audits[audit_id]["score"] not in (1, None)
    )
    return figures


def warm_up(url: str) -> None:
    """A few requests first, as a visitor of a live site finds it: templates compiled, the page
    in the page cache (Redis), static files opened; Lighthouse then measures the front end."""
    for _ in range(3):
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()


def median(runs: list[dict]) -> dict:
    figures = {
        key: statistics.median(run[key] for run in runs) for key in runs[0] if key != "failed"
    }
    figures["failed"] = sorted({audit for run in runs for audit in run["failed"]})
    return figures


def table(rows: list[tuple[str, str, dict]]) -> list[str]:
    lines = [
        "| page | performance | accessibility | best practices | SEO | CLS | FCP | LCP |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, path, f in rows:
        lines.append(
            f"| {label} (`{path}`) | {f['performance']:.0f} | {f['accessibility']:.0f} "
            f"| {f['best-practices']:.0f} | {f['seo']:.0f} | {f['cls']:.3f} "
            f"| {f['fcp']:.1f} s | {f['lcp']:.1f} s |"
        )
    return lines


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median)")
    parser.add_argument("--reports", type=Path, help="keep the JSON reports in this directory")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("bench: Lighthouse is missing; run bench/lighthouse.sh (it installs it)")
    reports = args.reports or Path(tempfile.mkdtemp(prefix="ikpob-lighthouse-"))
    reports.mkdir(parents=True, exist_ok=True)
    static_root = Path(tempfile.mkdtemp(prefix="ikpob-lighthouse-static-"))
    name = f"ikpob_lighthouse_{os.getpid()}"
    database = common.create_database(name)
    try:
        env = common.server_env(database, redis_db=REDIS_DB, BENCH_STATIC_ROOT=str(static_root))
        common.flush_redis(REDIS_DB)
        common.say("Migrating, loading the demo content, collecting static files …")
        common.migrate_and_collect(env)
        common.manage(env, "loaddemo")
        targets = find_targets(env)
        rows = []
        with common.Gunicorn(env, workers=2) as server:
            for label, path in targets:
                warm_up(server.url(path))
                runs = []
                for number in range(args.runs):
                    report = reports / f"{label.replace(' ', '-')}-{number + 1}.json"
                    runs.append(lighthouse(server.url(path), report))
                figures = median(runs)
                rows.append((label, path, figures))
                common.say(f"{label}: {figures}")
        common.say()
        common.say(f"Lighthouse mobile, median of {args.runs} runs; reports in {reports}")
        common.say("\n".join(table(rows)))
    finally:
        common.drop_database(name)
        shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    main()
