"""A small fixed-window rate limit on the shared cache, for public forms and search.

Keys are hashed client addresses: no IP address is stored anywhere. When the cache cannot be
reached the limit is not enforced (fail open): a Redis outage must not lock everyone out.
"""

import hashlib
import ipaddress
import logging
import math

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from ikpob_portal.platform.cache import skip_page_cache

logger = logging.getLogger(__name__)


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
    address = client_address(request)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:24]
    return f"ratelimit:{scope}:{digest}"


def allow(request: HttpRequest, scope: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt; False once more than `limit` attempts fell in the current window.

    True whenever the cache cannot count: a cache that raises (Redis down) and one that turns
    its errors into misses (add() False, incr() ValueError) both let the attempt through.
    """
    key = client_key(request, scope)
    try:
        if cache.add(key, 1, timeout=window_seconds):
            return True
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr(), or the cache is unreachable
            cache.add(key, 1, timeout=window_seconds)
            return True
    except Exception as error:
        logger.warning("rate limit %r not applied, the cache is unavailable: %r", scope, error)
        return True
    return count <= limit


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
