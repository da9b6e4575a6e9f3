"""The foundation's own pages: at the root of the site, never in an app's way, in the menus,
search, sitemap and on theme pages."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from PIL import Image
from reversion.models import Version

from ikpob_portal.pages.models import Page, PageImage
from ikpob_portal.pages.reserved import reserved_slugs
from tests.factories import make_page, make_theme
from tests.html import breadcrumb, card_titles, page_heading, parse, sitemap


def header_menu(response) -> list[tuple[str, str]]:
    menu = parse(response).find(id="site-menu")
    return [(link.text, link.get("href")) for link in menu.iter("a", href=True)]


def footer_links(response) -> list[tuple[str, str]]:
    footer = parse(response).find("footer")
    return [(link.text, link.get("href")) for link in footer.iter("a", href=True)]


def literal_routes(patterns, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    """(path, view name) of every route without a parameter in the URLconf, through includes."""
    found = []
    for pattern in patterns:
        route = str(pattern.pattern).removeprefix("^")
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
            found += literal_routes(pattern.url_patterns, prefix + route, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            path = prefix + route
            if "<" not in path and "(" not in path and not path.endswith("$"):
                found.append((path, f"{namespace}:{pattern.name}".lstrip(":")))
    return found


# Visibility --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_page_published_is_at_the_root_of_the_site(client):
    make_page("Over IKPOB", slug="over-ikpob", body="## Het begin\nEen onderzoek.")

    response = client.get("/over-ikpob/")

    assert page_heading(response) == "Over IKPOB"
    assert "Het begin" in response.content.decode()


@pytest.mark.django_db
def test_page_draft_or_scheduled_is_not_found_by_visitors(client):
    make_page("Concepttekst", status=Page.Status.DRAFT)
    make_page("Straks", published_at=timezone.now() + timedelta(days=1))

    assert client.get("/concepttekst/").status_code == 404
    assert client.get("/straks/").status_code == 404


@pytest.mark.django_db
def test_page_draft_is_previewed_by_an_editor_marked_concept(editor_client):
    make_page("Concepttekst", status=Page.Status.DRAFT)

    response = editor_client.get("/concepttekst/")

    assert response.status_code == 200
    assert "Concept" in response.content.decode()


@pytest.mark.django_db
def test_page_in_english_lives_under_en(client):
    make_page("Over IKPOB", slug="over-ikpob")

    response = client.get("/en/over-ikpob/")

    assert page_heading(response) == "Over IKPOB"
    assert parse(response).find("html").get("lang") == "en"


@pytest.mark.django_db
def test_page_child_lives_below_its_parent(client):
    parent = make_page("Over IKPOB", slug="over-ikpob")
    make_page("Bestuur", parent=parent)

    response = client.get("/over-ikpob/bestuur/")

    assert page_heading(response) == "Bestuur"
    assert [link.href for link in breadcrumb(response)] == ["/", "/over-ikpob/"]
    assert "Bestuur" in card_titles(client.get("/over-ikpob/"))
    assert client.get("/bestuur/").status_code == 404


@pytest.mark.django_db
def test_page_child_of_a_draft_is_not_found(client):
    parent = make_page("Over IKPOB", slug="over-ikpob", status=Page.Status.DRAFT)
    make_page("Bestuur", parent=parent)

    assert client.get("/over-ikpob/bestuur/").status_code == 404


# Never in an app's way -----------------------------------------------------------------------


@pytest.mark.django_db
def test_page_slug_of_an_app_path_is_refused_in_dutch():
    page = Page(title="Publicaties", slug="publicaties", summary="Over publicaties.")

    with pytest.raises(ValidationError) as refused:
        page.full_clean()

    assert refused.value.message_dict["slug"] == [
        "Het adres /publicaties/ is al van een onderdeel van de site. Kies een andere slug, "
        "bijvoorbeeld 'over-publicaties'."
    ]


def test_reserved_slugs_come_from_the_urlconf():
    reserved = reserved_slugs()

    # Apps, site-wide pages, machinery, the admin and the language prefix.
    for segment in ("publicaties", "leerkringen", "netwerk", "evenementen", "themas", "zoeken"):
        assert segment in reserved
    for segment in ("privacy", "toegankelijkheid", "aanmelding", "sitemap.xml", "oai", "en"):
        assert segment in reserved
    assert "beheer" in reserved or "admin" in reserved
    assert "over-ikpob" not in reserved


@pytest.mark.django_db
def test_every_app_path_still_resolves_to_its_app_with_pages_of_every_reserved_name(client):
    for slug in sorted(reserved_slugs()):
        page = Page(title=f"Pagina {slug}", slug=slug, summary="Poging.")
        with pytest.raises(ValidationError):
            page.full_clean()
        # Even when one slips past the form (an import, the shell), the app still answers
        # ("sitemap.xml" is no slug at all: the form refuses it for that too).
        if "." not in slug:
            make_page(f"Pagina {slug}", slug=slug)

    routes = literal_routes(get_resolver().url_patterns)
    assert len(routes) > 10
    for path, view_name in routes:
        assert resolve("/" + path).view_name == view_name, path
    for path in ("/publicaties/", "/leerkringen/", "/netwerk/", "/evenementen/", "/themas/"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.resolver_match.view_name != "pages:detail"


@pytest.mark.django_db
def test_page_tree_is_two_levels_deep_at_most():
    root = make_page("Over IKPOB", slug="over-ikpob")
    child = make_page("Bestuur", parent=root)

    grandchild = Page(title="Voorzitter", slug="voorzitter", summary="x", parent=child)
    with pytest.raises(ValidationError) as too_deep:
        grandchild.full_clean()
    assert "parent" in too_deep.value.message_dict

    # A page with subpages cannot move below another page (no three levels, no cycles).
    other = make_page("Onze activiteiten")
    root.parent = other
    with pytest.raises(ValidationError):
        root.full_clean()
    root.parent = root
    with pytest.raises(ValidationError):
        root.full_clean()


@pytest.mark.django_db
def test_page_child_may_use_a_reserved_name_below_its_parent(client):
    parent = make_page("Over IKPOB", slug="over-ikpob")
    child = Page(
        title="Publicaties",
        slug="publicaties",
        summary="Onze boeken.",
        parent=parent,
        status=Page.Status.PUBLISHED,
    )

    child.full_clean()
    child.save()

    assert page_heading(client.get("/over-ikpob/publicaties/")) == "Publicaties"


# Menus -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_menus_show_the_pages_marked_for_them_after_the_sections(client):
    make_page("Over IKPOB", slug="over-ikpob", in_header=True, in_footer=True, menu_order=1)
    make_page("Onze activiteiten", in_footer=True, menu_order=2)
    make_page("Concept", in_header=True, in_footer=True, status=Page.Status.DRAFT)

    response = client.get("/")

    header = header_menu(response)
    assert header[-1] == ("Over IKPOB", "/over-ikpob/")
    assert ("Publicaties", "/publicaties/") in header[:-1]
    assert "Concept" not in [title for title, _ in header]
    footer = footer_links(response)
    assert ("Over IKPOB", "/over-ikpob/") in footer
    assert ("Onze activiteiten", "/onze-activiteiten/") in footer
    assert ("Privacy", "/privacy/") in footer
    assert ("Toegankelijkheid", "/toegankelijkheid/") in footer
    assert "Concept" not in [title for title, _ in footer]


@pytest.mark.django_db
def test_menus_link_to_the_english_page_on_english_pages(client):
    make_page("Over IKPOB", slug="over-ikpob", in_header=True)

    assert header_menu(client.get("/en/"))[-1] == ("Over IKPOB", "/en/over-ikpob/")


@pytest.mark.django_db
def test_menus_follow_a_change_with_the_query_cache_on(
    client, settings, django_capture_on_commit_callbacks
):
    settings.QUERY_CACHE = True
    cache.clear()
    page = make_page("Over IKPOB", slug="over-ikpob", in_header=True)
    assert header_menu(client.get("/"))[-1][0] == "Over IKPOB"

    with django_capture_on_commit_callbacks(execute=True):
        page.title = "Over de stichting"
        page.save()

    assert header_menu(client.get("/"))[-1][0] == "Over de stichting"


@pytest.mark.django_db
def test_page_marked_current_in_the_menu(client):
    make_page("Over IKPOB", slug="over-ikpob", in_header=True)

    menu = parse(client.get("/over-ikpob/")).find(id="site-menu")

    assert menu.find("a", href="/over-ikpob/").get("aria-current") == "page"


# Search, sitemap, themes ----------------------------------------------------------------------


@pytest.mark.django_db
def test_sitemap_lists_published_pages(client):
    root = make_page("Over IKPOB", slug="over-ikpob")
    make_page("Bestuur", parent=root)
    make_page("Concept", status=Page.Status.DRAFT)

    locations = sitemap(client.get("/sitemap.xml"))

    assert "http://testserver/over-ikpob/" in locations
    assert "http://testserver/over-ikpob/bestuur/" in locations
    assert "http://testserver/concept/" not in locations


@pytest.mark.django_db
def test_search_finds_a_page(client):
    make_page("Over IKPOB", slug="over-ikpob", body="Het Arrangement van competentievorming.")
    make_page("Geheim", body="Arrangement in concept.", status=Page.Status.DRAFT)

    response = client.get("/zoeken/", {"q": "arrangement"})

    assert card_titles(response) == ["Over IKPOB"]


@pytest.mark.django_db
def test_theme_page_shows_a_page_with_the_theme(client):
    theme = make_theme("Ambtelijk vakmanschap")
    make_page("Over IKPOB", slug="over-ikpob", themes=[theme])

    response = client.get(theme.get_absolute_url())

    assert "Over IKPOB" in card_titles(response)
    assert "Pagina&#x27;s" in response.content.decode()


@pytest.mark.django_db
def test_page_meta_description_is_the_search_description(client):
    make_page("Over IKPOB", slug="over-ikpob", search_description="Wie wij zijn.")

    description = parse(client.get("/over-ikpob/")).find("meta", name="description")

    assert description.get("content") == "Wie wij zijn."


@pytest.mark.django_db
def test_page_body_keeps_only_images_the_site_serves_itself(client):
    make_page(
        "Over IKPOB",
        slug="over-ikpob",
        body=(
            "![Het bestuur](/afbeeldingen/renditions/a/800w-0123456789ab.jpg)\n\n"
            "![Elders](https://example.org/x.png)\n\n![Ook niet](/media/x.png)"
        ),
    )

    images = [img.get("src") for img in parse(client.get("/over-ikpob/")).iter("img")]

    assert images == ["/afbeeldingen/renditions/a/800w-0123456789ab.jpg"]


@pytest.mark.django_db
def test_page_cover_image_is_shown_with_its_alt_text(client):
    buffer = BytesIO()
    Image.new("RGB", (1600, 900), (21, 66, 115)).save(buffer, "JPEG")
    page = make_page("Over IKPOB", slug="over-ikpob")
    page.image = SimpleUploadedFile("bestuur.jpg", buffer.getvalue(), "image/jpeg")
    page.image_alt = "Het bestuur aan tafel"
    page.full_clean()
    page.save()

    image = parse(client.get("/over-ikpob/")).find("img", alt="Het bestuur aan tafel")

    assert image is not None
    assert image.get("src").startswith("/afbeeldingen/")


@pytest.mark.django_db
def test_page_cover_image_needs_alt_text_unless_decorative():
    buffer = BytesIO()
    Image.new("RGB", (800, 600)).save(buffer, "PNG")
    page = make_page("Over IKPOB", slug="over-ikpob")
    page.image = SimpleUploadedFile("x.png", buffer.getvalue(), "image/png")

    with pytest.raises(ValidationError) as refused:
        page.full_clean()

    assert "image_alt" in refused.value.message_dict


@pytest.mark.django_db
def test_page_image_uploaded_for_the_text_is_shown_where_the_editor_pastes_it(client):
    buffer = BytesIO()
    Image.new("RGB", (1600, 900), (21, 66, 115)).save(buffer, "JPEG")
    page = make_page("Over IKPOB", slug="over-ikpob")
    image = PageImage(
        page=page,
        image=SimpleUploadedFile("foto.jpg", buffer.getvalue(), "image/jpeg"),
        image_alt="Deelnemers aan de leerkring",
    )
    image.full_clean()
    image.save()

    assert image.markdown.startswith("![Deelnemers aan de leerkring](/afbeeldingen/")
    page.body = f"Zo ging het.\n\n{image.markdown}"
    page.save()
    shown = parse(client.get("/over-ikpob/")).find("img", alt="Deelnemers aan de leerkring")

    assert shown is not None
    assert client.get(shown.get("src")).status_code == 200


@pytest.mark.django_db
def test_page_image_needs_a_file():
    page = make_page("Over IKPOB", slug="over-ikpob")

    with pytest.raises(ValidationError) as refused:
        PageImage(page=page, image_alt="Leeg").full_clean()

    assert "image" in refused.value.message_dict


# Admin -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_refuses_a_reserved_slug_with_a_dutch_message(editor_client):
    response = editor_client.post(
        reverse("admin:pages_page_add"),
        {
            "title": "Evenementen",
            "slug": "evenementen",
            "summary": "Onze evenementen.",
            "status": "draft",
            "menu_order": 0,
            "body_images-TOTAL_FORMS": "0",
            "body_images-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "Het adres /evenementen/ is al van een onderdeel van de site." in (
        response.content.decode()
    )
    assert not Page.objects.exists()


@pytest.mark.django_db
def test_page_history_is_kept_by_the_admin(editor_client):
    page = make_page("Over IKPOB", slug="over-ikpob")
    data = {
        "title": "Over de stichting",
        "slug": "over-ikpob",
        "summary": page.summary,
        "status": "published",
        "published_at_0": "",
        "published_at_1": "",
        "menu_order": 0,
        "body_images-TOTAL_FORMS": "0",
        "body_images-INITIAL_FORMS": "0",
    }
    response = editor_client.post(reverse("admin:pages_page_change", args=[page.pk]), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Version.objects.get_for_object(page).count() >= 1
