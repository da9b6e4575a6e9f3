"""The home page editors curate: an intro and featured items of any kind, in their order, each
until its end date; without picks the page fills itself (the flagship event, the newest)."""

import time
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ikpob_portal.kernel.models import Publishable
from ikpob_portal.pages.models import FeaturedItem, HomePage
from tests.factories import (
    make_event,
    make_learning_circle,
    make_news_item,
    make_organisation,
    make_page,
    make_person,
    make_publication,
)
from tests.html import card_titles, count_queries, section, section_headings


def feature(item, *, position: int = 0, until=None) -> FeaturedItem:
    return FeaturedItem.objects.create(
        home=HomePage.load(),
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        position=position,
        until=until,
    )


def picks(response) -> list[str]:
    if "Uitgelicht" not in section_headings(response):
        return []
    return card_titles(section(response, "Uitgelicht"))


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE = True
    cache.clear()


@pytest.mark.django_db
def test_home_shows_featured_items_in_their_order(client):
    feature(make_publication("Leren van doen"), position=2)
    feature(make_event("Tussen Participatie en Populisme"), position=1)
    feature(make_page("Over IKPOB", slug="over-ikpob"), position=3)

    response = client.get("/")

    assert picks(response) == ["Tussen Participatie en Populisme", "Leren van doen", "Over IKPOB"]


@pytest.mark.django_db
def test_home_hides_a_featured_item_whose_target_is_not_published(client):
    feature(make_publication("Concept", status=Publishable.Status.DRAFT), position=1)
    future = timezone.now() + timedelta(days=2)
    feature(make_publication("Later", published_at=future), position=2)
    feature(make_publication("Leren van doen"), position=3)

    assert picks(client.get("/")) == ["Leren van doen"]


@pytest.mark.django_db
def test_home_hides_a_featured_item_after_its_end_date_without_an_edit(
    client, page_cache, settings, monkeypatch
):
    settings.PAGE_CACHE_SECONDS = 7 * 24 * 3600  # a long time: the end date must cut it short
    today = timezone.localdate()
    feature(make_publication("Leren van doen"), until=today)
    feature(make_publication("Blijft staan"), position=1)
    assert picks(client.get("/")) == ["Leren van doen", "Blijft staan"]
    assert Client().get("/")["X-Page-Cache"] == "hit"

    # The next day, nobody having saved anything: the stored page has expired at midnight.
    real_now, real_time = timezone.now, time.time
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(days=1))
    monkeypatch.setattr(time, "time", lambda: real_time() + 24 * 3600)
    response = Client().get("/")

    assert response["X-Page-Cache"] == "miss"
    assert picks(response) == ["Blijft staan"]


@pytest.mark.django_db
def test_home_without_picks_shows_the_flagship_event_and_the_newest(client):
    make_event("Tussen Participatie en Populisme", featured=True)
    make_publication("Leren van doen")

    response = client.get("/")

    assert picks(response) == []
    assert "Tussen Participatie en Populisme" in response.content.decode()
    assert "Leren van doen" in card_titles(section(response, "Nieuwste publicaties"))


@pytest.mark.django_db
def test_home_with_picks_shows_them_instead_of_the_flagship_block(client):
    make_event("Tussen Participatie en Populisme", featured=True)
    feature(make_publication("Leren van doen"))

    response = client.get("/")

    assert picks(response) == ["Leren van doen"]
    assert "home-featured" not in response.content.decode()


@pytest.mark.django_db
def test_home_intro_is_the_editors_markdown(client):
    home = HomePage.load()
    home.intro = "Welkom bij **IKPOB**."
    home.save()

    response = client.get("/")

    assert "Welkom bij <strong>IKPOB</strong>." in response.content.decode()


@pytest.mark.django_db
def test_home_cache_follows_an_edit_of_the_featured_items(
    page_cache, editor_client, django_capture_on_commit_callbacks
):
    publication = make_publication("Leren van doen")
    visitor = Client()
    assert picks(visitor.get("/")) == []
    assert Client().get("/")["X-Page-Cache"] == "hit"

    content_type = ContentType.objects.get_for_model(publication)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:pages_homepage_change", args=[HomePage.load().pk]),
            {
                "intro": "Nieuw op de site.",
                "featured_items-TOTAL_FORMS": "1",
                "featured_items-INITIAL_FORMS": "0",
                "featured_items-MIN_NUM_FORMS": "0",
                "featured_items-MAX_NUM_FORMS": "1000",
                "featured_items-0-item": f"{content_type.pk}:{publication.pk}",
                "featured_items-0-position": "0",
                "featured_items-0-until": "",
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]

    after = Client().get("/")
    assert after["X-Page-Cache"] == "miss"
    assert picks(after) == ["Leren van doen"]
    assert "Nieuw op de site." in after.content.decode()


@pytest.mark.django_db
def test_admin_refuses_the_same_item_twice(editor_client):
    publication = make_publication("Leren van doen")
    content_type = ContentType.objects.get_for_model(publication)
    value = f"{content_type.pk}:{publication.pk}"

    response = editor_client.post(
        reverse("admin:pages_homepage_change", args=[HomePage.load().pk]),
        {
            "intro": "",
            "featured_items-TOTAL_FORMS": "2",
            "featured_items-INITIAL_FORMS": "0",
            "featured_items-MIN_NUM_FORMS": "0",
            "featured_items-MAX_NUM_FORMS": "1000",
            "featured_items-0-item": value,
            "featured_items-0-position": "0",
            "featured_items-1-item": value,
            "featured_items-1-position": "1",
        },
    )

    assert response.status_code == 200
    assert "Elk item kan maar één keer worden uitgelicht." in response.content.decode()
    assert not FeaturedItem.objects.exists()


@pytest.mark.django_db
def test_admin_home_page_list_holds_the_one_settings_page(editor_client):
    response = editor_client.get(reverse("admin:pages_homepage_changelist"))

    change_url = reverse("admin:pages_homepage_change", args=[HomePage.SINGLETON_PK])
    assert response.status_code == 200
    assert f'href="{change_url}"' in response.content.decode()
    assert editor_client.get(change_url).status_code == 200


# Measured: the home page itself (themes, each kind's newest, the agenda, the menus), the
# settings and the picks (2), then per kind of pick its items with what its cards prefetch.
HOME_QUERY_CAP = 42


@pytest.mark.django_db
def test_home_query_count_does_not_grow_with_featured_items(client):
    makers = [
        make_publication,
        make_event,
        make_learning_circle,
        make_organisation,
        lambda title: make_person("Anna", title.replace(" ", "")),
        make_page,
        make_news_item,
    ]
    for maker in makers:
        feature(maker(f"Eerste {maker.__name__}"))
    few = count_queries(client, "/")

    for round_ in range(3):
        for position, maker in enumerate(makers):
            feature(maker(f"Nog een {round_} {position}"), position=10 + position)
    many = count_queries(client, "/")

    assert len(picks(client.get("/"))) == 4 * len(makers)
    assert many == few
    assert many <= HOME_QUERY_CAP
