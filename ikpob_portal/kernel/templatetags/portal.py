"""Template helpers every app uses."""

import re

import markdown as markdown_lib
import nh3
from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from ikpob_portal.kernel import cards as kept_cards
from ikpob_portal.kernel import links, lists, reversing

register = template.Library()

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "h5", "h6", "a", "hr", "abbr",
}  # fmt: skip
HEADING = re.compile(r"<(/?)h([1-6])>")
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}


IMAGE_ATTRIBUTES = {"src", "alt", "title", "width", "height"}


def _own_images_only(tag: str, attribute: str, value: str) -> str | None:
    """An image's `src` survives only as a path on this site where its images are served
    (`/afbeeldingen/…`, platform/images.py): the CSP allows images from the site itself, and
    nothing is fetched from elsewhere."""
    if tag == "img" and attribute == "src":
        prefix = reverse("image-rendition", kwargs={"name": "x"})[:-1]
        own = value.startswith(prefix) and not value.startswith("//")
        return value if own and ".." not in value else None
    return value


@register.filter(is_safe=True)
def markdown(text: str, top_level: int = 2, *, images: bool = False) -> SafeString:
    """Markdown from the database, sanitised: no raw HTML, scripts or event handlers survive.

    Editors write `##` for their top heading; `top_level` moves the headings so they nest
    under the heading of the page section that holds the text (`|markdown:3` under an h2).
    With `images` (`|markdown_with_images`), `![alt](/afbeeldingen/…)` images the site serves
    itself are kept; any other image is dropped.
    """
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"], output_format="html")
    shift = int(top_level) - 2
    if shift:
        html = HEADING.sub(
            lambda m: f"<{m.group(1)}h{min(6, max(2, int(m.group(2)) + shift))}>", html
        )
    tags, attributes = ALLOWED_TAGS, ALLOWED_ATTRIBUTES
    if images:
        tags, attributes = tags | {"img"}, {**attributes, "img": IMAGE_ATTRIBUTES}
    cleaned = nh3.clean(
        html,
        tags=tags,
        attributes=attributes,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        attribute_filter=_own_images_only if images else None,
    )
    if images:
        # An image whose src was refused is left without one: drop it altogether.
        cleaned = IMAGE_WITHOUT_SOURCE.sub("", cleaned)
    return mark_safe(cleaned)


IMAGE_WITHOUT_SOURCE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


@register.filter(is_safe=True)
def markdown_with_images(text: str, top_level: int = 2) -> SafeString:
    """`markdown`, with the site's own images kept (pages' bodies)."""
    return markdown(text, top_level, images=True)


@register.filter
def safe_url(value: str) -> str:
    """A stored link for an `href`: itself when it is http(s) or mailto, else empty (so
    `{% with url=x|safe_url %}{% if url %}…` prints no link for `javascript:` and the like)."""
    return links.safe_url(value)


@register.simple_tag
def fixed_url(viewname: str) -> str:
    """`{% url 'home' %}` for a page without arguments, remembered per language
    (kernel/reversing.py): for the links that every page's header and footer carry."""
    return reversing.fixed_url(viewname)


@register.simple_tag(takes_context=True)
def url_in_language(context, language_code: str) -> str:
    """The current page in another language (Dutch has no prefix, English lives under /en/)."""
    request = context["request"]
    full_path = links.local_path(request.get_full_path())
    translated = translate_url(full_path, language_code)
    if translated != full_path or language_code == get_language():
        return links.local_path(translated)
    # Unresolvable paths (a 404) still switch by their prefix.
    prefixes = [f"/{code}/" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    bare = next((full_path[len(p) - 1 :] for p in prefixes if full_path.startswith(p)), full_path)
    bare = links.local_path(bare)
    return bare if language_code == settings.LANGUAGE_CODE else f"/{language_code}{bare}"


def _differs_from_page(language: str) -> str:
    """The content's language when the page is in another one, else "" (`language` empty:
    settings.CONTENT_LANGUAGE, the language editors write in)."""
    language = language or settings.CONTENT_LANGUAGE
    page = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return "" if language == page else language


@register.simple_tag
def content_lang(language: str = "") -> str:
    """`<p class="…"{% content_lang %}>{{ event.summary }}</p>`: ` lang="nl"` in the start tag
    of an element holding content on a page in another language (the English pages), nothing
    where the page speaks the content's language. `{% content_lang publication.language %}`
    for content with its own language. The one way templates mark content's language."""
    language = _differs_from_page(language)
    return format_html(' lang="{}"', language) if language else ""


@register.filter
def content_span(value, language: str = ""):
    """`{{ event.title|content_span }}`: content inside a sentence of the interface, as
    `<span lang="nl">…</span>` where the page is in another language (see `content_lang`)."""
    language = _differs_from_page(language)
    if not language or value in (None, ""):
        return value
    return format_html('<span lang="{}">{}</span>', language, value)


@register.filter
def local_path(path: str) -> str:
    """`{{ request.path|local_path }}`: the request path as a link that stays on this site."""
    return links.local_path(path)


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    """`{% page_url 3 %}`: the link to page 3 of the list on this page, its filters kept;
    the link to page 1 has no `page` parameter (`lists.page_query`)."""
    request = context["request"]
    query = lists.page_query(request.GET, number)
    return f"?{query}" if query else links.local_path(request.path)


WIDGET_CLASSES = {
    "checkbox": "utrecht-checkbox utrecht-checkbox--html-input",
    "radio": "utrecht-radio-button utrecht-radio-button--html-input",
    "select": "utrecht-select utrecht-select--html-select",
    "textarea": "utrecht-textarea utrecht-textarea--html-textarea",
}


@register.filter
def render_field(field) -> SafeString:
    """A form widget with NL Design System classes, its help text and errors linked to it."""
    described_by = [f"{field.auto_id}-help"] if field.help_text else []
    described_by += [f"{field.auto_id}-error{n}" for n in range(1, len(field.errors) + 1)]
    input_type = getattr(field.field.widget, "input_type", None) or (
        "textarea" if field.widget_type == "textarea" else field.widget_type
    )
    css = WIDGET_CLASSES.get(input_type, "utrecht-textbox utrecht-textbox--html-input")
    if field.errors:
        css += f" {css.split()[0]}--invalid"
    attrs = {"class": css}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def elided_pages(page_obj) -> list:
    """Page numbers around the current page and at both ends, with gaps (the paginator's
    ELLIPSIS) between: a list of 5,000 pages is not a navigation anyone can use."""
    return list(
        page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    )


@register.simple_tag(takes_context=True)
def cards(context, items, template_name: str) -> list[SafeString]:
    """`{% cards publications "includes/publication_card.html" as cards %}`: each item's card,
    as `{% include %}` with `item` renders it, kept per item version (kernel/cards.py)."""
    return kept_cards.render(context, items, template_name)


class KeptNode(template.Node):
    def __init__(self, nodelist: template.NodeList, key: template.base.FilterExpression) -> None:
        self.nodelist = nodelist
        self.key = key

    def render(self, context) -> SafeString:
        key = self.key.resolve(context)
        if not key:
            return self.nodelist.render(context)
        return kept_cards.kept_fragment(key, lambda: self.nodelist.render(context))


@register.tag
def kept(parser, token) -> KeptNode:
    """`{% kept facet_panel_key %}…{% endkept %}`: the enclosed markup kept in the shared cache
    under a key that holds everything it shows (kernel/cards.py `kept_fragment`); rendered
    as is when the key is empty or FRAGMENT_CACHE is off."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% kept %} takes one key")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist, parser.compile_filter(bits[1]))
