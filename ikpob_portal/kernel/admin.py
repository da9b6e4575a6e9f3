from pathlib import PurePosixPath

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from reversion.models import Version

from ikpob_portal.kernel import search
from ikpob_portal.kernel.models import Publishable, Theme, ThemeRedirect, ZeroResultSearch
from ikpob_portal.kernel.themes import merge_themes
from ikpob_portal.platform import history


class MergeThemesForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Theme.objects.none(),
        widget=forms.RadioSelect,
        label=_("Samenvoegen tot"),
        error_messages={"required": _("Kies welk thema overblijft.")},
    )

    def __init__(self, *args, themes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = themes


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "item_count"]
    # Explicit: the count annotation drops Meta.ordering, and autocomplete pages need an order.
    ordering = ["name"]
    search_fields = ["name", "description", "synonyms"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge_selected"]
    fields = ["name", "slug", "description", "synonyms"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("themed_items"))

    @admin.display(description=_("aantal items"), ordering="item_count")
    def item_count(self, theme: Theme) -> int:
        return theme.item_count

    @admin.action(description=_("Geselecteerde thema's samenvoegen"), permissions=["change"])
    def merge_selected(self, request, queryset):
        themes = queryset.order_by("name")
        if themes.count() < 2:
            self.message_user(
                request, _("Kies minstens twee thema's om samen te voegen."), messages.WARNING
            )
            return None
        form = MergeThemesForm(request.POST if "apply" in request.POST else None, themes=themes)
        if form.is_valid():
            target = form.cleaned_data["target"]
            moved = merge_themes(target=target, others=list(themes))
            self.message_user(
                request,
                ngettext(
                    "Samengevoegd tot '%(theme)s'; %(count)d item verplaatst.",
                    "Samengevoegd tot '%(theme)s'; %(count)d items verplaatst.",
                    moved,
                )
                % {"theme": target.name, "count": moved},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/ikpob_portal/theme/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Thema's samenvoegen"),
                "themes": themes,
                "form": form,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(ThemeRedirect)
class ThemeRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "theme", "created"]
    search_fields = ["old_slug", "theme__name"]
    autocomplete_fields = ["theme"]


class ThemesAutocompleteMixin:
    """Themes are picked from the vocabulary with autocomplete, never typed as free text."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "themes":
            return forms.ModelMultipleChoiceField(
                queryset=Theme.objects.order_by("name"),
                required=False,
                label=_("Thema's"),
                help_text=db_field.help_text,
                widget=AutocompleteSelectMultiple(db_field, self.admin_site),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class _ServedFile:
    """A stored file as the admin's file widget shows it: its name, linked to the view that
    serves it (nothing serves MEDIA_URL, so the storage's own URL would be a dead link)."""

    def __init__(self, file, url: str) -> None:
        self.file = file
        self.url = url

    def __str__(self) -> str:
        return PurePosixPath(self.file.name).name


class ServedFileInput(forms.ClearableFileInput):
    def __init__(self, url: str, attrs=None) -> None:
        super().__init__(attrs)
        self.url = url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.is_initial(value):
            context["widget"]["value"] = _ServedFile(value, self.url)
        return context


class ServedFilesMixin:
    """`served_files = {"field": lambda obj: url}`: the change form's "Huidig" link of each
    file field opens the file through the site's own view (editors may see drafts there)."""

    served_files: dict = {}

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)  # a new class per call
        for name, url_of in self.served_files.items():
            if obj is not None and getattr(obj, name) and name in form.base_fields:
                form.base_fields[name].widget = ServedFileInput(url_of(obj))
        return form


class PublishableAdminMixin:
    """Status in the list, and publish/unpublish as bulk actions."""

    actions = ["publish", "unpublish"]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # Authors, questions and affiliations are saved after the object: index it again.
        search.index(form.instance)

    @admin.action(description=_("Geselecteerde items publiceren"), permissions=["change"])
    def publish(self, request, queryset):
        count = 0
        for item in queryset:
            history.keep_first_state(item)
            item.status = Publishable.Status.PUBLISHED
            with history.revision(user=request.user, comment=gettext("Gepubliceerd.")):
                item.save()
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d item gepubliceerd.", "%(count)d items gepubliceerd.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Publicatie van geselecteerde items intrekken"), permissions=["change"]
    )
    def unpublish(self, request, queryset):
        # One save per item, not queryset.update(): `updated` moves and models can react
        # (a publication leaves an OAI-PMH tombstone).
        count = 0
        for item in queryset:
            history.keep_first_state(item)
            item.status = Publishable.Status.DRAFT
            with history.revision(user=request.user, comment=gettext("Teruggezet naar concept.")):
                item.save()
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d item teruggezet naar concept.",
                "%(count)d items teruggezet naar concept.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


class HistoryAdmin(VersionAdmin):
    """Keeps every save made here as a version: who, when and which fields changed (the
    admin's change message), with revert to any version and recovery of deleted items.

    The model registers its followed children with `history.register` (see its admin module)
    before the admin class is defined; otherwise reversion would guess them from the inlines.
    """

    history_latest_first = True
    object_history_template = "admin/history/object_history.html"

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._keep_change_message(entry)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._keep_change_message(entry)
        return entry

    def _keep_change_message(self, entry) -> None:
        # The structured message, not reversion's rendered text: the history page then shows
        # it in the reader's language ("Titel en Inhoud gewijzigd.").
        if reversion.is_active() and entry.change_message:
            reversion.set_comment(entry.change_message)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            self._keep_state_before_first_edit(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def _keep_state_before_first_edit(self, request, object_id) -> None:
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.has_change_permission(request, obj):
            history.keep_first_state(obj)

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        context = getattr(response, "context_data", None) or {}
        if "action_list" in context:
            changes = history.changes_by_revision(self.model, unquote(object_id))
            for action in context["action_list"]:
                action["changes"] = changes.get(action["revision"].pk, [])
        return response

    def changelist_view(self, request, extra_context=None):
        # Not inside one revision for the whole list, as reversion does: reverting a revision
        # reverts every item in it. Actions keep one revision per item (publish, unpublish,
        # delete_queryset).
        context = {"has_change_permission": self.has_change_permission(request)}
        return super(VersionAdmin, self).changelist_view(
            request, {**context, **(extra_context or {})}
        )

    def delete_model(self, request, obj) -> None:
        self._keep_before_deleting(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        # Atomic, unlike the delete action itself: no "deleted" version of what stays.
        with transaction.atomic(using=queryset.db):
            for obj in queryset:
                self._keep_before_deleting(request, obj)
            super().delete_queryset(request, queryset)

    def _keep_before_deleting(self, request, obj) -> None:
        """The last state, with children and themes, is what "recover deleted" restores, even
        for an item that never had a version."""
        history.snapshot(obj, user=request.user, comment=gettext("Verwijderd."))

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Reversion's revert deletes the children added since the version (a session people
        # registered for, a participation). Editors lose nothing: they remove those themselves.
        obj = self.get_object(request, unquote(object_id))
        version = Version.objects.filter(pk=version_id, object_id=unquote(object_id)).first()
        newer = history.added_since(obj, version.revision) if obj and version else []
        if newer:
            self.message_user(
                request,
                gettext(
                    "Deze versie is niet teruggezet: dat zou verwijderen wat sindsdien is "
                    "toegevoegd (%(items)s). Verwijder dat eerst zelf als dat de bedoeling "
                    "is, en zet de versie daarna terug."
                )
                % {"items": "; ".join(str(child) for child in newer)},
                messages.ERROR,
            )
            opts = self.model._meta
            return redirect(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history",
                object_id,
            )
        return super().revision_view(request, object_id, version_id, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        context = extra_context or {}
        if (context.get("revert") or context.get("recover")) and object_id is not None:
            # Reversion has just written the old version back, inside its transaction.
            obj = self.model._base_manager.filter(pk=unquote(object_id)).first()
            if obj is not None:
                self._repair_reverted(request, obj)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _repair_reverted(self, request, obj) -> None:
        gone = history.drop_missing_references(obj)
        history.check_references(obj)
        if gone:
            self.message_user(
                request,
                gettext("Niet teruggezet, want inmiddels verwijderd: %(gone)s.")
                % {"gone": ", ".join(gone)},
                messages.WARNING,
            )


@admin.register(ZeroResultSearch)
class ZeroResultSearchAdmin(admin.ModelAdmin):
    """What visitors looked for without finding anything: a to-do list for content."""

    list_display = ["query", "count", "first_seen", "last_seen"]
    search_fields = ["query"]
    readonly_fields = ["query", "count", "first_seen", "last_seen"]

    def has_add_permission(self, request) -> bool:
        return False
