import datetime

import django_filters
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event
from ikpob_portal.kernel.filters import (
    Facet,
    FacetedFilterSet,
    FacetOption,
    MultipleIntegerFilter,
    TextQueryFilter,
    ThemeFilter,
    theme_facet,
)
from network.filters import organisation_facet
from network.models import Organisation


class EventFilterSet(FacetedFilterSet):
    PERIODS = {
        "deze-maand": _("Deze maand"),
        "komende-3-maanden": _("Komende drie maanden"),
        "later": _("Later"),
    }

    q = TextQueryFilter(label=_("Zoek in evenementen"), method="filter_text")
    soort = django_filters.MultipleChoiceFilter(
        label=_("Soort"), field_name="kind", choices=Event.Kind.choices
    )
    thema = ThemeFilter()
    organisator = django_filters.ModelMultipleChoiceFilter(
        label=_("Organisator"),
        queryset=Organisation.objects.published(),
        to_field_name="slug",
        method="filter_organisers",
    )
    periode = django_filters.MultipleChoiceFilter(
        label=_("Periode"), choices=list(PERIODS.items()), method="filter_period"
    )

    class Meta:
        model = Event
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(title__icontains=word) | Q(summary__icontains=word))
        return queryset

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
        counts = self.queryset_without("periode").aggregate(
            **{key: Count("pk", filter=condition) for key, condition in conditions.items()}
        )
        selected = set(self.selected("periode"))
        return Facet(
            "periode",
            _("Periode"),
            [
                FacetOption(key, label, counts[key], key in selected)
                for key, label in self.PERIODS.items()
                if counts[key] or key in selected
            ],
        )

    def _kind_facet(self) -> Facet:
        counts = dict(self.queryset_without("soort").values_list("kind").annotate(n=Count("pk")))
        selected = set(self.selected("soort"))
        return Facet(
            "soort",
            _("Soort"),
            [
                FacetOption(value, label, counts.get(value, 0), value in selected)
                for value, label in Event.Kind.choices
                if counts.get(value) or value in selected
            ],
        )


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
        counts = dict(
            self.queryset_without("jaar")
            .annotate(year=ExtractYear("starts_at"))
            .values_list("year")
            .annotate(n=Count("pk"))
        )
        selected = set(self.selected("jaar"))
        years = sorted(set(counts) | selected, reverse=True)
        return Facet(
            "jaar",
            _("Jaar"),
            [FacetOption(str(y), str(y), counts.get(y, 0), y in selected) for y in years],
        )
