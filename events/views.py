from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.generic import DetailView

from events import calendar, checkin, services, structured_data
from events.filters import EventArchiveFilterSet, EventFilterSet
from events.forms import RegistrationForm
from events.models import Event, Registration, RegistrationState, Session
from ikpob_portal.kernel.lists import FacetedListView
from ikpob_portal.platform import ratelimit


class EventListView(FacetedListView):
    """Upcoming events, soonest first."""

    filterset_class = EventFilterSet
    template_name = "events/event_list.html"
    context_object_name = "events"
    archive = False

    def get_queryset(self):
        return Event.objects.published().upcoming().for_cards()

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["archive"] = self.archive
        return context


class EventArchiveView(EventListView):
    """Past events, most recent first, with their recordings and materials."""

    filterset_class = EventArchiveFilterSet
    archive = True

    def get_queryset(self):
        return Event.objects.published().past().for_cards()


class EventDetailView(DetailView):
    template_name = "events/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return (
            Event.objects.visible_to(self.request.user)
            .for_cards()
            .select_related("learning_circle")
            .prefetch_related("sessions")
        )

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        event = self.object
        context["state"] = event.registration_state()
        context["speakers"] = list(event.speakers.published().order_by("family_name"))
        context["related_publications"] = list(
            event.publications.published().for_cards().newest_first()
        )
        context["sessions"] = list(
            Session.objects.filter(event=event)
            .annotate_confirmed()
            .order_by("slot", "starts_at", "title")
        )
        if event.is_published:  # an editor's preview of a draft tells machines nothing
            context["structured_data"] = structured_data.json_ld(
                event, self.request.build_absolute_uri, speakers=context["speakers"]
            )
        return context


def event_trail(event: Event, *, registration: Registration | None = None) -> list[tuple]:
    """The breadcrumb's levels above a page of the registration journey: Evenementen, the
    event, and (for the cancel page) the registrant's own page: (label, url, is content), so
    English pages mark the event's title as Dutch."""
    trail = [
        (_("Evenementen"), reverse("events:list"), False),
        (event.title, event.get_absolute_url(), True),
    ]
    if registration is not None:
        trail.append((_("Uw aanmelding"), registration.get_absolute_url(), False))
    return trail


def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.published().with_counts(), slug=slug)
    state = event.registration_state()
    context = {"event": event, "state": state, "trail": event_trail(event)}
    if state not in (RegistrationState.OPEN, RegistrationState.FULL):
        return render(request, "events/register_closed.html", context)
    if request.method == "POST":
        form = RegistrationForm(request.POST, event=event)
        limit = settings.REGISTRATION_RATE_LIMIT_PER_HOUR
        if not ratelimit.form_allowed(request, form, "register", limit=limit):
            response = render(request, "events/register.html", {**context, "form": form})
            return ratelimit.limited(response, retry_after=ratelimit.FORM_WINDOW_SECONDS)
        if form.is_valid():
            try:
                registration = services.register(
                    event=event, data=form.registration_data(), sessions=form.chosen_sessions()
                )
            except services.RegistrationError as error:
                field = error.field if error.field in form.fields else None
                form.add_error(field, error.message)
            else:
                return redirect(registration.get_absolute_url() + "?nieuw=1")
    else:
        form = RegistrationForm(event=event)
    return render(
        request,
        "events/register.html",
        {**context, "form": form},
        status=400 if form.refused else 200,  # the honeypot was filled in
    )


def _personal(response: HttpResponse) -> HttpResponse:
    """A registrant's page: never cached, never indexed, no referrer carrying the token
    elsewhere. Not "no-referrer": under that policy browsers send `Origin: null` with the
    cancel form's POST, and Django's CSRF check refuses it. "same-origin" sends nothing to
    other sites."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "same-origin"
    return response


def _own_registration(token: str) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related("event").filter(anonymised_at__isnull=True), token=token
    )


@require_http_methods(["GET"])
def registration(request: HttpRequest, token: str) -> HttpResponse:
    """A registrant's own page: only the secret token opens it. What they registered for, in
    which state, and the way to cancel (on a page of its own) or to register again."""
    registration = _own_registration(token)
    event = (
        Event.objects.with_counts().filter(pk=registration.event_id).first() or registration.event
    )
    return _personal(
        render(
            request,
            "events/registration.html",
            {
                "registration": registration,
                "event": event,
                # Registering again is offered while the public form would accept it.
                "can_register_again": event.is_published
                and event.registration_state() in (RegistrationState.OPEN, RegistrationState.FULL),
                "state": event.registration_state(),
                "sessions": list(registration.sessions.order_by("slot", "starts_at", "title")),
                "position": registration.waiting_position(),
                "just_registered": request.GET.get("nieuw") == "1",
                "personal_url": request.build_absolute_uri(registration.get_absolute_url()),
                # For the door: the code (and its QR code) once the place is confirmed.
                "checkin_qr": (
                    checkin.qr_svg(registration, title=_("QR-code van uw aanmeldcode"))
                    if registration.status == Registration.Status.CONFIRMED and not event.is_past
                    else ""
                ),
                "trail": event_trail(event),
            },
        )
    )


@require_http_methods(["GET", "POST"])
def cancel_registration(request: HttpRequest, token: str) -> HttpResponse:
    """Cancelling asks first: GET shows the question, POST (the button) cancels."""
    registration = _own_registration(token)
    event = registration.event
    if not registration.is_active:  # nothing (more) to cancel: the own page says so
        return redirect(registration.get_absolute_url())
    if request.method == "GET" and event.has_started:
        messages.error(request, _("Het evenement is al begonnen. Annuleren kan niet meer."))
        return redirect(registration.get_absolute_url())
    if request.method == "POST":
        try:
            services.cancel(token=token)
        except services.RegistrationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Uw aanmelding is geannuleerd. U krijgt een bevestiging per e-mail.")
            )
        return redirect(registration.get_absolute_url())
    return _personal(
        render(
            request,
            "events/cancel.html",
            {
                "registration": registration,
                "event": event,
                "position": registration.waiting_position(),
                "others_waiting": (
                    registration.status == Registration.Status.CONFIRMED
                    and Registration.objects.waiting().filter(event=event).exists()
                ),
                "trail": event_trail(event, registration=registration),
            },
        )
    )


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.published(), slug=slug)
    content = calendar.calendar(
        [event],
        url_for=lambda item: request.build_absolute_uri(item.get_absolute_url()),
        name=event.title,
    )
    return _ics_response(content, f"{event.slug}.ics")


def agenda_ics(request: HttpRequest) -> HttpResponse:
    """A feed of all upcoming events that calendar apps can subscribe to."""
    events = Event.objects.published().upcoming()
    content = calendar.calendar(
        events,
        url_for=lambda item: request.build_absolute_uri(item.get_absolute_url()),
        name=_("IKPOB-agenda"),
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ikpob-agenda.ics"'
    return response
