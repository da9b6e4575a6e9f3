"""Response headers that Django's SecurityMiddleware does not set."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# Browser features no page of the portal uses, switched off for every page and for anything a
# page might embed: a script injected despite the CSP still cannot ask for the camera or the
# visitor's location, and no advertising topics are computed from visits here.
DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    "interest-cohort",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` on every response, stored pages and error pages included."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def personal(response: HttpResponse) -> HttpResponse:
    """A page behind a personal link (a registrant's or a subscriber's): never cached, never
    indexed, no referrer carrying the token elsewhere. Not "no-referrer": under that policy
    browsers send `Origin: null` with the page's POST forms, and Django's CSRF check refuses
    it. "same-origin" sends nothing to other sites."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "same-origin"
    return response
