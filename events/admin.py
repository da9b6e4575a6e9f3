from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from events import mails, services
from events.forms import AttendeeMessageForm
from events.models import Event, Registration, Session
from ikpob_portal.kernel.admin import HistoryAdmin, PublishableAdminMixin, ThemesAutocompleteMixin
from ikpob_portal.kernel.csv_export import csv_response
from ikpob_portal.platform import history


class SessionFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        """A session that people chose is not deleted: they would silently lose their place."""
        super().clean()
        for form in self.deleted_forms:
            session = form.instance
            if session.pk and session.registrations.filter(cancelled_at__isnull=True).exists():
                raise ValidationError(
                    gettext(
                        "De sessie ‘%(session)s’ kan niet worden verwijderd: er zijn deelnemers "
                        "voor aangemeld. Annuleer of verplaats hun aanmeldingen eerst."
                    )
                    % {"session": session.title}
                )


class SessionInline(admin.TabularInline):
    model = Session
    formset = SessionFormSet
    extra = 0
    fields = ["slot", "title", "starts_at", "ends_at", "capacity"]


# Registrations are personal data with their own rules (purge): never kept in versions.
history.register(Event, follow=("sessions",))


@admin.register(Event)
class EventAdmin(PublishableAdminMixin, ThemesAutocompleteMixin, HistoryAdmin):
    list_display = [
        "title",
        "kind",
        "starts_at",
        "status",
        "capacity",
        "confirmed",
        "waiting",
        "cancelled",
        "places_left_display",
    ]
    list_filter = ["status", "kind", "themes", "registration_required"]
    search_fields = ["title", "summary", "venue_name"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["organisers", "speakers", "learning_circle", "publications"]
    inlines = [SessionInline]
    actions = ["publish", "unpublish", "message_attendees", "export_attendees"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "summary", "programme", "themes"]}),
        (
            _("Wanneer en waar"),
            {"fields": [("starts_at", "ends_at"), "venue_name", "venue_address", "online_url"]},
        ),
        (
            _("Aanmelden"),
            {
                "fields": [
                    "registration_required",
                    "capacity",
                    ("registration_opens_at", "registration_closes_at"),
                ]
            },
        ),
        (
            _("Mensen en verbanden"),
            {"fields": ["organisers", "speakers", "learning_circle", "publications"]},
        ),
        (_("Na afloop"), {"fields": ["recording_url", "materials"]}),
        (_("Publiceren"), {"fields": ["status", "published_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                confirmed_total=Count("registrations", filter=Q(registrations__status="confirmed")),
                waiting_total=Count("registrations", filter=Q(registrations__status="waiting")),
                cancelled_total=Count("registrations", filter=Q(registrations__status="cancelled")),
            )
        )

    @admin.display(description=_("bevestigd"), ordering="confirmed_total")
    def confirmed(self, event: Event) -> int:
        return event.confirmed_total

    @admin.display(description=_("wachtlijst"), ordering="waiting_total")
    def waiting(self, event: Event) -> int:
        return event.waiting_total

    @admin.display(description=_("geannuleerd"), ordering="cancelled_total")
    def cancelled(self, event: Event) -> int:
        return event.cancelled_total

    @admin.display(description=_("plaatsen over"))
    def places_left_display(self, event: Event) -> str:
        if event.capacity is None:
            return "∞"
        return str(max(0, event.capacity - event.confirmed_total))

    @admin.action(
        description=_("Bericht sturen aan de bevestigde deelnemers"), permissions=["change"]
    )
    def message_attendees(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Kies precies één evenement."), messages.WARNING)
            return None
        event = queryset.get()
        form = AttendeeMessageForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            sent = mails.message_attendees(
                event, form.cleaned_data["subject"], form.cleaned_data["body"]
            )
            self.message_user(
                request,
                ngettext(
                    "Bericht verstuurd aan %(count)d deelnemer.",
                    "Bericht verstuurd aan %(count)d deelnemers.",
                    sent,
                )
                % {"count": sent},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/events/event/message_attendees.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Bericht aan de deelnemers van %(event)s") % {"event": event.title},
                "event": event,
                "form": form,
                "opts": self.model._meta,
                "recipients": event.registrations.filter(
                    status=Registration.Status.CONFIRMED
                ).count(),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Deelnemerslijst exporteren (CSV)"), permissions=["view"])
    def export_attendees(self, request, queryset):
        registrations = Registration.objects.filter(event__in=queryset)
        return attendees_csv(registrations, filename="deelnemers.csv")


def attendees_csv(registrations, *, filename: str) -> HttpResponse:
    """Names, organisation, status, sessions and needs; for badges, catering and check-in."""
    header = [
        gettext("Evenement"), gettext("Naam"), gettext("E-mailadres"), gettext("Organisatie"),
        gettext("Functie"), gettext("Status"), gettext("Sessies"), gettext("Wensen"),
        gettext("Aangemeld op"), gettext("Aanwezig"),
    ]  # fmt: skip
    rows = (
        registrations.select_related("event")
        .prefetch_related("sessions")
        .order_by("event__starts_at", "status", "name")
    )
    return csv_response(
        filename,
        header,
        (
            [
                registration.event.title,
                registration.name,
                registration.email,
                registration.organisation,
                registration.job_title,
                registration.get_status_display(),
                ", ".join(session.title for session in registration.sessions.all()),
                registration.needs,
                timezone.localtime(registration.created).strftime("%Y-%m-%d %H:%M"),
                gettext("ja") if registration.checked_in_at else "",
            ]
            for registration in rows
        ),
    )


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "event", "status", "created", "checked_in_at"]
    list_filter = ["status", "event", ("checked_in_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "email", "organisation"]
    list_select_related = ["event"]
    date_hierarchy = "created"
    actions = ["check_in", "promote_from_waiting_list", "export_csv"]
    readonly_fields = [
        "event", "status", "name", "email", "organisation", "job_title", "needs", "sessions",
        "consent_at", "created", "confirmed_at", "cancelled_at", "checked_in_at", "anonymised_at",
    ]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False  # registrations go through the public form and its capacity checks

    @admin.action(description=_("Aanwezig melden"), permissions=["change"])
    def check_in(self, request, queryset):
        count = services.check_in(registrations=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d deelnemer aanwezig gemeld.",
                "%(count)d deelnemers aanwezig gemeld.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Van de wachtlijst halen en bevestigen"), permissions=["change"])
    def promote_from_waiting_list(self, request, queryset):
        promoted = 0
        for registration in queryset.filter(status=Registration.Status.WAITING):
            services.promote(registration=registration)
            promoted += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d aanmelding bevestigd.", "%(count)d aanmeldingen bevestigd.", promoted
            )
            % {"count": promoted},
            messages.SUCCESS,
        )

    @admin.action(description=_("Exporteren (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        return attendees_csv(queryset, filename="aanmeldingen.csv")
