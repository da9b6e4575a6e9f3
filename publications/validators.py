"""Format checks for identifiers editors type in: ISBN and DOI. The PDF itself is checked by
`ikpob_portal.platform.uploads.validate_pdf`, imported here because migration 0001 names
this module."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ikpob_portal.platform.uploads import validate_pdf  # noqa: F401

DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")


def normalise_isbn(value: str) -> str:
    return re.sub(r"[\s-]", "", value).upper()


def validate_isbn(value: str) -> None:
    digits = normalise_isbn(value)
    if len(digits) == 10 and re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if char == "X" else int(char)) for i, char in enumerate(digits))
        if total % 11 == 0:
            return
    elif len(digits) == 13 and digits.isdigit():
        total = sum(int(char) * (1 if i % 2 == 0 else 3) for i, char in enumerate(digits))
        if total % 10 == 0:
            return
    raise ValidationError(
        _(
            "Dit is geen geldig ISBN. Vul 10 of 13 cijfers in (streepjes mogen), "
            "bijvoorbeeld 978-90-446-3093-0; controleer ook het laatste cijfer."
        ),
        code="invalid_isbn",
    )


def normalise_doi(value: str) -> str:
    value = value.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if value.lower().startswith(prefix):
            return value[len(prefix) :]
    return value


def validate_doi(value: str) -> None:
    if not DOI_PATTERN.match(normalise_doi(value)):
        raise ValidationError(
            _("Dit is geen geldige DOI. Een DOI begint met '10.', bijvoorbeeld 10.1234/abc.2020."),
            code="invalid_doi",
        )
