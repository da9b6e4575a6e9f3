"""The portal's URLs plus the floor: a trivial view behind the same middleware and gunicorn.

A page's requests per second divided by the floor's says what the page itself costs, apart
from what every request pays (gunicorn, middleware, the machine).
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from ikpob_portal.platform.cache import PageCacheMiddleware
from ikpob_portal.urls import urlpatterns as portal_urlpatterns

FLOOR_PATH = "/__floor__/"


def floor(request: HttpRequest) -> HttpResponse:
    # Plain text, not a page: the page statistics count only HTML, so the floor stays what
    # every request pays and the pages' ratio shows the whole cost of counting them.
    return HttpResponse("ok", content_type="text/plain")


class PageCacheExceptFloor(PageCacheMiddleware):
    """The page cache, which leaves the floor alone: the floor is the trivial view as every
    request pays for it, not a stored page (that would make warm pages look cheap)."""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == FLOOR_PATH:
            return self.get_response(request)
        return super().__call__(request)


urlpatterns = [path("__floor__/", floor, name="bench-floor"), *portal_urlpatterns]
