"""Rate limits per visitor (ikpob_portal/platform/ratelimit.py): site search's 429 page, the public
forms' 429 answers, and limits counted in the process while the cache is down."""

import logging
import uuid

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import override_settings

from events.models import Registration
from learning_circles.models import JoinRequest
from tests.factories import make_event, make_learning_circle, make_publication
from tests.html import (
    card_titles,
    control,
    find_link,
    main,
    notices,
    page_heading,
    page_title,
    parse,
    text,
)

SEARCH_URL = "/zoeken/"
# Nothing listens here: a Redis that is down.
CLOSED_PORT = "redis://127.0.0.1:1/0"
TOO_OFTEN = "U heeft het formulier te vaak verstuurd. Probeer het over een uur opnieuw."


@pytest.fixture(autouse=True)
def _empty_rate_limit():
    """Every test starts with no attempts counted in the suite's local-memory cache. A Redis
    that a test points the cache at is never flushed: it may hold others' keys."""

    def clear() -> None:
        if isinstance(caches["default"], LocMemCache):
            cache.clear()

    clear()
    yield
    clear()


def cache_at(backend: str, location: str, **options):
    """Settings for a cache elsewhere, undone at the end of the fixture that uses them."""
    return override_settings(
        CACHES={"default": {"BACKEND": backend, "LOCATION": location, **options}}
    )


@pytest.fixture
def search_limit(settings):
    settings.SEARCH_RATE_LIMIT_PER_MINUTE = 3
    return 3


@pytest.fixture
def publication(db):
    return make_publication("Toezicht in de praktijk")


def search(client, q: str = "toezicht", prefix: str = "", **extra):
    return client.get(f"{prefix}{SEARCH_URL}", {"q": q}, **extra)


def use_up(client, limit: int, **extra) -> None:
    for _search in range(limit):
        assert search(client, **extra).status_code == 200


# --- Search -----------------------------------------------------------------------------------


def test_search_over_the_limit_gets_a_friendly_page_in_the_site_layout(
    client, publication, search_limit
):
    use_up(client, search_limit)

    response = search(client)

    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    page = parse(response, status=429)
    assert page.find("html").get("lang") == "nl"
    assert page_title(page) == "Even geduld · IKPOB"
    assert page_heading(page) == "Even geduld, u vraagt nu te veel tegelijk"
    assert "Probeer het over een minuut opnieuw." in text(page)
    assert find_link(page, text="Naar de homepage").get("href") == "/"
    assert find_link(page, text="Opnieuw proberen").get("href") == "/zoeken/?q=toezicht"
    # The site's header (with its search form) and footer are there as on every page.
    assert page.find("header") is not None
    assert page.find("footer") is not None
    assert card_titles(page) == []


def test_search_over_the_limit_is_explained_in_english_under_en(client, publication, search_limit):
    use_up(client, search_limit, prefix="/en")

    response = search(client, prefix="/en")

    page = parse(response, status=429)
    assert response["Retry-After"] == "60"
    assert page.find("html").get("lang") == "en"
    assert page_heading(page) == "Please wait: too many requests at once"
    assert "Please try again in a minute." in text(page)
    assert find_link(page, text="Go to the home page").get("href") == "/en/"
    assert find_link(page, text="Try again").get("href") == "/en/zoeken/?q=toezicht"


def test_search_429_page_is_never_stored(client, publication, search_limit):
    use_up(client, search_limit)

    response = search(client)

    assert response.status_code == 429
    assert "no-store" in response["Cache-Control"]


def test_search_limit_is_per_visitor(client, publication, search_limit):
    use_up(client, search_limit)
    assert search(client).status_code == 429

    response = search(client, REMOTE_ADDR="192.0.2.7")

    assert response.status_code == 200
    assert card_titles(response) == ["Toezicht in de praktijk"]


def test_search_limit_counts_per_visitor_behind_a_proxy(
    client, publication, search_limit, settings
):
    settings.NUM_PROXIES = 1
    use_up(client, search_limit, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert search(client, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429

    assert search(client, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200


def test_search_form_without_words_does_not_count(client, publication, search_limit):
    for _visit in range(search_limit * 2):
        assert client.get(SEARCH_URL).status_code == 200

    assert search(client).status_code == 200


def test_search_429_is_not_served_to_others_by_the_page_cache(
    client, publication, settings, search_limit
):
    settings.PAGE_CACHE = True
    for word in ("toezicht", "praktijk", "in"):
        assert search(client, word).status_code == 200
    assert search(client, "toezicht in").status_code == 429

    response = search(client, "toezicht in", REMOTE_ADDR="192.0.2.7")

    assert response.status_code == 200
    assert card_titles(response) == ["Toezicht in de praktijk"]


# --- The public forms -------------------------------------------------------------------------


@pytest.mark.django_db
def test_registration_over_the_limit_keeps_the_input_and_says_when_to_try_again(client, settings):
    settings.REGISTRATION_RATE_LIMIT_PER_HOUR = 1
    event = make_event("Slotconferentie")
    url = f"/evenementen/{event.slug}/aanmelden/"
    data = {
        "name": "Anna Jansen",
        "email": "anna@utrecht.nl",
        "organisation": "Gemeente Utrecht",
        "consent": "on",
    }
    client.post(url, data)

    response = client.post(url, {**data, "email": "bram@utrecht.nl", "name": "Bram de Vries"})

    page = parse(response, status=429)
    assert response["Retry-After"] == "3600"
    assert any(TOO_OFTEN in notice for notice in notices(page))
    assert control(page, "name").get("value") == "Bram de Vries"
    assert control(page, "email").get("value") == "bram@utrecht.nl"
    assert page_heading(page) == "Aanmelden"
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_join_over_the_limit_keeps_the_input_and_says_when_to_try_again(client, settings):
    settings.JOIN_RATE_LIMIT_PER_HOUR = 1
    circle = make_learning_circle("Toezicht in de praktijk")
    url = f"/leerkringen/{circle.slug}/aanmelden/"
    data = {
        "organisation_name": "Gemeente Berkelland",
        "name": "Anna Jansen",
        "email": "anna@berkelland.nl",
        "motivation": "Wij willen leren hoe andere gemeenten toezicht houden.",
        "consent": "on",
    }
    client.post(url, data)

    response = client.post(url, {**data, "email": "bram@berkelland.nl"})

    page = parse(response, status=429)
    assert response["Retry-After"] == "3600"
    assert any(TOO_OFTEN in notice for notice in notices(page))
    assert control(page, "email").get("value") == "bram@berkelland.nl"
    assert main(page).find("textarea", name="motivation").text == data["motivation"]
    assert JoinRequest.objects.count() == 1


# --- A shared Redis, and Redis down -----------------------------------------------------------


def test_search_limit_counts_in_redis(client, publication, search_limit):
    # A key prefix of its own: nothing else in this Redis is touched.
    redis = cache_at(
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/0",
        KEY_PREFIX=f"test-ratelimit-{uuid.uuid4().hex}",
    )
    with redis:
        use_up(client, search_limit)

        assert search(client).status_code == 429
        assert search(client, REMOTE_ADDR="192.0.2.7").status_code == 200


@pytest.fixture(
    params=[
        "django.core.cache.backends.redis.RedisCache",
        "ikpob_portal.platform.cache_backends.ResilientRedisCache",
    ],
    ids=["redis-raises", "redis-misses"],
)
def redis_down(request, settings):
    """Redis does not answer, with Django's backend (errors) and ours (errors become misses);
    the page and query caches are on, as they are in production with Redis."""
    settings.PAGE_CACHE = True
    settings.QUERY_CACHE = True
    with cache_at(request.param, CLOSED_PORT):
        yield


@pytest.mark.django_db
def test_search_is_still_limited_while_redis_is_down(client, publication, redis_down, settings):
    """Redis down: the limit is counted in the process instead (issue 17), not switched off."""
    settings.SEARCH_RATE_LIMIT_PER_MINUTE = 1

    responses = [search(client) for _search in range(3)]

    assert [response.status_code for response in responses] == [200, 429, 429]
    assert card_titles(responses[0]) == ["Toezicht in de praktijk"]


@pytest.mark.django_db
def test_registration_works_and_is_still_limited_while_redis_is_down(client, redis_down, settings):
    settings.REGISTRATION_RATE_LIMIT_PER_HOUR = 1
    event = make_event("Slotconferentie")
    url = f"/evenementen/{event.slug}/aanmelden/"

    statuses = [
        client.post(
            url,
            {
                "name": person.title(),
                "email": f"{person}@utrecht.nl",
                "organisation": "Gemeente Utrecht",
                "consent": "on",
            },
        ).status_code
        for person in ("anna", "bram")
    ]

    assert statuses == [302, 429]
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_join_works_and_is_still_limited_while_redis_is_down(client, redis_down, settings):
    settings.JOIN_RATE_LIMIT_PER_HOUR = 1
    circle = make_learning_circle("Toezicht in de praktijk")
    url = f"/leerkringen/{circle.slug}/aanmelden/"

    statuses = [
        client.post(
            url,
            {
                "organisation_name": "Gemeente Berkelland",
                "name": person.title(),
                "email": f"{person}@berkelland.nl",
                "motivation": "Wij willen leren hoe andere gemeenten toezicht houden.",
                "consent": "on",
            },
        ).status_code
        for person in ("anna", "bram")
    ]

    assert statuses == [302, 429]
    assert JoinRequest.objects.count() == 1


@pytest.mark.django_db
def test_operators_are_warned_when_the_limit_cannot_be_counted(client, publication, caplog):
    with (
        cache_at("django.core.cache.backends.redis.RedisCache", CLOSED_PORT),
        caplog.at_level(logging.WARNING, logger="ikpob_portal.platform.ratelimit"),
    ):
        assert search(client).status_code == 200

    warnings = [r for r in caplog.records if r.name == "ikpob_portal.platform.ratelimit"]
    assert len(warnings) == 1
    assert "'search'" in warnings[0].getMessage()
    assert "cache is unavailable" in warnings[0].getMessage()


# --- One search limit, and what counts as one visitor -------------------------------------------


@pytest.mark.parametrize(
    "path", ["/publicaties/", "/netwerk/", "/netwerk/personen/", "/leerkringen/", "/evenementen/"]
)
def test_a_list_text_query_counts_against_the_search_limit(client, publication, search_limit, path):
    use_up(client, search_limit)

    assert client.get(path, {"q": "toezicht"}).status_code == 429
    assert client.get(path).status_code == 200  # browsing a list without a query is not limited


def test_list_queries_use_up_the_site_search_too(client, publication, search_limit):
    for _query in range(search_limit):
        assert client.get("/publicaties/", {"q": "toezicht"}).status_code == 200

    assert search(client).status_code == 429


def test_addresses_in_one_ipv6_network_share_a_limit(client, publication, search_limit):
    use_up(client, search_limit, REMOTE_ADDR="2001:db8:1:2::10")

    assert search(client, REMOTE_ADDR="2001:db8:1:2:ffff::1").status_code == 429
    assert search(client, REMOTE_ADDR="2001:db8:1:3::10").status_code == 200


def test_a_forwarded_value_that_is_not_an_address_is_ignored(
    client, publication, search_limit, settings
):
    settings.NUM_PROXIES = 1
    use_up(client, search_limit, HTTP_X_FORWARDED_FOR="198.51.100.7")

    # Made-up text instead of an address: counted as the proxy's own address, not as new.
    spoofed = search(client, HTTP_X_FORWARDED_FOR="niet-een-adres", REMOTE_ADDR="192.0.2.1")
    assert spoofed.status_code == 200
    assert search(client, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429


# --- The per-process fallback (issue 17) --------------------------------------------------------


def test_local_store_counts_within_a_window_and_claims_once():
    from ikpob_portal.platform.ratelimit import LocalStore

    store = LocalStore()

    assert [store.count("k", 60) for _attempt in range(3)] == [1, 2, 3]
    assert store.claim("nonce", 60) is True
    assert store.claim("nonce", 60) is False


def test_local_store_stays_bounded_dropping_the_oldest_first():
    from ikpob_portal.platform.ratelimit import LocalStore

    store = LocalStore(max_keys=3)
    for key in ("a", "b", "c", "d"):
        store.claim(key, 60)

    assert store.claim("a", 60) is True  # the oldest made room
    assert store.claim("d", 60) is False  # the newest is still remembered


def test_local_store_counts_every_thread():
    import threading

    from ikpob_portal.platform.ratelimit import LocalStore

    store = LocalStore()
    threads = [
        threading.Thread(target=lambda: [store.count("k", 60) for _n in range(200)])
        for _thread in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert store.count("k", 60) == 8 * 200 + 1


@pytest.mark.django_db
def test_falling_back_is_logged_once_per_outage(client, publication, caplog):
    with (
        cache_at("ikpob_portal.platform.cache_backends.ResilientRedisCache", CLOSED_PORT),
        caplog.at_level(logging.WARNING, logger="ikpob_portal.platform.ratelimit"),
    ):
        for _search in range(3):
            search(client)

    warnings = [r for r in caplog.records if r.name == "ikpob_portal.platform.ratelimit"]
    assert len(warnings) == 1
    assert "counting in this process instead" in warnings[0].getMessage()
