"""Spam protection for public forms without a CAPTCHA: a honeypot and a minimum fill time.

A form that mixes in `AntiSpamMixin` gets two extra fields:

- a honeypot (`website`): a text field that people never see or hear (the template wraps it
  in `aria-hidden`, with `tabindex="-1"`, and a CSS class hides it) but that form-filling
  robots fill in. Filled in: the submission is refused.
- a signed form token (`form_started`): when the form was handed out and a random nonce,
  signed with `django.core.signing` for the form's scope (one event, one circle: a token
  handed out for one does not count for another), so it cannot be forged or moved. A
  submission sooner than `settings.FORM_MIN_FILL_SECONDS` after that, or with a missing,
  forged, borrowed or expired token, is not accepted: the form comes back with the visitor's
  input and a fresh token, and sending it again a moment later works.
- single use: a submission that is otherwise valid claims the token's nonce in the shared
  cache (ikpob_portal/platform/ratelimit.py `claim`, with its per-process fallback), so one
  fetched form is accepted once; a replay gets the same "send it again" message and a fresh
  token. A form with errors in its fields does not use up its token, and a claimed token is
  replaced at once in the form's data, so a form shown again after a later refusal (a full
  session, a limit) carries one that still counts.

`FORM_MIN_FILL_SECONDS = 0` turns the token check off altogether (for tests and benchmarks
that post at once; production keeps the default). The honeypot and the token are checked in
`clean()`, so a refused submission is an invalid form and nothing is saved.
"""

import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from ikpob_portal.platform import ratelimit

HONEYPOT_FIELD = "website"
TIMESTAMP_FIELD = "form_started"
# A form left open longer than this must be sent again (with what was typed kept). Six hours
# covers a form opened in the morning and sent after lunch; it also bounds how long a token
# harvested from one display can be tried, and how long its claimed nonce must be remembered
# (in Redis, or in every process's fallback store while Redis is down).
MAX_AGE_SECONDS = 6 * 3600

RESUBMIT_MESSAGE = _(
    "Het formulier is nog niet verwerkt: controleer uw gegevens en verstuur het formulier opnieuw."
)
REFUSED_MESSAGE = _(
    "Het formulier kon niet worden verwerkt. Blijft dit gebeuren, neem dan contact met ons op."
)


def _salt(scope: str) -> str:
    return f"ikpob_portal.platform.antispam:{scope}"


def issue_timestamp(scope: str, *, issued_at: float | None = None) -> str:
    """A signed form token for the form `scope`: [handed out at (now, unless given), nonce]."""
    moment = int(time.time() if issued_at is None else issued_at)
    return signing.dumps([moment, secrets.token_urlsafe(12)], salt=_salt(scope))


def _read(value: str, scope: str) -> tuple[int, str] | None:
    try:
        content = signing.loads(value, salt=_salt(scope))
    except signing.BadSignature:
        return None
    if (
        not isinstance(content, list)
        or len(content) != 2
        or not isinstance(content[0], int)
        or not isinstance(content[1], str)
    ):
        return None
    return content[0], content[1]


def seconds_since_issued(value: str, scope: str) -> float | None:
    """How long ago `value` was issued for `scope`; None when it is missing or forged."""
    content = _read(value, scope)
    return None if content is None else time.time() - content[0]


def claim_token(value: str, scope: str) -> bool:
    """Use the token `value` (already checked) once: True the first time, False for a replay."""
    content = _read(value, scope)
    if content is None:
        return False
    key = f"antispam:{scope}:{content[1]}"
    return ratelimit.claim(key, timeout=MAX_AGE_SECONDS)


class AntiSpamMixin:
    """For a public `forms.Form` or `ModelForm`: put it first among the bases.

    `antispam_scope` names the form, so a token handed out for one form does not count for
    another; set it per instance, before `super().__init__`, to bind it to one event or circle
    (`events.register:<pk>`). Templates render the honeypot and the timestamp with
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
            # Shown again with what the visitor typed, and a token that will count.
            self.renew_token()
            raise forms.ValidationError(RESUBMIT_MESSAGE, code="resubmit")
        if self._errors:
            return cleaned_data  # shown again to correct: the token is not used up
        if not claim_token(self.cleaned_data[TIMESTAMP_FIELD], self.antispam_scope):
            # The same fetched form sent again (a double click, a replay): not processed twice.
            self.renew_token()
            raise forms.ValidationError(RESUBMIT_MESSAGE, code="resubmit")
        # Used: should the form be shown again after all (a refusal after validation), it
        # carries a token that counts.
        self.renew_token()
        return cleaned_data

    def renew_token(self) -> None:
        """Put a fresh token in the form's data, for when it is shown again."""
        self.data = self.data.copy()
        self.data[self.add_prefix(TIMESTAMP_FIELD)] = issue_timestamp(self.antispam_scope)
