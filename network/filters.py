import django_filters
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ikpob_portal.kernel.filters import (
    Facet,
    FacetedFilterSet,
    FacetOption,
    SearchTextFilter,
    ThemeFilter,
    choice_facet,
    condition_facet,
    most_frequent_rows,
    theme_facet,
)
from network.models import Affiliation, Organisation, Person


def published_organisations(request=None) -> QuerySet:
    """The organisations a list may filter on: only published ones, so a draft's slug reads
    exactly as an unknown one. A callable, so "published" is judged at each request; a
    queryset written in the class would keep the moment the module was imported."""
    return Organisation.objects.published()


def published_people(request=None) -> QuerySet:
    """The people a list may filter on, judged at each request (see published_organisations)."""
    return Person.objects.published()


class OrganisationFilterSet(FacetedFilterSet):
    q = SearchTextFilter(label=_("Zoek een organisatie"))
    soort = django_filters.MultipleChoiceFilter(
        label=_("Soort"), field_name="kind", choices=Organisation.Kind.choices
    )
    relatie = django_filters.MultipleChoiceFilter(
        label=_("Relatie met IKPOB"),
        choices=[(key, label) for key, (_field, label) in Organisation.RELATIONS.items()],
        method="filter_relations",
    )
    thema = ThemeFilter()

    class Meta:
        model = Organisation
        fields: list[str] = []

    def filter_relations(self, queryset, name, value):
        """Any of the chosen relations."""
        condition = Q()
        for key in value:
            condition |= Q(**{Organisation.RELATIONS[key][0]: True})
        return queryset.filter(condition) if value else queryset

    def facets(self) -> list[Facet]:
        return [
            choice_facet(self, "soort", _("Soort"), "kind", Organisation.Kind.choices),
            condition_facet(
                self,
                "relatie",
                _("Relatie met IKPOB"),
                {
                    key: (label, Q(**{field: True}))
                    for key, (field, label) in Organisation.RELATIONS.items()
                },
            ),
            theme_facet(self),
        ]


class PersonFilterSet(FacetedFilterSet):
    q = SearchTextFilter(label=_("Zoek een persoon"))
    organisatie = django_filters.ModelMultipleChoiceFilter(
        label=_("Organisatie"),
        queryset=published_organisations,
        to_field_name="slug",
        method="filter_organisations",
    )
    thema = ThemeFilter()

    class Meta:
        model = Person
        fields: list[str] = []

    def filter_organisations(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            pk__in=Affiliation.objects.filter(organisation__in=value).values("person_id")
        )

    def facets(self) -> list[Facet]:
        return [
            organisation_facet(self, "organisatie", _("Organisatie"), "affiliations__person"),
            theme_facet(self),
        ]


def organisation_facet(filterset: FacetedFilterSet, name: str, label, path: str) -> Facet:
    """Published organisations linked to the other filters' results through `path` (e.g.
    "circle_participations__circle"), each with how many of those results it has."""
    counted = (
        Organisation.objects.published()
        .filter(**{f"{path}__in": filterset.queryset_without(name).values("pk")})
        .annotate(n=Count(path, distinct=True))
    )
    chosen = filterset.selected(name)
    selected = {organisation.slug for organisation in chosen}
    # The most frequent ones, then the chosen ones that fell outside them; by name.
    rows, truncated = most_frequent_rows(
        counted, ranking=("name",), slug_field="slug", selected=selected, slug_of=lambda o: o.slug
    )
    rows.sort(key=lambda o: o.name.lower())
    options = [FacetOption(o.slug, o.display_name, o.n, o.slug in selected) for o in rows]
    present = {option.value for option in options}
    options += [
        FacetOption(o.slug, o.display_name, 0, True) for o in chosen if o.slug not in present
    ]
    return Facet(name, label, options, truncated, names=True)
