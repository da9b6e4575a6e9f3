import pytest

from tests.html import Heading, headings, text

# The header and footer menus are pages from the database.
pytestmark = pytest.mark.django_db


def test_privacy_statement_explains_event_registrations_and_join_requests(client):
    response = client.get("/privacy/")

    assert Heading(2, "Als u zich aanmeldt voor een evenement") in headings(response)
    assert Heading(2, "Als u wilt meedoen met een leerkring") in headings(response)
    page = text(response)
    assert "wensen voor toegankelijkheid of eten" in page
    assert "persoonlijke link" in page


def test_privacy_statement_names_the_configured_retention_period(client, settings):
    settings.REGISTRATION_RETENTION_DAYS = 14

    page = text(client.get("/privacy/"))

    assert "14 dagen na afloop verwijderd" in page
    assert "30 dagen" not in page


def test_privacy_statement_says_what_the_statistics_count(client):
    page = text(client.get("/privacy/"))
    english = text(client.get("/en/privacy/"))

    assert "geen cookies" in page
    assert "geen IP-adres" in page
    assert "no cookies" in english
    assert "no IP address" in english
