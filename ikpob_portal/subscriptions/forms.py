from functools import cached_property

from django import forms
from django.utils.translation import gettext_lazy as _

from ikpob_portal.kernel.models import Theme
from ikpob_portal.platform.antispam import AntiSpamMixin
from ikpob_portal.platform.email_addresses import EmailAddressField
from ikpob_portal.subscriptions import choices
from ikpob_portal.subscriptions.models import Subscription

NOTHING_CHOSEN = _(
    "Kies minstens één thema, een soort informatie, een zoekopdracht of de nieuwsbrief."
)


class ChoicesMixin:
    """The fields of what to follow, shared by the subscribe form and the preferences page."""

    def add_choice_fields(self) -> None:
        self.fields["themes"] = forms.ModelMultipleChoiceField(
            label=_("Thema's"),
            queryset=Theme.objects.order_by("name"),
            to_field_name="slug",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_(
                "Nieuwe en bijgewerkte publicaties, berichten, leerkringen en evenementen over "
                "deze thema's."
            ),
        )
        self.fields["kinds"] = forms.MultipleChoiceField(
            label=_("Alles van een soort"),
            choices=choices.alert_kind_choices(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Alles wat nieuw is van deze soort, over elk thema."),
        )
        self.fields["frequency"] = forms.ChoiceField(
            label=_("Hoe vaak wilt u een overzicht ontvangen?"),
            choices=Subscription.Frequency.choices,
            initial=Subscription.Frequency.WEEKLY,
            widget=forms.RadioSelect,
            help_text=_("Alleen als er iets nieuws is; anders krijgt u niets."),
            error_messages={"required": _("Kies hoe vaak u een overzicht wilt ontvangen.")},
        )
        self.fields["newsletter"] = forms.BooleanField(
            label=_("Ook de nieuwsbrief van Stichting IKPOB ontvangen"),
            required=False,
            help_text=_("Een paar keer per jaar, geschreven door de redactie."),
        )

    def chosen(self, search: choices.Search | None = None) -> choices.Choices:
        data = self.cleaned_data
        return choices.Choices(
            theme_ids=[theme.pk for theme in data.get("themes", [])],
            kinds=list(data.get("kinds", [])),
            frequency=data.get("frequency") or Subscription.Frequency.WEEKLY,
            newsletter=bool(data.get("newsletter")),
            search=search,
        )


class SubscribeForm(AntiSpamMixin, ChoicesMixin, forms.Form):
    """Subscribe without an account: an address and what to follow (double opt-in)."""

    antispam_scope = "subscriptions.subscribe"

    email = EmailAddressField(
        label=_("E-mailadres"),
        help_text=_("U krijgt eerst een e-mail met een link om uw aanmelding te bevestigen."),
        error_messages={
            "required": _("Vul uw e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in, zoals naam@organisatie.nl."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # A search or filtered list to follow ("Volg deze zoekopdracht"), carried along unseen.
    search_page = forms.CharField(required=False, widget=forms.HiddenInput)
    search_query = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.add_choice_fields()
        self.order_fields(["email", "themes", "kinds", "frequency", "newsletter"])

    @cached_property
    def search(self) -> choices.Search | None:
        """The search this form follows, checked (None without one or when it is unknown)."""
        page = self.data.get("search_page") if self.is_bound else self.initial.get("search_page")
        query = (
            self.data.get("search_query", "")
            if self.is_bound
            else self.initial.get("search_query", "")
        )
        return choices.saved_search(page, query) if page else None

    @property
    def unknown_search(self) -> bool:
        """A "Volg deze zoekopdracht" link whose search cannot be followed (shown on the GET)."""
        return not self.is_bound and bool(self.initial.get("search_page")) and self.search is None

    def clean(self) -> dict:
        data = super().clean()
        if data.get("search_page") and self.search is None:
            # Said once: the form comes back without the search, so it can be sent again.
            self.data = self.data.copy()
            self.data["search_page"] = self.data["search_query"] = ""
            raise forms.ValidationError(
                _("Deze zoekopdracht kunnen we niet volgen. Kies hieronder wat u wilt volgen."),
                code="unknown_search",
            )
        if not self.errors and self.chosen(self.search).is_empty():
            raise forms.ValidationError(NOTHING_CHOSEN, code="nothing_chosen")
        return data


class PreferencesForm(ChoicesMixin, forms.Form):
    """The preferences page behind the personal link in every mail."""

    def __init__(self, *args, subscription: Subscription, **kwargs) -> None:
        self.subscription = subscription
        kwargs.setdefault(
            "initial",
            {
                "themes": list(subscription.themes.all()),
                "kinds": subscription.kinds,
                "frequency": subscription.frequency,
                "newsletter": subscription.newsletter,
                "searches": list(subscription.searches.all()),
            },
        )
        super().__init__(*args, **kwargs)
        self.add_choice_fields()
        self.fields["searches"] = forms.ModelMultipleChoiceField(
            label=_("Bewaarde zoekopdrachten"),
            queryset=subscription.searches.all(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Haal het vinkje weg bij een zoekopdracht die u niet meer wilt volgen."),
        )
        self.order_fields(["themes", "kinds", "searches", "frequency", "newsletter"])
        if not subscription.searches.exists():
            del self.fields["searches"]

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and self.chosen().is_empty() and not data.get("searches"):
            raise forms.ValidationError(
                _(
                    "Kies minstens één onderwerp om te volgen. Wilt u niets meer ontvangen? "
                    "Meld u dan af met de link onderaan deze pagina."
                ),
                code="nothing_chosen",
            )
        return data
