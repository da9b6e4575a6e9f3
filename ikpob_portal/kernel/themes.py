"""The vocabulary: how many published items each theme has, and merging themes without
losing a single tagged item."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count

from ikpob_portal.kernel import registry, summaries
from ikpob_portal.kernel.models import Publishable, Theme, ThemedItem, ThemeRedirect
from ikpob_portal.platform.cache import per_version


def published_counts_by_theme() -> dict[int, int]:
    """Published items per theme id, all kinds together (the sitemap's "does it show
    anything"); pages say per kind what they count, with `counts_per_kind`."""
    return {
        theme_id: sum(per_kind.values())
        for theme_id, per_kind in published_counts_by_theme_and_kind().items()
    }


def published_counts_by_theme_and_kind() -> dict[int, dict[str, int]]:
    """Published items per theme id and kind (`app_label.model`), across every registered
    kind: one query per kind, as it counts every themed item, so kept in the database until a
    counted model changes (`kernel.summaries`) and per content version (QUERY_CACHE)."""
    counts = per_version(
        ("theme-counts-per-kind",),
        lambda: summaries.get(
            _THEME_COUNTS, (), _count_by_theme_and_kind, valid_until=_next_scheduled
        ),
    )
    # Stored as JSON, whose keys are strings.
    return {int(theme_id): per_kind for theme_id, per_kind in counts.items()}


# Declared when the kernel is ready (it imports this module); the kinds are asked only when a
# change comes, after every app registered its own.
_THEME_COUNTS = summaries.declare(
    "theme-counts-per-kind",
    depends_on=lambda: [
        summaries.label(ThemedItem),
        summaries.label(Theme),
        *(summaries.label(kind.model) for kind in registry.kinds()),
    ],
)


def _next_scheduled():
    return summaries.next_scheduled(
        *(kind.model for kind in registry.kinds() if issubclass(kind.model, Publishable))
    )


def _count_by_theme_and_kind() -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {}
    for kind in registry.kinds():
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
            counts.setdefault(row["tag_id"], {})[registry.model_label(kind.model)] = row["n"]
    return counts


@dataclass(frozen=True)
class KindCount:
    kind: registry.ContentKind
    count: int

    @property
    def counted(self) -> str:
        """'1 publicatie', '3 evenementen': the number with its noun, in the right form."""
        return self.kind.counted(self.count)


def counts_per_kind(per_kind: dict[str, int]) -> list[KindCount]:
    """One theme's counts as labelled numbers, in the kinds' order, leaving out zeros."""
    return [
        KindCount(kind, per_kind[label])
        for kind in registry.kinds()
        if per_kind.get(label := registry.model_label(kind.model))
    ]


@transaction.atomic
def merge_themes(*, target: Theme, others: list[Theme]) -> int:
    """Move every item of `others` to `target`, delete them, keep their URLs as redirects.

    Returns how many tagged items moved. Items that already carry `target` keep one link.
    """
    others = [theme for theme in others if theme.pk != target.pk]
    moved = 0
    for theme in others:
        for item in ThemedItem.objects.filter(tag=theme).select_for_update():
            duplicate = ThemedItem.objects.filter(
                tag=target, content_type_id=item.content_type_id, object_id=item.object_id
            ).exists()
            if duplicate:
                item.delete()
            else:
                item.tag = target
                item.save(update_fields=["tag"])
                moved += 1
        # Redirects that pointed at the merged theme now point at the survivor.
        ThemeRedirect.objects.filter(theme=theme).update(theme=target)
        ThemeRedirect.objects.update_or_create(old_slug=theme.slug, defaults={"theme": target})
        theme.delete()
    ThemeRedirect.objects.filter(old_slug=target.slug).delete()
    return moved
