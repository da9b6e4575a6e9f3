"""What editors set for the home page: the intro and the featured items still to be shown.

A featured item is shown while its end date has not passed and its target is public (the
kind's `public_queryset()`, which starts from `.published()`). Targets are fetched per kind, one
query each (plus what the kind's cards prefetch), so the home page runs as many queries for
one featured item as for twenty.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from ikpob_portal.kernel import registry
from ikpob_portal.pages.models import FeaturedItem, HomePage


@dataclass(frozen=True)
class Featured:
    kind: registry.ContentKind
    item: object


@dataclass(frozen=True)
class HomeSettings:
    intro: str
    featured: list[Featured]
    # When the next featured item ends: the page must not be stored beyond that moment.
    changes_at: datetime.datetime | None


def home_settings(today: datetime.date | None = None) -> HomeSettings:
    today = today or timezone.localdate()
    home = HomePage.objects.filter(pk=HomePage.SINGLETON_PK).first()
    if home is None:
        return HomeSettings(intro="", featured=[], changes_at=None)
    picks = list(FeaturedItem.objects.filter(home=home).current(today))
    wanted: dict[int, list[int]] = defaultdict(list)
    for pick in picks:
        wanted[pick.content_type_id].append(pick.object_id)
    found: dict[tuple[int, int], Featured] = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        kind = registry.kind_for(model) if model is not None else None
        if kind is None:  # a kind that is no longer public
            continue
        for item in kind.public_queryset().filter(pk__in=ids):
            found[content_type_id, item.pk] = Featured(kind, item)
    featured = [
        found[pick.content_type_id, pick.object_id]
        for pick in picks
        if (pick.content_type_id, pick.object_id) in found
    ]
    ends = [pick.until for pick in picks if pick.until is not None]
    changes_at = None
    if ends:
        # Shown through its end date: gone from the start of the next day, local time.
        day_after = min(ends) + datetime.timedelta(days=1)
        changes_at = timezone.make_aware(datetime.datetime.combine(day_after, datetime.time()))
    return HomeSettings(intro=home.intro, featured=featured, changes_at=changes_at)
