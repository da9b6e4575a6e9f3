"""Links that reach a page: to other sites, only web and mail links; to this site, only paths.

Forms validate URL fields, but rows also arrive through imports, the shell and fixtures.
A `javascript:` or `data:` value printed as an `href` runs script in the visitor's browser,
so every template and JSON-LD builder that prints a stored URL passes it through here
(`{{ url|safe_url }}` in templates).
"""

import re
from urllib.parse import urlsplit

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# Browsers ignore leading and trailing spaces and control characters, and tabs and line
# breaks anywhere ("java\tscript:" is "javascript:"); a URL carrying any of them is refused.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def safe_url(value: str | None) -> str:
    """The URL when it is an absolute http(s) or mailto link; otherwise the empty string."""
    url = (value or "").strip()
    if not url or _CONTROL.search(url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return ""
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        return ""
    return url


# Leading slashes, backslashes (browsers read "/\\host" as "//host"), spaces and control
# characters (browsers drop tabs and line breaks): what could make a path name another host.
_PATH_LEAD = re.compile(r"^[/\\\x00-\x20\x7f]+")


def local_path(path: str) -> str:
    """A path of this site for a link built from the request path: exactly one leading slash.

    A visitor controls the path: `/%2Fevil.example/` arrives as `//evil.example/`, which as an
    `href` (or in `build_absolute_uri`) is a link to another host.
    """
    return "/" + _PATH_LEAD.sub("", path)
