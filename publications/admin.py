from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ikpob_portal.kernel.admin import (
    HistoryAdmin,
    ImageAdminMixin,
    InlinesAfterFieldMixin,
    MarkdownPreviewMixin,
    NumberedInlineForm,
    NumberedInlineFormSet,
    PublishableAdminMixin,
    ThemesAutocompleteMixin,
    compact_moment,
    image_fieldset,
)
from ikpob_portal.kernel.models import prefetch_themes
from ikpob_portal.platform import history
from publications.models import Authorship, Publication, WithdrawnPublication


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    form = NumberedInlineForm
    formset = NumberedInlineFormSet
    fields = ["person", "position"]
    extra = 1
    autocomplete_fields = ["person"]
    ordering = ["position"]
    verbose_name = _("auteur")
    verbose_name_plural = _("auteurs (in volgorde)")

    class Media:
        js = ["js/admin/numbered-rows.js"]


history.register(Publication, follow=("authorships",))


@admin.register(Publication)
class PublicationAdmin(
    ImageAdminMixin,
    InlinesAfterFieldMixin,
    MarkdownPreviewMixin,
    PublishableAdminMixin,
    ThemesAutocompleteMixin,
    HistoryAdmin,
):
    served_files = {
        "pdf": lambda publication: reverse(
            "publications:download", kwargs={"slug": publication.slug}
        )
    }
    list_display = ["title", "kind", "publication_year", "status", "published", "changed"]
    list_filter = ["status", "kind", "themes", "publication_year", "language"]
    search_fields = ["title", "subtitle", "summary", "authors__family_name", "isbn", "doi"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["publisher", "commissioned_by", "related_publications"]
    inlines = [AuthorshipInline]
    readonly_fields = ["pdf_size", "created", "updated"]
    list_select_related = ["publisher"]
    published = compact_moment("published_at", _("gepubliceerd"), time=False)
    changed = compact_moment("updated", _("gewijzigd"), time=False)
    # What an editor writes first comes first: title, subtitle, then the authors (the inline,
    # placed by `inlines_after`), themes, summary and body. Identifiers and technical fields
    # are folded away at the end.
    inlines_after = "subtitle"
    markdown_fields = {"body": 3}  # under the page's "Over deze publicatie" (h2)
    fieldsets = [
        (None, {"fields": ["title", "subtitle"]}),
        (pgettext_lazy("admin", "Inhoud"), {"fields": ["themes", "summary", "body"]}),
        image_fieldset(),
        (
            _("Verschijning"),
            {
                "fields": [
                    "kind",
                    ("publication_year", "publication_month", "publication_day"),
                    "language",
                    "publisher",
                    "commissioned_by",
                ]
            },
        ),
        (_("Bestand en links"), {"fields": ["pdf", "external_url"]}),
        (_("Verwant"), {"fields": ["related_publications"]}),
        (_("Publiceren"), {"fields": ["status", "published_at"]}),
        (
            _("Identificatie en techniek"),
            {
                "classes": ["collapse"],
                "fields": ["slug", "isbn", "doi", "licence", "pdf_size", "created", "updated"],
            },
        ),
    ]

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Reversion writes the old version back before the form saves it, so Publication.save
        # would compare with the old row to see whether the public loses this publication.
        # Compare here, with the publication as harvesters last saw it (and its themes).
        with transaction.atomic():
            public_before = (
                Publication.objects.published()
                .prefetch_related(prefetch_themes())
                .filter(pk=unquote(object_id))
                .first()
            )
            response = super().revision_view(request, object_id, version_id, extra_context)
            if (
                request.method == "POST"
                and public_before is not None
                and not Publication.objects.published().filter(pk=public_before.pk).exists()
            ):
                WithdrawnPublication.record(public_before)
        return response


# News and interviews have their admin next to their models (publications/news/admin.py).
from publications.news import admin as news_admin  # noqa: E402, F401
