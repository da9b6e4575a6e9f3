"""When the database cannot be reached: a friendly 503 page, and the site recovers by itself.

A database that is down, restarting or unreachable makes Django raise `OperationalError` (or
`InterfaceError` for a connection that broke under it). Instead of the server-error page every
visitor then gets `templates/503.html` with status 503 and `Retry-After`: no traceback, nothing
that needs the database or a request context to render. Errors of the data itself
(`IntegrityError`, `ProgrammingError`, …) are bugs or races and stay server errors, and so does
an `OperationalError` of one query while the connection still works (a deadlock, a timeout).

Two places catch it, because Django turns an exception into a response at the layer where it is
raised and never lets it travel up to the next middleware:

- `DatabaseUnavailableMiddleware.process_exception` gets what the view and the rendering of its
  template raise. That is where almost every query runs, including the first touch of the
  session and of `request.user` (both lazy: AuthenticationMiddleware and SessionMiddleware do not
  query until something asks).
- `server_error`, the site's `handler500`, gets what is raised anywhere else: in a middleware
  (the session being saved after the view), or in the response phase. It answers the same 503
  for a database error and Django's own 500 page for anything else.

Recovery needs nothing from here: connections are persistent (`conn_max_age`) with
`conn_health_checks`, so Django tests a reused connection before a request uses it, drops a
broken one and connects again, and closes a connection that raised at the end of the request.
The next request after the database is back simply connects.

Each occurrence is logged as an error (logger `ikpob_portal.platform.resilience`, with the
method, path and status), the traceback at most once a minute per process. Django's own "Service
Unavailable" record of the same response is suppressed, so an outage does not send ADMINS a
mail per request; the load balancer's health check (/healthz/) is the alarm.
"""

import logging
import sys
from collections.abc import Callable

from django.core.cache import caches
from django.db import Error as DatabaseError
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views import defaults

from ikpob_portal.platform.cache_backends import ResilientRedisCache
from ikpob_portal.platform.logs import Throttle

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
TEMPLATE_NAME = "503.html"
_tracebacks = Throttle(60.0)


def is_database_unavailable(error: BaseException | None) -> bool:
    """A connection error, and the connection is indeed gone (no connection, or a dead one).

    A query can fail with an OperationalError while the database answers fine: a deadlock, a
    statement or lock timeout, SQLite's "database is locked". Those stay server errors (logged
    and mailed to ADMINS): a bug or a load problem to look into, not an outage. By the time
    this runs, every atomic block has rolled back, so a living connection answers SELECT 1.
    """
    if not isinstance(error, DATABASE_UNAVAILABLE):
        return False
    return connection.connection is None or not connection.is_usable()


def report_database_unavailable(request: HttpRequest | None, error: BaseException) -> None:
    with_traceback, held_back = _tracebacks.due()
    logger.error(
        "database unavailable: %s: %s%s",
        type(error).__name__,
        str(error).strip().splitlines()[0] if str(error).strip() else "",
        f" ({held_back} more since the last traceback)" if held_back else "",
        exc_info=(type(error), error, error.__traceback__) if with_traceback else None,
        extra={"request": request, "status_code": 503},
    )


def already_logged(response: HttpResponse) -> HttpResponse:
    """Tell Django not to log this response again (`django.utils.log.log_response`).

    The attribute is how Django itself avoids logging one response twice. Without it every
    request during an outage would also be logged as "Service Unavailable" on django.request,
    which mails ADMINS.
    """
    response._has_been_logged = True
    return response


def database_unavailable_response() -> HttpResponse:
    # No request and no context processors: they could query the database again.
    response = HttpResponse(loader.render_to_string(TEMPLATE_NAME), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return already_logged(response)


class DatabaseUnavailableMiddleware:
    """Serve the 503 page for a database error raised by a view or its template."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_unavailable(exception):
            return None
        report_database_unavailable(request, exception)
        return database_unavailable_response()


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: the 503 page for a database error raised outside a view, else Django's 500.

    Django calls the handler while it handles the exception, so `sys.exc_info()` holds it.
    """
    error = sys.exc_info()[1]
    if is_database_unavailable(error):
        report_database_unavailable(request, error)
        return database_unavailable_response()
    return defaults.server_error(request, template_name)


def health(request: HttpRequest | None = None) -> dict[str, str]:
    """What /healthz/ reports: one query to the database, one round trip to the cache.

    The cache is "local" when it is not a shared Redis (nothing to check); a Redis that does
    not answer is "unavailable", which leaves the site up (ikpob_portal/platform/cache_backends.py).
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        report_database_unavailable(request, error)
        database = "unavailable"
    else:
        database = "ok"
    backend = caches["default"]
    if isinstance(backend, ResilientRedisCache):
        cache = "ok" if backend.ping() else "unavailable"
    else:
        cache = "local"
    return {"status": database, "database": database, "cache": cache}
