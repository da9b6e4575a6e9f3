from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ikpob_portal.kernel.admin import HistoryAdmin, PublishableAdminMixin, ThemesAutocompleteMixin
from ikpob_portal.platform import history
from publications.news.models import NewsContribution, NewsItem


class NewsContributionInline(admin.TabularInline):
    model = NewsContribution
    extra = 1
    autocomplete_fields = ["person"]
    ordering = ["position"]
    fields = ["person", "role", "position"]


history.register(NewsItem, follow=("contributions",))


@admin.register(NewsItem)
class NewsItemAdmin(PublishableAdminMixin, ThemesAutocompleteMixin, HistoryAdmin):
    list_display = ["title", "kind", "date", "status", "published_at", "updated"]
    list_filter = ["kind", "status", "themes", "date"]
    search_fields = [
        "title",
        "summary",
        "body",
        "contributions__person__family_name",
        "organisations__name",
    ]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["organisations"]
    inlines = [NewsContributionInline]
    readonly_fields = ["created", "updated"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "date", "summary", "body"]}),
        (_("Organisaties en thema's"), {"fields": ["organisations", "themes"]}),
        (_("Publiceren"), {"fields": ["status", "published_at", "created", "updated"]}),
    ]
