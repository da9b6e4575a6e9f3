"""Rate limits and single-use claims on the shared cache, for public forms and search.

Keys are hashed client addresses (or hashed e-mail addresses): no IP address or e-mail address
is stored anywhere. When the shared cache cannot be reached (Redis down), counting does not stop:
it falls back to a small store in this process (`LocalStore`), so a Redis outage neither locks
everyone out nor switches the limits off. Per process means a limit of N allows up to N per
gunicorn worker during an outage; that is looser, not off. The fallback is logged once per
outage and process.
"""

import hashlib
import ipaddress
import logging
import math
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from ikpob_portal.platform.cache import skip_page_cache

logger = logging.getLogger(__name__)


class LocalStore:
    """Fixed-window counters and single-use claims in this process's memory, with the same
    `count` / `claim` API as the shared store. Thread-safe (gunicorn threads share it) and
    bounded: beyond `max_keys` the expired entries go first, then the oldest."""

    def __init__(self, max_keys: int = 10_000) -> None:
        self.max_keys = max_keys
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, list] = OrderedDict()  # key -> [value, expires_at]

    def _live(self, key: str, now: float) -> list | None:
        entry = self._entries.get(key)
        if entry is not None and entry[1] <= now:
            del self._entries[key]
            return None
        return entry

    def _make_room(self, now: float) -> None:
        if len(self._entries) < self.max_keys:
            return
        for key in [key for key, (_value, expires) in self._entries.items() if expires <= now]:
            del self._entries[key]
        while len(self._entries) >= self.max_keys:
            self._entries.popitem(last=False)

    def count(self, key: str, window_seconds: int) -> int:
        """Count one attempt; the number of attempts in the current window, this one included."""
        now = time.monotonic()
        with self._lock:
            entry = self._live(key, now)
            if entry is None:
                self._make_room(now)
                self._entries[key] = [1, now + window_seconds]
                return 1
            entry[0] += 1
            return entry[0]

    def claim(self, key: str, timeout: int) -> bool:
        """True the first time `key` is claimed within `timeout` seconds, False after that."""
        now = time.monotonic()
        with self._lock:
            if self._live(key, now) is not None:
                return False
            self._make_room(now)
            self._entries[key] = [1, now + timeout]
            return True

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


local_store = LocalStore()


class _Fallback:
    """Whether this process is counting locally, so the switch is logged once per outage."""

    def __init__(self) -> None:
        self.active = False
        self._lock = threading.Lock()

    def start(self, what: str, error: object) -> None:
        with self._lock:
            if self.active:
                return
            self.active = True
        logger.warning(
            "rate limit %s: the cache is unavailable (%r); counting in this process instead",
            what,
            error,
        )

    def end(self) -> None:
        if self.active:
            with self._lock:
                self.active = False
            logger.warning("rate limits: the cache is reachable again; counting there")


fallback = _Fallback()


def count(key: str, window_seconds: int, *, what: str = "") -> int:
    """Count one attempt under `key` in the shared cache; the attempts in the current window.

    A cache that raises (Django's Redis backend) and one that turns its errors into misses
    (ours: add() False, then incr() ValueError, then add() False again) both send the count to
    the process's `LocalStore` instead.
    """
    try:
        if cache.add(key, 1, timeout=window_seconds):
            fallback.end()
            return 1
        try:
            value = cache.incr(key)
        except ValueError:  # expired between add() and incr(), or the cache is unreachable
            if cache.add(key, 1, timeout=window_seconds):
                fallback.end()
                return 1
            error: object = "no answer"
        else:
            fallback.end()
            return value
    except Exception as raised:
        error = raised
    fallback.start(repr(what or key.split(":")[1]), error)
    return local_store.count(key, window_seconds)


_MISSING = object()


def claim(key: str, timeout: int) -> bool:
    """Claim `key` once: True the first time, False when it was claimed before (within
    `timeout` seconds). Falls back to the process's `LocalStore` like `count`."""
    try:
        if cache.add(key, 1, timeout=timeout):
            fallback.end()
            return True
        # add() refused: claimed already, or a cache that answers every call as a miss.
        if cache.get(key, _MISSING) is not _MISSING:
            fallback.end()
            return False
        error: object = "no answer"
    except Exception as raised:
        error = raised
    fallback.start("claim", error)
    return local_store.claim(key, timeout)


def hashed_key(scope: str, value: str) -> str:
    """A cache key for `value` (an address, an e-mail address) that does not contain it."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:24]
    return f"ratelimit:{scope}:{digest}"


def client_address(request: HttpRequest) -> str:
    """The visitor's address; behind N trusted proxies, the Nth address from the right.

    What counts as one visitor: an IPv4 address, or an IPv6 /64 network (one connection
    usually has a whole /64, so single IPv6 addresses would give everyone endless fresh
    limits). Anything in X-Forwarded-For that is not an address is ignored.
    """
    candidate = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NUM_PROXIES
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [address for address in forwarded if address]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        return request.META.get("REMOTE_ADDR", "")
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def client_key(request: HttpRequest, scope: str) -> str:
    return hashed_key(scope, client_address(request))


def allow(request: HttpRequest, scope: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt of this visitor; False once more than `limit` fell in the window."""
    return allow_key(client_key(request, scope), limit=limit, window_seconds=window_seconds)


def allow_key(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt under `key`; False once more than `limit` fell in the window."""
    return count(key, window_seconds) <= limit


FORM_WINDOW_SECONDS = 3600


def form_allowed(request: HttpRequest, form, scope: str, *, limit: int) -> bool:
    """Count one submission of a public form: at most `limit` per visitor an hour. Over it,
    the form gets a message, so it is shown again with what the visitor typed; answer it with
    `limited(response, retry_after=FORM_WINDOW_SECONDS)`."""
    if allow(request, scope, limit=limit, window_seconds=FORM_WINDOW_SECONDS):
        return True
    form.add_error(
        None, _("U heeft het formulier te vaak verstuurd. Probeer het over een uur opnieuw.")
    )
    return False


def limited(response: HttpResponse, *, retry_after: int) -> HttpResponse:
    """Mark `response` as a 429 answer: when to try again, and never stored anywhere."""
    response.status_code = 429
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    return response


def too_many_requests(request: HttpRequest, *, retry_after: int) -> HttpResponse:
    """The friendly 429 page in the site's layout, for a GET page over its limit."""
    skip_page_cache(request)
    minutes = max(1, math.ceil(retry_after / 60))
    response = render(request, "429.html", {"retry_after_minutes": minutes})
    return limited(response, retry_after=retry_after)


def search_limited(request: HttpRequest) -> HttpResponse | None:
    """The 429 page once a visitor searched more than SEARCH_RATE_LIMIT_PER_MINUTE times in a
    minute, else None. One count for the site search and the lists' text queries alike, which
    run the same search; a page without a query (the search form, a list) is not counted."""
    if not request.GET.get("q", "").strip():
        return None
    if allow(request, "search", limit=settings.SEARCH_RATE_LIMIT_PER_MINUTE, window_seconds=60):
        return None
    return too_many_requests(request, retry_after=60)


# Full renders of filtered list pages at once, over all processes (LIST_FILTER_CONCURRENCY):
# one cache key per slot, "<prefix>:0", "<prefix>:1", … holding the render's token.
LIST_FILTER_SLOTS_KEY = "in-flight:list-filter"
# A slot ends by itself after this long, so a worker killed in the middle of a page (whose
# slot is never given back) blocks nothing for longer.
LIST_FILTER_SLOT_SECONDS = 60
LIST_FILTER_BUSY_RETRY_SECONDS = 10


def list_filter_slot_key(number: int) -> str:
    return f"{LIST_FILTER_SLOTS_KEY}:{number}"


@contextmanager
def list_filter_slot() -> Iterator[bool]:
    """Whether this request may render a filtered, searched or sorted list page in full now:
    at most LIST_FILTER_CONCURRENCY such pages at once over every process (0: no cap). The
    list view decides what a request without a slot gets (kernel/lists.py).

    The per-address limit above stops one crawler; a crawler on many addresses, or one that
    asks for pages faster than they can be rendered, still fills every worker with uncached
    facet pages while visitors of stored pages wait. A cap on the renders in flight keeps
    workers free for them, whatever the number of addresses (bench/crawl measures both). Stored
    pages never get here (the page cache answers first).

    Each slot is a key of its own, taken with `add` (one atomic SET NX with its expiry in
    Redis) and given back by deleting it if it still holds this render's token: no counter
    that could lose its expiry or drift when a worker dies. A cache that answers every call
    as a miss (Redis down) leaves no slot readable as taken: then there is no cap.
    """
    limit = settings.LIST_FILTER_CONCURRENCY
    if not limit:
        yield True
        return
    token = secrets.token_hex(8)
    taken = None
    with suppress(Exception):
        for number in range(limit):
            if cache.add(list_filter_slot_key(number), token, timeout=LIST_FILTER_SLOT_SECONDS):
                taken = list_filter_slot_key(number)
                break
    if taken is None:
        # Every add() refused: all slots are held, or the cache is not answering (then the
        # first slot reads as empty too, as it does when it was given back just now).
        try:
            held = cache.get(list_filter_slot_key(0)) is not None
        except Exception:
            held = False
        yield not held
        return
    try:
        yield True
    finally:
        with suppress(Exception):  # expired meanwhile, or taken since by another render
            if cache.get(taken) == token:
                cache.delete(taken)
