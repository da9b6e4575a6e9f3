"""Identifiers of people and organisations: ORCID, TOOI and ROR, checked to the digit."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ORCID_PATTERN = re.compile(r"^(?:https://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$")
TOOI_PATTERN = re.compile(r"^https://identifier\.overheid\.nl/tooi/id/[a-z_]+/[a-z_]+\d+$")
ROR_PATTERN = re.compile(r"^(?:https://ror\.org/)?(0[0-9a-hjkmnp-tv-z]{6}\d{2})$")
CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


def normalise_orcid(value: str) -> str:
    """'https://orcid.org/0000-0002-1825-0097' and '0000-0002-1825-0097' are the same iD."""
    match = ORCID_PATTERN.match(value.strip())
    return match.group(1) if match else value.strip()


def orcid_check_digit(base_digits: str) -> str:
    """ISO 7064 MOD 11-2, as ORCID specifies."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def validate_orcid(value: str) -> None:
    match = ORCID_PATTERN.match(value.strip())
    if match:
        digits = match.group(1).replace("-", "")
        if orcid_check_digit(digits[:-1]) == digits[-1]:
            return
    raise ValidationError(
        _(
            "Dit is geen geldig ORCID iD. Het bestaat uit vier groepen van vier cijfers, "
            "bijvoorbeeld 0000-0002-1825-0097; controleer ook het laatste teken."
        ),
        code="invalid_orcid",
    )


def validate_tooi(value: str) -> None:
    if not TOOI_PATTERN.match(value.strip()):
        raise ValidationError(
            _(
                "Dit is geen TOOI-identificatie. Gebruik de volledige URI, bijvoorbeeld "
                "https://identifier.overheid.nl/tooi/id/gemeente/gm1859."
            ),
            code="invalid_tooi",
        )


def normalise_ror(value: str) -> str:
    match = ROR_PATTERN.match(value.strip().lower())
    return f"https://ror.org/{match.group(1)}" if match else value.strip()


def ror_checksum(six_chars: str) -> int:
    """ISO 7064 MOD 97-10 over the Crockford base32 value, as ROR specifies."""
    number = 0
    for char in six_chars:
        number = number * 32 + CROCKFORD.index(char)
    return 98 - (number * 100) % 97


def validate_ror(value: str) -> None:
    match = ROR_PATTERN.match(value.strip().lower())
    if match:
        identifier = match.group(1)
        if ror_checksum(identifier[1:7]) == int(identifier[7:]):
            return
    raise ValidationError(
        _(
            "Dit is geen geldige ROR-identificatie. Gebruik de vorm https://ror.org/ gevolgd "
            "door negen tekens, bijvoorbeeld https://ror.org/04b8v1s79."
        ),
        code="invalid_ror",
    )
