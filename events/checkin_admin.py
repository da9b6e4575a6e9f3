"""The door page in the admin: find a person, one large button, undo, live counts.

It lives in the admin so that login, staff accounts, CSRF and never-cached responses come
with it; it needs only the permission `events.check_in_registration`, so a door volunteer in
the group 'Ingang' can use it and nothing else. It works with plain forms (POST, then back to
the same search); static/events/checkin.js makes it quicker (no reloads, a scanner's Enter
checks in at once, counts refreshed every 15 seconds).
"""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events import checkin, services
from events.models import Event, Registration, count_per_row

MAX_QUERY_LENGTH = 100


def attendance_text(counts: checkin.Attendance) -> str:
    return _("%(present)d van %(expected)d aanwezig") % counts._asdict()


class CheckInAdminMixin:
    """For EventAdmin: the door pages under /<admin>/events/event/."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        # Before the ModelAdmin's own URLs: its "<path:object_id>/" would take "aanwezigheid/".
        return [
            path("aanwezigheid/", wrap(self.door_view), name="events_event_door"),
            path(
                "<int:event_id>/aanwezigheid/",
                wrap(self.check_in_view),
                name="events_event_check_in",
            ),
            path(
                "<int:event_id>/aanwezigheid/tellingen/",
                wrap(self.attendance_view),
                name="events_event_attendance",
            ),
            *super().get_urls(),
        ]

    def _require_door_permission(self, request: HttpRequest) -> None:
        if not request.user.has_perm(checkin.PERMISSION):
            raise PermissionDenied

    def _door_context(self, request: HttpRequest, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            # The whole width for large buttons on a tablet; the door needs no other page.
            "is_nav_sidebar_enabled": False,
        }

    def door_view(self, request: HttpRequest) -> TemplateResponse:
        """Today's and coming events, for whoever stands at the door."""
        self._require_door_permission(request)
        today = timezone.make_aware(
            datetime.datetime.combine(timezone.localdate(), datetime.time())
        )
        present = Registration.objects.taking_places().filter(checked_in_at__isnull=False)
        events = (
            Event.objects.filter(ends_at__gte=today, registration_required=True)
            .with_counts()
            .annotate(present_count=count_per_row(present, "event"))
            .order_by("starts_at", "title")[:20]
        )
        return TemplateResponse(
            request,
            "admin/events/event/door.html",
            {**self._door_context(request, _("Aanmelden bij de ingang")), "events": events},
        )

    @staticmethod
    def _event(event_id: int) -> Event:
        return get_object_or_404(
            Event.objects.only("pk", "title", "starts_at", "ends_at"), pk=event_id
        )

    @staticmethod
    def _page_url(event: Event, query: str) -> str:
        url = reverse("admin:events_event_check_in", args=[event.pk])
        return f"{url}?{urlencode({'q': query})}" if query else url

    @staticmethod
    def _query(data) -> str:
        return data.get("q", "").strip()[:MAX_QUERY_LENGTH]

    def check_in_view(self, request: HttpRequest, event_id: int) -> HttpResponse:
        self._require_door_permission(request)
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        event = self._event(event_id)
        if request.method == "POST":
            return self._check_in_post(request, event)
        query = self._query(request.GET)
        found = checkin.find(event, query)
        counts = checkin.attendance(event)
        return TemplateResponse(
            request,
            "admin/events/event/check_in.html",
            {
                **self._door_context(request, _("Aanwezig melden")),
                "event": event,
                "query": query,
                "found": found.registrations,
                "more": found.more,
                "exact": checkin.exact_code_match(found.registrations, query),
                "recent": [] if query else list(checkin.recently_checked_in(event)),
                "counts": counts,
                "counts_text": attendance_text(counts),
                "registrations_url": (
                    reverse("admin:events_registration_changelist")
                    + f"?event__id__exact={event.pk}"
                    if request.user.has_perm("events.view_registration")
                    else ""
                ),
            },
        )

    def _check_in_post(self, request: HttpRequest, event: Event) -> HttpResponse:
        """One button pressed; then back to the same search (Post/Redirect/Get)."""
        query = self._query(request.POST)
        registration = get_object_or_404(
            Registration.objects.filter(event=event, anonymised_at__isnull=True),
            pk=request.POST.get("registration") or 0,
        )
        action = request.POST.get("action")
        if action not in ("check_in", "undo"):
            return HttpResponseBadRequest()
        undo = action == "undo"
        was_present = registration.checked_in_at is not None
        try:
            if undo:
                services.undo_check_in(registration=registration, by=request.user)
            else:
                registration = services.check_in(registration=registration, by=request.user)
        except services.RegistrationError as error:
            messages.error(request, error.message)
            return redirect(self._page_url(event, query))
        counts = attendance_text(checkin.attendance(event))
        if undo:
            message = _("%(name)s is niet meer aanwezig gemeld (%(counts)s).")
        elif was_present:
            message = _("%(name)s was al aanwezig gemeld, om %(time)s (%(counts)s).")
        else:
            message = _("%(name)s is aanwezig gemeld (%(counts)s).")
        time = timezone.localtime(registration.checked_in_at).strftime("%H:%M") if not undo else ""
        messages.success(
            request, message % {"name": registration.name, "counts": counts, "time": time}
        )
        return redirect(self._page_url(event, query))

    def attendance_view(self, request: HttpRequest, event_id: int) -> JsonResponse:
        """The counts for the page's script, every 15 seconds (other tablets check in too)."""
        self._require_door_permission(request)
        counts = checkin.attendance(self._event(event_id))
        return JsonResponse({**counts._asdict(), "text": attendance_text(counts)})


def registration_counts(event: Event) -> dict[str, int]:
    """Per status, and present, for the event's change page; one query."""
    status = Registration.Status
    return Registration.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=status.WAITING)),
        cancelled=Count("pk", filter=Q(status=status.CANCELLED)),
        present=Count("pk", filter=Q(status=status.CONFIRMED, checked_in_at__isnull=False)),
    )
