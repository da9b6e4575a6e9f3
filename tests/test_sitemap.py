"""/sitemap.xml lists every published page, built from the registry; /robots.txt points to it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ikpob_portal.kernel import registry
from network.models import Organisation
from publications.models import Publication
from tests.factories import (
    make_event,
    make_learning_circle,
    make_news_item,
    make_organisation,
    make_page,
    make_person,
    make_publication,
    make_theme,
)
from tests.html import sitemap

HOST = "http://testserver"
FIXED_PAGES = {
    "/",
    "/publicaties/",
    "/actueel/",
    "/leerkringen/",
    "/evenementen/",
    "/evenementen/archief/",
    "/netwerk/",
    "/netwerk/personen/",
    "/netwerk/deelname/",
    "/themas/",
    "/privacy/",
    "/toegankelijkheid/",
}
DRAFT = {"status": Publication.Status.DRAFT}


def scheduled() -> dict:
    return {"published_at": timezone.now() + timedelta(days=1)}


@pytest.fixture
def content(db):
    """Published items of every kind, and drafts and scheduled items beside them."""
    toezicht, leeg = make_theme("Toezicht"), make_theme("Nog leeg")
    organisation = make_organisation("NSOB", themes=[toezicht])
    return {
        "published": [
            make_publication("Essay", themes=[toezicht]),
            make_learning_circle("Kring", themes=[toezicht]),
            organisation,
            make_person("Anna", "Bos"),
            make_event(title="Congres", themes=[toezicht]),
            make_page("Over IKPOB", slug="over-ikpob"),
            make_news_item("Interview", themes=[toezicht]),
        ],
        "hidden": [
            make_publication("Concept", themes=[leeg], **DRAFT),
            make_publication("Gepland", themes=[leeg], **scheduled()),
            make_learning_circle("Conceptkring", **DRAFT),
            make_organisation("Conceptorganisatie", **DRAFT),
            make_person("Bert", "Verborgen", **scheduled()),
            make_event(title="Conceptcongres", **DRAFT),
            make_page("Conceptpagina", **DRAFT),
            make_news_item("Conceptbericht", **DRAFT),
        ],
        "themes": {"with_content": toezicht, "empty": leeg},
    }


def paths(entries: dict) -> set[str]:
    assert all(loc.startswith(HOST) for loc in entries), "sitemap URLs are absolute"
    return {loc.removeprefix(HOST) for loc in entries}


@pytest.mark.django_db
def test_sitemap_lists_the_event_archive_and_the_participation_table(client):
    entries = paths(sitemap(client.get("/sitemap.xml")))

    assert "/evenementen/archief/" in entries
    assert "/netwerk/deelname/" in entries
    assert client.get("/evenementen/archief/").status_code == 200
    assert client.get("/netwerk/deelname/").status_code == 200


@pytest.mark.django_db
def test_sitemap_lists_exactly_the_published_pages(client, content):
    entries = sitemap(client.get("/sitemap.xml"))

    expected_items = {item.get_absolute_url() for item in content["published"]}
    assert paths(entries) == FIXED_PAGES | expected_items | {"/themas/toezicht/"}
    for item in content["hidden"]:
        assert item.get_absolute_url() not in paths(entries)


@pytest.mark.django_db
def test_sitemap_has_every_registered_kinds_published_items(client, content):
    entries = sitemap(client.get("/sitemap.xml"))

    for kind in registry.kinds():
        published = list(kind.public_queryset())
        assert published, f"no published {kind.label} in the fixture"
        for item in published:
            assert f"{HOST}{item.get_absolute_url()}" in entries
        if kind.list_url_name:  # pages have none
            assert f"{HOST}{kind.list_url_for_theme('x').split('?')[0]}" in entries


@pytest.mark.django_db
def test_sitemap_follows_the_registry(client, content, monkeypatch):
    """A kind that is not registered is not in the sitemap: the sitemap has no list of its own."""
    only_publications = [kind for kind in registry.kinds() if kind.model is Publication]
    monkeypatch.setattr(registry, "_kinds", only_publications)

    found = paths(sitemap(client.get("/sitemap.xml")))

    assert "/publicaties/essay/" in found
    assert "/leerkringen/" not in found
    assert not any(path.startswith(("/leerkringen/", "/netwerk/")) for path in found)


@pytest.mark.django_db
def test_sitemap_items_have_their_last_change_as_lastmod(client, content):
    organisation = Organisation.objects.get(name="NSOB")
    week_ago = timezone.now() - timedelta(days=7)
    Organisation.objects.filter(pk=organisation.pk).update(updated=week_ago)

    entries = sitemap(client.get("/sitemap.xml"))

    assert entries[f"{HOST}/netwerk/nsob/"] == timezone.localdate(week_ago).isoformat()
    for item in content["published"]:
        assert entries[f"{HOST}{item.get_absolute_url()}"], f"{item} has no lastmod"


@pytest.mark.django_db
def test_sitemap_lists_dutch_addresses_whatever_the_browser_language(client, content):
    entries = sitemap(client.get("/sitemap.xml", HTTP_ACCEPT_LANGUAGE="en"))

    assert not any(path.startswith("/en/") for path in paths(entries))


@pytest.mark.django_db
def test_every_page_in_the_sitemap_answers(client, content):
    for path in paths(sitemap(client.get("/sitemap.xml"))):
        assert client.get(path).status_code == 200, path


@pytest.mark.django_db
def test_sitemap_query_count_does_not_grow_with_items(client, django_assert_max_num_queries):
    theme = make_theme("Toezicht")
    for n in range(10):
        make_publication(f"Essay {n}", themes=[theme])
        make_person("Anna", f"Nummer{n}")

    # 18, and as the theme counts are stored (kernel.summaries) this first request also reads
    # the stamps and the row, finds each kind's next scheduled moment and stores them.
    with django_assert_max_num_queries(18 + len(registry.kinds()) + 3):
        entries = sitemap(client.get("/sitemap.xml"))
    assert len(entries) == len(FIXED_PAGES) + 1 + 20


@pytest.mark.django_db
def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_private_pages(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    disallowed = {line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow")}
    assert {"/aanmelding/", "/zoeken/", "/en/zoeken/"} <= disallowed
    # Nothing public is kept out.
    assert not disallowed & {"/", "/publicaties/", "/en/", "/themas/"}


@pytest.mark.django_db
def test_robots_txt_does_not_reveal_the_admin_address(client, settings):
    settings.ADMIN_URL = "redactie-1234/"

    text = client.get("/robots.txt").content.decode()

    assert "redactie-1234" not in text
    assert "beheer" not in text


@pytest.mark.django_db
def test_sitemap_sees_a_publication_the_moment_it_is_published(client):
    publication = make_publication("Later", **DRAFT)
    assert f"{HOST}/publicaties/later/" not in sitemap(client.get("/sitemap.xml"))

    publication.status = Publication.Status.PUBLISHED
    publication.save()

    assert f"{HOST}/publicaties/later/" in sitemap(client.get("/sitemap.xml"))
