from django import forms
from django.utils.translation import gettext_lazy as _

from ikpob_portal.platform.antispam import AntiSpamMixin
from ikpob_portal.platform.email_addresses import EmailAddressField
from learning_circles.models import JoinRequest
from learning_circles.services import DUPLICATE_EMAIL_MESSAGE


class JoinRequestForm(AntiSpamMixin, forms.ModelForm):
    antispam_scope = "learning_circles.join"  # bound to one circle in __init__
    duplicate_message = DUPLICATE_EMAIL_MESSAGE

    consent = forms.BooleanField(
        label=_("Ik geef toestemming om deze gegevens te bewaren"),
        help_text=_(
            "De redactie gebruikt uw gegevens alleen om contact met u op te nemen over deze "
            "leerkring, en verwijdert ze na afhandeling. Meer daarover in de"
        ),
        error_messages={
            "required": _("Zonder uw toestemming kunnen we uw aanmelding niet bewaren.")
        },
    )

    class Meta:
        model = JoinRequest
        fields = ["organisation_name", "name", "email", "motivation"]
        # The normal form of the address, or a clear refusal (see platform/email_addresses).
        field_classes = {"email": EmailAddressField}
        labels = {
            "organisation_name": _("Organisatie"),
            "name": _("Naam"),
            "email": _("E-mailadres"),
            "motivation": _("Waarom wilt u meedoen?"),
        }
        help_texts = {
            "organisation_name": _("Bijvoorbeeld: Gemeente Berkelland."),
            "email": _("Hierop neemt de redactie contact met u op."),
            "motivation": _(
                "Een paar zinnen over uw vraag of ervaring is genoeg (hoogstens 3000 tekens)."
            ),
        }
        error_messages = {
            "organisation_name": {"required": _("Vul de naam van uw organisatie in.")},
            "name": {"required": _("Vul uw naam in.")},
            "email": {
                "required": _("Vul uw e-mailadres in."),
                "invalid": _("Vul een geldig e-mailadres in, zoals naam@organisatie.nl."),
            },
            "motivation": {
                "required": _("Vertel in een paar zinnen waarom u wilt meedoen."),
                "max_length": _("Uw motivatie is te lang: gebruik hoogstens 3000 tekens."),
            },
        }
        widgets = {
            "organisation_name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "motivation": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, circle, **kwargs) -> None:
        self.circle = circle
        # A form token handed out for one circle does not count for another.
        self.antispam_scope = f"learning_circles.join:{circle.pk}"
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]  # normalised by EmailAddressField
        already = JoinRequest.objects.filter(
            circle=self.circle,
            email__iexact=email,
            status__in=[JoinRequest.Status.NEW, JoinRequest.Status.CONTACTED],
        ).exists()
        if already:
            raise forms.ValidationError(self.duplicate_message, code="duplicate")
        return email

    def cleaned_data_for_model(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.Meta.fields}
