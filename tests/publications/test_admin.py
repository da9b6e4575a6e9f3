"""The publication form as an editor meets it: what to write first comes first, authors number
themselves, and the body's preview is the public page's HTML."""

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse

from ikpob_portal.kernel.templatetags.portal import markdown
from publications.models import Publication
from tests.factories import make_person, make_publication
from tests.ikpob_portal.test_admin import PUBLICATIONS, new_publication_data

PREVIEW = reverse("admin:markdown_preview")


def order_on_page(html: str, ids: list[str]) -> list[str]:
    """The given element ids in the order the page has them."""
    page = lxml.html.fromstring(html)
    found = [element.get("id") for element in page.iter() if element.get("id") in ids]
    return found


@pytest.mark.django_db
def test_publication_form_starts_with_title_subtitle_authors_themes_summary_body(editor_client):
    html = editor_client.get(f"{PUBLICATIONS}add/").content.decode()

    assert order_on_page(
        html,
        ["id_title", "id_subtitle", "authorships-group", "id_themes", "id_summary", "id_body",
         "id_kind", "id_status"],
    ) == [
        "id_title", "id_subtitle", "authorships-group", "id_themes", "id_summary", "id_body",
        "id_kind", "id_status",
    ]  # fmt: skip


@pytest.mark.django_db
def test_publication_form_folds_identifiers_and_technical_fields_away(editor_client):
    publication = make_publication("Leren van doen", isbn="9789012345670")
    html = editor_client.get(f"{PUBLICATIONS}{publication.pk}/change/").content.decode()
    page = lxml.html.fromstring(html)

    [folded] = page.xpath("//fieldset[contains(@class, 'collapse')]")
    assert folded.xpath("string(.//summary)").strip() == "Identificatie en techniek"
    folded_fields = {row.get("id") for row in folded.xpath(".//*[@id]")}
    assert {"id_slug", "id_isbn", "id_doi", "id_licence"} <= folded_fields
    # Nothing of the kind outside it.
    assert not page.xpath("//fieldset[not(contains(@class, 'collapse'))]//*[@id='id_isbn']")


def authors(*rows: tuple) -> dict:
    """New author rows: (person, number as posted)."""
    data = {"authorships-TOTAL_FORMS": str(len(rows)), "authorships-INITIAL_FORMS": "0"}
    for index, (person, number) in enumerate(rows):
        data[f"authorships-{index}-person"] = str(person.pk)
        data[f"authorships-{index}-position"] = number
    return data


@pytest.mark.django_db
def test_authors_below_others_left_at_0_or_blank_are_numbered_in_their_order(editor_client):
    first, second, third = (
        make_person("An", "Aarts"),
        make_person("Bo", "Bos"),
        make_person("Cas", "Cools"),
    )

    response = editor_client.post(
        f"{PUBLICATIONS}add/",
        new_publication_data(**authors((first, "0"), (second, "0"), (third, ""))),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    publication = Publication.objects.get()
    # The first keeps its 0 (some editors count from 0); the others follow it.
    assert [(a.person.family_name, a.position) for a in publication.authorships.all()] == [
        ("Aarts", 0),
        ("Bos", 1),
        ("Cools", 2),
    ]


@pytest.mark.django_db
def test_a_new_author_comes_after_the_authors_already_numbered(editor_client):
    first, second = make_person("An", "Aarts"), make_person("Bo", "Bos")
    publication = make_publication("Leren van doen", authors=[first])
    existing = publication.authorships.get()
    existing.position = 1
    existing.save()
    data = new_publication_data(
        title=publication.title,
        slug=publication.slug,
        **{
            "authorships-TOTAL_FORMS": "2",
            "authorships-INITIAL_FORMS": "1",
            "authorships-0-id": str(existing.pk),
            "authorships-0-publication": str(publication.pk),
            "authorships-0-person": str(first.pk),
            "authorships-0-position": "1",
            "authorships-1-publication": str(publication.pk),
            "authorships-1-person": str(second.pk),
            "authorships-1-position": "0",
        },
    )

    response = editor_client.post(f"{PUBLICATIONS}{publication.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert [(a.person.family_name, a.position) for a in publication.authorships.all()] == [
        ("Aarts", 1),
        ("Bos", 2),
    ]


@pytest.mark.django_db
def test_the_empty_author_row_offers_the_next_number(editor_client):
    publication = make_publication("Leren van doen", authors=[make_person("An", "Aarts")])
    publication.authorships.update(position=4)

    html = editor_client.get(f"{PUBLICATIONS}{publication.pk}/change/").content.decode()

    page = lxml.html.fromstring(html)
    assert page.xpath("//input[@name='authorships-1-position']/@value") == ["5"]


@pytest.mark.django_db
def test_body_preview_is_the_public_pages_html(editor_client):
    text = "## Aanpak\n\nMet **nadruk** en [een link](https://example.org).\n\n<script>x()</script>"

    response = editor_client.post(PREVIEW, {"text": text, "top_level": "3"})

    assert response.status_code == 200
    assert response.json()["html"] == str(markdown(text, 3))
    assert "<h3>Aanpak</h3>" in response.json()["html"]
    assert "<script" not in response.json()["html"]


@pytest.mark.django_db
def test_body_preview_is_for_staff_only(client):
    response = client.post(PREVIEW, {"text": "## Aanpak"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_body_preview_needs_the_forms_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    assert client.post(PREVIEW, {"text": "## Aanpak"}).status_code == 403


@pytest.mark.django_db
def test_body_preview_is_only_posted(editor_client):
    assert editor_client.get(PREVIEW, {"text": "## Aanpak"}).status_code == 405


@pytest.mark.django_db
def test_body_field_has_the_preview_button_and_region(editor_client):
    html = editor_client.get(f"{PUBLICATIONS}add/").content.decode()
    page = lxml.html.fromstring(html)

    [box] = page.xpath("//div[@class='ikpob-markdown'][.//textarea[@id='id_body']]")
    assert box.get("data-preview-url") == PREVIEW
    assert box.get("data-top-level") == "3"
    [button] = box.xpath(".//button")
    assert button.text_content() == "Voorbeeld tonen"
    assert button.get("aria-controls") == "id_body_preview"
    [region] = box.xpath(".//*[@id='id_body_preview']")
    assert region.get("role") == "region"
    assert "js/admin/markdown-preview.js" in html
