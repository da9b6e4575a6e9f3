"""Shared pieces for the faceted list pages of every app."""

from dataclasses import dataclass

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ikpob_portal.kernel.models import Theme, ThemedItem
from ikpob_portal.kernel.search import MAX_QUERY_LENGTH


class MultipleIntegerField(forms.Field):
    """`?jaar=2019&jaar=2020` without a database query to build the choices."""

    widget = forms.SelectMultiple

    def to_python(self, value) -> list[int]:
        try:
            return [int(item) for item in value or []]
        except (TypeError, ValueError):
            raise ValidationError(_("Kies een geldig jaartal."), code="invalid") from None


class TextQueryField(forms.CharField):
    """A visitor's words: whitespace collapsed and cut to the site search's maximum length.

    A pasted page of text still searches (its start), instead of failing on the database
    (SQLite refuses LIKE patterns over 50 000 bytes) or running one condition per word.
    """

    def to_python(self, value) -> str:
        return " ".join(super().to_python(value).split())[:MAX_QUERY_LENGTH]


class TextQueryFilter(django_filters.CharFilter):
    field_class = TextQueryField


class MultipleIntegerFilter(django_filters.Filter):
    field_class = MultipleIntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("lookup_expr", "in")
        super().__init__(*args, **kwargs)


def filter_by_themes(queryset: models.QuerySet, themes) -> models.QuerySet:
    """Items with any of the chosen themes (a subquery, so no duplicate rows)."""
    if not themes:
        return queryset
    tagged = ThemedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(queryset.model), tag__in=themes
    ).values("object_id")
    return queryset.filter(pk__in=tagged)


class ThemeFilter(django_filters.ModelMultipleChoiceFilter):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("queryset", Theme.objects.all())
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("label", _("Thema"))
        kwargs.setdefault("method", lambda queryset, name, value: filter_by_themes(queryset, value))
        super().__init__(*args, **kwargs)


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str  # the query parameter
    label: str
    options: list[FacetOption]
    # More options exist than are shown (only the FACET_LIMIT most frequent ones are).
    truncated: bool = False


# Facets over people or organisations could list thousands of names: like InvenioRDM and
# Zenodo, a facet shows the most frequent options (and whatever the visitor chose).
FACET_LIMIT = 12


def most_frequent(
    options: list[FacetOption], limit: int = FACET_LIMIT
) -> tuple[list[FacetOption], bool]:
    """The `limit` options with the highest counts, plus the selected ones, in their order."""
    if len(options) <= limit:
        return options, False
    ranked = sorted(options, key=lambda option: -option.count)[:limit]
    keep = {id(option) for option in ranked} | {id(o) for o in options if o.selected}
    return [option for option in options if id(option) in keep], True


class FacetedFilterSet(django_filters.FilterSet):
    """A FilterSet that can count each facet against all *other* active filters.

    That is how a visitor sees, per option, how many results they would get by adding it.
    """

    def active_values(self) -> dict:
        """The valid filter values; an invalid one is left out (and reported to the visitor)."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return self.form.cleaned_data

    def queryset_without(self, excluded: str) -> models.QuerySet:
        queryset = self.queryset.all()
        for name, value in self.active_values().items():
            if name != excluded:
                queryset = self.filters[name].filter(queryset, value)
        return queryset.order_by()

    def selected(self, name: str) -> list:
        return list(self.active_values().get(name) or [])

    @property
    def is_active(self) -> bool:
        """Whether the visitor asked to narrow the list (sorting and paging do not count).

        Judged on the query string itself, so invalid values can be wiped as well.
        """
        return self.is_bound and any(
            value.strip()
            for name in self.filters
            if name != "sortering"
            for value in self.data.getlist(name)
        )


def theme_facet(filterset: FacetedFilterSet, name: str = "thema") -> Facet:
    base = filterset.queryset_without(name)
    rows = (
        ThemedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(base.model),
            object_id__in=base.values("pk"),
        )
        .values("tag_id", "tag__slug", "tag__name")
        .annotate(n=models.Count("id"))
    )
    selected = {theme.slug: theme for theme in filterset.selected(name)}
    options = {
        row["tag__slug"]: FacetOption(
            row["tag__slug"], row["tag__name"], row["n"], row["tag__slug"] in selected
        )
        for row in rows
    }
    for slug, theme in selected.items():
        options.setdefault(slug, FacetOption(slug, theme.name, 0, True))
    return Facet(name, _("Thema"), sorted(options.values(), key=lambda o: o.label.lower()))
