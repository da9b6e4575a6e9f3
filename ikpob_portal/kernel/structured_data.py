"""Building blocks for schema.org JSON-LD, shared by the apps.

Each app builds the dict for its detail page next to its models (`publications/
structured_data.py`, …) from these helpers; the view puts it in the context as
`structured_data`, and base.html prints it with `{% json_ld %}`, which serialises with
json.dumps. Only published pages get one, and only published organisations and people are
linked from it (the same rule as the page itself).
"""

import html
from collections.abc import Callable, Iterable

import markdown as markdown_lib
from django.urls import reverse
from django.utils.html import strip_tags

from ikpob_portal.kernel.models import Theme
from ikpob_portal.platform.images import rendition_url

SCHEMA_ORG = "https://schema.org"

# request.build_absolute_uri: turns "/publicaties/x/" into "https://host/publicaties/x/".
Absolute = Callable[[str], str]


def compact(properties: dict) -> dict:
    """Without empty values: readers prefer a missing property to an empty one."""
    return {name: value for name, value in properties.items() if value not in (None, "", [], {})}


def node(type_: str, **properties) -> dict:
    """A nested schema.org item: {"@type": type_, ...} without its empty properties."""
    return {"@type": type_, **compact(properties)}


def document(type_: str, **properties) -> dict:
    """The top-level item of a page, with the @context."""
    return {"@context": SCHEMA_ORG, **node(type_, **properties)}


def plain_text(markdown_text: str) -> str:
    """Markdown as plain text for a description: no markup, whitespace collapsed."""
    rendered = markdown_lib.markdown(markdown_text or "", output_format="html")
    return " ".join(html.unescape(strip_tags(rendered)).split())


def theme_terms(themes: Iterable[Theme], absolute: Absolute) -> list[dict]:
    """Themes as DefinedTerms of the site's vocabulary, each with its theme page."""
    vocabulary = absolute(reverse("themes:list"))
    return [
        node(
            "DefinedTerm",
            name=theme.name,
            url=absolute(theme.get_absolute_url()),
            inDefinedTermSet=vocabulary,
        )
        for theme in themes
    ]


def image(item, absolute: Absolute, *, width: int = 1200, field: str = "image") -> str:
    """The absolute URL of an item's image about `width` wide (JPEG or PNG), or ""."""
    url = rendition_url(item, width, field)
    return absolute(url) if url else ""


def public_url(item, absolute: Absolute) -> str:
    """The page of an item that the public may see; empty for a draft (it is not linked)."""
    return absolute(item.get_absolute_url()) if item.is_published else ""
