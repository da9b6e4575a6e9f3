"""Which slugs a top-level page may not take: every first path segment the site already uses.

A page lives at the root (`/over-ikpob/`), behind every other route (the catch-all comes last in
the URLconf), so a page called "publicaties" would never be reached: the app answers first. The
list is read from the URLconf each time it is needed, so a new app or path is reserved the
moment it is added, without a hand-kept list that rots.
"""

import re

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

# A plain first segment: "publicaties", "sitemap.xml". A converter or a regex group ("<slug>",
# "(?P<slug>…)") is not a fixed path, so it reserves nothing (the pages' own catch-all is one).
LITERAL_SEGMENT = re.compile(r"^[-\w.]+$")


def first_segments(patterns) -> set[str]:
    """The literal first path segments of these URL patterns, through includes mounted at ""
    and the language-prefixed patterns (`i18n_patterns`)."""
    segments: set[str] = set()
    for pattern in patterns:
        route = str(pattern.pattern).removeprefix("^")
        if isinstance(pattern, URLResolver) and route in ("", "$"):
            # i18n_patterns (its prefix is the language) or an include mounted at the root.
            segments |= first_segments(pattern.url_patterns)
            continue
        if not isinstance(pattern, URLPattern | URLResolver):
            continue
        segment = route.split("/", 1)[0].removesuffix("$")
        if segment and LITERAL_SEGMENT.match(segment):
            segments.add(segment.lower())
    return segments


def reserved_slugs() -> frozenset[str]:
    """Every first path segment in use: the URLconf's, the language prefixes ("en") and where
    static and uploaded files live."""
    segments = first_segments(get_resolver().url_patterns)
    segments |= {code.lower() for code, _name in settings.LANGUAGES}
    for url in (settings.STATIC_URL, settings.MEDIA_URL):
        if url and url.startswith("/"):
            segments.add(url.strip("/").split("/", 1)[0].lower())
    return frozenset(segment for segment in segments if segment)
