"""Where domain apps tell the site about their public content.

Each app registers its public models in `AppConfig.ready()`. Theme pages (and later search,
sitemap and feeds) iterate the registry, so a new app plugs in without editing those views,
and `ikpob_portal` never imports a domain app.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count
from django.urls import reverse


@dataclass(frozen=True)
class ContentKind:
    model: type[models.Model]
    label: str  # plural, shown as a heading: "Publicaties"
    list_url_name: str  # e.g. "publications:list"
    card_template: str  # renders one item as a card; gets `item`
    # The public queryset: `.published()` plus what a card needs (select/prefetch).
    public_queryset: Callable[[], models.QuerySet]
    theme_param: str = "thema"  # the list page's query parameter that filters on a theme
    search_fields: tuple[str, ...] = ()

    def list_url_for_theme(self, theme_slug: str) -> str:
        return f"{reverse(self.list_url_name)}?{self.theme_param}={theme_slug}"


_kinds: list[ContentKind] = []


def register(kind: ContentKind) -> None:
    if any(existing.model is kind.model for existing in _kinds):
        return
    _kinds.append(kind)


def kinds() -> list[ContentKind]:
    return list(_kinds)


def published_counts_by_theme() -> dict[int, int]:
    """Published items per theme id, across every registered kind: one query per kind."""
    from ikpob_portal.models import ThemedItem

    counts: dict[int, int] = {}
    for kind in _kinds:
        content_type = ContentType.objects.get_for_model(kind.model)
        rows = (
            ThemedItem.objects.filter(
                content_type=content_type,
                object_id__in=kind.public_queryset().order_by().values("pk"),
            )
            .values("tag_id")
            .annotate(n=Count("id"))
        )
        for row in rows:
            counts[row["tag_id"]] = counts.get(row["tag_id"], 0) + row["n"]
    return counts
