from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ikpob_portal import history
from ikpob_portal.admin import HistoryAdmin, PublishableAdminMixin, ThemesAutocompleteMixin
from publications.models import Authorship, Publication


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    extra = 1
    autocomplete_fields = ["person"]
    ordering = ["position"]
    verbose_name = _("auteur")
    verbose_name_plural = _("auteurs (in volgorde)")


history.register(Publication, follow=("authorships",))


@admin.register(Publication)
class PublicationAdmin(PublishableAdminMixin, ThemesAutocompleteMixin, HistoryAdmin):
    list_display = ["title", "kind", "publication_year", "status", "published_at", "updated"]
    list_filter = ["status", "kind", "themes", "publication_year", "language"]
    search_fields = ["title", "subtitle", "summary", "authors__family_name", "isbn", "doi"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["publisher", "commissioned_by", "related_publications"]
    inlines = [AuthorshipInline]
    readonly_fields = ["pdf_size", "created", "updated"]
    list_select_related = ["publisher"]
    fieldsets = [
        (None, {"fields": ["title", "subtitle", "slug", "kind", "summary", "body"]}),
        (
            _("Verschijning"),
            {
                "fields": [
                    ("publication_year", "publication_month", "publication_day"),
                    "language",
                    "publisher",
                    "commissioned_by",
                    "themes",
                ]
            },
        ),
        (
            _("Bestand en links"),
            {"fields": ["pdf", "pdf_size", "external_url", "isbn", "doi", "licence"]},
        ),
        (_("Verwant"), {"fields": ["related_publications"]}),
        (_("Publiceren"), {"fields": ["status", "published_at", "created", "updated"]}),
    ]
