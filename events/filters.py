import datetime

import django_filters
from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event
from ikpob_portal.kernel.filters import (
    Facet,
    FacetedFilterSet,
    MultipleIntegerFilter,
    SearchTextFilter,
    ThemeFilter,
    choice_facet,
    condition_facet,
    theme_facet,
    year_facet,
)
from network.filters import organisation_facet, published_organisations


class EventFilterSet(FacetedFilterSet):
    PERIODS = {
        "deze-maand": _("Deze maand"),
        "komende-3-maanden": _("Komende drie maanden"),
        "later": _("Later"),
    }

    q = SearchTextFilter(label=_("Zoek in evenementen"))
    soort = django_filters.MultipleChoiceFilter(
        label=_("Soort"), field_name="kind", choices=Event.Kind.choices
    )
    thema = ThemeFilter()
    organisator = django_filters.ModelMultipleChoiceFilter(
        label=_("Organisator"),
        queryset=published_organisations,
        to_field_name="slug",
        method="filter_organisers",
    )
    periode = django_filters.MultipleChoiceFilter(
        label=_("Periode"), choices=list(PERIODS.items()), method="filter_period"
    )

    class Meta:
        model = Event
        fields: list[str] = []

    def filter_organisers(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            pk__in=Event.organisers.through.objects.filter(organisation__in=value).values(
                "event_id"
            )
        )

    @staticmethod
    def period_conditions() -> dict[str, Q]:
        now = timezone.localtime()
        month_end = (now.replace(day=1) + datetime.timedelta(days=32)).replace(
            day=1, hour=0, minute=0, second=0, microsecond=0
        )
        three_months = now + datetime.timedelta(days=92)
        return {
            "deze-maand": Q(starts_at__lt=month_end),
            "komende-3-maanden": Q(starts_at__lt=three_months),
            "later": Q(starts_at__gte=three_months),
        }

    def filter_period(self, queryset, name, value):
        """Any of the chosen periods."""
        if not value:
            return queryset
        conditions = self.period_conditions()
        combined = Q()
        for key in value:
            combined |= conditions[key]
        return queryset.filter(combined)

    def facets(self) -> list[Facet]:
        return [
            self._period_facet(),
            self._kind_facet(),
            theme_facet(self),
            organisation_facet(self, "organisator", _("Organisator"), "organised_events"),
        ]

    def _period_facet(self) -> Facet:
        conditions = self.period_conditions()
        return condition_facet(
            self,
            "periode",
            _("Periode"),
            {key: (label, conditions[key]) for key, label in self.PERIODS.items()},
        )

    def _kind_facet(self) -> Facet:
        return choice_facet(self, "soort", _("Soort"), "kind", Event.Kind.choices)


class EventArchiveFilterSet(EventFilterSet):
    """Past events: by year instead of by coming period."""

    periode = None
    jaar = MultipleIntegerFilter(label=_("Jaar"), field_name="starts_at__year")

    def facets(self) -> list[Facet]:
        return [
            self._year_facet(),
            self._kind_facet(),
            theme_facet(self),
            organisation_facet(self, "organisator", _("Organisator"), "organised_events"),
        ]

    def _year_facet(self) -> Facet:
        return year_facet(self, "jaar", _("Jaar"), ExtractYear("starts_at"))
