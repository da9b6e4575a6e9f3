import datetime
from pathlib import PurePosixPath
from urllib.parse import unquote as unquote_url

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten, unquote
from django.contrib.admin.widgets import AdminTextareaWidget, AutocompleteSelectMultiple
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from reversion.admin import VersionAdmin
from reversion.models import Version

from ikpob_portal.kernel import review, search, statistics
from ikpob_portal.kernel.models import (
    OutgoingMail,
    Publishable,
    ReviewRequest,
    SiteSettings,
    Theme,
    ThemeRedirect,
    VisitCount,
    ZeroResultSearch,
)
from ikpob_portal.kernel.templatetags.portal import markdown
from ikpob_portal.kernel.themes import merge_themes
from ikpob_portal.platform import history, images


class ViewOnlyAdminMixin:
    """Rows the site writes itself (counts, evaluations): editors read them, never add,
    change or delete one in the admin."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DutchArticleMixin:
    """The article of the model's Dutch name in the admin's sentences: "Het evenement “…” is
    gewijzigd", "Weet u zeker dat u het thema “…” wilt verwijderen?".

    Django's Dutch messages say "De {name}" for every model. Each admin of a neuter noun
    declares it with one line, `article = "het"`; "de" is the default. Only the Dutch
    interface changes: English has no such article in the name.
    """

    article = "de"

    def _dutch(self) -> bool:
        return (get_language() or "").startswith("nl")

    def message_user(self, request, message, *args, **kwargs) -> None:
        # The project's Dutch catalogue words the save and delete messages as "De <name> …"
        # (ikpob_portal/kernel/translations.py), so only that first word needs to change.
        if self.article != "de" and self._dutch():
            name = escape(self.opts.verbose_name)
            prefix = f"De {name} "
            if message.startswith(prefix):
                rest = message[len(prefix) :]
                new = f"{self.article.capitalize()} {name} "
                message = mark_safe(new + rest) if isinstance(message, SafeString) else new + rest
        super().message_user(request, message, *args, **kwargs)

    def render_delete_form(self, request, context):
        # The delete page's sentences take the name with its article ("Weet u zeker dat u
        # het evenement “…” wilt verwijderen?"); the Dutch catalogue leaves the article out.
        if self._dutch():
            context["object_name"] = f"{self.article} {self.opts.verbose_name}"
        return super().render_delete_form(request, context)


def compact_moment(field_name: str, description, *, time: bool = True):
    """A list column showing a moment as "20-11-2028 10:00" (or a date as "20-11-2028"):
    "20 november 2028 10:00" takes a column's width that a list at 1280 px cannot spare.
    Use as a class attribute: `starts = compact_moment("starts_at", _("begint"))`."""

    @admin.display(description=description, ordering=field_name)
    def column(model_admin, obj) -> str | None:
        value = getattr(obj, field_name)
        if value is None:
            return None  # the admin's empty value
        format_name = "SHORT_DATETIME_FORMAT" if time else "SHORT_DATE_FORMAT"
        return formats.date_format(timezone.localtime(value), format_name)

    return column


class InlinesAfterFieldMixin:
    """`inlines_after = "subtitle"`: the inlines (a publication's authors) come right after
    the fieldset holding that field, instead of below the whole form. Without the field on
    the form they stay at the bottom (admin/change_form_placed_inlines.html)."""

    inlines_after = ""
    change_form_template = "admin/change_form_placed_inlines.html"

    def render_change_form(self, request, context, *args, **kwargs):
        fieldsets = context["adminform"].fieldsets
        context["inlines_after_fieldset"] = next(
            (
                number
                for number, (_name, options) in enumerate(fieldsets, start=1)
                if self.inlines_after in flatten(options["fields"])
            ),
            None,
        )
        return super().render_change_form(request, context, *args, **kwargs)


class NumberedInlineForm(forms.ModelForm):
    """A row of a numbered inline: its number may be left blank, and the number filled in
    for a new row does not count as the editor having started that row."""

    number_field = "position"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields[self.number_field]
        field.required = False
        field.widget.attrs["data-numbered"] = ""  # js/admin/numbered-rows.js

    def has_changed(self) -> bool:
        if self.instance.pk is None:
            return any(name != self.number_field for name in self.changed_data)
        return super().has_changed()


class NumberedInlineFormSet(forms.BaseInlineFormSet):
    """Rows in an order editors number (authors): an empty row is offered with the next
    number, and a row saved with its number blank, or a new row below others left at 0 (the
    model's default), gets the next number after the highest one given, in the order the
    rows stand. A first row numbered 0 keeps it: some editors count from 0."""

    def _highest_saved(self) -> int:
        field = self.form.number_field
        return max((getattr(row, field) or 0 for row in self.get_queryset()), default=0)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index >= self.initial_form_count():
            number = self._highest_saved() + index - self.initial_form_count() + 1
            kwargs["initial"] = {**kwargs.get("initial", {}), self.form.number_field: number}
        return kwargs

    def clean(self) -> None:
        super().clean()
        field = self.form.number_field
        rows = [
            form
            for form in self.forms
            if hasattr(form, "cleaned_data")
            and not self._should_delete_form(form)
            and (form.instance.pk is not None or form.has_changed())
        ]
        unnumbered = [
            form
            for place, form in enumerate(rows)
            if form.cleaned_data.get(field) is None
            or (form.instance.pk is None and form.cleaned_data.get(field) == 0 and place > 0)
        ]
        numbers = [form.cleaned_data[field] for form in rows if form not in unnumbered]
        for offset, form in enumerate(unnumbered, start=1):
            number = max(numbers, default=0) + offset
            form.cleaned_data[field] = number
            setattr(form.instance, field, number)


class MarkdownTextarea(AdminTextareaWidget):
    """A Markdown text with a "Voorbeeld tonen" button: the preview is the HTML the public page
    shows, rendered by the site's own `markdown` filter (same sanitising), fetched from a
    staff-only endpoint with the form's CSRF token (js/admin/markdown-preview.js; no inline
    script, as the Content-Security-Policy demands). `top_level` is the filter's argument on
    the public page (`|markdown:3` under an h2)."""

    template_name = "admin/widgets/markdown_textarea.html"

    class Media:
        js = ["js/admin/markdown-preview.js"]
        css = {"all": ["css/admin/markdown-preview.css"]}

    def __init__(self, attrs=None, top_level: int = 2) -> None:
        super().__init__({"rows": 16, **(attrs or {})})  # the admin's wide text field
        self.top_level = top_level

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["preview_url"] = reverse("admin:markdown_preview")
        context["widget"]["top_level"] = self.top_level
        return context


class MarkdownPreviewMixin:
    """`markdown_fields = {"body": 3}`: those text fields get the Markdown preview, with the
    heading level the public page gives them (see `MarkdownTextarea`)."""

    markdown_fields: dict[str, int] = {}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.markdown_fields:
            kwargs["widget"] = MarkdownTextarea(top_level=self.markdown_fields[db_field.name])
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@require_POST
def markdown_preview(request):
    """The HTML of a Markdown text as the public page renders it (for `MarkdownTextarea`).
    Wired into the admin site, which keeps it to staff and checks the CSRF token."""
    text = request.POST.get("text", "")
    if len(text) > MAX_PREVIEW_LENGTH:
        return JsonResponse(
            {"error": gettext("Deze tekst is te lang voor een voorbeeld.")}, status=400
        )
    try:
        top_level = min(6, max(2, int(request.POST.get("top_level", 2))))
    except ValueError:
        top_level = 2
    return JsonResponse({"html": str(markdown(text, top_level))})


MAX_PREVIEW_LENGTH = 200_000


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
class ThemeAdmin(DutchArticleMixin, admin.ModelAdmin):
    article = "het"
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
class ThemeRedirectAdmin(DutchArticleMixin, admin.ModelAdmin):
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


class ImageAdminMixin(ServedFilesMixin):
    """The image of a `CoverImage` model (or `image_field = "logo"`) in the admin: a preview
    as the public pages show it, and the current file linked to its rendition (nothing serves
    the upload itself). Put `image_fieldset()` in its fieldsets."""

    image_field = "image"
    # Small in the form: the preview is for recognising the image, not for judging detail.
    PREVIEW_WIDTH = 240

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "image_preview"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        field = self.image_field
        if obj is not None and getattr(obj, field) and field in form.base_fields:
            url = images.rendition_url(obj, 1200, field)
            if url and field not in self.served_files:
                form.base_fields[field].widget = ServedFileInput(url)
        return form

    @admin.display(description=_("voorbeeld"))
    def image_preview(self, obj) -> str:
        info = images.fallback_rendition(obj, self.PREVIEW_WIDTH, self.image_field)
        if info is None:
            return "–"
        width = min(self.PREVIEW_WIDTH, info.width)
        # The alt text is the field right beside it: the preview itself adds nothing to read.
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="">',
            info.url,
            width,
            round(info.height * width / info.width),
        )


def image_fieldset(field: str = "image", title=None) -> tuple:
    """The "Afbeelding" fieldset of an `ImageAdminMixin` admin: file, preview, alt text and,
    for a cover image, "alleen decoratief"."""
    fields = [field, "image_preview", f"{field}_alt"]
    if field == "image":
        fields.append("image_decorative")
    return (title or _("Afbeelding"), {"fields": fields})


# The buttons of the review step (`admin/submit_line.html`), by the name they post.
SUBMIT_FOR_REVIEW = "_submit_for_review"
APPROVE = "_approve"
SEND_BACK = "_send_back"
REVIEW_ACTIONS = (SUBMIT_FOR_REVIEW, APPROVE, SEND_BACK)
REVIEW_FIELDS = ("review_state", "review_remark")


def _review_action(request) -> str | None:
    if request.method != "POST":
        return None
    return next((name for name in REVIEW_ACTIONS if name in request.POST), None)


def review_form(base_form: type[forms.ModelForm], *, request, obj) -> type[forms.ModelForm]:
    """The item's form with the review rules, refused on the server whatever was posted."""
    user = request.user
    was_published = obj is not None and obj.status == Publishable.Status.PUBLISHED
    request_open = review.open_request(obj) if obj is not None else None
    action = _review_action(request)

    class ReviewForm(base_form):
        review_remark = forms.CharField(
            label=_("Opmerking bij terugsturen"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_(
                "Verplicht bij 'Terugsturen': wat moet de redacteur nog doen? De opmerking "
                "staat bij het item en in de geschiedenis, en gaat per e-mail naar wie het "
                "aanbood."
            ),
        )

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            if "status" in self.fields and not review.may_review(user):
                self.fields["status"].help_text = _(
                    "Publiceren gaat via de hoofdredactie: laat het item op 'Concept' staan "
                    "en klik op 'Ter beoordeling aanbieden'."
                )

        def clean(self):
            cleaned_data = super().clean()
            publishing = cleaned_data.get("status") == Publishable.Status.PUBLISHED
            if action == SUBMIT_FOR_REVIEW and (publishing or was_published):
                self.add_error(
                    "status" if "status" in self.fields else None,
                    _(
                        "Alleen een concept kan ter beoordeling worden aangeboden: zet de "
                        "status op 'Concept'."
                    ),
                )
            elif publishing and not was_published and not review.may_review(user):
                self.add_error(
                    "status" if "status" in self.fields else None,
                    _(
                        "U kunt dit item niet zelf publiceren of inplannen: publiceren gaat "
                        "via de hoofdredactie. Zet de status op 'Concept' en klik op 'Ter "
                        "beoordeling aanbieden'."
                    ),
                )
            elif action in (APPROVE, SEND_BACK) or (publishing and request_open is not None):
                self._check_decision(cleaned_data)
            return cleaned_data

        def _check_decision(self, cleaned_data) -> None:
            if not review.may_review(user):
                self.add_error(None, _("Alleen de hoofdredactie beoordeelt ingediende items."))
            elif request_open is None:
                self.add_error(None, _("Dit item staat niet (meer) ter beoordeling."))
            elif request_open.submitted_by_id == user.pk:
                self.add_error(
                    None,
                    _(
                        "U hebt dit item zelf ter beoordeling aangeboden. Een ander lid van "
                        "de hoofdredactie beoordeelt het (vier ogen)."
                    ),
                )
            elif action == SEND_BACK and not cleaned_data.get("review_remark", "").strip():
                self.add_error(
                    "review_remark",
                    _("Schrijf bij het terugsturen op wat er nog moet gebeuren."),
                )

    return ReviewForm


STATISTICS_FIELD = "statistics_panel"


class StatisticsAdminMixin:
    """On the change page of a public item, a read-only panel with its views and downloads
    per month (`statistics_panel`; `ikpob_portal.kernel.statistics`). Every public kind gets
    it through `PublishableAdminMixin`."""

    def statistics_paths(self, obj) -> dict[str, list[str]]:
        """The addresses counted for `obj`: its page in every language (views) and the files
        the admin serves for it (`served_files`, downloads), decoded as requests see them."""
        paths: dict[str, list[str]] = {statistics.VIEW: [], statistics.DOWNLOAD: []}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                paths[statistics.VIEW].append(unquote_url(obj.get_absolute_url()))
                for url_of in getattr(self, "served_files", {}).values():
                    paths[statistics.DOWNLOAD].append(unquote_url(url_of(obj)))
        return paths

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        # Without explicit fieldsets Django lists the read-only fields in the first one.
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != STATISTICS_FIELD]})
            for name, options in fieldsets
        ]
        if obj is None or not obj.pk:
            return fieldsets
        return [*fieldsets, (_("Statistieken"), {"fields": [STATISTICS_FIELD]})]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if obj is None else [*fields, STATISTICS_FIELD]

    @admin.display(description=_("Weergaven en downloads"))
    def statistics_panel(self, obj) -> str:
        # What this process counted but has not written yet, so an editor who just looked
        # sees it; other processes write theirs within STATISTICS_FLUSH_SECONDS.
        statistics.flush()
        paths = self.statistics_paths(obj)
        return render_to_string(
            "admin/statistics/panel.html",
            {
                "stats": statistics.per_month(paths),
                "downloads": bool(paths[statistics.DOWNLOAD]),
                "overview_url": reverse("admin:ikpob_portal_visitcount_changelist"),
            },
        )


class PublishableAdminMixin(StatisticsAdminMixin):
    """Status in the list, publish/unpublish as bulk actions, and review before publishing
    when the site settings ask for it (`ikpob_portal.kernel.review`)."""

    actions = ["publish", "unpublish"]

    def get_form(self, request, obj=None, **kwargs):
        if review.review_required():
            kwargs["form"] = review_form(kwargs.get("form", self.form), request=request, obj=obj)
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": _without_review_fields(options["fields"])})
            for name, options in super().get_fieldsets(request, obj)
        ]
        shown = self._review_fields_shown(request, obj)
        if shown:
            fieldsets.insert(0, (_("Beoordeling"), {"fields": shown}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self._review_fields_shown(request, obj):
            readonly.append("review_state")
        return readonly

    def _review_fields_shown(self, request, obj) -> list[str]:
        """The review section: where the item stands (submitted, or sent back with the
        remark), and for a reviewer of someone else's submission the remark field."""
        if obj is None or obj.pk is None:
            return []
        latest = review.latest_request(obj)
        if latest is None or latest.state == ReviewRequest.State.APPROVED:
            return []
        if latest.state == ReviewRequest.State.RETURNED and obj.status != Publishable.Status.DRAFT:
            return []
        if (
            latest.state == ReviewRequest.State.OPEN
            and review.review_required()
            and review.may_review(request.user)
            and latest.submitted_by_id != request.user.pk
        ):
            return ["review_state", "review_remark"]
        return ["review_state"]

    @admin.display(description=_("Stand"))
    def review_state(self, obj) -> str:
        latest = review.latest_request(obj)
        if latest is None:
            return "—"
        if latest.state == ReviewRequest.State.OPEN:
            return gettext("Ter beoordeling aangeboden door %(name)s op %(moment)s.") % {
                "name": review.display_name(latest.submitted_by),
                "moment": _local(latest.submitted_at),
            }
        return format_html(
            "{}<br><q>{}</q>",
            gettext("Teruggestuurd door %(name)s op %(moment)s:")
            % {"name": review.display_name(latest.decided_by), "moment": _local(latest.decided_at)},
            latest.remark,
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["review_buttons"] = self._review_buttons(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _review_buttons(self, request, obj) -> list[tuple[str, str]]:
        """(name, label) of the review buttons beside "Opslaan"."""
        if not review.review_required():
            return []
        if obj is not None and obj.status == Publishable.Status.PUBLISHED:
            return []
        request_open = review.open_request(obj) if obj is not None else None
        if request_open is None:
            return [(SUBMIT_FOR_REVIEW, gettext("Ter beoordeling aanbieden"))]
        if review.may_review(request.user) and request_open.submitted_by_id != request.user.pk:
            return [
                (APPROVE, gettext("Goedkeuren en publiceren")),
                (SEND_BACK, gettext("Terugsturen")),
            ]
        return []

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # Authors, questions and affiliations are saved after the object: index it again.
        search.index(form.instance)
        if review.review_required():
            self._take_review_step(request, form)

    def _take_review_step(self, request, form) -> None:
        """After the form and its inlines are saved: the step the button asked for. The
        form's `clean` has checked it may happen; the note goes into this save's history."""
        item, user = form.instance, request.user
        action = _review_action(request)
        if action == SUBMIT_FOR_REVIEW:
            already_open = review.open_request(item) is not None
            review.submit(item, user=user)
            if not already_open:
                request.review_note = gettext("Ter beoordeling aangeboden door %(name)s.") % {
                    "name": review.display_name(user)
                }
            self.message_user(
                request,
                gettext(
                    "'%(title)s' is ter beoordeling aangeboden. De hoofdredactie ziet het in "
                    "'Te beoordelen'."
                )
                % {"title": item},
                messages.SUCCESS,
            )
        elif action == SEND_BACK:
            remark = form.cleaned_data["review_remark"]
            review.send_back(item, user=user, remark=remark)
            request.review_note = review.return_note(user, remark)
            self.message_user(
                request,
                gettext("'%(title)s' is teruggestuurd met uw opmerking.") % {"title": item},
                messages.SUCCESS,
            )
        elif action == APPROVE or (
            item.status == Publishable.Status.PUBLISHED and review.open_request(item) is not None
        ):
            review.approve(item, user=user)
            item.refresh_from_db()
            request.review_note = review.approval_note(user)
            self.message_user(
                request,
                gettext("'%(title)s' is goedgekeurd en gepubliceerd.") % {"title": item},
                messages.SUCCESS,
            )

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._add_review_note(request, entry)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._add_review_note(request, entry)
        return entry

    def _add_review_note(self, request, entry) -> None:
        """The admin's save and the review step are one version in the history: its comment
        says what changed and who submitted, approved or sent back."""
        note = getattr(request, "review_note", None)
        if not note or not reversion.is_active():
            return
        changed = entry.get_change_message() if entry.change_message not in ("", "[]") else ""
        reversion.set_comment(f"{changed}\n{note}" if changed else note)

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        if not review.may_publish(request.user):
            actions.pop("publish", None)
        return actions

    @admin.action(description=_("Geselecteerde items publiceren"), permissions=["change"])
    def publish(self, request, queryset):
        if not review.may_publish(request.user):
            self.message_user(
                request,
                gettext(
                    "U kunt niet zelf publiceren: publiceren gaat via de hoofdredactie. Bied "
                    "de items ter beoordeling aan."
                ),
                messages.ERROR,
            )
            return
        count = 0
        for item in queryset:
            if review.review_required() and review.open_request(item) is not None:
                # Under review: publishing is approving, with its four-eyes rule.
                try:
                    review.approve(item, user=request.user)
                except review.ReviewError as error:
                    self.message_user(request, f"{item}: {error}", messages.ERROR)
                    continue
                count += 1
                continue
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

    def revision_view(self, request, object_id, version_id, extra_context=None):
        refused = self._refuse_publishing_version(request, object_id, version_id)
        return refused or super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        refused = self._refuse_publishing_version(request, None, version_id)
        return refused or super().recover_view(request, version_id, extra_context)

    def _refuse_publishing_version(self, request, object_id, version_id):
        """Reverting to (or recovering) a published version publishes: not without review."""
        if review.may_publish(request.user):
            return None
        version = Version.objects.filter(pk=version_id).first()
        if version is None or version.field_dict.get("status") != Publishable.Status.PUBLISHED:
            return None
        current = self.model._base_manager.filter(pk=version.object_id).first()
        if current is not None and current.status == Publishable.Status.PUBLISHED:
            return None
        self.message_user(
            request,
            gettext(
                "Deze versie is gepubliceerd; terugzetten zou het item publiceren. Publiceren "
                "gaat via de hoofdredactie: zet de versie terug als concept door haar over te "
                "nemen, of vraag de hoofdredactie."
            ),
            messages.ERROR,
        )
        opts = self.model._meta
        if object_id is None:
            return redirect(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist")
        return redirect(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history", object_id
        )


def _without_review_fields(fields) -> list:
    return [field for field in fields if field not in REVIEW_FIELDS]


def _local(moment) -> str:
    return formats.localize(timezone.template_localtime(moment)) if moment else "—"


class HistoryAdmin(DutchArticleMixin, VersionAdmin):
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
class ZeroResultSearchAdmin(DutchArticleMixin, admin.ModelAdmin):
    """What visitors looked for without finding anything: a to-do list for content."""

    list_display = ["query", "count", "first_seen", "last_seen"]
    search_fields = ["query"]
    readonly_fields = ["query", "count", "first_seen", "last_seen"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """The outbox, read-only: mainly to see which mails could not be delivered ("niet te
    bezorgen", kernel/outbox.py) and why. The address is not in the row; the object it is
    about (a registration, an invitation) has it."""

    list_display = ["kind", "about", "created", "outcome", "failure", "attempts", "last_error"]
    list_filter = ["outcome", "failure", "kind"]
    date_hierarchy = "created_at"
    fields = [
        "kind", "object_id", "created_at", "done_at", "outcome", "failure", "attempts",
        "last_error",
    ]  # fmt: skip
    readonly_fields = fields
    created = compact_moment("created_at", _("aangemaakt"))

    @admin.display(description=_("gaat over"), ordering="object_id")
    def about(self, mail: OutgoingMail) -> str:
        return f"#{mail.object_id}"


@admin.register(SiteSettings)
class SiteSettingsAdmin(DutchArticleMixin, admin.ModelAdmin):
    """One row: the change list goes straight to it, and it cannot be added or deleted."""

    fields = ["review_before_publishing"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        site_settings = SiteSettings.current()
        if site_settings._state.adding:
            site_settings.save()
        opts = self.model._meta
        return redirect(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", site_settings.pk
        )


class SendBackForm(forms.Form):
    remark = forms.CharField(
        label=_("Opmerking voor de redacteur"),
        widget=forms.Textarea(attrs={"rows": 4, "aria-describedby": "remark-error"}),
        error_messages={"required": _("Schrijf bij het terugsturen op wat er nog moet gebeuren.")},
    )

    def clean_remark(self) -> str:
        remark = self.cleaned_data["remark"].strip()
        if not remark:
            raise forms.ValidationError(
                _("Schrijf bij het terugsturen op wat er nog moet gebeuren.")
            )
        return remark


@admin.register(ReviewRequest)
class ReviewRequestAdmin(DutchArticleMixin, admin.ModelAdmin):
    """ "Te beoordelen": the open review requests of the kinds the user may see. Reviewers
    approve from here or open the item to look at it and send it back with a remark."""

    article = "het"  # het beoordelingsverzoek

    list_display = ["item_link", "kind", "submitted_by_name", "submitted_at"]
    list_display_links = None
    list_select_related = ["content_type", "submitted_by"]
    search_fields = ["title"]
    actions = ["approve_selected", "send_back_selected"]

    def get_queryset(self, request):
        visible = review.open_requests_visible_to(request.user)
        return super().get_queryset(request).filter(pk__in=visible.values("pk"))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # decided on the item's own page or with the action, never edited

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_review_permission(self, request) -> bool:
        return review.may_review(request.user)

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, {"title": gettext("Te beoordelen"), **(extra_context or {})}
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A request's own page has nothing to add: go to the item.
        review_request = self.get_object(request, unquote(object_id))
        url = review.admin_change_url(review_request) if review_request else None
        if url is None:
            return super().change_view(request, object_id, form_url, extra_context)
        return redirect(url)

    @admin.display(description=_("titel"), ordering="title")
    def item_link(self, review_request: ReviewRequest) -> str:
        url = review.admin_change_url(review_request)
        if url is None:
            return review_request.title
        return format_html('<a href="{}">{}</a>', url, review_request.title)

    @admin.display(description=_("soort"), ordering="content_type__model")
    def kind(self, review_request: ReviewRequest) -> str:
        model = review_request.content_type.model_class()
        return capfirst(model._meta.verbose_name) if model is not None else "—"

    @admin.display(description=_("aangeboden door"), ordering="submitted_by__username")
    def submitted_by_name(self, review_request: ReviewRequest) -> str:
        return review.display_name(review_request.submitted_by)

    @admin.action(
        description=_("Geselecteerde items goedkeuren en publiceren"), permissions=["review"]
    )
    def approve_selected(self, request, queryset):
        approved = 0
        for review_request in queryset.select_related("content_type"):
            model = review_request.content_type.model_class()
            item = (
                model._base_manager.filter(pk=review_request.object_id).first() if model else None
            )
            if item is None:
                continue
            try:
                review.approve(item, user=request.user)
            except review.ReviewError as error:
                self.message_user(request, f"{review_request.title}: {error}", messages.ERROR)
                continue
            approved += 1
        if approved:
            self.message_user(
                request,
                ngettext(
                    "%(count)d item goedgekeurd en gepubliceerd.",
                    "%(count)d items goedgekeurd en gepubliceerd.",
                    approved,
                )
                % {"count": approved},
                messages.SUCCESS,
            )

    @admin.action(description=_("Geselecteerde items terugsturen"), permissions=["review"])
    def send_back_selected(self, request, queryset):
        form = SendBackForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(
                request,
                "admin/ikpob_portal/reviewrequest/send_back.html",
                {
                    **self.admin_site.each_context(request),
                    "title": gettext("Terugsturen"),
                    "review_requests": queryset,
                    "form": form,
                    "opts": self.model._meta,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        returned = 0
        for review_request, item in self._items(queryset):
            try:
                review.send_back(item, user=request.user, remark=form.cleaned_data["remark"])
            except review.ReviewError as error:
                self.message_user(request, f"{review_request.title}: {error}", messages.ERROR)
                continue
            returned += 1
        if returned:
            self.message_user(
                request,
                ngettext(
                    "%(count)d item teruggestuurd.", "%(count)d items teruggestuurd.", returned
                )
                % {"count": returned},
                messages.SUCCESS,
            )
        return None

    def _items(self, queryset):
        """(request, item) for each chosen request whose item still exists."""
        for review_request in queryset.select_related("content_type"):
            model = review_request.content_type.model_class()
            items = model._base_manager.filter(pk=review_request.object_id) if model else None
            item = items.first() if items is not None else None
            if item is not None:
                yield review_request, item


# Statistics: the monthly overview ----------------------------------------------------------

TOP_ITEMS = 20


def _items_by_path(admin_site, paths: set[str]) -> dict:
    """The item each path belongs to, for the kinds with statistics (other paths left out)."""
    slugs = {part for address in paths for part in address.split("/") if part}
    found: dict = {}
    for model, model_admin in admin_site._registry.items():
        if not isinstance(model_admin, StatisticsAdminMixin):
            continue
        try:
            model._meta.get_field("slug")
        except FieldDoesNotExist:
            continue
        # Every item, published or not: an item withdrawn since keeps its counts.
        for item in model._default_manager.filter(slug__in=slugs):
            for item_paths in model_admin.statistics_paths(item).values():
                for address in item_paths:
                    if address in paths:
                        found[address] = item
    return found


def _ranked(admin_site, counts: list[tuple[str, int]]) -> list[dict]:
    """The paths as items (Dutch and English pages added up) or as plain addresses."""
    items = _items_by_path(admin_site, {address for address, _count in counts})
    rows: dict[object, dict] = {}
    for address, count in counts:
        if address in items:
            item = items[address]
            key = (type(item), item.pk)
            if key not in rows:
                opts = item._meta
                rows[key] = {
                    "title": str(item),
                    "kind": opts.verbose_name,
                    "change_url": reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.pk]
                    ),
                    "public_url": item.get_absolute_url(),
                    "count": 0,
                }
        else:
            key = address
            rows[key] = {"title": address, "kind": "", "public_url": address, "count": 0}
        rows[key]["count"] += count
    ranked = sorted(rows.values(), key=lambda row: (-row["count"], row["title"]))
    return ranked[:TOP_ITEMS]


def _chosen_month(value: str, months: list[datetime.date]) -> datetime.date:
    try:
        chosen = datetime.datetime.strptime(value, "%Y-%m").date()  # noqa: DTZ007 (a day)
    except ValueError:
        return months[0]
    return chosen if chosen in months else months[0]


@admin.register(VisitCount)
class VisitCountAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """The monthly overview instead of a list of rows: totals and the most viewed and
    downloaded items of a month, with a month picker. Counts are written by the site itself."""

    overview_template = "admin/ikpob_portal/visitcount/overview.html"

    def get_urls(self):
        # Only the overview: a single row (month, address, number) tells an editor nothing.
        return [
            path(
                "",
                self.admin_site.admin_view(self.changelist_view),
                name="ikpob_portal_visitcount_changelist",
            )
        ]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        statistics.flush()
        months = statistics.counted_months()
        month = _chosen_month(request.GET.get("maand", ""), months)
        page_views = statistics.top_paths(month, statistics.VIEW, limit=TOP_ITEMS * 3)
        downloads = statistics.top_paths(month, statistics.DOWNLOAD, limit=TOP_ITEMS * 3)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Statistieken"),
            "opts": self.model._meta,
            "months": months,
            "month": month,
            "totals": statistics.month_totals(month),
            "rankings": [
                {
                    "caption": _("Meest bekeken"),
                    "column": _("Weergaven"),
                    "rows": _ranked(self.admin_site, page_views),
                },
                {
                    "caption": _("Meest gedownload"),
                    "column": _("Downloads"),
                    "rows": _ranked(self.admin_site, downloads),
                },
            ],
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.overview_template, context)
