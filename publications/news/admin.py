from django.contrib import admin
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ikpob_portal.kernel.admin import (
    HistoryAdmin,
    InlinesAfterFieldMixin,
    MarkdownPreviewMixin,
    NumberedInlineForm,
    NumberedInlineFormSet,
    PublishableAdminMixin,
    ThemesAutocompleteMixin,
    compact_moment,
)
from ikpob_portal.platform import history
from publications.news.models import NewsContribution, NewsItem


class NewsContributionInline(admin.TabularInline):
    model = NewsContribution
    form = NumberedInlineForm
    formset = NumberedInlineFormSet
    fields = ["person", "role", "position"]
    extra = 1
    autocomplete_fields = ["person"]
    ordering = ["position"]

    class Media:
        js = ["js/admin/numbered-rows.js"]


history.register(NewsItem, follow=("contributions",))


@admin.register(NewsItem)
class NewsItemAdmin(
    InlinesAfterFieldMixin,
    MarkdownPreviewMixin,
    PublishableAdminMixin,
    ThemesAutocompleteMixin,
    HistoryAdmin,
):
    article = "het"  # het bericht
    list_display = ["title", "kind", "dated", "status", "published", "changed"]
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
    published = compact_moment("published_at", _("gepubliceerd"), time=False)
    changed = compact_moment("updated", _("gewijzigd"), time=False)
    # As an editor writes it: title and kind, then who is in it (the people inline, placed by
    # `inlines_after`), then the text; the slug and the moments last.
    inlines_after = "kind"
    markdown_fields = {"body": 2}  # straight under the page's title (h1)

    @admin.display(description=_("datum"), ordering="date")
    def dated(self, item: NewsItem) -> str:
        return formats.date_format(item.date, "SHORT_DATE_FORMAT")

    fieldsets = [
        (None, {"fields": ["title", "kind", "date"]}),
        (
            pgettext_lazy("admin", "Inhoud"),
            {"fields": ["summary", "body", "organisations", "themes"]},
        ),
        (_("Afbeelding"), {"fields": ["image", "image_alt", "image_decorative"]}),
        (_("Publiceren"), {"fields": ["status", "published_at", "slug", "created", "updated"]}),
    ]
