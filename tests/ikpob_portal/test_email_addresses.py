import pytest
from django.core.exceptions import ValidationError

from ikpob_portal.platform.email_addresses import (
    EmailAddressField,
    normalise_email,
    normalise_stored_email,
    same_address,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("dup@example.org", "dup@example.org"),
        ("  dup@example.org ", "dup@example.org"),
        ("dup@\uff45xample.org", "dup@example.org"),  # full-width e
        ("dup@\u212aelvin.example", "dup@kelvin.example"),  # Kelvin sign
        ("dup@EXAMPLE.org", "dup@example.org"),
        ("Jan.Jansen@Bücher.example", "Jan.Jansen@xn--bcher-kva.example"),
    ],
)
def test_normalise_email_gives_one_form_per_mailbox(typed, stored):
    assert normalise_email(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        '"dup"@example.org',
        '"a\x0bb"@example.org',
        "a b@example.org",
        "dup@example.org\u200b",
        "dup\x00@example.org",
        "dup@exa\u202emple.org",
        "dup@example.org\u061c",  # Arabic letter mark (a format character)
        "dup\u00ad@example.org",  # soft hyphen
        "dup@exa\u00admple.org",
        "dup@example.org\U000e0041",  # a tag character
    ],
)
def test_normalise_email_refuses_addresses_that_cannot_be_mailed_or_hide_characters(typed):
    with pytest.raises(ValidationError) as error:
        normalise_email(typed)
    assert "aanhalingstekens" in str(error.value)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "dup",
        "dup@",
        "@example.org",
        "dup@localhost",
        "dup@[127.0.0.1]",
        "dup@[IPv6:::1]",
        "a" * 65 + "@example.org",
        "dup@" + "a" * 63 + "." + "b" * 63 + "." + "c" * 63 + "." + "d" * 60 + ".org",
    ],
)
def test_normalise_email_refuses_what_is_no_address(typed):
    with pytest.raises(ValidationError) as error:
        normalise_email(typed)
    assert "naam@organisatie.nl" in str(error.value)


def test_same_address_ignores_case_and_lookalike_characters():
    assert same_address("Dup@Example.org", "dup@\uff45xample.org")
    assert not same_address("dup@example.org", "dup2@example.org")


def test_stored_addresses_that_cannot_be_normalised_stay_as_they_were():
    assert normalise_stored_email('"a\x0bb"@example.org') == '"a\x0bb"@example.org'


def test_email_address_field_hands_the_normal_form_to_the_view():
    field = EmailAddressField()
    assert field.clean("dup@\uff45xample.org") == "dup@example.org"
    with pytest.raises(ValidationError):
        field.clean('"dup"@example.org')
