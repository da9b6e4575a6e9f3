"""Editing the vocabulary: merging themes without losing a single tagged item."""

from django.db import transaction

from ikpob_portal.kernel.models import Theme, ThemedItem, ThemeRedirect


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
