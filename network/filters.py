import django_filters
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from ikpob_portal.kernel.filters import (
    FACET_LIMIT,
    Facet,
    FacetedFilterSet,
    FacetOption,
    TextQueryFilter,
    ThemeFilter,
    theme_facet,
)
from network.models import Affiliation, Organisation, Person


class OrganisationFilterSet(FacetedFilterSet):
    q = TextQueryFilter(label=_("Zoek een organisatie"), method="filter_text")
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

    def filter_text(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(short_name__icontains=word)
                | Q(description__icontains=word)
            )
        return queryset

    def filter_relations(self, queryset, name, value):
        """Any of the chosen relations."""
        condition = Q()
        for key in value:
            condition |= Q(**{Organisation.RELATIONS[key][0]: True})
        return queryset.filter(condition) if value else queryset

    def facets(self) -> list[Facet]:
        return [self._kind_facet(), self._relation_facet(), theme_facet(self)]

    def _kind_facet(self) -> Facet:
        counts = dict(self.queryset_without("soort").values_list("kind").annotate(n=Count("pk")))
        selected = set(self.selected("soort"))
        return Facet(
            "soort",
            _("Soort"),
            [
                FacetOption(value, label, counts.get(value, 0), value in selected)
                for value, label in Organisation.Kind.choices
                if counts.get(value) or value in selected
            ],
        )

    def _relation_facet(self) -> Facet:
        counts = self.queryset_without("relatie").aggregate(
            **{
                key: Count("pk", filter=Q(**{field: True}))
                for key, (field, _label) in Organisation.RELATIONS.items()
            }
        )
        selected = set(self.selected("relatie"))
        return Facet(
            "relatie",
            _("Relatie met IKPOB"),
            [
                FacetOption(key, label, counts[key], key in selected)
                for key, (_field, label) in Organisation.RELATIONS.items()
                if counts[key] or key in selected
            ],
        )


class PersonFilterSet(FacetedFilterSet):
    q = TextQueryFilter(label=_("Zoek een persoon"), method="filter_text")
    organisatie = django_filters.ModelMultipleChoiceFilter(
        label=_("Organisatie"),
        queryset=Organisation.objects.published(),
        to_field_name="slug",
        method="filter_organisations",
    )
    thema = ThemeFilter()

    class Meta:
        model = Person
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(given_name__icontains=word)
                | Q(family_name__icontains=word)
                | Q(particle__icontains=word)
                | Q(title__icontains=word)
            )
        return queryset

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
    # The most frequent ones (one more, to know whether there are more), then the chosen
    # ones that fell outside them; in the order of their names.
    rows = list(counted.order_by("-n", "name")[: FACET_LIMIT + 1])
    truncated = len(rows) > FACET_LIMIT
    rows = rows[:FACET_LIMIT]
    missing = selected - {o.slug for o in rows}
    if missing:
        rows += list(counted.filter(slug__in=missing))
    rows.sort(key=lambda o: o.name.lower())
    options = [FacetOption(o.slug, o.display_name, o.n, o.slug in selected) for o in rows]
    present = {option.value for option in options}
    options += [
        FacetOption(o.slug, o.display_name, 0, True) for o in chosen if o.slug not in present
    ]
    return Facet(name, label, options, truncated)
