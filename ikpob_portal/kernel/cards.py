"""Cards kept as HTML: a page renders (and fetches authors and themes for) only the cards it
has not kept.

A list page is mostly cards: twenty publications with their authors and theme chips cost
more in Django's template engine and in prefetching than everything else on the page. A card
shows its item's own fields and what hangs off it (themes, authors, a circle's lead, a
cover image), so its HTML is kept in the shared cache under:

- the content version as the request found it (`platform.cache.version_at_start`): any
  committed save or delete of content moves it, so a renamed theme, an author who is
  unpublished or an edited title are on every card at once; editors' changes are rare, so one
  counter is enough (as for stored pages);
- the item's model, primary key and last change (`updated`), the page's language, the card
  template and a digest of the project's templates (a deploy that changes a template never
  serves a card of the old one);
- whatever the card shows that changes without a save of content: the kind declares it as
  `ContentKind.card_varies` (an event's registration state and places left, a learning
  circle's phase). Reading an event's places also tells the page cache that the page shows
  its scope, exactly as rendering the card would.

Kept at most FRAGMENT_CACHE_SECONDS (the page cache's lifetime by default), which bounds,
as for stored pages, how late a change that no save announces reaches a card (a person
published at a set moment who becomes visible as an author). Off unless FRAGMENT_CACHE, which
needs a cache every process shares (Redis), as the content version lives there.

Rows come from a queryset with `for_cards()` (select_related and prefetches): `rows()` fetches
them without the prefetches, and `render()` runs those only for the rows whose card it must
render, so a page whose cards are all kept runs one query for them.
"""

import hashlib
import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.db.models import Model, QuerySet, prefetch_related_objects
from django.template import Context
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from ikpob_portal.kernel import registry
from ikpob_portal.platform.cache import version_at_start

logger = logging.getLogger(__name__)


class CardRows(list):
    """Rows fetched for cards without their prefetches, which `render` runs for the rows whose
    card is not kept. Anything else that reads a row's authors or themes needs rows fetched
    with `for_cards()` instead."""

    def __init__(self, rows, prefetches: tuple = ()) -> None:
        super().__init__(rows)
        self.prefetches = prefetches


def rows(queryset: QuerySet) -> CardRows:
    """The rows of a `for_cards()` queryset (sliced or not), its prefetches left for `render`."""
    # Django keeps a queryset's prefetch lookups here and offers no public reader; the rows are
    # fetched with them cleared and the same lookups run later on the rows that need them.
    prefetches = tuple(queryset._prefetch_related_lookups)
    return CardRows(queryset.prefetch_related(None), prefetches)


@cache
def templates_digest() -> str:
    """A digest of the templates in templates/ (every public page's, the cards' among them)
    and of the compiled translations, once per process: part of each kept fragment's key, so
    a deploy that changes a template or a translated word never serves markup of the old one.
    (A change in Python code that a card shows, a template filter say, reaches kept cards
    within FRAGMENT_CACHE_SECONDS, as it reaches stored pages.)"""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    paths = [*base.joinpath("templates").rglob("*.html"), *base.joinpath("locale").rglob("*.mo")]
    for path in sorted(paths):
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def card_key(item: Model, template_name: str, version: int) -> str:
    kind = registry.kind_for(type(item))
    varies = kind.card_varies(item) if kind is not None and kind.card_varies else ()
    parts = (
        templates_digest(),
        get_language(),
        template_name,
        item._meta.label_lower,
        item.pk,
        getattr(item, "updated", None),
        varies,
    )
    return f"card:{version}:{hashlib.sha256(repr(parts).encode()).hexdigest()[:32]}"


def render(context: Context, items, template_name: str) -> list[SafeString]:
    """Each item's card as `{% include template_name %}` with `item` would render it, kept
    ones from the cache (one round trip), the rest rendered and kept."""
    if isinstance(items, QuerySet) and items._result_cache is None:
        items = rows(items)
    items = items if isinstance(items, CardRows) else CardRows(items)
    version = version_at_start() if settings.FRAGMENT_CACHE else None
    # No version (outside a request, the cache down, the fragment cache off): no key, every
    # card rendered.
    keys = [card_key(item, template_name, version) if version else None for item in items]
    kept = {}
    if version:
        try:
            kept = shared_cache.get_many(keys)
        except Exception:
            logger.warning("fragment cache unavailable", exc_info=True)
            keys = [None] * len(items)
    missing = [item for item, key in zip(items, keys, strict=True) if key not in kept]
    if missing and items.prefetches:
        prefetch_related_objects(missing, *items.prefetches)
    template = context.template.engine.get_template(template_name)
    rendered, fresh = [], {}
    for item, key in zip(items, keys, strict=True):
        if key in kept:
            rendered.append(SafeString(kept[key]))
            continue
        with context.push(item=item):
            html = template.render(context)
        rendered.append(html)
        if key is not None:
            fresh[key] = str(html)
    if fresh:
        try:
            shared_cache.set_many(fresh, timeout=settings.FRAGMENT_CACHE_SECONDS)
        except Exception:
            logger.warning("fragment cache unavailable", exc_info=True)
    return rendered


def kept_fragment(key: tuple, render: Callable[[], SafeString]) -> SafeString:
    """`render()`, kept under `key`: a tuple of plain values that holds *everything* the
    fragment shows (a list's facet panel: its path, query and every option with its count),
    so a kept fragment is exact whatever else changed. Off with FRAGMENT_CACHE."""
    if not settings.FRAGMENT_CACHE:
        return render()
    parts = (templates_digest(), get_language(), key)
    name = f"fragment:{hashlib.sha256(repr(parts).encode()).hexdigest()[:32]}"
    try:
        html = shared_cache.get(name)
    except Exception:
        logger.warning("fragment cache unavailable", exc_info=True)
        return render()
    if html is not None:
        return SafeString(html)
    html = render()
    try:
        shared_cache.set(name, str(html), timeout=settings.FRAGMENT_CACHE_SECONDS)
    except Exception:
        logger.warning("fragment cache unavailable", exc_info=True)
    return html
