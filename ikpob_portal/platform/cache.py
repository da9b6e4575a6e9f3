"""The shared page cache for anonymous visitors, invalidated by versions of what a page shows.

A cached page is stored under the language and the full path, together with the versions it
was rendered under. Two kinds of version:

- the *content version*: every committed save or delete of a content model (what the apps
  declare as such in `platform.declarations`) moves it, and every stored page depends on it.
  Editors' changes are rare, and a title or a theme can show on almost any page, so this is
  one counter, not a map of which page shows what;
- *scopes*: a few content models are written often, by the public, and show on few pages (an
  event's registrations: its places left). The apps declare them with the scopes a row moves
  (`declarations.declare_scoped`: "event:12"); a save or delete of one moves those scopes only,
  never the content version. A page that shows such a row says so while it renders
  (`shows("event:12")`), and is stored with that scope's version too. So a registration rush
  leaves publication pages stored and refreshes only its event's page and the lists that show
  its places.

The versions and the page are read in one round trip (a page with scopes needs a second one
for them). A stale entry is replaced by the next rendering or expires with its timeout, which
also bounds how late a change that no save announces shows up (a scheduled publication whose
moment has come, an event that has started).

Only what is the same for every anonymous visitor is stored: GET requests without a
session or message cookie, answered 200 without setting a cookie, without using a CSRF
token, and without `Cache-Control: private/no-store`. Editors (who have a session) and
pages with forms (which use a CSRF token) are therefore never served from the cache.

The versions live in the cache itself, so it must be a cache that every process shares
(Redis). With Django's local-memory cache each gunicorn worker would keep its own versions
and serve pages another worker has made stale, so the page cache is off by default then.
"""

import contextvars
import hashlib
import logging
import math
import time
from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language_from_path

from ikpob_portal.platform import declarations

logger = logging.getLogger(__name__)

VERSION_KEY = "content-version"
SCOPE_KEY = "scope-version:{}"
# Moved with every scope: a page whose scopes are read after it rendered is stored only if this
# did not move while it rendered (see `PageCacheMiddleware`).
ANY_SCOPE_KEY = SCOPE_KEY.format("*")
# Which apps' rows are shown on public pages (a save or delete there may change any page),
# which of their models are written on requests or seen only by editors (bumping on them
# would empty the cache for nothing), and which paths are personal: the apps declare these
# in `platform.declarations`.
# Paths for editors and machinery, whatever their answer looks like.
PRIVATE_PREFIXES = ("/healthz/", "/i18n/")
SKIP_ATTRIBUTE = "_skip_page_cache"
UNTIL_ATTRIBUTE = "_page_cache_until"


# The content version ----------------------------------------------------------------------


def _version(key: str) -> int:
    version = cache.get(key)
    if version is None:
        # Seeded with the clock: after Redis lost the key, the new version is still larger
        # than any earlier one, so no page stored under an old version can come back.
        cache.add(key, time.time_ns(), timeout=None)
        version = cache.get(key, 0)
    return version


def content_version() -> int:
    return _version(VERSION_KEY)


def _bump_key(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not there yet (or evicted): start again from the clock
        cache.set(key, time.time_ns(), timeout=None)


def bump(*scopes: str) -> None:
    """A change is committed: every page stored until now that shows it is stale. Without
    scopes, the content version moves (every page); with scopes, those scopes only."""
    try:
        if not scopes:
            _bump_key(VERSION_KEY)
            return
        for scope in scopes:
            _bump_key(SCOPE_KEY.format(scope))
        _bump_key(ANY_SCOPE_KEY)
    except Exception:
        # The change is committed either way. A cache that cannot be reached serves nothing;
        # one that comes back may serve the older pages until they expire (PAGE_CACHE_SECONDS).
        what = scopes or "the content version"
        logger.error("page cache: could not bump %s", what, exc_info=True)


def is_content_model(model) -> bool:
    return declarations.is_content_model(model)


def _on_change(sender, instance, **kwargs) -> None:
    if kwargs.get("raw") or not is_content_model(sender):
        return
    scopes = declarations.scopes_of(sender, instance)
    if scopes == ():
        return
    # After the commit: a request that reads in between still sees the old rows, and must
    # not store them under the new version. No scopes: the content version.
    transaction.on_commit(lambda: bump(*(scopes or ())), using=kwargs.get("using"))


def _on_m2m_change(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        _on_change(sender, instance, using=kwargs.get("using"))


def connect_signals() -> None:
    post_save.connect(_on_change, dispatch_uid="page-cache-save")
    post_delete.connect(_on_change, dispatch_uid="page-cache-delete")
    m2m_changed.connect(_on_m2m_change, dispatch_uid="page-cache-m2m")


# Counts that change only with content ---------------------------------------------------


def per_version(parts: tuple, compute: Callable[[], object]) -> object:
    """`compute()`, remembered in the shared cache until the content version moves.

    For what costs a pass over many rows and changes only when content does: facet counts
    and totals of lists, a search's counts and ranking, related items. Off (always
    computed) unless QUERY_CACHE is on, for the same reason as the page cache: the version
    must be shared by every process.
    """
    if not settings.QUERY_CACHE:
        return compute()
    try:
        digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
        # The version read when the request began (no round trip of its own); outside a
        # request, read now.
        key = f"counts:{version_at_start() or content_version()}:{digest}"
        value = cache.get(key)
    except Exception:
        logger.warning("query cache unavailable", exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout=settings.QUERY_CACHE_SECONDS)
        except Exception:
            logger.warning("query cache unavailable", exc_info=True)
    return value


# The middleware -------------------------------------------------------------------------


# The scopes the page being rendered shows (None: no page is being stored).
_shown: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar("shown", default=None)
# The content version as this request found it before its first query (None: not read).
_version_at_start: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "version_at_start", default=None
)


def version_at_start() -> int | None:
    """The content version read when this request began, before any of its queries; None
    outside a request, when neither FRAGMENT_CACHE nor QUERY_CACHE is on (nothing is kept
    per version), or when the cache is down.

    What a request keeps (a card's HTML) is stored under this version, never under one read
    later: a change committed while the page renders moves the version *after* the rows were
    read, so rows read before it are stored under the old version, which nobody asks for any
    more (the same reasoning as the page cache's)."""
    return _version_at_start.get()


def shows(scope: str) -> None:
    """The page being rendered shows a row of this scope (declared by the row's app with
    `declarations.declare_scoped`): store it only while the scope keeps its version. Called by
    the model method that reads the row (an event's places left), so every page showing it is
    covered, whichever view or template asked."""
    shown = _shown.get()
    if shown is not None:
        shown.add(scope)


def skip_page_cache(request: HttpRequest) -> None:
    """For a view whose answer must not be stored (e.g. it counts something per visit)."""
    setattr(request, SKIP_ATTRIBUTE, True)


def page_cache_until(request: HttpRequest, moment) -> None:
    """The page changes by itself at `moment` (an aware datetime: a featured item ends), with
    no save to move the content version: store it no longer than until then."""
    earlier = getattr(request, UNTIL_ATTRIBUTE, None)
    if earlier is None or moment < earlier:
        setattr(request, UNTIL_ATTRIBUTE, moment)


def store_seconds(request: HttpRequest) -> int:
    """How long to keep this page: PAGE_CACHE_SECONDS, or less when it changes by itself
    sooner (0: do not store it)."""
    seconds = settings.PAGE_CACHE_SECONDS
    until = getattr(request, UNTIL_ATTRIBUTE, None)
    if until is not None:
        left = math.ceil((until - timezone.now()).total_seconds())
        seconds = max(0, min(seconds, left))
    return seconds


def _private_cookies() -> set[str]:
    return {settings.SESSION_COOKIE_NAME, getattr(settings, "MESSAGE_COOKIE_NAME", "messages")}


def _admin_prefix() -> str:
    return "/" + settings.ADMIN_URL


def request_is_cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    if _private_cookies() & set(request.COOKIES):
        return False
    path = request.path
    return not path.startswith(
        (
            *declarations.personal_prefixes(),
            *PRIVATE_PREFIXES,
            _admin_prefix(),
            settings.STATIC_URL,
            settings.MEDIA_URL,
        )
    )


def response_is_cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    if request.method != "GET" or response.status_code != HTTPStatus.OK:
        return False
    if response.streaming or response.cookies or getattr(request, SKIP_ATTRIBUTE, False):
        return False
    # The page holds a CSRF token (a form): it belongs to one visitor.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


def page_key(request: HttpRequest) -> str:
    # The language comes from the path (Dutch without a prefix, English under /en/); the
    # host is validated against ALLOWED_HOSTS here, as CommonMiddleware would.
    # The query's names are put in order (a stable sort: each name keeps its values in the
    # order given, so every view reads the same QueryDict): `?b=1&a=2` and `?a=2&b=1` are one
    # page. List pages do the rest (unknown, empty or repeated values: kernel.lists).
    address = f"{request.scheme}://{request.get_host()}{request.path}?{sorted_query(request)}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    return f"page:{language}:{digest}"


def sorted_query(request: HttpRequest) -> str:
    """The raw query string with its `name=value` pieces sorted by name, stably. Nothing is
    decoded, so two different queries cannot become one key; only their order is dropped."""
    pieces = [piece for piece in request.META.get("QUERY_STRING", "").split("&") if piece]
    return "&".join(sorted(pieces, key=lambda piece: piece.partition("=")[0]))


class PageCacheMiddleware:
    """Serve and store whole pages for anonymous visitors (see the module's docstring).

    Placed right after SecurityMiddleware (which redirects HTTP to HTTPS first), so a hit
    skips the rest of the stack; a stored page carries the headers that stack added when it
    was rendered (language, Vary, frame and content-type policies, ETag).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.PAGE_CACHE or not request_is_cacheable(request):
            return self._respond(request, self._fragment_version(request))
        key = page_key(request)
        try:
            # One round trip for the page and the versions every page depends on. A stored page
            # is (versions, response): it counts only if they are the versions that hold now.
            found = cache.get_many([VERSION_KEY, ANY_SCOPE_KEY, key])
            version = found.get(VERSION_KEY)
            if version is None:
                version = content_version()
            any_scope = found.get(ANY_SCOPE_KEY)
            if any_scope is None:
                any_scope = _version(ANY_SCOPE_KEY)
            stored = found.get(key)
            if stored is not None and self._current(stored[0], version):
                return self._serve(request, stored[1])
        except Exception:  # the cache is down: serve the page as if there were no cache
            logger.warning("page cache unavailable", exc_info=True)
            return self.get_response(request)
        shown = set()
        token = _shown.set(shown)
        try:
            response = self._respond(request, version)
        finally:
            _shown.reset(token)
        seconds = store_seconds(request)
        if seconds and response_is_cacheable(request, response):
            self._store(key, response, seconds, version, any_scope, shown)
        return response

    def _respond(self, request: HttpRequest, version: int | None) -> HttpResponse:
        token = _version_at_start.set(version)
        try:
            return self.get_response(request)
        finally:
            _version_at_start.reset(token)

    @staticmethod
    def _fragment_version(request: HttpRequest) -> int | None:
        """The content version for what a page that is not stored whole (the page cache off,
        an editor's request) keeps per version: read now, before the view's first query."""
        kept = settings.FRAGMENT_CACHE or settings.QUERY_CACHE
        if not kept or request.method not in ("GET", "HEAD"):
            return None
        try:
            return content_version()
        except Exception:
            logger.warning("fragment cache unavailable", exc_info=True)
            return None

    @staticmethod
    def _current(versions: dict, version: int) -> bool:
        if not isinstance(versions, dict) or versions.get(VERSION_KEY) != version:
            return False
        scopes = [name for name in versions if name != VERSION_KEY]
        if not scopes:
            return True
        now = cache.get_many(scopes)
        return all(now.get(name) == versions[name] for name in scopes)

    @staticmethod
    def _serve(request: HttpRequest, cached: HttpResponse) -> HttpResponse:
        cached["X-Page-Cache"] = "hit"
        # 304 for a visitor who has this version already (ETag, Last-Modified).
        return get_conditional_response(
            request,
            etag=cached.get("ETag"),
            last_modified=parse_http_date_safe(cached.get("Last-Modified", "")),
            response=cached,
        )

    @staticmethod
    def _store(key, response, seconds, version, any_scope_before, shown) -> None:
        if not response.has_header("ETag"):
            set_response_etag(response)
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(time.time())
        response["X-Page-Cache"] = "miss"
        versions = {VERSION_KEY: version}
        try:
            if shown:
                # The scopes became known while the page rendered, so their versions are read
                # now. That is sound only if no scope moved in between (a registration committed
                # while the page read its places left): else the page is not stored.
                keys = [SCOPE_KEY.format(scope) for scope in sorted(shown)]
                now = cache.get_many([ANY_SCOPE_KEY, *keys])
                if now.get(ANY_SCOPE_KEY) != any_scope_before:
                    return
                for name in keys:
                    versions[name] = now.get(name) or _version(name)
            cache.set(key, (versions, response), timeout=seconds)
        except Exception:
            logger.warning("page cache unavailable", exc_info=True)
