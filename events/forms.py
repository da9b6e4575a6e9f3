from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Evaluation, Event, Registration, Session
from ikpob_portal.platform.antispam import AntiSpamMixin
from ikpob_portal.platform.email_addresses import EmailAddressField


@dataclass
class SessionOption:
    """One radio button of a round and the session it stands for (None: no session)."""

    widget: forms.boundfield.BoundWidget
    session: Session | None
    # The session's own time, when the round's legend does not already say it.
    show_time: bool = False

    @property
    def has_about(self) -> bool:
        """Whether there is a time or a number of places to say under the option."""
        return self.session is not None and (self.show_time or self.session.capacity is not None)


@dataclass
class SessionRound:
    """A round of parallel sessions: one radio group, with the time the sessions share."""

    field: forms.BoundField
    slot: int
    options: list[SessionOption]

    @property
    def shared_times(self) -> tuple | None:
        """(starts_at, ends_at) when every session of the round has the same known times."""
        times = {(o.session.starts_at, o.session.ends_at) for o in self.options if o.session}
        if len(times) == 1:
            (starts_at, ends_at) = times.pop()
            if starts_at is not None:
                return starts_at, ends_at
        return None


NEEDS_LABEL = _("Wensen voor toegankelijkheid of eten")
NEEDS_HELP = _(
    "Bijvoorbeeld rolstoeltoegang, een ringleiding of vegetarisch eten. Wordt na afloop van het "
    "evenement verwijderd."
)
NEEDS_TOO_LONG = _("Gebruik hoogstens 1000 tekens.")


class SessionChoiceMixin:
    """One radio group per round of parallel sessions ("ronde_<slot>"), with each session's
    places left; shared by the registration form and the form to change one."""

    def add_session_fields(self, event: Event, *, initial: Iterable[Session] = ()) -> None:
        self.session_fields = []
        chosen = {session.slot: session.pk for session in initial}
        # With their places taken (one query), so each choice can say how many are left; no
        # query when the event is known to have none (`EventQuerySet.for_registration`).
        sessions = (
            list(
                Session.objects.filter(event=event)
                .annotate_confirmed()
                .order_by("slot", "starts_at", "title")
            )
            if getattr(event, "has_sessions", True)
            else []
        )
        self._sessions_by_pk = {session.pk: session for session in sessions}
        for slot in sorted({session.slot for session in sessions}):
            in_slot = [session for session in sessions if session.slot == slot]
            name = f"ronde_{slot}"
            self.fields[name] = forms.TypedChoiceField(
                label=_("Sessie in ronde %(slot)s") % {"slot": slot},
                choices=[("", _("Geen sessie in deze ronde"))]
                + [(str(session.pk), session.title) for session in in_slot],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                initial=chosen.get(slot),
            )
            self.session_fields.append(name)

    def session_rounds(self) -> list[SessionRound]:
        """Each round's radio group with the session behind every option, for the template."""
        rounds = []
        for name in self.session_fields:
            field = self[name]
            options = [
                SessionOption(widget, self._sessions_by_pk.get(int(widget.data["value"] or 0)))
                for widget in field.subwidgets
            ]
            session_round = SessionRound(field, int(name.removeprefix("ronde_")), options)
            if session_round.shared_times is None:
                for option in options:
                    option.show_time = bool(option.session and option.session.starts_at)
            rounds.append(session_round)
        return rounds

    def chosen_sessions(self) -> list[Session]:
        ids = [
            self.cleaned_data[name] for name in self.session_fields if self.cleaned_data.get(name)
        ]
        if not ids:
            # No query would run, but building one still costs the ORM's time.
            return []
        return list(Session.objects.filter(event=self.event, pk__in=ids))


class RegistrationForm(SessionChoiceMixin, AntiSpamMixin, forms.ModelForm):
    """The short registration form; sessions come as one radio group per round."""

    antispam_scope = "events.register"  # bound to one event in __init__

    consent = forms.BooleanField(
        label=_("Ik ga akkoord met het bewaren van mijn gegevens voor deze aanmelding"),
        help_text=_(
            "Wij gebruiken uw gegevens alleen voor dit evenement en anonimiseren ze kort na "
            "afloop. Meer daarover in de"
        ),
        error_messages={"required": _("Zonder uw toestemming kunnen we u niet aanmelden.")},
    )

    class Meta:
        model = Registration
        fields = ["name", "email", "organisation", "job_title", "needs"]
        # The normal form of the address, or a clear refusal (see platform/email_addresses).
        field_classes = {"email": EmailAddressField}
        labels = {
            "name": _("Naam"),
            "email": _("E-mailadres"),
            "organisation": _("Organisatie"),
            "job_title": _("Functie"),
            "needs": NEEDS_LABEL,
        }
        help_texts = {
            "email": _("Hierheen sturen we de bevestiging met de link om te annuleren."),
            "needs": NEEDS_HELP,
        }
        error_messages = {
            "name": {"required": _("Vul uw naam in.")},
            "email": {
                "required": _("Vul uw e-mailadres in."),
                "invalid": _("Vul een geldig e-mailadres in, zoals naam@organisatie.nl."),
            },
            "organisation": {"required": _("Vul de naam van uw organisatie in.")},
            "needs": {"max_length": NEEDS_TOO_LONG},
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
            "job_title": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "needs": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, event: Event, **kwargs) -> None:
        self.event = event
        # A form token handed out for one event does not count for another.
        self.antispam_scope = f"events.register:{event.pk}"
        super().__init__(*args, **kwargs)
        self.add_session_fields(event)
        access_fields = []
        if not event.open_to_all:
            # The personal link's token travels with the form; the service checks it.
            self.fields["invitation"] = forms.CharField(
                required=False, max_length=64, widget=forms.HiddenInput
            )
            if event.group_code:
                self.fields["group_code"] = forms.CharField(
                    label=_("Groepscode"),
                    required=event.access == Event.Access.CLOSED,
                    max_length=40,
                    help_text=_("De code die u van de organisatie kreeg, bijvoorbeeld per e-mail."),
                    error_messages={"required": _("Vul de groepscode in.")},
                    widget=forms.TextInput(attrs={"autocomplete": "off"}),
                )
                access_fields.append("group_code")
        # The group code before the personal data, consent last, after the sessions.
        self.order_fields([*access_fields, *self.Meta.fields, *self.session_fields, "consent"])

    def registration_data(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.Meta.fields}

    def access_data(self) -> dict:
        """The invitation token and group code, for the view to hand to the service."""
        return {
            "token": self.cleaned_data.get("invitation") or "",
            "group_code": self.cleaned_data.get("group_code") or "",
        }


class ChangeRegistrationForm(SessionChoiceMixin, forms.Form):
    """The registrant's own page: other sessions, other wishes (before the event starts)."""

    needs = forms.CharField(
        label=NEEDS_LABEL,
        required=False,
        max_length=1000,
        help_text=NEEDS_HELP,
        error_messages={"max_length": NEEDS_TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args,
        registration: Registration,
        sessions: Iterable[Session] | None = None,
        **kwargs,
    ) -> None:
        """`sessions`: the registration's sessions, when the caller has read them already."""
        self.event = registration.event
        kwargs.setdefault("initial", {"needs": registration.needs})
        super().__init__(*args, **kwargs)
        self.add_session_fields(
            self.event, initial=registration.sessions.all() if sessions is None else sessions
        )


class AttendeeMessageForm(forms.Form):
    """An editor's message to the confirmed attendees of an event (admin)."""

    subject = forms.CharField(label=_("Onderwerp"), max_length=200)
    body = forms.CharField(label=_("Bericht"), widget=forms.Textarea(attrs={"rows": 10}))


class EvaluationForm(forms.ModelForm):
    """An attendee's evaluation: a rating as one radio group, and two open questions."""

    rating = forms.TypedChoiceField(
        label=_("Hoe waardeert u het evenement?"),
        choices=[
            (1, _("1 — slecht")),
            (2, _("2 — matig")),
            (3, _("3 — voldoende")),
            (4, _("4 — goed")),
            (5, _("5 — uitstekend")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies een waardering van 1 tot en met 5."),
            "invalid_choice": _("Kies een waardering van 1 tot en met 5."),
        },
    )

    class Meta:
        model = Evaluation
        fields = ["rating", "takeaway", "remarks"]
        labels = {
            "takeaway": _("Wat neemt u mee naar uw werk?"),
            "remarks": _("Opmerkingen"),
        }
        help_texts = {
            "remarks": _("Over het programma, de sprekers, de locatie of de organisatie."),
        }
        error_messages = {
            "takeaway": {"max_length": _("Gebruik hoogstens 2000 tekens.")},
            "remarks": {"max_length": _("Gebruik hoogstens 2000 tekens.")},
        }
        widgets = {
            "takeaway": forms.Textarea(attrs={"rows": 4}),
            "remarks": forms.Textarea(attrs={"rows": 4}),
        }
