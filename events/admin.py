from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from events import abuse, checkin, mails, services
from events.checkin_admin import CheckInAdminMixin, registration_counts
from events.followup_admin import FollowupAdminMixin, evaluation_summary
from events.forms import AttendeeMessageForm
from events.invitation_admin import InvitationAdminMixin, InvitationInline
from events.models import Event, Registration, Session, count_per_row
from ikpob_portal.kernel.admin import (
    DutchArticleMixin,
    HistoryAdmin,
    ImageAdminMixin,
    MarkdownPreviewMixin,
    PublishableAdminMixin,
    ThemesAutocompleteMixin,
    compact_moment,
    image_fieldset,
)
from ikpob_portal.kernel.csv_export import csv_response
from ikpob_portal.platform import history


class SessionFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        """A session that people chose is not deleted: they would silently lose their place
        (or, on the waiting list, the place they wait for)."""
        super().clean()
        for form in self.deleted_forms:
            session = form.instance
            if session.pk and session.registrations.active().exists():
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
class EventAdmin(
    CheckInAdminMixin,
    InvitationAdminMixin,
    FollowupAdminMixin,
    ImageAdminMixin,
    MarkdownPreviewMixin,
    PublishableAdminMixin,
    ThemesAutocompleteMixin,
    HistoryAdmin,
):
    article = "het"
    # Programme and materials under the event page's h2s; the follow-up is a mail of its own.
    markdown_fields = {"programme": 3, "materials": 3, "followup_message": 2}
    # Fits 1280 px: kind and featured are filters; cancellations show on the event's page.
    list_display = [
        "title",
        "starts",
        "status",
        "capacity_display",
        "confirmed",
        "waiting",
        "places_left_display",
    ]
    list_filter = ["status", "featured", "kind", "themes", "registration_required"]
    search_fields = ["title", "summary", "venue_name"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["organisers", "speakers", "learning_circle", "publications"]
    inlines = [SessionInline]
    actions = ["publish", "unpublish", "message_attendees", "export_attendees"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "summary", "programme", "themes"]}),
        image_fieldset(),
        (
            _("Wanneer en waar"),
            {
                "fields": [
                    ("starts_at", "ends_at"),
                    "venue_name",
                    "venue_address",
                    ("online", "online_url"),
                    ("dial_in", "access_code"),
                ]
            },
        ),
        (
            _("Aanmelden"),
            {
                "fields": [
                    "registration_required",
                    "capacity",
                    ("registration_opens_at", "registration_closes_at"),
                    ("access", "group_code"),
                    "confirm_email",
                    "reminder_days",
                ]
            },
        ),
        (
            _("Mensen en verbanden"),
            {"fields": ["organisers", "speakers", "learning_circle", "publications"]},
        ),
        (
            _("Na afloop"),
            {
                "fields": [
                    "recording_url",
                    "materials",
                    "followup_message",
                    "followup_send_at",
                    "evaluation_closes_at",
                    "hours",
                ]
            },
        ),
        (_("Publiceren"), {"fields": ["status", "published_at", "featured"]}),
    ]

    def get_inlines(self, request, obj=None) -> list:
        # Invitations exist only for a saved event (sent from its page), and are read-only.
        return [SessionInline, InvitationInline] if obj is not None else [SessionInline]

    def get_queryset(self, request):
        cancelled = Registration.objects.filter(status=Registration.Status.CANCELLED)
        return (
            super()
            .get_queryset(request)
            .with_counts()
            .annotate(cancelled_count=count_per_row(cancelled, "event"))
        )

    @admin.display(description=_("bevestigd"), ordering="confirmed_count")
    def confirmed(self, event: Event) -> int:
        return event.confirmed_places()

    @admin.display(description=_("wachtlijst"), ordering="waiting_count")
    def waiting(self, event: Event) -> int:
        return event.waiting_count

    @admin.display(description=_("geannuleerd"), ordering="cancelled_count")
    def cancelled(self, event: Event) -> int:
        return event.cancelled_count

    starts = compact_moment("starts_at", _("begint"))

    @admin.display(description=_("plaatsen"), ordering="capacity")
    def capacity_display(self, event: Event) -> str:
        return "∞" if event.capacity is None else str(event.capacity)

    @admin.display(description=_("vrij"))
    def places_left_display(self, event: Event) -> str:
        left = event.places_left()
        return "∞" if left is None else str(left)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The registrations at a glance, each count a link to the filtered list."""
        extra_context = extra_context or {}
        event = self.get_object(request, object_id)
        if event is not None:
            if request.method == "GET" and abuse.alert_is_recent(event):
                self.message_user(
                    request,
                    gettext(
                        "Dit evenement kreeg het afgelopen uur ongewoon veel aanmeldingen; de "
                        "redactie kreeg daarover een e-mail. Lijken ze niet echt, zet dan "
                        "'e-mailadres laten bevestigen' aan."
                    ),
                    messages.WARNING,
                )
            counts = registration_counts(event)
            changelist = reverse("admin:events_registration_changelist")
            by_event = f"?event__id__exact={event.pk}"
            extra_context["registration_links"] = [
                (
                    label % {"count": counts[key]},
                    f"{changelist}{by_event}&{query}",
                )
                for key, label, query in (
                    ("confirmed", gettext("%(count)d bevestigd"), "status__exact=confirmed"),
                    ("waiting", gettext("%(count)d op de wachtlijst"), "status__exact=waiting"),
                    ("cancelled", gettext("%(count)d geannuleerd"), "status__exact=cancelled"),
                    ("present", gettext("%(count)d aanwezig"), "checked_in_at__isempty=0"),
                )
            ]
            extra_context["registrations_url"] = changelist + by_event
            extra_context["can_check_in"] = event.registration_required and request.user.has_perm(
                checkin.PERMISSION
            )
            extra_context["can_send_followup"] = event.is_past and self.has_change_permission(
                request, event
            )
            extra_context["evaluation_summary"] = evaluation_summary(event)
            extra_context["evaluations_url"] = (
                reverse("admin:events_evaluation_changelist") + by_event
            )
            extra_context["evaluations_csv_url"] = reverse(
                "admin:events_evaluation_csv", args=[event.pk]
            )
        return super().change_view(request, object_id, form_url, extra_context)

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
                "recipients": event.registrations.taking_places().count(),
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
class RegistrationAdmin(DutchArticleMixin, admin.ModelAdmin):
    """Registrations are read-only here; every change of status goes through `events.services`.

    An editor never deletes a registration: a freed place must go to the first on the waiting
    list, and the registrant and the one moving up must hear of it. So the delete view (the
    change page's button, labelled "Aanmelding annuleren") cancels through the service, the
    bulk "delete selected" action is replaced by `cancel_selected`, and nothing is removed from
    the database; personal data goes with `purge_registrations`.
    """

    # Fits 1280 px: moments as "20-11-2028 10:00", short headers.
    list_display = ["name", "organisation", "event", "status", "registered", "present"]
    list_filter = ["status", "event", ("checked_in_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "email", "organisation"]
    list_select_related = ["event"]
    date_hierarchy = "created"
    registered = compact_moment("created", _("aangemeld"))
    present = compact_moment("checked_in_at", _("binnen"))
    actions = ["cancel_selected", "check_in", "promote_from_waiting_list", "export_csv"]
    readonly_fields = [
        "event", "status", "name", "email", "organisation", "job_title", "needs", "sessions",
        "consent_at", "created", "confirmed_at", "cancelled_at", "checked_in_at", "anonymised_at",
    ]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False  # registrations go through the public form and its capacity checks

    def has_delete_permission(self, request, obj: Registration | None = None) -> bool:
        # "Delete" cancels (see the class docstring): nothing to do for a cancelled one.
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_active)

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST) -> dict:
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)  # replaced by cancel_selected
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        extra_context = {"title": gettext("Aanmelding annuleren"), **(extra_context or {})}
        return super().delete_view(request, object_id, extra_context)

    def log_deletions(self, request, queryset) -> None:
        """Nothing is deleted; `_cancel` logs each cancellation as a change instead."""

    def delete_model(self, request, obj: Registration) -> None:
        self._cancel(request, [obj])

    def delete_queryset(self, request, queryset) -> None:
        self._cancel(request, queryset)

    def response_delete(self, request, obj_display, obj_id) -> HttpResponseRedirect:
        """Back to the list; `_cancel` has said what happened (Django would say "deleted")."""
        changelist = reverse(f"{self.admin_site.name}:events_registration_changelist")
        preserved = {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts}
        return HttpResponseRedirect(add_preserved_filters(preserved, changelist))

    def _cancel(self, request, registrations) -> int:
        """Cancel through the service, one transaction each; report what happened."""
        cancelled = 0
        for registration in registrations:
            try:
                services.cancel_registration(registration=registration)
            except services.RegistrationError as error:
                self.message_user(
                    request,
                    gettext("%(registration)s niet geannuleerd: %(reason)s")
                    % {"registration": registration.name, "reason": error.message},
                    messages.ERROR,
                )
                continue
            self.log_change(request, registration, gettext("Geannuleerd."))
            cancelled += 1
        if cancelled:
            self.message_user(
                request,
                ngettext(
                    "%(count)d aanmelding geannuleerd. Een vrijgekomen plaats gaat naar de "
                    "eerste op de wachtlijst; wie het aangaat, krijgt een e-mail.",
                    "%(count)d aanmeldingen geannuleerd. Vrijgekomen plaatsen gaan naar de "
                    "eersten op de wachtlijst; wie het aangaat, krijgt een e-mail.",
                    cancelled,
                )
                % {"count": cancelled},
                messages.SUCCESS,
            )
        return cancelled

    @admin.action(description=_("Geselecteerde aanmeldingen annuleren"), permissions=["delete"])
    def cancel_selected(self, request, queryset):
        """Ask first (the registrants get mail), then cancel each through the service."""
        active = queryset.active().select_related("event").order_by("created", "id")
        if not active:
            self.message_user(
                request,
                gettext("Geen van deze aanmeldingen kan nog worden geannuleerd."),
                messages.WARNING,
            )
            return None
        if request.POST.get("post") == "yes":
            self._cancel(request, active)
            return None
        return TemplateResponse(
            request,
            "admin/events/registration/cancel_selected_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Aanmeldingen annuleren"),
                "registrations": active,
                "opts": self.opts,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def has_check_in_permission(self, request) -> bool:
        return request.user.has_perm(checkin.PERMISSION)

    @admin.action(description=_("Aanwezig melden"), permissions=["check_in"])
    def check_in(self, request, queryset):
        """The same service as the door page: only confirmed ones, the first time kept."""
        count = 0
        for registration in queryset.taking_places().filter(checked_in_at__isnull=True):
            services.check_in(registration=registration, by=request.user)
            count += 1
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
