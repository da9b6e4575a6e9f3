from collections import Counter

import django_filters
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from ikpob_portal.kernel.filters import (
    Facet,
    FacetedFilterSet,
    FacetOption,
    MultipleIntegerFilter,
    SearchTextFilter,
    ThemeFilter,
    choice_facet,
    most_frequent,
    most_frequent_rows,
    theme_facet,
    year_facet,
)
from network.filters import published_organisations, published_people
from network.models import Organisation, Person
from publications.models import Authorship, Publication


class PublicationFilterSet(FacetedFilterSet):
    SORTS = {
        "nieuwste": None,  # PublicationQuerySet.newest_first()
        "oudste": (
            "publication_year",
            F("publication_month").asc(nulls_first=True),
            F("publication_day").asc(nulls_first=True),
            "title",
        ),
        "titel": ("title",),
    }

    q = SearchTextFilter(label=_("Zoek in publicaties"))
    thema = ThemeFilter()
    soort = django_filters.MultipleChoiceFilter(
        label=_("Soort"),
        field_name="kind",
        choices=Publication.Kind.choices,
        # A column of the row itself: no join, so no duplicates to remove (DISTINCT over
        # every column, body text included, made the count sort whole rows).
        distinct=False,
    )
    jaar = MultipleIntegerFilter(label=_("Jaar"), field_name="publication_year")
    organisatie = django_filters.ModelMultipleChoiceFilter(
        label=_("Organisatie"),
        queryset=published_organisations,
        to_field_name="slug",
        method="filter_organisations",
    )
    auteur = django_filters.ModelMultipleChoiceFilter(
        label=_("Auteur"),
        queryset=published_people,
        to_field_name="slug",
        method="filter_authors",
    )
    sortering = django_filters.ChoiceFilter(
        label=_("Sorteren op"),
        choices=[
            ("nieuwste", _("Nieuwste eerst")),
            ("oudste", _("Oudste eerst")),
            ("titel", _("Titel (A–Z)")),
        ],
        method="sort",
        empty_label=None,
    )

    class Meta:
        model = Publication
        fields: list[str] = []

    def filter_queryset(self, queryset):
        # Newest first unless the visitor chose another order.
        return super().filter_queryset(queryset.newest_first())

    def filter_organisations(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Q(publisher__in=value)
            | Q(
                pk__in=Publication.commissioned_by.through.objects.filter(
                    organisation__in=value
                ).values("publication_id")
            )
        )

    def filter_authors(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            pk__in=Authorship.objects.filter(person__in=value).values("publication_id")
        )

    def sort(self, queryset, name, value):
        fields = self.SORTS.get(value)
        return queryset.order_by(*fields) if fields else queryset

    def facets(self) -> list[Facet]:
        """Every facet with counts for the current selection (one query each)."""
        return [
            theme_facet(self),
            choice_facet(self, "soort", _("Soort"), "kind", Publication.Kind.choices),
            year_facet(self, "jaar", _("Jaar"), "publication_year"),
            self._organisation_facet(),
            self._author_facet(),
        ]

    def _organisation_facet(self) -> Facet:
        """Per organisation: the publications it published or commissioned, counted once.

        Two grouped counts over the other filters' results (published; commissioned but not
        also published by it), added up: no subquery per organisation.
        """
        base = self.queryset_without("organisatie")
        counts: Counter[int] = Counter(
            dict(
                base.filter(publisher__isnull=False)
                .values_list("publisher_id")
                .annotate(n=Count("pk"))
            )
        )
        commissioned = Publication.commissioned_by.through.objects.filter(
            publication__in=base.values("pk")
        ).exclude(publication__publisher_id=F("organisation_id"))
        counts.update(
            dict(commissioned.values_list("organisation_id").annotate(n=Count("publication_id")))
        )
        selected = {organisation.pk for organisation in self.selected("organisatie")}
        organisations = Organisation.objects.published().filter(pk__in=set(counts) | selected)
        options = [
            FacetOption(o.slug, o.short_name or o.name, counts.get(o.pk, 0), o.pk in selected)
            for o in organisations.order_by("name")
        ]
        options, truncated = most_frequent(options)
        return Facet("organisatie", _("Organisatie"), options, truncated, names=True)

    def _author_facet(self) -> Facet:
        counted = (
            # Published people only: a facet links nobody the public may not see.
            Authorship.objects.filter(
                publication__in=self.queryset_without("auteur").values("pk"),
                person__in=Person.objects.published(),
            )
            .values(
                "person_id",
                "person__slug",
                "person__given_name",
                "person__particle",
                "person__family_name",
            )
            .annotate(n=Count("publication", distinct=True))
        )
        selected = {person.slug: person for person in self.selected("auteur")}
        # The most frequent authors and the chosen ones outside them, in alphabetical order:
        # thousands of names help nobody.
        rows, truncated = most_frequent_rows(
            counted,
            ranking=("person__family_name",),
            slug_field="person__slug",
            selected=set(selected),
            slug_of=lambda row: row["person__slug"],
        )
        rows.sort(key=lambda row: (row["person__family_name"], row["person__given_name"]))
        options = []
        for row in rows:
            person = Person(
                given_name=row["person__given_name"],
                particle=row["person__particle"],
                family_name=row["person__family_name"],
            )
            slug = row["person__slug"]
            options.append(FacetOption(slug, person.sort_name, row["n"], slug in selected))
        present = {option.value for option in options}
        options += [
            FacetOption(slug, person.sort_name, 0, True)
            for slug, person in selected.items()
            if slug not in present
        ]
        return Facet("auteur", _("Auteur"), options, truncated, names=True)
