"""One definition of "an e-mail address we accept", used by every form and every comparison.

Two addresses that look alike to a person must compare equal, or a duplicate check can be
passed with `dup@ｅxample.org` (a full-width e) beside `dup@example.org`. So an address is
normalised before it is checked, stored or compared:

- Unicode NFKC, so full-width letters, ligatures and the Kelvin sign become plain letters;
- the domain in its ASCII (IDNA) form, lower-case: `bücher.example` becomes
  `xn--bcher-kva.example`;
- the local part keeps its case (mail servers may treat it as case-sensitive); comparisons
  of addresses are case-insensitive (`email__iexact`, `Lower("email")` in constraints).

Some addresses are valid on paper but a mail server will refuse them, or they can be written
in more than one way: quoted local parts (`"dup"@example.org`), control characters, white
space and invisible (format) characters. Those are refused with a message that says what to
type instead. So are addresses no mail server takes: a local part over 64 characters, an
address over 254, and a domain written as an IP address (`dup@[127.0.0.1]`), which would
also let the portal send mail to machines of its own network.

The domain goes through Python's IDNA 2003 codec (nameprep), as it always did for mail: it
folds `ß` to `ss`, so `straße.de` and `strasse.de` compare equal. Rare, and erring towards
"the same mailbox" is the safe side for a duplicate check.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

INVALID_MESSAGE = _("Vul een geldig e-mailadres in, zoals naam@organisatie.nl.")
UNUSUAL_MESSAGE = _(
    "Dit e-mailadres kunnen we niet gebruiken: laat aanhalingstekens, spaties en "
    "onzichtbare tekens weg, zoals in naam@organisatie.nl."
)

# Control characters (C0, DEL, C1), white space of any kind and the format characters that
# make text look different from what it is (zero-width space and joiners, bidi overrides).
_UNSAFE = re.compile(
    r"[\x00-\x20\x7f-\xa0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]"
)

# Unicode categories of characters nobody types into an address on purpose: control, format
# (soft hyphen, Arabic letter mark, tags), surrogates, private use, unassigned, separators.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})

# RFC 5321: a local part of at most 64 octets; a path of at most 256, so 254 for the address.
MAX_LOCAL_LENGTH = 64
MAX_LENGTH = 254

# No "localhost": every address the portal mails is on a real domain.
_django_email_validator = EmailValidator(message=INVALID_MESSAGE, allowlist=[])


def normalise_email(value: str) -> str:
    """The one form in which `value` is stored and compared; ValidationError when unusable."""
    value = unicodedata.normalize("NFKC", value or "").strip()
    if not value:
        raise ValidationError(INVALID_MESSAGE, code="invalid")
    if (
        _UNSAFE.search(value)
        or '"' in value
        or "\\" in value
        or any(unicodedata.category(character) in _UNSAFE_CATEGORIES for character in value)
    ):
        raise ValidationError(UNUSUAL_MESSAGE, code="unusual")
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain or len(local) > MAX_LOCAL_LENGTH:
        raise ValidationError(INVALID_MESSAGE, code="invalid")
    if domain.startswith("["):
        # A domain literal (an IP address): valid on paper, never a mailbox of our audience.
        raise ValidationError(INVALID_MESSAGE, code="invalid")
    try:
        # Python's IDNA codec applies nameprep (which folds case) and punycode per label.
        ascii_domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise ValidationError(INVALID_MESSAGE, code="invalid") from None
    address = f"{local}@{ascii_domain}"
    if len(address) > MAX_LENGTH:
        raise ValidationError(INVALID_MESSAGE, code="invalid")
    _django_email_validator(address)
    return address


def normalise_stored_email(value: str) -> str:
    """For data already stored: the normal form, or the value as it was when it is unusable."""
    try:
        return normalise_email(value)
    except ValidationError:
        return value


def same_address(first: str, second: str) -> bool:
    """Whether two typed addresses reach the same mailbox as far as the portal can tell."""
    return normalise_stored_email(first).casefold() == normalise_stored_email(second).casefold()


class EmailAddressField(forms.EmailField):
    """A form's e-mail field that hands the view the normalised address (or a clear error)."""

    default_validators = []  # normalise_email runs Django's validator on the normal form

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return normalise_email(value)


def normalise_stored_addresses(rows: Iterable[Any], *, scope: str, holds_address: Callable) -> int:
    """For data migrations: store each row's `email` in its normal form; how many changed.

    `rows` come oldest first; `scope` names the field a unique constraint on `Lower("email")`
    is per (the event, the circle), and `holds_address(row)` says whether the row counts for
    that constraint (an active registration). Two such rows that were different addresses
    before but are one after (`dup@ｅxample.org` beside `dup@example.org`) cannot both have the
    normal form: the one that has it already, or else the oldest, gets it; the others stay as
    typed, so the migration never fails on the constraint. Unusable addresses stay as typed.
    """
    rows = list(rows)
    # Who holds each normal form: rows already in it (case aside) come first.
    holder: dict[tuple, Any] = {}
    for row in rows:
        normal = normalise_stored_email(row.email)
        if holds_address(row) and normal.casefold() == row.email.casefold():
            holder.setdefault((getattr(row, scope), normal.casefold()), row.pk)
    changed = 0
    for row in rows:
        normal = normalise_stored_email(row.email)
        if normal == row.email:
            continue
        if holds_address(row):
            key = (getattr(row, scope), normal.casefold())
            if holder.setdefault(key, row.pk) != row.pk:
                continue  # a duplicate from before the fix: left as typed
        row.email = normal
        row.save(update_fields=["email"])
        changed += 1
    return changed
