"""What a page tells machines about itself: canonical URL, language versions, Open Graph
locales, feeds and schema.org JSON-LD. `base.html` uses these; pages override its blocks."""

import json
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from ikpob_portal.kernel import links, registry

register = template.Library()

OPEN_GRAPH_LOCALES = {"nl": "nl_NL", "en": "en_GB"}
# Query parameters that make a different page rather than a view of the same one. Filters,
# sort orders and tracking parameters (utm_*, fbclid) are dropped; a view that needs more says
# so with `canonical_params` in its context (search keeps `q`).
CANONICAL_PARAMS = ("page",)
# What may not end a <script> element or start a comment inside it, as django.utils.html
# escapes for json_script.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


class CaptureNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str):
        self.nodelist = nodelist
        self.name = name

    def render(self, context) -> str:
        context[self.name] = self.nodelist.render(context)
        return ""


@register.tag
def capture(parser, token) -> CaptureNode:
    """`{% capture as name %}…{% endcapture %}`: render once, use `{{ name }}` several times.

    base.html wraps its title and description blocks in it, so a page that fills
    `{% block title %}` gets the same text in `<title>`, og:title and the JSON-LD defaults.
    """
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


def canonical_query(request: HttpRequest, keep: tuple[str, ...] = CANONICAL_PARAMS) -> str:
    pairs = [(name, request.GET.get(name, "").strip()) for name in keep]
    pairs = [(name, value) for name, value in pairs if value and (name, value) != ("page", "1")]
    return f"?{urlencode(pairs)}" if pairs else ""


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """The absolute URL of this page in its language, without filters or tracking."""
    request = context.get("request")
    if request is None:
        return ""
    keep = context.get("canonical_params", CANONICAL_PARAMS)
    return request.build_absolute_uri(
        links.local_path(request.path) + canonical_query(request, keep)
    )


@register.simple_tag(takes_context=True)
def language_alternates(context) -> list[tuple[str, str]]:
    """(hreflang, absolute URL) of this page in every language, plus x-default (Dutch).

    Empty for a path that no URL pattern knows, and for one that is the same in every language.
    """
    request = context.get("request")
    if request is None or getattr(request, "resolver_match", None) is None:
        return []
    query = canonical_query(request, context.get("canonical_params", CANONICAL_PARAMS))
    path = links.local_path(request.path)
    paths = {
        code: links.local_path(translate_url(path, code)) for code, _name in settings.LANGUAGES
    }
    if len(set(paths.values())) < len(paths):
        return []
    alternates = [(code, request.build_absolute_uri(path + query)) for code, path in paths.items()]
    default = request.build_absolute_uri(paths[settings.LANGUAGE_CODE] + query)
    return [*alternates, ("x-default", default)]


@register.filter
def og_locale(language_code: str) -> str:
    """Open Graph's locale for a language code: 'nl' → 'nl_NL', 'en' → 'en_GB'."""
    return OPEN_GRAPH_LOCALES.get(language_code, language_code)


@register.simple_tag
def json_ld(data: dict | list | None) -> SafeString:
    """A schema.org JSON-LD script element; `data` is built in Python, never as template text.

    json.dumps does the quoting, and `<`, `>` and `&` are escaped as \\u003C etc., so no text
    from the database can end the script element.
    """
    if not data:
        return mark_safe("")
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text.translate(_SCRIPT_ESCAPES))
    )


@register.inclusion_tag("includes/feed_links.html", takes_context=True)
def feed_links(context, key: str | None = None, theme=None) -> dict:
    """`<link rel="alternate">` to registered feeds: site-wide ones, or a theme's.

    `{% feed_links %}` every site-wide feed; `{% feed_links "publications" %}` one app's;
    `{% feed_links theme=theme %}` every per-theme feed of that theme.
    """
    request = context.get("request")
    links = []
    for feed in registry.feeds(per_theme=theme is not None):
        if key is not None and feed.key != key:
            continue
        kwargs = {"slug": theme.slug} if theme is not None else {}
        title = f"{feed.title}: {theme.name}" if theme is not None else str(feed.title)
        for label, mime_type, url_name in (
            ("RSS", "application/rss+xml", feed.rss_url_name),
            ("Atom", "application/atom+xml", feed.atom_url_name),
        ):
            url = reverse(url_name, kwargs=kwargs)
            links.append(
                {
                    "type": mime_type,
                    "title": f"{settings.SITE_NAME} – {title} ({label})",
                    "href": request.build_absolute_uri(url) if request is not None else url,
                }
            )
    return {"feed_links": links}
