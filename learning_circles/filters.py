import django_filters
from django.utils.translation import gettext_lazy as _

from ikpob_portal.kernel.filters import (
    Facet,
    FacetedFilterSet,
    SearchTextFilter,
    ThemeFilter,
    choice_facet,
    theme_facet,
)
from learning_circles.models import LearningCircle, Participation, Phase
from network.filters import organisation_facet, published_organisations


class LearningCircleFilterSet(FacetedFilterSet):
    q = SearchTextFilter(label=_("Zoek in leerkringen"))
    fase = django_filters.MultipleChoiceFilter(
        label=_("Fase"), field_name="current_phase", choices=Phase.choices
    )
    thema = ThemeFilter()
    organisatie = django_filters.ModelMultipleChoiceFilter(
        label=_("Organisatie"),
        queryset=published_organisations,
        to_field_name="slug",
        method="filter_organisations",
    )

    class Meta:
        model = LearningCircle
        fields: list[str] = []

    def filter_organisations(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            pk__in=Participation.objects.filter(organisation__in=value).values("circle_id")
        )

    def facets(self) -> list[Facet]:
        return [
            choice_facet(self, "fase", _("Fase"), "current_phase", Phase.choices),
            theme_facet(self),
            organisation_facet(
                self, "organisatie", _("Organisatie"), "circle_participations__circle"
            ),
        ]
