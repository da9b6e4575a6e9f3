from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ikpob_portal.kernel.admin import (
    DutchArticleMixin,
    HistoryAdmin,
    MarkdownPreviewMixin,
    PublishableAdminMixin,
    ThemesAutocompleteMixin,
)
from ikpob_portal.platform import history
from learning_circles.models import (
    Contact,
    JoinRequest,
    LearningCircle,
    Meeting,
    Participation,
    Phase,
    ResearchQuestion,
)


class ResearchQuestionInline(admin.TabularInline):
    model = ResearchQuestion
    extra = 1
    fields = ["position", "text"]


class ParticipationFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        leads = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("role") == Participation.Role.LEAD
        ]
        if len(leads) > 1:
            raise forms.ValidationError(_("Een leerkring heeft één trekker."))


class ParticipationInline(admin.TabularInline):
    model = Participation
    formset = ParticipationFormSet
    extra = 1
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "since"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 1
    autocomplete_fields = ["person"]
    fields = ["person", "role", "position"]


class MeetingInline(admin.StackedInline):
    model = Meeting
    extra = 0
    fields = [("title", "starts_at"), ("location", "online_url"), "summary"]


class PhaseListFilter(admin.SimpleListFilter):
    title = _("fase")
    parameter_name = "fase"

    def lookups(self, request, model_admin):
        return Phase.choices

    def queryset(self, request, queryset):
        if self.value() in Phase.values:
            return queryset.with_phase().filter(current_phase=self.value())
        return queryset


history.register(LearningCircle, follow=("questions", "participations", "contacts", "meetings"))


@admin.register(LearningCircle)
class LearningCircleAdmin(
    MarkdownPreviewMixin, PublishableAdminMixin, ThemesAutocompleteMixin, HistoryAdmin
):
    markdown_fields = {"description": 2}
    list_display = [
        "title",
        "phase_label",
        "start_date",
        "end_date",
        "status",
        "open_join_requests",
    ]
    list_filter = ["status", PhaseListFilter, "themes"]
    search_fields = ["title", "summary", "participations__organisation__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["outcome_publications"]
    inlines = [ResearchQuestionInline, ParticipationInline, ContactInline, MeetingInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "description", "themes"]}),
        (
            _("Looptijd"),
            {"fields": [("start_date", "end_date"), "phase_override", "accepts_join_requests"]},
        ),
        (_("Opbrengsten"), {"fields": ["outcome_publications"]}),
        (_("Publiceren"), {"fields": ["status", "published_at"]}),
    ]

    @admin.display(description=_("fase"))
    def phase_label(self, circle: LearningCircle) -> str:
        return circle.phase_label

    def get_queryset(self, request):
        open_statuses = [JoinRequest.Status.NEW, JoinRequest.Status.CONTACTED]
        return (
            super()
            .get_queryset(request)
            .with_phase()
            .annotate(
                open_requests=Count(
                    "join_requests", filter=Q(join_requests__status__in=open_statuses)
                )
            )
        )

    @admin.display(description=_("open aanmeldingen"), ordering="open_requests")
    def open_join_requests(self, circle: LearningCircle) -> int:
        return circle.open_requests


@admin.register(JoinRequest)
class JoinRequestAdmin(DutchArticleMixin, admin.ModelAdmin):
    list_display = ["name", "organisation_name", "circle", "status", "created"]
    list_filter = ["status", "circle"]
    search_fields = ["name", "organisation_name", "email"]
    date_hierarchy = "created"
    readonly_fields = [
        "circle",
        "organisation_name",
        "name",
        "email",
        "motivation",
        "consent_at",
        "created",
    ]
    fields = [*readonly_fields[:5], "consent_at", "status", "notes", "created"]
    actions = ["mark_contacted"]
    list_select_related = ["circle"]

    def has_add_permission(self, request) -> bool:
        return False  # requests come from the public form

    @admin.action(description=_("Markeren als: contact opgenomen"), permissions=["change"])
    def mark_contacted(self, request, queryset):
        count = queryset.update(status=JoinRequest.Status.CONTACTED)
        self.message_user(
            request,
            ngettext(
                "%(count)d aanmelding gemarkeerd als: contact opgenomen.",
                "%(count)d aanmeldingen gemarkeerd als: contact opgenomen.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
