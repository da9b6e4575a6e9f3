"""`{% picture obj sizes="…" %}`: an object's image as a responsive <picture>.

Reads `obj.image`, `obj.image_alt` and `obj.image_decorative` (or `field="logo"` for
`obj.logo`, `obj.logo_alt`, …) and renders a WebP <source> and a JPEG or PNG <img> with
`srcset`, `sizes`, `width` and `height` (so the page does not shift while it loads), the alt
text (empty for a decorative image) and `loading="lazy"`; `eager=True` for the main image at
the top of a detail page. Renders nothing when there is no image. Asks no storage and no
database: everything comes from the object's fields (ikpob_portal/platform/images.py).
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from ikpob_portal.platform import images

register = template.Library()

DEFAULT_SIZES = "(min-width: 48em) 40rem, 100vw"


@register.simple_tag
def picture(
    obj,
    sizes: str = DEFAULT_SIZES,
    field: str = "image",
    eager: bool = False,
    css_class: str = "",
) -> SafeString:
    if obj is None:
        return SafeString("")
    all_renditions = images.renditions(obj, field)
    if not all_renditions:
        return SafeString("")
    webp = [info for info in all_renditions if info.format == images.WEBP]
    fallback = [info for info in all_renditions if info.format != images.WEBP]
    largest = fallback[-1]
    # The src for browsers without srcset: the middle width is a fair guess for any screen.
    src = fallback[len(fallback) // 2]
    decorative = getattr(obj, f"{field}_decorative", False)
    # Built here rather than in a template: it is on every card, and six URLs long.
    return format_html(
        '<picture class="{}"><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" {}'
        ' decoding="async"></picture>',
        f"ikpob-picture {css_class}".strip(),
        srcset(webp),
        sizes,
        src.url,
        srcset(fallback),
        sizes,
        largest.width,
        largest.height,
        "" if decorative else getattr(obj, f"{field}_alt", ""),
        mark_safe('fetchpriority="high"' if eager else 'loading="lazy"'),
    )


def srcset(infos: list[images.RenditionInfo]) -> str:
    return ", ".join(f"{info.url} {info.width}w" for info in infos)


@register.simple_tag
def image_url(obj, width: int = 1200, field: str = "image") -> str:
    """The URL of a fallback rendition about `width` wide ("" without an image)."""
    return images.rendition_url(obj, width, field) if obj is not None else ""


@register.simple_tag(takes_context=True)
def og_image(context, obj, field: str = "image", width: int = 1200) -> SafeString:
    """og:image (absolute, JPEG or PNG), its size and its alt text, for a page's head.
    Nothing without an image or without the request to make the URL absolute."""
    request = context.get("request")
    chosen = images.fallback_rendition(obj, width, field) if obj is not None else None
    if request is None or chosen is None:
        return SafeString("")
    alt = "" if getattr(obj, f"{field}_decorative", False) else getattr(obj, f"{field}_alt", "")
    return format_html(
        '<meta property="og:image" content="{}">\n'
        '  <meta property="og:image:width" content="{}">\n'
        '  <meta property="og:image:height" content="{}">{}',
        request.build_absolute_uri(chosen.url),
        chosen.width,
        chosen.height,
        format_html('\n  <meta property="og:image:alt" content="{}">', alt) if alt else "",
    )
