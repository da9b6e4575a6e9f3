"""Uploads through the admin: only real PDFs and PNG/JPEG/WebP images, within the limits,
stored under generated names and served with the checked content type."""

import random
import re
import struct
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from PIL import Image

from ikpob_portal.platform.uploads import MEGABYTE, validate_image, validate_pdf
from network.models import Organisation
from publications.models import Publication
from publications.pdf import build_pdf
from tests.factories import make_organisation
from tests.ikpob_portal.test_admin import new_publication_data

ADMIN = f"/{settings.ADMIN_URL}"
PUBLICATIONS = f"{ADMIN}publications/publication/"
ORGANISATIONS = f"{ADMIN}network/organisation/"

NOT_PDF = "Dit bestand is geen PDF. Upload een PDF-bestand (.pdf)."
PDF_INCOMPLETE = (
    "Dit PDF-bestand is onvolledig: het einde ontbreekt. Sla het opnieuw op als PDF en upload "
    "het nog eens."
)
NOT_IMAGE = (
    "Dit bestand is geen PNG-, JPEG- of WebP-afbeelding. Upload een van die drie (geen SVG)."
)
IMAGE_DAMAGED = (
    "Deze afbeelding is beschadigd of onvolledig. Sla haar opnieuw op als PNG, JPEG of WebP en "
    "upload haar nog eens."
)
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def django_message(field: type[forms.Field], code: str) -> str:
    with translation.override("nl"):
        return str(field.default_error_messages[code])


def real_pdf() -> bytes:
    return build_pdf("Vakmanschap in de uitvoering", ["Een korte tekst.", "Nog een regel."])


def image_bytes(image_format: str, size=(4, 3), mode="RGB") -> bytes:
    buffer = BytesIO()
    Image.new(mode, size, "white").save(buffer, image_format)
    return buffer.getvalue()


def noise_image(side: int, image_format: str = "PNG") -> bytes:
    """An image that hardly compresses: about 3 bytes a pixel as PNG."""
    buffer = BytesIO()
    pixels = random.Random(side).randbytes(side * side * 3)
    options = {"compress_level": 0} if image_format == "PNG" else {}
    Image.frombytes("RGB", (side, side), pixels).save(buffer, image_format, **options)
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` × `height` pixels, with next to no data behind it:
    what a decompression bomb looks like before it is unpacked."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def stored_files() -> list[str]:
    """The uploads in the storage (renditions made from them are left out)."""
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return sorted(
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.is_file() and path.relative_to(root).parts[0] != "renditions"
    )


def form_errors(response) -> dict:
    assert response.status_code == 200, "the form was accepted"
    return {
        name: list(errors) for name, errors in response.context["adminform"].form.errors.items()
    }


def upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- PDFs ------------------------------------------------------------------------------------


@pytest.fixture
def publication_with_pdf(editor_client) -> Publication:
    """A publication whose PDF came in through the admin, like an editor's."""
    response = editor_client.post(
        f"{PUBLICATIONS}add/",
        new_publication_data(
            pdf=upload("Rapport van Anna Visser (concept 2).pdf", real_pdf(), "application/pdf"),
            status=Publication.Status.PUBLISHED,
        ),
    )
    assert response.status_code == 302, form_errors(response)
    return Publication.objects.get()


@pytest.mark.django_db
def test_pdf_upload_is_stored_under_a_generated_name(publication_with_pdf):
    name = publication_with_pdf.pdf.name

    assert re.fullmatch(r"publicaties/\d{4}/[0-9a-f]{32}\.pdf", name)
    assert "Visser" not in name
    assert stored_files() == [name]
    with publication_with_pdf.pdf.open("rb") as handle:
        assert handle.read() == real_pdf()


@pytest.mark.django_db
def test_pdf_download_is_a_pdf_named_after_the_slug_and_never_sniffed(client, publication_with_pdf):
    response = client.get(f"/publicaties/{publication_with_pdf.slug}/download/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'inline; filename="vakmanschap-in-de-uitvoering.pdf"'
    assert b"".join(response.streaming_content) == real_pdf()


@pytest.mark.django_db
def test_two_uploads_with_the_same_file_name_get_different_names(editor_client):
    names = []
    for number in (1, 2):
        response = editor_client.post(
            f"{PUBLICATIONS}add/",
            new_publication_data(
                title=f"Deel {number}",
                slug=f"deel-{number}",
                pdf=upload("rapport.pdf", real_pdf(), "application/pdf"),
            ),
        )
        assert response.status_code == 302, form_errors(response)
        names.append(Publication.objects.get(slug=f"deel-{number}").pdf.name)

    assert names[0] != names[1]
    assert stored_files() == sorted(names)


def refused_pdfs():
    pdf = real_pdf()
    return [
        pytest.param("x.pdf", HTML, [NOT_PDF], id="html-named-pdf"),
        pytest.param("x.pdf", b"Gewoon wat tekst.\n%%EOF", [NOT_PDF], id="text-named-pdf"),
        pytest.param(
            "x.pdf",
            b"<html><body>%PDF-1.4\n<script>alert(1)</script>\n%%EOF",
            [NOT_PDF],
            id="html-with-pdf-header",
        ),
        pytest.param(
            "x.pdf",
            b"%PDF-1.4\n<html><script>alert(1)</script>\n%%EOF",
            [NOT_PDF],
            id="pdf-header-then-html",
        ),
        pytest.param("x.pdf", pdf[: len(pdf) // 2], [PDF_INCOMPLETE], id="cut-off-pdf"),
        pytest.param("x.pdf", b"", [django_message(forms.FileField, "empty")], id="empty"),
        pytest.param(
            "rapport.exe",
            pdf,
            ["Bestandsextensie ‘exe’ is niet toegestaan. Toegestane extensies zijn: ‘pdf’."],
            id="wrong-extension",
        ),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "errors"), refused_pdfs())
def test_pdf_upload_refuses_what_is_not_a_whole_pdf_and_changes_nothing(
    editor_client, publication_with_pdf, name, content, errors
):
    stored = publication_with_pdf.pdf.name

    response = editor_client.post(
        f"{PUBLICATIONS}{publication_with_pdf.pk}/change/",
        new_publication_data(title="Nieuwe titel", pdf=upload(name, content, "application/pdf")),
    )

    assert form_errors(response) == {"pdf": errors}
    publication_with_pdf.refresh_from_db()
    assert publication_with_pdf.title == "Vakmanschap in de uitvoering"
    assert publication_with_pdf.pdf.name == stored
    assert stored_files() == [stored]


@pytest.mark.django_db
def test_pdf_upload_over_the_limit_names_the_limit_and_the_size(editor_client, settings):
    settings.UPLOAD_MAX_PDF_MB = 1
    pdf = real_pdf()
    too_large = pdf[:-6] + b" " * (MEGABYTE + 1 - len(pdf)) + pdf[-6:]

    response = editor_client.post(
        f"{PUBLICATIONS}add/", new_publication_data(pdf=upload("groot.pdf", too_large, ""))
    )

    with translation.override("nl"):
        size = filesizeformat(len(too_large))
    assert size == "1,0\xa0MB"
    assert form_errors(response) == {
        "pdf": [f"Dit bestand is {size}; een PDF mag hoogstens 1 MB zijn."]
    }
    assert not Publication.objects.exists()
    assert stored_files() == []


@pytest.mark.django_db
def test_pdf_upload_at_the_limit_is_accepted(editor_client, settings):
    settings.UPLOAD_MAX_PDF_MB = 1
    pdf = real_pdf()
    at_limit = pdf[:-6] + b" " * (MEGABYTE - len(pdf)) + pdf[-6:]

    response = editor_client.post(
        f"{PUBLICATIONS}add/", new_publication_data(pdf=upload("groot.pdf", at_limit, ""))
    )

    assert response.status_code == 302, form_errors(response)
    assert Publication.objects.get().pdf_size == MEGABYTE


def test_pdf_validator_accepts_a_header_after_a_few_bytes_of_preamble():
    # Readers accept the header anywhere in the first kilobyte (some generators put bytes first).
    validate_pdf(SimpleUploadedFile("rapport.pdf", b"\r\n\x00\x00" + real_pdf()))


def test_pdf_validator_refuses_a_header_after_the_first_kilobyte():
    with pytest.raises(ValidationError) as excinfo:
        validate_pdf(SimpleUploadedFile("rapport.pdf", b" " * 1024 + real_pdf()))
    assert excinfo.value.messages == [NOT_PDF]


# --- Logos -----------------------------------------------------------------------------------


def organisation_data(**overrides) -> dict:
    data = {
        "name": "Gemeente Berkelland",
        "short_name": "",
        "slug": "gemeente-berkelland",
        "kind": Organisation.Kind.GEMEENTE,
        "website": "",
        "description": "",
        "logo_alt": "Logo van de gemeente Berkelland",
        "tooi_uri": "",
        "ror_id": "",
        "status": Organisation.Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "_save": "Opslaan",
    }
    data.update(overrides)
    return data


@pytest.fixture
def organisation_with_logo(editor_client) -> Organisation:
    response = editor_client.post(
        f"{ORGANISATIONS}add/",
        organisation_data(
            logo=upload("Logo Berkelland DEF.png", image_bytes("PNG"), "image/png"),
            status=Organisation.Status.PUBLISHED,
        ),
    )
    assert response.status_code == 302, form_errors(response)
    return Organisation.objects.get()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("file_name", "image_format", "stored_extension", "content_type"),
    [
        ("logo.png", "PNG", "png", "image/png"),
        ("logo.jpeg", "JPEG", "jpg", "image/jpeg"),
        ("logo.webp", "WEBP", "webp", "image/webp"),
        # Named .png but a JPEG: stored and served as what it is.
        ("logo.png", "JPEG", "jpg", "image/jpeg"),
    ],
)
def test_logo_upload_is_stored_under_a_generated_name_and_served_as_its_format(
    editor_client, client, file_name, image_format, stored_extension, content_type
):
    content = image_bytes(image_format)
    response = editor_client.post(
        f"{ORGANISATIONS}add/",
        organisation_data(
            logo=upload(file_name, content, "image/png"), status=Organisation.Status.PUBLISHED
        ),
    )
    assert response.status_code == 302, form_errors(response)
    organisation = Organisation.objects.get()

    assert re.fullmatch(rf"logos/[0-9a-f]{{32}}\.{stored_extension}", organisation.logo.name)
    assert stored_files() == [organisation.logo.name]

    served = client.get(organisation.logo_url)
    assert served.status_code == 200
    assert served["Content-Type"] == content_type
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"] == (
        f'inline; filename="gemeente-berkelland.{stored_extension}"'
    )
    assert b"".join(served.streaming_content) == content


@pytest.mark.django_db
def test_organisation_page_shows_the_logo_as_renditions(client, organisation_with_logo):
    page = client.get(organisation_with_logo.get_absolute_url()).content.decode()

    img = re.search(r'<img src="([^"]+)"[^>]* alt="Logo van de gemeente Berkelland"', page)
    assert img, "no logo on the page"
    assert img.group(1).startswith("/afbeeldingen/logos/")
    assert client.get(img.group(1))["Content-Type"] == "image/png"
    # Nothing serves the storage's own address.
    assert client.get(f"{settings.MEDIA_URL}{organisation_with_logo.logo.name}").status_code == 404


@pytest.mark.django_db
def test_logo_url_changes_with_a_new_logo(editor_client, organisation_with_logo):
    before = organisation_with_logo.logo_url
    data = organisation_data(logo=upload("nieuw.png", image_bytes("PNG", (5, 5)), "image/png"))

    response = editor_client.post(f"{ORGANISATIONS}{organisation_with_logo.pk}/change/", data)

    assert response.status_code == 302, form_errors(response)
    organisation_with_logo.refresh_from_db()
    assert organisation_with_logo.logo_url != before


@pytest.mark.django_db
def test_draft_organisations_logo_is_only_for_editors(client, editor_client):
    draft = make_organisation(
        "Concept", status=Organisation.Status.DRAFT, logo_alt="Logo van Concept"
    )
    draft.logo.save("x.png", SimpleUploadedFile("x.png", image_bytes("PNG")))
    url = draft.logo_url

    response = editor_client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    editor_client.logout()
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_stored_file_that_is_not_an_image_is_never_served(client):
    # A file stored before uploads were checked: the view refuses it rather than guess a type.
    organisation = make_organisation("Oud", logo_alt="Logo van Oud")
    organisation.logo.save("oud.png", SimpleUploadedFile("oud.png", SVG))

    assert client.get(organisation.logo_url).status_code == 404


@pytest.mark.django_db
def test_organisation_without_logo_has_no_logo_address(client):
    organisation = make_organisation("Zonder logo")

    assert organisation.logo_url == ""
    assert client.get("/netwerk/zonder-logo/logo/").status_code == 404


def refused_logos():
    jpeg = noise_image(256, "JPEG")
    png = noise_image(32, "PNG")
    invalid_image = django_message(forms.ImageField, "invalid_image")
    return [
        pytest.param("logo.png", SVG, [invalid_image], id="svg-named-png"),
        pytest.param("logo.png", HTML, [invalid_image], id="html-named-png"),
        pytest.param("logo.png", png[: len(png) // 2], [invalid_image], id="cut-off-png"),
        pytest.param("logo.jpg", jpeg[: len(jpeg) // 2], [IMAGE_DAMAGED], id="cut-off-jpeg"),
        # A real image, but not a format a logo may have.
        pytest.param("logo.png", image_bytes("GIF"), [NOT_IMAGE], id="gif-named-png"),
        pytest.param(
            "logo.png",
            image_bytes("PNG", (6000, 10), mode="1"),
            [
                "Deze afbeelding is te groot: 6000 × 10 pixels. Een afbeelding mag hoogstens "
                "5000 × 5000 pixels zijn."
            ],
            id="too-many-pixels",
        ),
        # Pillow itself refuses this header; the editor sees a message, not an error page.
        pytest.param("logo.png", png_header_only(20_000, 20_000), [invalid_image], id="bomb"),
        pytest.param("logo.png", b"", [django_message(forms.FileField, "empty")], id="empty"),
        pytest.param(
            "logo.svg",
            SVG,
            [invalid_image],
            id="svg",
        ),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "errors"), refused_logos())
def test_logo_upload_refuses_what_is_not_a_whole_image_and_changes_nothing(
    editor_client, organisation_with_logo, name, content, errors
):
    stored = organisation_with_logo.logo.name
    data = organisation_data(name="Nieuwe naam", logo=upload(name, content, "image/png"))

    response = editor_client.post(f"{ORGANISATIONS}{organisation_with_logo.pk}/change/", data)

    assert form_errors(response) == {"logo": errors}
    organisation_with_logo.refresh_from_db()
    assert organisation_with_logo.name == "Gemeente Berkelland"
    assert organisation_with_logo.logo.name == stored
    assert stored_files() == [stored]


@pytest.mark.django_db
def test_logo_upload_over_the_limit_names_the_limit_and_the_size(editor_client, settings):
    settings.UPLOAD_MAX_IMAGE_MB = 1
    content = noise_image(700)
    assert len(content) > MEGABYTE

    response = editor_client.post(
        f"{ORGANISATIONS}add/", organisation_data(logo=upload("logo.png", content, "image/png"))
    )

    with translation.override("nl"):
        size = filesizeformat(len(content))
    assert form_errors(response) == {
        "logo": [f"Dit bestand is {size}; een afbeelding mag hoogstens 1 MB zijn."]
    }
    assert not Organisation.objects.exists()
    assert stored_files() == []


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(png_header_only(20_000, 20_000), id="over-pillows-hard-limit"),
        pytest.param(png_header_only(10_000, 10_000), id="over-pillows-warning-limit"),
    ],
)
def test_image_validator_refuses_decompression_bombs_with_a_message(content):
    with pytest.raises(ValidationError) as excinfo:
        validate_image(SimpleUploadedFile("bom.png", content))

    (message,) = excinfo.value.messages
    assert "5000 × 5000 pixels" in message


# --- The admin's link to the current file ------------------------------------------------------


@pytest.mark.django_db
def test_admin_links_the_current_pdf_to_the_download_not_to_media(
    editor_client, publication_with_pdf
):
    html = editor_client.get(f"{PUBLICATIONS}{publication_with_pdf.pk}/change/").content.decode()

    download = f"/publicaties/{publication_with_pdf.slug}/download/"
    assert f'href="{download}"' in html
    assert "/media/" not in html
    assert editor_client.get(download).status_code == 200


@pytest.mark.django_db
def test_admin_links_the_current_logo_to_the_logo_view_not_to_media(
    editor_client, organisation_with_logo
):
    html = editor_client.get(f"{ORGANISATIONS}{organisation_with_logo.pk}/change/").content.decode()

    assert f'href="{organisation_with_logo.logo_url}"' in html
    assert "/media/" not in html
    assert editor_client.get(organisation_with_logo.logo_url).status_code == 200
