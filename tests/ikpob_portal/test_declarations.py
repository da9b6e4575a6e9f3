"""What the apps declare to the platform: which models are content for the page cache, and
which paths are personal (never cached, never listed for robots, blanked in logs)."""

import logging

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from taggit.models import Tag

from events.declarations import REGISTRATION_PATH
from events.models import Event, Registration
from ikpob_portal.kernel.models import Theme, ZeroResultSearch
from ikpob_portal.platform import declarations
from ikpob_portal.platform.cache import is_content_model, request_is_cacheable
from ikpob_portal.platform.logs import JsonFormatter, without_personal_data
from ikpob_portal.sitemaps import disallowed_paths
from learning_circles.models import JoinRequest, LearningCircle
from network.models import Organisation
from publications.models import Publication
from tests.factories import make_event, make_registration


@pytest.fixture
def personal_path(monkeypatch) -> str:
    """One more personal path, as an app would declare it."""
    monkeypatch.setattr(declarations, "_personal_paths", list(declarations.personal_paths()))
    declarations.declare_personal_path("mijn-verzoek/")
    return "mijn-verzoek/"


def test_content_models_are_what_the_apps_declare():
    for model in (Publication, LearningCircle, Event, Registration, Organisation, Theme, Tag):
        assert is_content_model(model), model
    for model in (ZeroResultSearch, JoinRequest, User, Session):
        assert not is_content_model(model), model


def test_what_the_public_writes_about_an_event_moves_only_that_events_scope(db):
    event = make_event("Slotcongres")
    registration = make_registration(event)
    assert declarations.scopes_of(Registration, registration) == (f"event:{event.pk}",)
    # Editors' changes are not scoped: they move the content version every page depends on.
    assert declarations.scopes_of(Event, event) is None
    assert declarations.scopes_of(Publication, Publication()) is None


def test_the_registration_page_is_the_declared_personal_path(db):
    registration = make_registration(make_event("Slotcongres"))

    assert registration.get_absolute_url().startswith(f"/{REGISTRATION_PATH}")
    assert REGISTRATION_PATH in declarations.personal_paths()


def test_a_declared_personal_path_is_never_cached_in_any_language(rf, personal_path):
    for path in ("/mijn-verzoek/Zx81-token/", "/en/mijn-verzoek/Zx81-token/"):
        assert not request_is_cacheable(rf.get(path)), path
    assert request_is_cacheable(rf.get("/publicaties/"))
    assert request_is_cacheable(rf.get("/en/publicaties/"))


def test_a_declared_personal_path_is_blanked_in_logs_and_mails(rf, personal_path):
    request = rf.get("/en/mijn-verzoek/Zx81-geheim_token/")
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (request.path,), None
    )
    record.request = request

    line = JsonFormatter().format(record)

    assert "Zx81-geheim_token" not in line
    assert "/en/mijn-verzoek/[code]/" in line
    assert (
        without_personal_data("https://ikpob.nl/mijn-verzoek/abc-123/ en /aanmelding/xyz_9/")
        == "https://ikpob.nl/mijn-verzoek/[code]/ en /aanmelding/[code]/"
    )


def test_a_declared_personal_path_is_disallowed_for_robots(personal_path):
    assert {"/mijn-verzoek/", "/en/mijn-verzoek/", "/aanmelding/", "/en/aanmelding/"} <= set(
        disallowed_paths()
    )


def test_a_personal_path_is_declared_without_a_leading_slash():
    for wrong in ("/verzoek/", "verzoek", ""):
        with pytest.raises(ValueError, match="a personal path looks like"):
            declarations.declare_personal_path(wrong)
