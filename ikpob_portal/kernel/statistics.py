"""Page views and PDF downloads per address and month, for editors: no cookies, no addresses.

What is counted: a GET answered 200 with an HTML page (a *view*) or a PDF (a *download*), by
the address's path without its query string (`/publicaties/leren-van-doen/`). What is not:
HEAD and other methods, any other status (404, redirects, 304 "not modified"), requests
without a User-Agent or with a known bot's (`ikpob_portal.kernel.bots`), prefetch and
prerender hints, logged-in staff, the admin, static and media files, and the personal pages
(`declarations.personal_prefixes()`, whose paths hold a secret token). Nothing about the
visitor is read beyond those headers, and nothing is stored but month, path, kind and a number.

The middleware sits above the page cache, so a stored page served without any view counts
the same as a rendered one. Counting must not slow that hot path, so a request only adds one
to a dictionary in this process; every STATISTICS_FLUSH_SECONDS the request that finds the
buffer due writes it to the table (`VisitCount`) in one statement that adds to the rows
(INSERT … ON CONFLICT DO UPDATE), and the process writes what is left when it exits. A crash
(or `kill -9`) of a worker loses at most what it counted since its last flush; a flush that
fails (the database is down) keeps the counts for the next one.
"""

import atexit
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime
from datetime import time as clock
from http import HTTPStatus

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection, models, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from ikpob_portal.kernel.bots import is_bot
from ikpob_portal.kernel.models import VisitCount
from ikpob_portal.platform import declarations
from ikpob_portal.platform.cache import PRIVATE_PREFIXES

logger = logging.getLogger(__name__)

VIEW = VisitCount.Kind.VIEW.value
DOWNLOAD = VisitCount.Kind.DOWNLOAD.value
MAX_PATH = VisitCount._meta.get_field("path").max_length

# Browsers announce speculative loads; those are not (yet) visits.
# Chrome: Sec-Purpose "prefetch" / "prefetch;prerender" (older: Purpose); Firefox: X-Moz;
# Safari: X-Purpose "preview".
_HINT_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_MOZ", "HTTP_X_PURPOSE")
_HINTS = ("prefetch", "prerender", "preview")

_lock = threading.Lock()
_buffer: Counter[tuple[date, str, str]] = Counter()
_last_flush = time.monotonic()
# Worked out once, not on every request (they cost as much as the rest of the counting).
_prefixes: tuple[str, ...] | None = None
_month: date = date.min
_month_ends = 0.0  # time.time() at which _month is over


# What counts ---------------------------------------------------------------------------


def _excluded_prefixes() -> tuple[str, ...]:
    global _prefixes
    if _prefixes is None:
        # Apps declare their personal paths in ready(), before the first request.
        _prefixes = (
            "/" + settings.ADMIN_URL,
            settings.STATIC_URL,
            settings.MEDIA_URL,
            *PRIVATE_PREFIXES,
            *declarations.personal_prefixes(),
        )
    return _prefixes


def _forget_prefixes(**kwargs) -> None:
    global _prefixes
    _prefixes = None


setting_changed.connect(_forget_prefixes, dispatch_uid="statistics-prefixes")


def current_month() -> date:
    """The first day of this month in the site's time zone (TIME_ZONE)."""
    global _month, _month_ends
    if time.time() >= _month_ends:
        zone = timezone.get_default_timezone()
        month = timezone.localdate(timezone=zone).replace(day=1)
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        # The month first: another thread that sees the new end must see the new month too.
        _month = month
        _month_ends = datetime.combine(following, clock.min, tzinfo=zone).timestamp()
    return _month


def kind_of(request: HttpRequest, response: HttpResponse) -> str | None:
    """VIEW or DOWNLOAD if this request and its answer count, else None.

    The cheap tests first: most answers that do not count fail on method, status or type.
    """
    if request.method != "GET" or response.status_code != HTTPStatus.OK:
        return None
    content_type = response.get("Content-Type", "")
    if content_type.startswith("text/html"):
        kind = VIEW
    elif content_type.startswith("application/pdf"):
        kind = DOWNLOAD
    else:
        return None
    meta = request.META
    user_agent = meta.get("HTTP_USER_AGENT", "")
    if not user_agent or is_bot(user_agent):
        return None
    for header in _HINT_HEADERS:
        if header in meta and any(hint in meta[header].lower() for hint in _HINTS):
            return None
    path = request.path
    if len(path) > MAX_PATH or path.startswith(_excluded_prefixes()):
        return None
    # Only a request with a session can be logged in. Its page was rendered (the page cache
    # never answers it), so `request.user` is there and mostly already loaded.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        user = getattr(request, "user", None)
        if user is not None and user.is_staff:
            return None
    return kind


# The buffer ------------------------------------------------------------------------------


def record(path: str, kind: str, month: date | None = None) -> None:
    """One more view or download of `path`, kept in this process until the next flush."""
    month = month or current_month()
    with _lock:
        _buffer[(month, path, kind)] += 1
        due = time.monotonic() - _last_flush >= settings.STATISTICS_FLUSH_SECONDS
    if due:
        flush()


def flush() -> int:
    """Add this process's buffered counts to the table; returns how many were written.

    The buffer is emptied before writing, so two flushes never write the same count twice;
    if the write fails, the counts go back into the buffer for the next flush.
    """
    global _last_flush
    with _lock:
        pending = dict(_buffer)
        _buffer.clear()
        _last_flush = time.monotonic()
    if not pending:
        return 0
    try:
        _add_to_table(pending.items())
    except Exception:
        logger.warning("statistics: could not write %d counts; kept for later", len(pending))
        with _lock:
            _buffer.update(pending)
        return 0
    return sum(pending.values())


def buffered() -> dict[tuple[date, str, str], int]:
    """What this process counted and has not written yet: {(month, path, kind): count}."""
    with _lock:
        return dict(_buffer)


def discard_buffer() -> None:
    """Forget what this process counted and has not written (for tests)."""
    with _lock:
        _buffer.clear()


def _add_to_table(counts: Iterable[tuple[tuple[date, str, str], int]]) -> None:
    # Django's bulk_create(update_conflicts=True) can only replace a count, not add to it, so
    # this is the one statement PostgreSQL and SQLite both understand for "add n, or insert n".
    quote = connection.ops.quote_name
    table = quote(VisitCount._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({quote('month')}, {quote('path')}, {quote('kind')}, "
        f"{quote('count')}) VALUES (%s, %s, %s, %s) "
        f"ON CONFLICT ({quote('month')}, {quote('path')}, {quote('kind')}) "
        f"DO UPDATE SET {quote('count')} = {table}.{quote('count')} + excluded.{quote('count')}"
    )
    rows = [(month, path, kind, count) for (month, path, kind), count in counts]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _flush_at_exit() -> None:
    # A worker that stops normally (a deploy, gunicorn's max_requests) keeps its counts.
    try:
        flush()
    except Exception:  # the interpreter is going away; nothing more to do
        logger.warning("statistics: counts lost at exit", exc_info=True)


atexit.register(_flush_at_exit)


# The middleware ----------------------------------------------------------------------------


class StatisticsMiddleware:
    """Counts views and downloads (see the module's docstring). Placed above the page cache,
    so every answer passes here, stored or rendered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not settings.STATISTICS:
            return response
        try:
            kind = kind_of(request, response)
            if kind is not None:
                record(request.path, kind)
        except Exception:  # counting must never cost a visitor the page
            logger.warning("statistics: not counted", exc_info=True)
        return response


# For editors ------------------------------------------------------------------------------


def months_back(start: date, count: int) -> list[date]:
    """`count` first days of months, newest first, from the month of `start`."""
    months, year, month = [], start.year, start.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months


def per_month(paths: dict[str, list[str]], months: int = 12) -> dict:
    """Views and downloads of one item (its paths per kind) for the last `months` months,
    newest first, with the totals of those months and of all time."""
    kind_of_path = {path: kind for kind, kind_paths in paths.items() for path in kind_paths}
    rows = (
        VisitCount.objects.filter(path__in=kind_of_path)
        .values_list("month", "path", "kind", "count")
        .order_by()
    )
    shown = months_back(timezone.localdate(), months)
    by_month = {month: {VIEW: 0, DOWNLOAD: 0} for month in shown}
    all_time = {VIEW: 0, DOWNLOAD: 0}
    for month, path, kind, count in rows:
        if kind_of_path[path] != kind:  # e.g. an HTML error page at a download's address
            continue
        all_time[kind] += count
        if month in by_month:
            by_month[month][kind] += count
    return {
        "months": [{"month": month, **by_month[month]} for month in shown],
        "period": {kind: sum(row[kind] for row in by_month.values()) for kind in (VIEW, DOWNLOAD)},
        "all_time": all_time,
    }


def top_paths(month: date, kind: str, limit: int) -> list[tuple[str, int]]:
    return list(
        VisitCount.objects.filter(month=month, kind=kind)
        .order_by("-count", "path")
        .values_list("path", "count")[:limit]
    )


def month_totals(month: date) -> dict[str, int]:
    totals = {VIEW: 0, DOWNLOAD: 0}
    for kind, total in (
        VisitCount.objects.filter(month=month)
        .values("kind")
        .annotate(total=models.Sum("count"))
        .values_list("kind", "total")
        .order_by()
    ):
        totals[kind] = total
    return totals


def counted_months() -> list[date]:
    """Every month with counts, and the current one, newest first."""
    months = set(VisitCount.objects.values_list("month", flat=True).distinct().order_by())
    months.add(timezone.localdate().replace(day=1))
    return sorted(months, reverse=True)
