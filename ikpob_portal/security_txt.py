"""/.well-known/security.txt (RFC 9116) and the deploy checks that keep it valid, and
/favicon.ico.

security.txt tells whoever finds a vulnerability whom to tell: Contact (DJANGO_SECURITY_CONTACT,
one or more mailto: or https: addresses, comma-separated), Expires (DJANGO_SECURITY_TXT_EXPIRES,
an ISO 8601 date-time), Preferred-Languages, Policy (DJANGO_SECURITY_POLICY_URL, optional) and
Canonical (this file's https address on the host asked for). RFC 9116 is on the Dutch
government's "pas toe of leg uit" list; a file past its Expires must be treated as stale, so
`manage.py check --deploy` refuses an expiry in the past and warns about one more than a year
ahead (the RFC recommends less than a year).
"""

from datetime import UTC, datetime, timedelta
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import checks
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

PATH = ".well-known/security.txt"
PREFERRED_LANGUAGES = "nl, en"
CONTACT_SCHEMES = ("mailto:", "https:", "tel:")
# RFC 9116 section 2.5.5: "it is RECOMMENDED that the value be less than a year into the future".
LONGEST_EXPIRY = timedelta(days=365)


def contacts() -> list[str]:
    return [item.strip() for item in settings.SECURITY_CONTACT.split(",") if item.strip()]


def expires() -> datetime | None:
    """DJANGO_SECURITY_TXT_EXPIRES as an aware date-time (UTC when it names no zone), or None
    when unset or not a date-time."""
    raw = settings.SECURITY_TXT_EXPIRES.strip()
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


@require_safe
@cache_control(public=True, max_age=3600)
def security_txt(request: HttpRequest) -> HttpResponse:
    contact_list, expiry = contacts(), expires()
    if not contact_list or expiry is None:
        # Nothing true to say: `check --deploy` reports the missing setting.
        raise Http404
    lines = [f"Contact: {contact}" for contact in contact_list]
    lines.append(f"Expires: {expiry.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}")
    lines.append(f"Preferred-Languages: {PREFERRED_LANGUAGES}")
    if settings.SECURITY_POLICY_URL:
        lines.append(f"Policy: {settings.SECURITY_POLICY_URL}")
    # The host was checked against ALLOWED_HOSTS by get_host(); the public address is https.
    lines.append(f"Canonical: https://{request.get_host()}/{PATH}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@cache
def _favicon() -> bytes:
    # Found by the static files finders, so it works with and without collectstatic.
    with open(finders.find("favicon.ico"), "rb") as icon:
        return icon.read()


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers and feed readers ask for whatever the page's <link> says."""
    return HttpResponse(_favicon(), content_type="image/vnd.microsoft.icon")


@checks.register(checks.Tags.security, deploy=True)
def check_security_txt(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = []
    contact_list = contacts()
    if not contact_list:
        messages.append(
            checks.Error(
                "DJANGO_SECURITY_CONTACT is not set: /.well-known/security.txt names nobody to "
                "report a vulnerability to.",
                hint="Set it to a mailto: or https: address, e.g. mailto:security@ikpob.nl.",
                id="portal.E101",
            )
        )
    for contact in contact_list:
        if not contact.startswith(CONTACT_SCHEMES) or contact in CONTACT_SCHEMES:
            messages.append(
                checks.Error(
                    f"DJANGO_SECURITY_CONTACT {contact!r} is not a mailto:, https: or tel: URI.",
                    id="portal.E102",
                )
            )
    expiry = expires()
    if expiry is None:
        messages.append(
            checks.Error(
                "DJANGO_SECURITY_TXT_EXPIRES is not set or not an ISO 8601 date-time: "
                "security.txt needs an Expires field.",
                hint="E.g. 2027-06-01T00:00:00Z, less than a year ahead.",
                id="portal.E103",
            )
        )
    else:
        now = timezone.now()
        if expiry <= now:
            messages.append(
                checks.Error(
                    f"DJANGO_SECURITY_TXT_EXPIRES ({expiry:%Y-%m-%d}) is in the past: "
                    "security.txt must be treated as stale.",
                    hint="Review the contact details and set a new date, less than a year ahead.",
                    id="portal.E104",
                )
            )
        elif expiry - now > LONGEST_EXPIRY:
            messages.append(
                checks.Warning(
                    f"DJANGO_SECURITY_TXT_EXPIRES ({expiry:%Y-%m-%d}) is more than a year ahead; "
                    "RFC 9116 recommends less than a year.",
                    id="portal.W105",
                )
            )
    policy = settings.SECURITY_POLICY_URL
    if policy and not policy.startswith("https://"):
        messages.append(
            checks.Error(
                f"DJANGO_SECURITY_POLICY_URL {policy!r} is not an https:// address.",
                id="portal.E106",
            )
        )
    return messages
