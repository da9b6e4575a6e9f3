"""Which proxy header says "this request came in over HTTPS", read once for Django and gunicorn.

`DJANGO_SECURE_PROXY_SSL_HEADER` ("X-Forwarded-Proto: https", or "off") sets Django's
SECURE_PROXY_SSL_HEADER (settings.py) and gunicorn's `secure_scheme_headers`
(gunicorn.conf.py). Both must agree: gunicorn sets `wsgi.url_scheme` to https by itself when a
trusted address sends one of its headers, and Django's `is_secure()` believes that scheme even
when SECURE_PROXY_SSL_HEADER is off. gunicorn's defaults trust three such headers from
loopback, so a local client (or a proxy that passes headers through) could claim HTTPS.

Plain Python without Django: gunicorn.conf.py imports it before Django is set up.
"""

import os
from collections.abc import Mapping

SSL_HEADER_ENV = "DJANGO_SECURE_PROXY_SSL_HEADER"
DEFAULT_SSL_HEADER = "X-Forwarded-Proto: https"
FORWARDED_ALLOW_IPS_ENV = "DJANGO_FORWARDED_ALLOW_IPS"
# The proxy on the same machine (nginx in front of gunicorn on 127.0.0.1).
DEFAULT_FORWARDED_ALLOW_IPS = "127.0.0.1"
OFF_VALUES = {"", "0", "off", "none", "false", "no"}


class ProxyHeaderError(ValueError):
    pass


def ssl_header(environ: Mapping[str, str] = os.environ) -> tuple[str, str] | None:
    """("X-Forwarded-Proto", "https") from DJANGO_SECURE_PROXY_SSL_HEADER, or None for "off"."""
    raw = environ.get(SSL_HEADER_ENV, DEFAULT_SSL_HEADER)
    if raw.strip().lower() in OFF_VALUES:
        return None
    name, separator, value = raw.partition(":")
    if not (separator and name.strip() and value.strip()):
        raise ProxyHeaderError(
            f"{SSL_HEADER_ENV} must look like 'X-Forwarded-Proto: https', or be 'off'."
        )
    return name.strip(), value.strip()


def django_ssl_header(environ: Mapping[str, str] = os.environ) -> tuple[str, str] | None:
    """SECURE_PROXY_SSL_HEADER: the header as Django's request.META names it, and its value."""
    header = ssl_header(environ)
    if header is None:
        return None
    name, value = header
    return "HTTP_" + name.upper().replace("-", "_"), value


def gunicorn_secure_scheme_headers(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """gunicorn's `secure_scheme_headers`: only the one header Django trusts, or none."""
    header = ssl_header(environ)
    if header is None:
        return {}
    name, value = header
    return {name.upper(): value}


def gunicorn_forwarded_allow_ips(environ: Mapping[str, str] = os.environ) -> str:
    """gunicorn's `forwarded_allow_ips`: the proxies whose scheme header counts.

    With the header off, nobody (gunicorn then also ignores forwarded SCRIPT_NAME/PATH_INFO);
    with it on, DJANGO_FORWARDED_ALLOW_IPS, by default the proxy on this machine.
    """
    if ssl_header(environ) is None:
        return ""
    return environ.get(FORWARDED_ALLOW_IPS_ENV, DEFAULT_FORWARDED_ALLOW_IPS).strip()
