"""Links to other sites that editors type in: only web and mail links ever reach a page.

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
