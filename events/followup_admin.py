"""After the event, in the admin: sending the follow-up (a confirm page, then the queue) and
the evaluations, which editors read and export but never write or see names with."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from events import followup
from events.models import Evaluation, Event
from ikpob_portal.kernel.admin import DutchArticleMixin, ViewOnlyAdminMixin, compact_moment
from ikpob_portal.kernel.csv_export import csv_response


def evaluation_summary(event: Event) -> str:
    """ "Evaluaties: 12 reacties, gemiddeld 4,2" (or none yet)."""
    totals = Evaluation.objects.filter(event=event).aggregate(
        count=Count("pk"), average=Avg("rating")
    )
    if not totals["count"]:
        return gettext("Evaluaties: nog geen reacties")
    return ngettext(
        "Evaluaties: %(count)d reactie, gemiddeld %(average)s",
        "Evaluaties: %(count)d reacties, gemiddeld %(average)s",
        totals["count"],
    ) % {"count": totals["count"], "average": number_format(totals["average"], 1)}


class FollowupAdminMixin:
    """For EventAdmin: the page that sends the message after the event."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:event_id>/bericht-na-afloop/",
                wrap(self.followup_view),
                name="events_event_followup",
            ),
            *super().get_urls(),
        ]

    def followup_view(self, request: HttpRequest, event_id: int) -> HttpResponse:
        """GET asks (how many, who), POST queues; a second click queues nobody twice."""
        event = get_object_or_404(Event, pk=event_id)
        if not self.has_change_permission(request, event):
            raise PermissionDenied
        change_url = reverse("admin:events_event_change", args=[event.pk])
        if event.ends_at > timezone.now():
            self.message_user(
                request,
                gettext(
                    "Het bericht na afloop kan pas worden verstuurd als het evenement voorbij is."
                ),
                messages.WARNING,
            )
            return redirect(change_url)
        if request.method == "POST":
            queued = followup.queue_followup(event)
            self.message_user(
                request,
                ngettext(
                    "Het bericht na afloop gaat naar %(count)d deelnemer.",
                    "Het bericht na afloop gaat naar %(count)d deelnemers.",
                    queued,
                )
                % {"count": queued}
                if queued
                else gettext(
                    "Iedereen had het bericht na afloop al; er is niets opnieuw verstuurd."
                ),
                messages.SUCCESS if queued else messages.INFO,
            )
            return redirect(change_url)
        recipients = followup.recipients(event)
        return TemplateResponse(
            request,
            "admin/events/event/followup.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Bericht na afloop versturen: %(event)s") % {"event": event.title},
                "event": event,
                "opts": self.model._meta,
                "original": event,
                "checked_in_only": recipients.filter(checked_in_at__isnull=False).exists(),
                "waiting_for_it": recipients.filter(followup_queued_at__isnull=True).count(),
                "had_it": recipients.filter(followup_queued_at__isnull=False).count(),
                "change_url": change_url,
            },
        )


def evaluations_csv(evaluations, *, filename: str) -> HttpResponse:
    """The answers without anything about who gave them: no name, address or organisation."""
    header = [
        gettext("Evenement"), gettext("Waardering"), gettext("Wat neemt u mee naar uw werk?"),
        gettext("Opmerkingen"), gettext("Ingevuld op"),
    ]  # fmt: skip
    rows = evaluations.select_related("event").order_by("event__starts_at", "created", "id")
    return csv_response(
        filename,
        header,
        (
            [
                evaluation.event.title,
                evaluation.rating,
                evaluation.takeaway,
                evaluation.remarks,
                timezone.localtime(evaluation.created).strftime("%Y-%m-%d"),
            ]
            for evaluation in rows
        ),
    )


@admin.register(Evaluation)
class EvaluationAdmin(ViewOnlyAdminMixin, DutchArticleMixin, admin.ModelAdmin):
    """Read-only: the answers come from the attendees' own page, one each. The registration is
    never shown, so editors read the answers without names."""

    list_display = ["rating", "takeaway", "remarks", "event", "filled_in"]
    list_filter = ["event", "rating"]
    list_select_related = ["event"]
    search_fields = ["takeaway", "remarks"]
    fields = ["event", "rating", "takeaway", "remarks", "created", "updated"]
    readonly_fields = fields
    actions = ["export_csv"]
    filled_in = compact_moment("created", _("ingevuld"))

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "csv/<int:event_id>/",
                wrap(self.event_csv_view),
                name="events_evaluation_csv",
            ),
            *super().get_urls(),
        ]

    def event_csv_view(self, request: HttpRequest, event_id: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        event = get_object_or_404(Event, pk=event_id)
        return evaluations_csv(
            Evaluation.objects.filter(event=event), filename=f"evaluaties-{event.slug}.csv"
        )

    @admin.action(description=_("Exporteren (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        return evaluations_csv(queryset, filename="evaluaties.csv")
