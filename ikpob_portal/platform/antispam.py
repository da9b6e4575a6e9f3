"""Spam protection for public forms without a CAPTCHA: a honeypot and a minimum fill time.

A form that mixes in `AntiSpamMixin` gets two extra fields:

- a honeypot (`website`): a text field that people never see or hear (the template wraps it
  in `aria-hidden`, with `tabindex="-1"`, and a CSS class hides it) but that form-filling
  robots fill in. Filled in: the submission is refused.
- a signed timestamp (`form_started`): when the form was handed out, signed with
  `django.core.signing`, so it cannot be forged. A submission sooner than
  `settings.FORM_MIN_FILL_SECONDS` after that, or with a missing, forged or expired timestamp,
  is not accepted: the form comes back with the visitor's input and a fresh timestamp, and
  sending it again a moment later works. `FORM_MIN_FILL_SECONDS = 0` turns the timing check off.

Both are checked in `clean()`, so a refused submission is an invalid form and nothing is saved.
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "website"
TIMESTAMP_FIELD = "form_started"
# A form left open longer than this (a tab kept overnight and more) must be sent again.
MAX_AGE_SECONDS = 2 * 24 * 3600

RESUBMIT_MESSAGE = _(
    "Het formulier is nog niet verwerkt: controleer uw gegevens en verstuur het formulier opnieuw."
)
REFUSED_MESSAGE = _(
    "Het formulier kon niet worden verwerkt. Blijft dit gebeuren, neem dan contact met ons op."
)


def _salt(scope: str) -> str:
    return f"ikpob_portal.platform.antispam:{scope}"


def issue_timestamp(scope: str, *, issued_at: float | None = None) -> str:
    """A signed 'this form was handed out at' for the form `scope` (now, unless given)."""
    moment = int(time.time() if issued_at is None else issued_at)
    return signing.dumps(moment, salt=_salt(scope))


def seconds_since_issued(value: str, scope: str) -> float | None:
    """How long ago `value` was issued for `scope`; None when it is missing or forged."""
    try:
        issued_at = signing.loads(value, salt=_salt(scope))
    except signing.BadSignature:
        return None
    if not isinstance(issued_at, int):
        return None
    return time.time() - issued_at


class AntiSpamMixin:
    """For a public `forms.Form` or `ModelForm`: put it first among the bases.

    `antispam_scope` names the form, so a timestamp handed out for one form does not count
    for another. Templates render the honeypot and the timestamp with
    `{% include "includes/antispam_fields.html" %}` and loop over `form.visible_fields`,
    which leaves the honeypot out.
    """

    antispam_scope: str

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Laat dit veld leeg"),
            required=False,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )
        self.fields[TIMESTAMP_FIELD] = forms.CharField(
            required=False,
            widget=forms.HiddenInput,
            initial=issue_timestamp(self.antispam_scope),
        )
        # True when the honeypot was filled in: the view answers 400 then.
        self.refused = False

    @property
    def only_needs_resending(self) -> bool:
        """True when the one problem is that the form came back too soon: nothing the visitor
        typed is wrong, so the page asks kindly to check and send again (no "error")."""
        errors = self.errors.as_data()
        return list(errors) == [NON_FIELD_ERRORS] and all(
            error.code == "resubmit" for error in errors[NON_FIELD_ERRORS]
        )

    @property
    def honeypot(self) -> forms.BoundField:
        return self[HONEYPOT_FIELD]

    def visible_fields(self) -> list[forms.BoundField]:
        return [field for field in super().visible_fields() if field.name != HONEYPOT_FIELD]

    def clean(self) -> dict:
        cleaned_data = super().clean()
        if self.cleaned_data.get(HONEYPOT_FIELD):
            self.refused = True
            raise forms.ValidationError(REFUSED_MESSAGE, code="refused")
        minimum = settings.FORM_MIN_FILL_SECONDS
        if minimum <= 0:
            return cleaned_data
        elapsed = seconds_since_issued(
            self.cleaned_data.get(TIMESTAMP_FIELD, ""), self.antispam_scope
        )
        if elapsed is None or not minimum <= elapsed <= MAX_AGE_SECONDS:
            # Shown again with what the visitor typed, and a timestamp that will count.
            self.data = self.data.copy()
            self.data[self.add_prefix(TIMESTAMP_FIELD)] = issue_timestamp(self.antispam_scope)
            raise forms.ValidationError(RESUBMIT_MESSAGE, code="resubmit")
        return cleaned_data
