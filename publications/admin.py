from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ikpob_portal.kernel.admin import (
    HistoryAdmin,
    PublishableAdminMixin,
    ServedFilesMixin,
    ThemesAutocompleteMixin,
)
from ikpob_portal.kernel.models import prefetch_themes
from ikpob_portal.platform import history
from publications.models import Authorship, Publication, WithdrawnPublication


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    extra = 1
    autocomplete_fields = ["person"]
    ordering = ["position"]
    verbose_name = _("auteur")
    verbose_name_plural = _("auteurs (in volgorde)")


history.register(Publication, follow=("authorships",))


@admin.register(Publication)
class PublicationAdmin(
    ServedFilesMixin, PublishableAdminMixin, ThemesAutocompleteMixin, HistoryAdmin
):
    served_files = {
        "pdf": lambda publication: reverse(
            "publications:download", kwargs={"slug": publication.slug}
        )
    }
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
