"""Figures over every published item, kept in the database until what they count changes.

Some figures cost a pass over tens of thousands of rows and are the same for every visitor:
the facet counts and the total of an unfiltered list, how many items each theme has. They are
counted once and stored as a row (`Summary`) together with the change stamps (`SummaryStamp`)
of the models they were counted from. Every save, delete or many-to-many change of such a
model adds one to its stamp *in the same transaction*, so a stored summary counts only while
none of those stamps moved, and it stays exact:

- the stamps are read before the figures are counted, so a change committed in between
  leaves the summary under an old stamp (counted again by the next request), never a new
  stamp on old figures;
- a summary may also end by itself (`valid_until`): a scheduled item becomes public at its
  moment without any save.

Unlike `platform.cache.per_version` this needs no shared cache: it holds with QUERY_CACHE off
and on a SQLite site whose cache is each process's own memory. Writes that send no signals
(`QuerySet.update()`, `bulk_create()`, raw SQL) must call `changed()` themselves.

A summary is declared once (`declare`), where its app declares what it offers, so that every
process that can write the models knows which ones to stamp.
"""

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Min, Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from ikpob_portal.kernel.models import Publishable, Summary, SummaryStamp


@dataclass(frozen=True)
class SummaryKind:
    name: str
    # The labels ("app_label.model_name", lower case) of every model whose rows the figures
    # are counted from; a callable, so that it may ask the registry once every app is ready.
    depends_on: Callable[[], Iterable[str]]

    def labels(self) -> list[str]:
        return sorted(set(self.depends_on()))


_declared: dict[str, SummaryKind] = {}


def declare(name: str, depends_on: Callable[[], Iterable[str]]) -> SummaryKind:
    if name in _declared:
        raise ValueError(f"summary {name!r} is declared twice")
    kind = _declared[name] = SummaryKind(name, depends_on)
    return kind


def label(model: type[Model]) -> str:
    return model._meta.label_lower


def _watched() -> set[str]:
    return {name for kind in _declared.values() for name in kind.labels()}


def changed(model: type[Model]) -> None:
    """Rows of `model` changed: every summary counted from them is stale once this commits."""
    name = label(model)
    if name not in _watched():
        return
    stamps = SummaryStamp.objects.filter(model=name)
    if not stamps.update(changes=F("changes") + 1):
        # The first change ever: make the row (another writer may be making it too).
        SummaryStamp.objects.bulk_create([SummaryStamp(model=name)], ignore_conflicts=True)
        stamps.update(changes=F("changes") + 1)


def get(
    kind: SummaryKind,
    key: tuple,
    compute: Callable[[], object],
    valid_until: Callable[[], datetime | None] | None = None,
):
    """The stored figures of `kind` for `key` (a tuple of plain values), counted afresh by
    `compute()` when a model they depend on changed or `valid_until` passed. What `compute`
    returns is stored as JSON and returned as JSON gives it back (dict keys become strings),
    the first time as well."""
    labels = kind.labels()
    stamps = dict(SummaryStamp.objects.filter(model__in=labels).values_list("model", "changes"))
    stamps = {name: stamps.get(name, 0) for name in labels}
    row_key = json.dumps([kind.name, *key], cls=DjangoJSONEncoder)
    if len(row_key) > Summary._meta.pk.max_length:
        row_key = hashlib.sha256(row_key.encode()).hexdigest()
    row = Summary.objects.filter(key=row_key).first()
    if (
        row is not None
        and row.stamps == stamps
        and (row.valid_until is None or row.valid_until > timezone.now())
    ):
        return row.data
    data = json.loads(json.dumps(compute(), cls=DjangoJSONEncoder))
    Summary.objects.bulk_create(
        [
            Summary(
                key=row_key,
                data=data,
                stamps=stamps,
                valid_until=valid_until() if valid_until else None,
            )
        ],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["data", "stamps", "valid_until"],
    )
    return data


def next_scheduled(*models: type[Publishable]) -> datetime | None:
    """The first moment from now at which a published item of these models becomes public:
    figures over published items end then (one indexed query per model)."""
    now = timezone.now()
    moments = [
        model.objects.filter(status=Publishable.Status.PUBLISHED, published_at__gt=now).aggregate(
            first=Min("published_at")
        )["first"]
        for model in models
    ]
    return min((moment for moment in moments if moment is not None), default=None)


def _on_change(sender, **kwargs) -> None:
    changed(sender)


def _on_m2m_change(sender, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        changed(sender)


def connect_signals() -> None:
    post_save.connect(_on_change, dispatch_uid="summaries-save")
    post_delete.connect(_on_change, dispatch_uid="summaries-delete")
    m2m_changed.connect(_on_m2m_change, dispatch_uid="summaries-m2m")
