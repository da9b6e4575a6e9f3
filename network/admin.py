from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ikpob_portal.kernel.admin import (
    HistoryAdmin,
    ImageAdminMixin,
    MarkdownPreviewMixin,
    PublishableAdminMixin,
    ThemesAutocompleteMixin,
    image_fieldset,
)
from ikpob_portal.platform import history
from network.models import Affiliation, Organisation, Person


class RelationListFilter(admin.SimpleListFilter):
    title = _("relatie met IKPOB")
    parameter_name = "relatie"

    def lookups(self, request, model_admin):
        return [(key, label) for key, (_field, label) in Organisation.RELATIONS.items()]

    def queryset(self, request, queryset):
        if self.value() in Organisation.RELATIONS:
            return queryset.filter(**{Organisation.RELATIONS[self.value()][0]: True})
        return queryset


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 1
    autocomplete_fields = ["organisation"]


# Affiliations and participations are edited on the person and the circle: they follow those.
history.register(Organisation)
history.register(Person, follow=("affiliations",))


@admin.register(Organisation)
class OrganisationAdmin(
    ImageAdminMixin,
    MarkdownPreviewMixin,
    PublishableAdminMixin,
    ThemesAutocompleteMixin,
    HistoryAdmin,
):
    markdown_fields = {"description": 2}
    # The current logo links to the uploaded file itself (editors may see a draft's there).
    served_files = {"logo": lambda organisation: organisation.logo_url}
    image_field = "logo"
    list_display = ["name", "short_name", "kind", "status", "is_partner", "is_client", "is_funder"]
    list_filter = ["status", "kind", RelationListFilter, "themes"]
    search_fields = ["name", "short_name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (
            None,
            {"fields": ["name", "short_name", "slug", "kind", "website", "description", "themes"]},
        ),
        image_fieldset("logo", _("Logo")),
        (
            _("Relatie met IKPOB"),
            {"fields": ["is_partner", "is_client", "is_funder", "is_knowledge_partner"]},
        ),
        (_("Identificatie"), {"fields": ["tooi_uri", "ror_id"]}),
        (_("Publiceren"), {"fields": ["status", "published_at"]}),
    ]


@admin.register(Person)
class PersonAdmin(
    ImageAdminMixin,
    MarkdownPreviewMixin,
    PublishableAdminMixin,
    ThemesAutocompleteMixin,
    HistoryAdmin,
):
    markdown_fields = {"bio": 2}
    list_display = ["sort_name", "title", "status"]
    list_filter = ["status", "themes"]
    search_fields = ["family_name", "given_name", "title", "orcid"]
    prepopulated_fields = {"slug": ["given_name", "particle", "family_name"]}
    inlines = [AffiliationInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("given_name", "particle", "family_name"),
                    "slug",
                    "title",
                    "bio",
                    "orcid",
                    "themes",
                ]
            },
        ),
        image_fieldset(title=_("Portret")),
        (_("Publiceren"), {"fields": ["status", "published_at"]}),
    ]

    @admin.display(description=_("naam"), ordering="family_name")
    def sort_name(self, person: Person) -> str:
        return person.sort_name
