"""Shared pieces for the faceted list pages of every app: the text query (the site search
narrowed to the list's kind), the theme filter, and the facet helpers (choices, conditions,
years, themes, the most frequent people or organisations) every app's filter set builds on."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import django_filters
from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ikpob_portal.kernel import search
from ikpob_portal.kernel.models import Theme, ThemedItem


class MultipleIntegerField(forms.Field):
    """`?jaar=2019&jaar=2020` without a database query to build the choices."""

    widget = forms.SelectMultiple

    def to_python(self, value) -> list[int]:
        try:
            return [int(item) for item in value or []]
        except (TypeError, ValueError):
            raise ValidationError(_("Kies een geldig jaartal."), code="invalid") from None


class TextQueryField(forms.CharField):
    """A visitor's words, normalised as the site search normalises them (search.normalise)."""

    def to_python(self, value) -> str:
        return search.normalise(super().to_python(value))


class SearchTextFilter(django_filters.CharFilter):
    """Every list's `q`: the site search (/zoeken/) narrowed to the list's kind, so a list and
    the site search find the same items for the same words. The list view counts it against
    the search rate limit (FacetedListView.get)."""

    field_class = TextQueryField

    def filter(self, queryset: models.QuerySet, value: str) -> models.QuerySet:
        return search.filter_queryset(queryset, value) if value else queryset


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
    count: int | None  # None: not counted (a busy site, FacetedFilterSet.without_counts)
    selected: bool


# How many options a facet shows before its "Toon alle (n)" disclosure; a facet with at most
# two more than this shows them all (a disclosure that hides one or two options helps nobody).
FACET_SHOWN = 6


@dataclass
class Facet:
    name: str  # the query parameter
    label: str
    options: list[FacetOption]
    # More options exist than are shown (only the LIST_FACET_LIMIT most frequent ones are).
    truncated: bool = False
    # The options are names from the content (themes, organisations, people), in the
    # content's language: English pages mark them lang="nl".
    names: bool = False

    def _split(self) -> tuple[list[FacetOption], list[FacetOption]]:
        if len(self.options) <= FACET_SHOWN + 2:
            return self.options, []
        # sorted() is stable: between equal counts the facet's own order decides.
        ranked = sorted(self.options, key=lambda option: -(option.count or 0))[:FACET_SHOWN]
        keep = {id(option) for option in ranked} | {id(o) for o in self.options if o.selected}
        first = [option for option in self.options if id(option) in keep]
        more = [option for option in self.options if id(option) not in keep]
        return first, more

    @property
    def first(self) -> list[FacetOption]:
        """What the facet always shows: its most frequent options and every chosen one, in
        the facet's own order (alphabetical, newest year first, the choices' order)."""
        return self._split()[0]

    @property
    def more(self) -> list[FacetOption]:
        """The other options, behind "Toon alle (n)": nothing is cut off in a scroll box."""
        return self._split()[1]


def facet_limit() -> int:
    """Facets over people or organisations could list thousands of names: like InvenioRDM and
    Zenodo, a facet shows the most frequent options (and whatever the visitor chose)."""
    return settings.LIST_FACET_LIMIT


def most_frequent(
    options: list[FacetOption], limit: int | None = None
) -> tuple[list[FacetOption], bool]:
    """The `limit` options with the highest counts, plus the selected ones, in their order."""
    limit = facet_limit() if limit is None else limit
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

    def without_counts(self, facets: list[Facet]) -> list[Facet]:
        """`facets` (the unfiltered list's) with their options not counted and the visitor's
        choices marked; a choice the unfiltered facet did not show (a name outside the most
        frequent ones) is added, so the form keeps it and its chip can remove it."""
        uncounted = []
        for facet in facets:
            chosen = dict(self._chosen_options(facet.name))
            options = [
                FacetOption(option.value, option.label, None, option.value in chosen)
                for option in facet.options
            ]
            shown = {option.value for option in options}
            options += [
                FacetOption(value, label, None, True)
                for value, label in chosen.items()
                if value not in shown
            ]
            uncounted.append(replace(facet, options=options))
        return uncounted

    def _chosen_options(self, name: str) -> list[tuple[str, str]]:
        """The valid values chosen for filter `name`, as (query value, label)."""
        field = self.form.fields[name]
        if isinstance(field, forms.ModelMultipleChoiceField):  # instances: slug and name
            key = field.to_field_name or "pk"
            return [(str(getattr(value, key)), str(value)) for value in self.selected(name)]
        labels = dict(getattr(field, "choices", None) or ())  # a fixed list, or none (years)
        return [(str(value), str(labels.get(value, value))) for value in self.selected(name)]

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
    options = sorted(options.values(), key=lambda o: o.label.lower())
    return Facet(name, _("Thema"), options, names=True)


def choice_facet(
    filterset: FacetedFilterSet, name: str, label, field: str, choices: Iterable[tuple]
) -> Facet:
    """A facet over a field with choices (a kind, a phase), in the choices' order: the options
    with results under the other filters, and the chosen ones (one grouped count)."""
    counts = dict(
        filterset.queryset_without(name).values_list(field).annotate(n=models.Count("pk"))
    )
    selected = set(filterset.selected(name))
    return Facet(
        name,
        label,
        [
            FacetOption(value, option_label, counts.get(value, 0), value in selected)
            for value, option_label in choices
            if counts.get(value) or value in selected
        ],
    )


def condition_facet(
    filterset: FacetedFilterSet, name: str, label, options: dict[str, tuple]
) -> Facet:
    """A facet whose options are conditions (a period, a relation): `options` maps each value
    to (label, Q); counted in one aggregate, the empty ones left out unless chosen."""
    counts = filterset.queryset_without(name).aggregate(
        **{key: models.Count("pk", filter=condition) for key, (_l, condition) in options.items()}
    )
    selected = set(filterset.selected(name))
    return Facet(
        name,
        label,
        [
            FacetOption(key, option_label, counts[key], key in selected)
            for key, (option_label, _condition) in options.items()
            if counts[key] or key in selected
        ],
    )


def year_facet(filterset: FacetedFilterSet, name: str, label, year) -> Facet:
    """Years with results, newest first, and the chosen ones; `year` is the field name or an
    expression (ExtractYear("starts_at")) giving an item's year."""
    if isinstance(year, str):
        year = models.F(year)
    counts = dict(
        filterset.queryset_without(name)
        .annotate(facet_year=year)
        .filter(facet_year__isnull=False)  # an unknown year is no option
        .values_list("facet_year")
        .annotate(n=models.Count("pk"))
    )
    selected = set(filterset.selected(name))
    years = sorted(set(counts) | selected, reverse=True)
    return Facet(
        name,
        label,
        [FacetOption(str(y), str(y), counts.get(y, 0), y in selected) for y in years],
    )


def most_frequent_rows(
    counted: models.QuerySet,
    *,
    ranking: tuple[str, ...],
    slug_field: str,
    selected: set[str],
    slug_of: Callable[[object], str],
) -> tuple[list, bool]:
    """The most frequent rows of a counted queryset (annotated `n`) plus the chosen ones that
    fell outside them, and whether more exist: for facets over people or organisations.

    One more row than the limit is read, to know whether there are more, without a count.
    """
    limit = facet_limit()
    rows = list(counted.order_by("-n", *ranking)[: limit + 1])
    truncated = len(rows) > limit
    rows = rows[:limit]
    missing = selected - {slug_of(row) for row in rows}
    if missing:
        rows += list(counted.filter(**{f"{slug_field}__in": missing}).order_by())
    return rows, truncated
