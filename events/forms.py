from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Event, Registration
from ikpob_portal.platform.antispam import AntiSpamMixin


class RegistrationForm(AntiSpamMixin, forms.ModelForm):
    """The short registration form; sessions come as one radio group per round."""

    antispam_scope = "events.register"

    consent = forms.BooleanField(
        label=_("Ik ga akkoord met het bewaren van mijn gegevens voor deze aanmelding"),
        help_text=_(
            "Wij gebruiken uw gegevens alleen voor dit evenement en anonimiseren ze kort na "
            "afloop. Lees de privacyverklaring."
        ),
        error_messages={"required": _("Zonder uw toestemming kunnen we u niet aanmelden.")},
    )

    class Meta:
        model = Registration
        fields = ["name", "email", "organisation", "job_title", "needs"]
        labels = {
            "name": _("Naam"),
            "email": _("E-mailadres"),
            "organisation": _("Organisatie"),
            "job_title": _("Functie"),
            "needs": _("Wensen voor toegankelijkheid of eten"),
        }
        help_texts = {
            "email": _("Hierheen sturen we de bevestiging met de link om te annuleren."),
            "needs": _(
                "Bijvoorbeeld rolstoeltoegang, een ringleiding of vegetarisch eten. Wordt na "
                "afloop van het evenement verwijderd."
            ),
        }
        error_messages = {
            "name": {"required": _("Vul uw naam in.")},
            "email": {
                "required": _("Vul uw e-mailadres in."),
                "invalid": _("Vul een geldig e-mailadres in, zoals naam@organisatie.nl."),
            },
            "organisation": {"required": _("Vul de naam van uw organisatie in.")},
            "needs": {"max_length": _("Gebruik hoogstens 1000 tekens.")},
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
        super().__init__(*args, **kwargs)
        self.session_fields = []
        sessions = list(event.sessions.order_by("slot", "starts_at", "title"))
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
            )
            self.session_fields.append(name)
        # Consent last, after the sessions.
        self.order_fields([*self.Meta.fields, *self.session_fields, "consent"])

    def chosen_sessions(self) -> list:
        ids = [
            self.cleaned_data[name] for name in self.session_fields if self.cleaned_data.get(name)
        ]
        return list(self.event.sessions.filter(pk__in=ids))

    def registration_data(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.Meta.fields}


class AttendeeMessageForm(forms.Form):
    """An editor's message to the confirmed attendees of an event (admin)."""

    subject = forms.CharField(label=_("Onderwerp"), max_length=200)
    body = forms.CharField(label=_("Bericht"), widget=forms.Textarea(attrs={"rows": 10}))
