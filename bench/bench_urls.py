"""The portal's URLs plus the floor: a trivial view behind the same middleware and gunicorn.

A page's requests per second divided by the floor's says what the page itself costs, apart
from what every request pays (gunicorn, middleware, the machine).
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from ikpob_portal.urls import urlpatterns as portal_urlpatterns


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("__floor__/", floor, name="bench-floor"), *portal_urlpatterns]
