import re

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.generic import DetailView

from events import (
    abuse,
    calendar,
    certificate,
    checkin,
    invitations,
    mails,
    services,
    structured_data,
)
from events.filters import EventArchiveFilterSet, EventFilterSet
from events.forms import ChangeRegistrationForm, EvaluationForm, RegistrationForm
from events.models import (
    Evaluation,
    Event,
    Invitation,
    Registration,
    RegistrationState,
    Session,
)
from ikpob_portal.kernel import moments
from ikpob_portal.kernel.lists import FacetedListView
from ikpob_portal.platform import ratelimit
from ikpob_portal.platform.headers import personal

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]+")


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


def _invitation(event: Event, token: str) -> Invitation | None:
    # Tokens are secrets.token_urlsafe; anything else is unknown before the database is asked
    # (PostgreSQL cannot compare text with NUL).
    if not token or len(token) > 64 or not TOKEN_PATTERN.fullmatch(token):
        return None
    return Invitation.objects.filter(event=event, token=token).first()


def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.published().for_registration(), slug=slug)
    state = event.registration_state()
    # The personal invitation link: ?uitnodiging=<token>; the form carries it on as a field.
    token = (
        request.POST.get("invitation", "")
        if request.method == "POST"
        else request.GET.get("uitnodiging", "")
    )
    invitation = _invitation(event, token)
    if invitation is not None:
        invitation.event = event
    usable = invitation is not None and invitation.effective_state == Invitation.State.SENT
    context = {
        "event": event,
        "state": state,
        "trail": event_trail(event),
        "invitation": invitation,
        "invitation_usable": usable,
        "invitation_unknown": bool(token) and invitation is None,
        "invitation_problem": (
            services.invitation_unusable_message(invitation)
            if invitation is not None and not usable
            else ""
        ),
    }
    if state not in (RegistrationState.OPEN, RegistrationState.FULL):
        return _with_token(render(request, "events/register_closed.html", context), token)
    if request.method == "POST":
        form = RegistrationForm(request.POST, event=event)
        limit = settings.REGISTRATION_RATE_LIMIT_PER_HOUR
        if not ratelimit.form_allowed(request, form, "register", limit=limit):
            response = render(request, "events/register.html", {**context, "form": form})
            return ratelimit.limited(response, retry_after=ratelimit.FORM_WINDOW_SECONDS)
        if form.is_valid() and not abuse.within_limits(form, event):
            # Over the limit per event or per e-mail address: shown again as filled in.
            response = render(request, "events/register.html", {**context, "form": form})
            return ratelimit.limited(response, retry_after=ratelimit.FORM_WINDOW_SECONDS)
        if form.is_valid():
            access = form.access_data()
            try:
                registration = services.register(
                    event=event,
                    data=form.registration_data(),
                    sessions=form.chosen_sessions(),
                    invitation=_invitation(event, access["token"]),
                    group_code=access["group_code"],
                )
            except services.RegistrationError as error:
                field = error.field if error.field in form.fields else None
                form.add_error(field, error.message)
            else:
                if registration.status == Registration.Status.UNVERIFIED:
                    # Not the personal page: its link must come from the mailbox, or anyone
                    # could register any address and confirm it here.
                    return personal(
                        render(
                            request,
                            "events/verify.html",
                            {
                                "sent": True,
                                "registration": registration,
                                "event": event,
                                "hold_minutes": settings.REGISTRATION_HOLD_MINUTES,
                                "trail": event_trail(event),
                            },
                        )
                    )
                return redirect(registration.get_absolute_url() + "?nieuw=1")
    else:
        initial = {"email": invitation.email, "invitation": invitation.token} if usable else {}
        form = RegistrationForm(event=event, initial=initial)
    # Without a usable invitation or a group code there is nothing to fill in (a direct POST
    # still gets its answer from the service, with the form around it).
    show_form = event.public_form_usable or usable or request.method == "POST"
    return _with_token(
        render(
            request,
            "events/register.html",
            {**context, "form": form if show_form else None},
            status=400 if form.refused else 200,  # the honeypot was filled in
        ),
        token,
    )


def _with_token(response: HttpResponse, token: str) -> HttpResponse:
    """A page opened with an invitation's token is personal (the invited address is on it)."""
    return personal(response) if token else response


@require_http_methods(["POST"])
def decline_invitation(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """ "Ik kom niet" on the invitation link's page: one POST, then back to that page."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("event").filter(event__slug=slug), token=token
    )
    invitations.decline(invitation=invitation)
    return redirect(invitations.invitation_path(invitation))


def _own_registration(token: str) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related("event").filter(anonymised_at__isnull=True), token=token
    )


@require_http_methods(["GET"])
def registration(request: HttpRequest, token: str) -> HttpResponse:
    """A registrant's own page: only the secret token opens it. What they registered for, in
    which state, the form to change sessions and wishes, and the way to cancel (on a page of
    its own) or to register again."""
    return _registration_page(request, _own_registration(token))


@require_http_methods(["GET", "POST"])
def change_registration(request: HttpRequest, token: str) -> HttpResponse:
    """The change form on the personal page: sessions through the locked service, then the
    wishes; an error (a full session) shows the page again with the form as filled in. A GET
    (the address typed or bookmarked) goes to the personal page, where the form is."""
    registration = _own_registration(token)
    if request.method == "GET":
        return redirect(registration.get_absolute_url())
    form = ChangeRegistrationForm(request.POST, registration=registration)
    if form.is_valid():
        try:
            services.change_sessions(registration=registration, sessions=form.chosen_sessions())
            services.update_needs(registration=registration, needs=form.cleaned_data["needs"])
        except services.RegistrationError as error:
            if not registration.is_active or registration.event.has_started:
                # The form is no longer on the page: the message goes above it.
                messages.error(request, error.message)
                return redirect(registration.get_absolute_url())
            field = error.field if error.field in form.fields else None
            form.add_error(field, error.message)
        else:
            messages.success(request, _("Uw aanmelding is gewijzigd."))
            return redirect(registration.get_absolute_url())
    return _registration_page(request, registration, change_form=form)


def _registration_page(
    request: HttpRequest,
    registration: Registration,
    *,
    change_form: ChangeRegistrationForm | None = None,
) -> HttpResponse:
    # The event came with the registration (`_own_registration`). Whether it has sessions
    # is one cheap question; most events have none, and then neither the registration's
    # sessions nor the change form's choices are asked for (`add_session_fields`).
    event = registration.event
    event.has_sessions = Session.objects.filter(event=event).exists()
    sessions = (
        list(registration.sessions.order_by("slot", "starts_at", "title"))
        if event.has_sessions
        else []
    )
    changeable = registration.is_active and not event.has_started
    if changeable and change_form is None:
        change_form = ChangeRegistrationForm(registration=registration, sessions=sessions)
    # Registering again is offered only on a cancelled registration's page; only there are
    # the places counted (for the state: open, or only the waiting list).
    state = (
        event.registration_state() if registration.status == Registration.Status.CANCELLED else None
    )
    return personal(
        render(
            request,
            "events/registration.html",
            {
                "registration": registration,
                "event": event,
                # Registering again is offered while the public form would accept it (for an
                # event on invitation only with its group code: an invitation serves once).
                "can_register_again": event.is_published
                and event.public_form_usable
                and state in (RegistrationState.OPEN, RegistrationState.FULL),
                "state": state,
                "sessions": sessions,
                "position": registration.waiting_position(),
                "waiting_list_closed": event.waiting_list_closed(),
                "just_registered": request.GET.get("nieuw") == "1",
                "personal_url": request.build_absolute_uri(registration.get_absolute_url()),
                # For the door: the code (and its QR code) once the place is confirmed.
                "checkin_qr": (
                    checkin.qr_svg(registration, title=_("QR-code van uw aanmeldcode"))
                    if registration.status == Registration.Status.CONFIRMED
                    and event.is_in_person
                    and not event.is_past
                    else ""
                ),
                "change_form": change_form if changeable else None,
                "trail": event_trail(event),
                **_after_the_event(registration),
            },
        )
    )


def _after_the_event(registration: Registration) -> dict:
    """What the personal page offers once the event has begun: the evaluation (to fill in or
    change) and, for those checked in, the certificate."""
    can_evaluate = registration.can_evaluate()
    return {
        "can_evaluate": can_evaluate,
        "has_evaluation": (
            can_evaluate and Evaluation.objects.filter(registration=registration).exists()
        ),
    }


@require_http_methods(["GET", "POST"])
def evaluation(request: HttpRequest, token: str) -> HttpResponse:
    """One evaluation per registration, through the personal link; it can be changed until the
    evaluation closes (`Event.evaluation_deadline`)."""
    registration = _own_registration(token)
    event = registration.event
    existing = Evaluation.objects.filter(registration=registration).first()
    context = {
        "registration": registration,
        "event": event,
        "open": registration.can_evaluate(),
        "existing": existing,
        "trail": event_trail(event, registration=registration),
    }
    if not context["open"]:
        return personal(render(request, "events/evaluation.html", context))
    form = EvaluationForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        # One per registration, also when the form is sent twice at once (the unique key).
        Evaluation.objects.update_or_create(
            registration=registration, defaults={"event": event, **form.cleaned_data}
        )
        messages.success(
            request,
            _("Dank u wel: uw evaluatie is bewaard. U kunt haar wijzigen tot en met %(day)s.")
            % {"day": moments.day(event.evaluation_deadline)},
        )
        return redirect(registration.get_absolute_url())
    return personal(render(request, "events/evaluation.html", {**context, "form": form}))


@require_http_methods(["GET"])
def certificate_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The certificate of attendance, only for those checked in at the door."""
    registration = _own_registration(token)
    if not registration.has_certificate:
        raise Http404
    response = HttpResponse(certificate.pdf(registration), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="bewijs-van-deelname-{registration.event.slug}.pdf"'
    )
    return personal(response)


@require_http_methods(["GET"])
def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Whether a certificate is genuine: name, event and date only; 404 for any other code."""
    registration = certificate.verified(code)
    if registration is None:
        return personal(
            render(request, "events/certificate_unknown.html", {"code": code}, status=404)
        )
    return personal(
        render(
            request,
            "events/certificate_verify.html",
            {"registration": registration, "event": registration.event},
        )
    )


@require_http_methods(["GET", "POST"])
def verify_registration(request: HttpRequest, key: str) -> HttpResponse:
    """The link in the "confirm your address" mail. GET only shows a button: mail scanners
    that open every link in a message must not confirm anything. POST confirms, then the
    personal page."""
    registration = mails.registration_from_verify_token(key)
    if registration is None or registration.anonymised_at:
        return personal(render(request, "events/verify.html", {"unknown": True}, status=404))
    if registration.status != Registration.Status.UNVERIFIED:
        return redirect(registration.get_absolute_url())
    event = registration.event
    if request.method == "POST":
        try:
            registration = services.verify(registration=registration)
        except services.RegistrationError as error:
            messages.error(request, error.message)
            return redirect(event.get_absolute_url())
        messages.success(
            request,
            _("Uw e-mailadres is bevestigd. U krijgt de bevestiging van uw aanmelding per e-mail."),
        )
        return redirect(registration.get_absolute_url())
    return personal(
        render(
            request,
            "events/verify.html",
            {"registration": registration, "event": event, "trail": event_trail(event)},
        )
    )


@require_http_methods(["GET", "POST"])
def cancel_registration(request: HttpRequest, token: str, decline: bool = False) -> HttpResponse:
    """Cancelling asks first: GET shows the question, POST (the button) cancels. `decline`:
    the link in the promotion mail, worded as giving back the place just offered."""
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
                request,
                _("U hebt uw plaats teruggegeven. U krijgt een bevestiging per e-mail.")
                if decline
                else _("Uw aanmelding is geannuleerd. U krijgt een bevestiging per e-mail."),
            )
        return redirect(registration.get_absolute_url())
    return personal(
        render(
            request,
            "events/cancel.html",
            {
                "registration": registration,
                "event": event,
                "position": registration.waiting_position(),
                # Nobody moves up after the waiting list has closed: then the place stays free.
                "others_waiting": (
                    registration.status == Registration.Status.CONFIRMED
                    and not event.waiting_list_closed()
                    and Registration.objects.waiting().filter(event=event).exists()
                ),
                "decline": decline and registration.status == Registration.Status.CONFIRMED,
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
