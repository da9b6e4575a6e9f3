import django_filters
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from ikpob_portal.kernel.filters import (
    Facet,
    FacetedFilterSet,
    FacetOption,
    TextQueryFilter,
    ThemeFilter,
    theme_facet,
)
from learning_circles.models import LearningCircle, Participation, Phase
from network.filters import organisation_facet
from network.models import Organisation


class LearningCircleFilterSet(FacetedFilterSet):
    q = TextQueryFilter(label=_("Zoek in leerkringen"), method="filter_text")
    fase = django_filters.MultipleChoiceFilter(
        label=_("Fase"), field_name="current_phase", choices=Phase.choices
    )
    thema = ThemeFilter()
    organisatie = django_filters.ModelMultipleChoiceFilter(
        label=_("Organisatie"),
        queryset=Organisation.objects.published(),
        to_field_name="slug",
        method="filter_organisations",
    )

    class Meta:
        model = LearningCircle
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(description__icontains=word)
            )
        return queryset

    def filter_organisations(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            pk__in=Participation.objects.filter(organisation__in=value).values("circle_id")
        )

    def facets(self) -> list[Facet]:
        return [
            self._phase_facet(),
            theme_facet(self),
            organisation_facet(
                self, "organisatie", _("Organisatie"), "circle_participations__circle"
            ),
        ]

    def _phase_facet(self) -> Facet:
        counts = dict(
            self.queryset_without("fase").values_list("current_phase").annotate(n=Count("pk"))
        )
        selected = set(self.selected("fase"))
        return Facet(
            "fase",
            _("Fase"),
            [
                FacetOption(value, label, counts.get(value, 0), value in selected)
                for value, label in Phase.choices
                if counts.get(value) or value in selected
            ],
        )
