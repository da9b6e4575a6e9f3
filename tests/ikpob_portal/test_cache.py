"""The shared page cache: anonymous visitors get stored pages, and every change shows at once."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Registration
from ikpob_portal.kernel.models import ZeroResultSearch
from ikpob_portal.platform import cache as page_cache_module
from publications.models import Publication
from tests.events.test_mail_outage import register_through_the_site
from tests.factories import (
    make_event,
    make_publication,
    make_registration,
    make_session,
    make_theme,
)
from tests.html import count_queries, facet_counts, results_heading

PUBLIC_PAGES_OF_A_PUBLICATION = [
    "/",
    "/publicaties/",
    "/themas/toezicht/",
    "/publicaties/feed/rss/",
    "/sitemap.xml",
]


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE = True
    cache.clear()


@pytest.fixture
def visitor() -> Client:
    return Client()


def served_from_cache(response) -> bool:
    return response.get("X-Page-Cache") == "hit"


def shows(client: Client, url: str, text: str) -> bool:
    response = client.get(url)
    assert response.status_code == 200, url
    return text in response.content.decode()


def publish_in_admin(editor_client: Client, publication: Publication, action: str) -> None:
    response = editor_client.post(
        reverse("admin:publications_publication_changelist"),
        {"action": action, "_selected_action": [publication.pk]},
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_page_cache_serves_an_anonymous_visitor_the_stored_page(visitor):
    make_publication("Leren van doen")
    first = visitor.get("/publicaties/")
    second = Client().get("/publicaties/")
    assert not served_from_cache(first)
    assert served_from_cache(second)
    assert second.content == first.content


@pytest.mark.django_db
def test_page_cache_shows_a_publication_an_editor_publishes_on_every_page(
    visitor, editor_client, django_capture_on_commit_callbacks
):
    theme = make_theme("Toezicht")
    make_publication("Al zichtbaar", themes=[theme])
    draft = make_publication("Inspecteurs over hun vak", themes=[theme], status="draft")
    for url in PUBLIC_PAGES_OF_A_PUBLICATION:
        assert not shows(visitor, url, "Inspecteurs over hun vak"), url
        assert served_from_cache(visitor.get(url)), url

    with django_capture_on_commit_callbacks(execute=True):
        publish_in_admin(editor_client, draft, "publish")

    for url in PUBLIC_PAGES_OF_A_PUBLICATION:
        assert shows(visitor, url, "inspecteurs-over-hun-vak"), url
    assert visitor.get(draft.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_page_cache_drops_a_publication_an_editor_unpublishes(
    visitor, editor_client, django_capture_on_commit_callbacks
):
    theme = make_theme("Toezicht")
    make_publication("Blijft staan", themes=[theme])
    publication = make_publication("Verschuivende verwachtingen", themes=[theme])
    detail = publication.get_absolute_url()
    for url in [*PUBLIC_PAGES_OF_A_PUBLICATION, detail]:
        assert shows(visitor, url, "verschuivende-verwachtingen"), url

    with django_capture_on_commit_callbacks(execute=True):
        publish_in_admin(editor_client, publication, "unpublish")

    for url in PUBLIC_PAGES_OF_A_PUBLICATION:
        assert not shows(visitor, url, "verschuivende-verwachtingen"), url
    assert visitor.get(detail).status_code == 404


@pytest.mark.django_db
def test_page_cache_shows_an_edited_title_and_a_renamed_theme(
    visitor, django_capture_on_commit_callbacks
):
    theme = make_theme("Toezicht")
    publication = make_publication("Oude titel", themes=[theme])
    detail = publication.get_absolute_url()
    assert shows(visitor, detail, "Oude titel")
    assert shows(visitor, detail, "Toezicht")

    with django_capture_on_commit_callbacks(execute=True):
        publication.title = "Nieuwe titel"
        publication.save()
    assert shows(visitor, detail, "Nieuwe titel")

    with django_capture_on_commit_callbacks(execute=True):
        theme.name = "Publiek toezicht"
        theme.save()
    assert shows(visitor, detail, "Publiek toezicht")


@pytest.mark.django_db
def test_page_cache_shows_a_change_only_after_it_is_committed(
    visitor, django_capture_on_commit_callbacks
):
    publication = make_publication("Voor de wijziging")
    detail = publication.get_absolute_url()
    assert shows(visitor, detail, "Voor de wijziging")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publication.title = "Na de wijziging"
        publication.save()
    # Not committed yet: the version is unchanged, so the stored page is still the answer.
    assert served_from_cache(visitor.get(detail))
    for callback in callbacks:
        callback()
    assert shows(visitor, detail, "Na de wijziging")


@pytest.mark.django_db
def test_page_cache_never_serves_or_stores_pages_of_a_logged_in_editor(visitor, editor_client):
    make_publication("Leren van doen")
    draft = make_publication("Nog een concept", status="draft")
    visitor.get("/publicaties/")
    editor_page = editor_client.get("/publicaties/")
    assert not served_from_cache(editor_page)
    preview = editor_client.get(draft.get_absolute_url())
    assert preview.status_code == 200
    assert not served_from_cache(editor_client.get(draft.get_absolute_url()))
    # The preview was not stored for anyone.
    assert visitor.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_page_cache_never_stores_a_page_with_a_form(visitor):
    event = make_event("Tussen Participatie en Populisme")
    url = reverse("events:register", args=[event.slug])
    first = visitor.get(url)
    second = Client().get(url)
    assert first.status_code == second.status_code == 200
    assert not served_from_cache(second)
    # Each visitor gets a CSRF token of their own, never one cached into the page.
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    # A visitor who has a token already still gets the form rendered for them.
    assert not served_from_cache(visitor.get(url))


@pytest.mark.django_db
def test_page_cache_never_stores_a_personal_registration_page(visitor):
    registration = make_registration(make_event("Slotcongres"))
    url = registration.get_absolute_url()
    visitor.get(url)
    assert not served_from_cache(Client().get(url))


@pytest.mark.django_db
def test_page_cache_shows_the_waiting_list_once_the_event_is_full(
    visitor, django_capture_on_commit_callbacks
):
    event = make_event("Webinar Leren van doen", capacity=1)
    url = event.get_absolute_url()
    before = visitor.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        make_registration(event)
    after = visitor.get(url)
    assert not served_from_cache(after)
    assert after.content.decode() != before


@pytest.mark.django_db
def test_page_cache_counts_every_search_without_results(visitor):
    for _ in range(3):
        visitor.get("/zoeken/", {"q": "onvindbaarwoord"})
    assert ZeroResultSearch.objects.get(query="onvindbaarwoord").count == 3


@pytest.mark.django_db
def test_page_cache_answers_a_conditional_get_with_304(visitor):
    publication = make_publication("Leren van doen")
    url = publication.get_absolute_url()
    first = visitor.get(url)
    assert first.has_header("ETag")
    assert first.has_header("Last-Modified")
    again = visitor.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.django_db
@pytest.mark.parametrize("page_cache_on", [True, False])
def test_detail_page_and_feed_answer_a_conditional_get(settings, visitor, page_cache_on):
    settings.PAGE_CACHE = page_cache_on
    publication = make_publication("Leren van doen")
    for url in [publication.get_absolute_url(), "/publicaties/feed/rss/"]:
        first = visitor.get(url)
        assert visitor.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304


@pytest.mark.django_db
def test_page_cache_off_serves_every_request_fresh(settings, visitor):
    settings.PAGE_CACHE = False
    make_publication("Leren van doen")
    visitor.get("/publicaties/")
    assert "X-Page-Cache" not in visitor.get("/publicaties/")


@pytest.mark.django_db
def test_page_cache_keeps_the_site_up_when_redis_is_down(settings, visitor):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    make_publication("Leren van doen")
    response = visitor.get("/publicaties/")
    assert response.status_code == 200
    assert "Leren van doen" in response.content.decode()


@pytest.mark.django_db
def test_query_cache_counts_once_and_recounts_after_a_change(
    settings, visitor, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE = False
    settings.QUERY_CACHE = True
    theme = make_theme("Toezicht")
    make_publication("Eerste", themes=[theme])
    url = "/publicaties/?thema=toezicht"
    cache.clear()
    with CaptureQueriesContext(connection) as counting:
        visitor.get(url)
    counted_afresh = len(counting)
    # Facets and the total now come from the cache.
    assert count_queries(visitor, url) < counted_afresh
    assert results_heading(visitor.get(url)).startswith("1 ")

    with django_capture_on_commit_callbacks(execute=True):
        make_publication("Tweede", themes=[theme])
    page = visitor.get(url)
    assert results_heading(page).startswith("2 ")
    assert facet_counts(page, "thema") == {"toezicht": 2}


# --- What a change makes stale ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_registration_refreshes_its_event_page_and_the_agenda_and_leaves_other_pages_stored(
    visitor, django_capture_on_commit_callbacks
):
    theme = make_theme("Toezicht")
    publication = make_publication("Leren van doen", themes=[theme])
    event = make_event("Congres Vakmanschap", capacity=5, themes=[theme])
    other_event = make_event("Webinar Toezicht", capacity=5)
    showing_places = [event.get_absolute_url(), "/evenementen/", "/themas/toezicht/"]
    not_showing_them = [
        publication.get_absolute_url(),
        "/publicaties/",
        "/publicaties/feed/rss/",
        other_event.get_absolute_url(),
    ]
    for url in showing_places:
        assert shows(visitor, url, "Nog 5 plaatsen"), url
    for url in not_showing_them:
        visitor.get(url)
    version = page_cache_module.content_version()

    with django_capture_on_commit_callbacks(execute=True):
        register_through_the_site(Client(), event, 1)

    assert Registration.objects.filter(event=event).count() == 1
    # Registrations move their event's scope, never the version every page depends on.
    assert page_cache_module.content_version() == version
    for url in showing_places:
        assert shows(visitor, url, "Nog 4 plaatsen"), url
        assert served_from_cache(visitor.get(url)), url
    for url in not_showing_them:
        assert served_from_cache(visitor.get(url)), url


@pytest.mark.django_db
def test_a_publication_edit_refreshes_its_page_lists_theme_feed_and_search(
    visitor, django_capture_on_commit_callbacks
):
    theme = make_theme("Toezicht")
    publication = make_publication("Oude titel over toezicht", themes=[theme])
    pages = [
        publication.get_absolute_url(),
        "/",
        "/publicaties/",
        "/themas/toezicht/",
        "/publicaties/feed/rss/",
        "/zoeken/?q=toezicht",
    ]
    for url in pages:
        assert shows(visitor, url, "Oude titel over toezicht"), url
        assert served_from_cache(visitor.get(url)), url

    with django_capture_on_commit_callbacks(execute=True):
        publication.title = "Nieuwe titel over toezicht"
        publication.save()

    for url in pages:
        assert shows(visitor, url, "Nieuwe titel over toezicht"), url


@pytest.mark.django_db
def test_a_registration_choosing_another_session_refreshes_its_event_page_only(
    visitor, django_capture_on_commit_callbacks
):
    event = make_event("Congres Vakmanschap", capacity=10)
    first = make_session(event, "Werkplaats toezicht", slot=1, capacity=3)
    second = make_session(event, "Werkplaats leren", slot=1, capacity=3)
    registration = make_registration(event, sessions=[first])
    publication = make_publication("Leren van doen")
    visitor.get(publication.get_absolute_url())
    assert shows(visitor, event.get_absolute_url(), "Nog 2 plaatsen")
    version = page_cache_module.content_version()

    with django_capture_on_commit_callbacks(execute=True):
        registration.sessions.set([second])
    assert not served_from_cache(visitor.get(event.get_absolute_url()))
    with django_capture_on_commit_callbacks(execute=True):
        registration.delete()

    assert page_cache_module.content_version() == version
    assert not shows(visitor, event.get_absolute_url(), "Nog 2 plaatsen")
    assert served_from_cache(visitor.get(publication.get_absolute_url()))


def _places_page(request):
    page_cache_module.shows("event:1")
    return HttpResponse("Nog 3 plaatsen")


def _places_page_with_a_registration_meanwhile(request):
    page_cache_module.shows("event:1")
    page_cache_module.bump("event:1")  # a registration commits while the page renders
    return HttpResponse("Nog 3 plaatsen")


def test_a_page_is_stored_with_the_scopes_it_shows_and_served_until_one_moves():
    cache.clear()
    middleware = page_cache_module.PageCacheMiddleware(_places_page)
    assert middleware(RequestFactory().get("/evenementen/x/"))["X-Page-Cache"] == "miss"
    assert middleware(RequestFactory().get("/evenementen/x/"))["X-Page-Cache"] == "hit"
    page_cache_module.bump("event:2")
    assert middleware(RequestFactory().get("/evenementen/x/"))["X-Page-Cache"] == "hit"
    page_cache_module.bump("event:1")
    assert middleware(RequestFactory().get("/evenementen/x/"))["X-Page-Cache"] == "miss"


def test_a_page_whose_scope_moves_while_it_renders_is_not_stored():
    cache.clear()
    middleware = page_cache_module.PageCacheMiddleware(_places_page_with_a_registration_meanwhile)
    middleware(RequestFactory().get("/evenementen/x/"))
    # Its places left may be older than the scope's version now: rendered again next time.
    assert middleware(RequestFactory().get("/evenementen/x/"))["X-Page-Cache"] == "miss"
