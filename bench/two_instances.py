#!/usr/bin/env python
"""Two gunicorn instances on one PostgreSQL database and one Redis: stale pages? overbooking?

Starts instances A and B on different ports with the page cache on (DJANGO_PAGE_CACHE=1),
sharing one throwaway database (migrated, with `loaddemo` content) and one Redis database.

(a) An editor logs in to A's admin over HTTP (CSRF and session cookie, like a browser; the
    password, then a code from the authenticator app, as production requires). B's
    publications list, a theme page and the home page are warmed (two GETs each). The editor
    publishes a draft publication with the admin's "publish" action on A, and renames it
    through A's full change form; B's list, detail, theme and home page must show it on the
    next request. Then the editor unpublishes it on A, and it must be gone from B.
(b) 60 visitors register for one event with 20 places, alternately through A and B, all at
    the same moment: exactly 20 confirmed, the rest on the waiting list.

Prints PASS/FAIL per check and exits non-zero when one fails.

    bench/two_instances
    bench/two_instances --clients 60 --capacity 20 --keep
"""

import argparse
import datetime
import html
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
import registrations
from common import say

DATABASE = "ikpob_bench_two"


class Checks:
    def __init__(self) -> None:
        self.results: list[tuple[str, bool, str]] = []

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        self.results.append((name, ok, detail))
        say(f"{'PASS' if ok else 'FAIL'}  {name}{f'  ({detail})' if detail else ''}")
        return ok

    @property
    def failed(self) -> int:
        return sum(1 for _, ok, _ in self.results if not ok)


def admin_login(
    client: common.Client, admin_path: str, username: str, password: str, app_key: bytes
) -> bool:
    """The password, then (production settings require it) a code from the editor's app."""
    from django_otp.oath import totp

    page = client.get(f"/{admin_path}login/?next=/{admin_path}")
    form = common.form_with(page.text, "username")
    data = dict(form.data())
    data.update(username=username, password=password)
    response = client.post(f"/{admin_path}login/?next=/{admin_path}", data)
    if "/tweede-factor/code/" in response.url:
        form = common.form_with(response.text, "code")
        data = dict(form.data())
        data.update(code=f"{totp(app_key):06d}")
        response = client.post(response.url, data)
    return (
        response.status == 200
        and client.cookie("sessionid") is not None
        and ("/login/" not in response.url)
    )


def admin_action(client: common.Client, changelist: str, action: str, pk: int) -> common.Response:
    page = client.get(changelist)
    form = common.form_with(page.text, "action")
    data = [(name, value) for name, value in form.data() if name not in {"action", "index"}]
    data += [("action", action), ("_selected_action", str(pk)), ("index", "0")]
    return client.post(changelist, data)


def admin_rename(client: common.Client, change_url: str, title: str) -> common.Response:
    """Change the title through the whole change form, every other field as it stands."""
    page = client.get(change_url)
    form = common.form_with(page.text, "title")
    data = [(name, title if name == "title" else value) for name, value in form.data()]
    data.append(("_save", "Opslaan"))
    return client.post(change_url, data)


def content_version() -> str:
    """The page cache's content version in the shared Redis, if the cache has one."""
    from django.core.cache import cache

    return str(cache.get("content-version", "-"))


def shows(client: common.Client, path: str, text: str) -> tuple[bool, str]:
    response = client.get(path)
    found = html.escape(text, quote=False) in response.text or text in response.text
    cache = response.headers.get("X-Page-Cache", "-")
    return found, f"{response.status}, X-Page-Cache {cache}, version {content_version()}"


def part_a(checks: Checks, a: common.Gunicorn, b: common.Gunicorn) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from publications.models import Publication

    password = secrets.token_urlsafe(16)
    username = f"bench-{secrets.token_hex(3)}"
    account = get_user_model().objects.create_superuser(
        username, f"{username}@bench.example.org", password
    )
    # The editor set up an authenticator app before (a confirmed device): the login asks for
    # its code, as it does in production.
    app = TOTPDevice.objects.create(user=account, name="bench", confirmed=True)
    sample = Publication.objects.published().exclude(themes=None).order_by("-published_at").first()
    theme = sample.themes.order_by("slug").first()
    token = secrets.token_hex(3)
    title = f"Tweeling-instantie publicatie {token}"
    draft = Publication.objects.create(
        title=title,
        slug=f"tweeling-instantie-{token}",
        summary="Een concept voor de controle op verouderde pagina's.",
        publication_year=datetime.date.today().year,  # noqa: DTZ011
        status=Publication.Status.DRAFT,
    )
    draft.themes.set([theme])
    detail = f"/publicaties/{draft.slug}/"
    watched = {
        "list": "/publicaties/",
        "theme": theme.get_absolute_url(),
        "home": "/",
    }

    editor = common.Client(a.url())
    visitor = common.Client(b.url())  # anonymous: the page cache serves it
    admin_path = settings.ADMIN_URL
    checks.check(
        "editor logs in to A's admin (password and app code)",
        admin_login(editor, admin_path, username, password, app.bin_key),
    )
    for path in watched.values():
        visitor.get(path)
        visitor.get(path)
    for name, path in watched.items():
        found, detail_text = shows(visitor, path, title)
        checks.check(f"B {name} does not show the draft (warm)", not found, detail_text)

    changelist = f"/{admin_path}publications/publication/"
    response = admin_action(editor, changelist, "publish", draft.pk)
    draft.refresh_from_db()
    checks.check(
        "A's admin publishes the draft (action)",
        draft.status == Publication.Status.PUBLISHED,
        f"{response.status}, status {draft.status}",
    )
    for name, path in [*watched.items(), ("detail", detail)]:
        found, detail_text = shows(visitor, path, title)
        checks.check(f"B {name} shows it at once", found, detail_text)

    renamed = f"{title} herzien"
    response = admin_rename(
        editor, f"/{admin_path}publications/publication/{draft.pk}/change/", renamed
    )
    draft.refresh_from_db()
    checks.check(
        "A's change form renames it",
        draft.title == renamed,
        f"{response.status} at {response.url.split('?')[0]}",
    )
    for name, path in [("list", watched["list"]), ("detail", detail), ("home", "/")]:
        found, detail_text = shows(visitor, path, renamed)
        checks.check(f"B {name} shows the new title", found, detail_text)

    response = admin_action(editor, changelist, "unpublish", draft.pk)
    draft.refresh_from_db()
    checks.check(
        "A's admin unpublishes it (action)",
        draft.status == Publication.Status.DRAFT,
        f"{response.status}, status {draft.status}",
    )
    for name, path in watched.items():
        found, detail_text = shows(visitor, path, title)
        checks.check(f"B {name} no longer shows it", not found, detail_text)
    gone = visitor.get(detail)
    checks.check("B detail answers 404", gone.status == 404, str(gone.status))


def part_b(checks: Checks, a: common.Gunicorn, b: common.Gunicorn, clients: int, capacity: int):
    title = f"Tweeling-instantie congres {secrets.token_hex(3)}"
    event = registrations.make_event(title, capacity)
    summary = registrations.fire([a.url(), b.url()], event.slug, clients)
    found = registrations.counts(event)
    checks.check(
        f"{clients} registrations over A and B: exactly {capacity} confirmed",
        found["confirmed"] == capacity,
        f"confirmed {found['confirmed']}, waiting {found['waiting']}",
    )
    checks.check(
        "the rest on the waiting list",
        found["waiting"] == clients - capacity,
        f"waiting {found['waiting']}",
    )
    checks.check(
        "no errors, no 5xx",
        summary.errors == 0 and summary.server_errors == 0,
        f"errors {summary.errors}, 5xx {summary.server_errors} {summary.error_samples}",
    )
    say(f"      ({summary.per_second:.1f} registrations/s over both instances)")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=60)
    parser.add_argument("--capacity", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers per instance")
    parser.add_argument("--keep", action="store_true", help=f"keep the database {DATABASE}")
    args = parser.parse_args()
    if not 1 <= args.capacity < args.clients <= 500:
        parser.error("need 1 ≤ --capacity < --clients ≤ 500")
    return args


def main() -> None:
    args = parse_args()
    url = common.database_url(DATABASE)
    env = common.server_env(
        url,
        DJANGO_PAGE_CACHE="1",
        DJANGO_REGISTRATION_RATE_LIMIT_PER_HOUR=registrations.RATE_LIMIT,
        DJANGO_REGISTRATION_RATE_LIMIT_PER_EVENT_PER_HOUR=registrations.RATE_LIMIT,
    )
    checks = Checks()
    try:
        common.drop_database(DATABASE)
        common.create_database(DATABASE)
        say(f"Database {DATABASE}: migrate, collectstatic, loaddemo …")
        common.migrate_and_collect(env)
        common.manage(env, "loaddemo", "-v0")
        common.setup_django(env)
        common.flush_redis()
        # One environment, so one secret key: as two app servers of one site would have.
        with (
            common.Gunicorn(env, workers=args.workers) as a,
            common.Gunicorn(env, workers=args.workers) as b,
        ):
            say(f"A on {a.url()}, B on {b.url()}, page cache on, one Redis db\n")
            for name, part, extra in [
                ("(a) changes reach the other instance", part_a, ()),
                ("(b) registrations over both", part_b, (args.clients, args.capacity)),
            ]:
                say(name)
                try:
                    part(checks, a, b, *extra)
                except Exception as error:  # a broken step is a failed check, not the end
                    checks.check(
                        f"{name} ran to the end", False, f"{type(error).__name__}: {error}"
                    )
            for name, server in (("A", a), ("B", b)):
                errors = server.errors_in_log()
                checks.check(f"{name}'s log has no errors", not errors, "; ".join(errors[:2]))
    finally:
        from django.apps import apps

        if apps.ready:
            from django.db import connections

            connections.close_all()
        if not args.keep:
            common.drop_database(DATABASE)
    say(f"\n{len(checks.results) - checks.failed} passed, {checks.failed} failed")
    sys.exit(1 if checks.failed else 0)


if __name__ == "__main__":
    main()
