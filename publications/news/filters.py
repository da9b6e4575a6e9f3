import django_filters
from django.db.models import Count
from django.db.models.functions import ExtractYear
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
from publications.news.models import NewsContribution, NewsItem


class NewsFilterSet(FacetedFilterSet):
    SORTS = {
        "nieuwste": None,  # NewsItemQuerySet.newest_first()
        "oudste": ("date", "published_at", "title"),
        "titel": ("title",),
    }

    q = SearchTextFilter(label=_("Zoek in actueel"))
    thema = ThemeFilter()
    soort = django_filters.MultipleChoiceFilter(
        label=_("Soort"), field_name="kind", choices=NewsItem.Kind.choices
    )
    jaar = MultipleIntegerFilter(label=_("Jaar"), field_name="date__year")
    organisatie = django_filters.ModelMultipleChoiceFilter(
        label=_("Organisatie"),
        queryset=published_organisations,
        to_field_name="slug",
        method="filter_organisations",
    )
    persoon = django_filters.ModelMultipleChoiceFilter(
        label=_("Persoon"),
        queryset=published_people,
        to_field_name="slug",
        method="filter_people",
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
        model = NewsItem
        fields: list[str] = []

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset.newest_first())

    def filter_organisations(self, queryset, name, value):
        if not value:
            return queryset
        linked = NewsItem.organisations.through.objects.filter(organisation__in=value)
        return queryset.filter(pk__in=linked.values("newsitem_id"))

    def filter_people(self, queryset, name, value):
        if not value:
            return queryset
        linked = NewsContribution.objects.filter(person__in=value)
        return queryset.filter(pk__in=linked.values("news_item_id"))

    def sort(self, queryset, name, value):
        fields = self.SORTS.get(value)
        return queryset.order_by(*fields) if fields else queryset

    def facets(self) -> list[Facet]:
        """Every facet with counts for the current selection (one query each)."""
        return [
            choice_facet(self, "soort", _("Soort"), "kind", NewsItem.Kind.choices),
            theme_facet(self),
            year_facet(self, "jaar", _("Jaar"), ExtractYear("date")),
            self._organisation_facet(),
            self._person_facet(),
        ]

    def _organisation_facet(self) -> Facet:
        counts = dict(
            NewsItem.organisations.through.objects.filter(
                newsitem__in=self.queryset_without("organisatie").values("pk")
            )
            .values_list("organisation_id")
            .annotate(n=Count("newsitem_id"))
        )
        selected = {organisation.pk for organisation in self.selected("organisatie")}
        organisations = Organisation.objects.published().filter(pk__in=set(counts) | selected)
        options = [
            FacetOption(o.slug, o.short_name or o.name, counts.get(o.pk, 0), o.pk in selected)
            for o in organisations.order_by("name")
        ]
        options, truncated = most_frequent(options)
        return Facet("organisatie", _("Organisatie"), options, truncated, names=True)

    def _person_facet(self) -> Facet:
        """Everyone in the items, whatever their role (published people only: a facet links
        nobody the public may not see)."""
        counted = (
            NewsContribution.objects.filter(
                news_item__in=self.queryset_without("persoon").values("pk"),
                person__in=Person.objects.published(),
            )
            .values(
                "person_id",
                "person__slug",
                "person__given_name",
                "person__particle",
                "person__family_name",
            )
            .annotate(n=Count("news_item", distinct=True))
        )
        selected = {person.slug: person for person in self.selected("persoon")}
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
        return Facet("persoon", _("Persoon"), options, truncated, names=True)
