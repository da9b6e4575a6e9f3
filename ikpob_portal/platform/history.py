"""History of what editors change in the admin (django-reversion), so that editors lose nothing.

Each domain app registers its public models here (in its admin module) with the children an
editor edits on the same admin page; themes are followed for every model with a `themes` field.
A revision then holds the item with its children and themes, and reverting or recovering it
restores them together. Only the admin records versions: imports and `loaddemo` do not.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connections, models, router
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from reversion.errors import RevertError
from reversion.models import Version
from taggit.managers import TaggableManager

_FOLLOW: dict[type[models.Model], tuple[str, ...]] = {}


def register(model: type[models.Model], *, follow: tuple[str, ...] = ()) -> None:
    """Keep versions of `model` together with the related rows named in `follow` (reverse
    foreign keys of its inlines) and its themes."""
    if any(isinstance(field, TaggableManager) for field in model._meta.get_fields()):
        follow = (*follow, "tagged_items")  # the ThemedItem rows behind `themes`
    for name in follow:
        child = model._meta.get_field(name).related_model
        if not reversion.is_registered(child):
            reversion.register(child)
    # `themes` itself is not serialisable (taggit): its rows travel as `tagged_items`.
    reversion.register(model, follow=follow, exclude=("themes",))
    _FOLLOW[model] = follow


def followed(obj: models.Model) -> list[models.Model]:
    """The rows kept in a revision together with `obj`."""
    return [child for name in _FOLLOW.get(type(obj), ()) for child in getattr(obj, name).all()]


def added_since(obj: models.Model, revision) -> list[models.Model]:
    """The children of `obj` (sessions, meetings, participations, …) that a revert to
    `revision` would delete because they did not exist yet: everything followed except theme
    links, which a revert is meant to set back."""
    kept = {(version.content_type_id, version.object_id) for version in revision.version_set.all()}
    return [
        child
        for name in _FOLLOW.get(type(obj), ())
        if name != "tagged_items"
        for child in getattr(obj, name).all()
        if (ContentType.objects.get_for_model(child).pk, str(child.pk)) not in kept
    ]


def has_history(obj: models.Model) -> bool:
    return Version.objects.get_for_object(obj).exists()


@contextmanager
def revision(*, user, comment: str) -> Iterator[None]:
    """Saves of registered models inside this block become one revision, by `user`.

    Nested in another revision it merges into that one: keep one item per revision, since
    reverting a revision reverts every item in it.
    """
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(comment)
        yield


def snapshot(obj: models.Model, *, user, comment: str) -> None:
    """Keep `obj` as it stands now as a revision of its own."""
    with revision(user=user, comment=comment):
        reversion.add_to_revision(obj)


def keep_first_state(obj: models.Model) -> None:
    """Before the first change made in the admin to an item that has no version yet (it came
    from an import or loaddemo): keep how it stood, so that change can be reverted too."""
    if reversion.is_registered(type(obj)) and not has_history(obj):
        snapshot(obj, user=None, comment=_("Stand vóór de eerste wijziging in de redactie."))


def drop_missing_references(obj: models.Model) -> list[str]:
    """After a revert: remove what the old version points at but is gone since (a theme merged
    into another, a person or organisation deleted). Returns what is gone, as verbose names.

    Foreign keys are checked only when the transaction commits, so without this a revert that
    refers to a deleted row would fail at the very end instead of restoring the rest.
    """
    gone: set[str] = set()
    for child in followed(obj):
        for field in child._meta.concrete_fields:
            if field.many_to_one and _is_missing(field, getattr(child, field.attname)):
                gone.add(str(field.related_model._meta.verbose_name))
                type(child)._base_manager.filter(pk=child.pk).delete()
                break
    for field in obj._meta.concrete_fields:
        if field.many_to_one and field.null and _is_missing(field, getattr(obj, field.attname)):
            gone.add(str(field.related_model._meta.verbose_name))
            type(obj)._base_manager.filter(pk=obj.pk).update(**{field.attname: None})
    for field in obj._meta.many_to_many:
        through = getattr(field.remote_field, "through", None)
        if not isinstance(field, models.ManyToManyField) or not through._meta.auto_created:
            continue  # custom through models (authorships, affiliations) are followed rows
        stale = through._base_manager.filter(**{field.m2m_field_name(): obj.pk}).exclude(
            **{f"{field.m2m_reverse_field_name()}__in": field.related_model._base_manager.all()}
        )
        if stale.delete()[0]:
            gone.add(str(field.related_model._meta.verbose_name))
    return sorted(gone)


def check_references(obj: models.Model) -> None:
    """Refuse the revert (RevertError) if any restored row still refers to a missing one."""
    tables = {obj._meta.db_table} | {child._meta.db_table for child in followed(obj)}
    tables |= {field.remote_field.through._meta.db_table for field in obj._meta.many_to_many}
    connection = connections[router.db_for_write(type(obj))]
    try:
        connection.check_constraints(table_names=sorted(tables))
    except IntegrityError as error:
        raise RevertError(
            _(
                "Deze versie kan niet worden teruggezet: ze verwijst naar iets dat inmiddels "
                "is verwijderd."
            )
        ) from error


def _is_missing(field: models.ForeignKey, value) -> bool:
    if value is None:
        return False
    target = field.target_field.attname
    return not field.related_model._base_manager.filter(**{target: value}).exists()


class Change(NamedTuple):
    field: str
    before: str
    after: str


def changes_by_revision(model: type[models.Model], object_id: str) -> dict[int, list[Change]]:
    """For each revision of one item: its fields that differ from the version before it.

    Only fields an editor edits on the item's own form; inlines and themes are in the change
    message. One query for the versions, plus one per changed related field.
    """
    fields = [field for field in model._meta.get_fields() if field.concrete and field.editable]
    versions = Version.objects.get_for_object_reference(model, object_id).order_by("pk")
    result: dict[int, list[Change]] = {}
    previous: dict | None = None
    for version in versions:
        try:
            current = version.field_dict
        except RevertError:  # stored for a model that has changed too much: nothing to compare
            current = None
        if previous is not None and current is not None:
            result[version.revision_id] = [
                change
                for field in fields
                if field.attname in previous
                and field.attname in current
                and _comparable(field, previous) != _comparable(field, current)
                # Seconds the form dropped from a date are no change an editor made.
                and (change := _change(field, previous, current)).before != change.after
            ]
        previous = current
    return result


def _change(field: models.Field, previous: dict, current: dict) -> Change:
    return Change(
        str(capfirst(field.verbose_name)),
        _shown(field, previous[field.attname]),
        _shown(field, current[field.attname]),
    )


def _comparable(field: models.Field, values: dict):
    value = values[field.attname]
    return sorted(map(str, value)) if field.many_to_many else value


def _shown(field: models.Field, value) -> str:
    """A stored value as an editor reads it: labels for choices, names for related items."""
    if value in (None, "", []):
        return "—"
    if field.many_to_many:
        related = field.related_model._base_manager.filter(pk__in=value)
        return ", ".join(sorted(str(item) for item in related)) or "—"
    if field.many_to_one:
        item = field.related_model._base_manager.filter(pk=value).first()
        return str(item) if item is not None else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, datetime.datetime):
        return formats.localize(timezone.template_localtime(value))
    return Truncator(formats.localize(value)).chars(200)
