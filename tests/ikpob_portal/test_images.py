"""Images on pages: alt text unless decorative, renditions made once on save and never looked
up while a page renders, shown as a responsive <picture>, served with far-future caching
(ikpob_portal/platform/images.py, {% load images %})."""

import json
import re
from io import BytesIO, StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.template import Context, Template
from PIL import Image

from events.models import Event
from ikpob_portal.platform import images
from publications.models import Publication
from tests.factories import make_event, make_organisation, make_person, make_publication
from tests.html import count_queries
from tests.ikpob_portal.test_admin import new_publication_data
from tests.ikpob_portal.test_uploads import SVG, django_message

ADMIN = f"/{settings.ADMIN_URL}"
ALT = "Deelnemers van de leerkring in gesprek aan een lange tafel"
NEEDS_ALT = (
    "Geef de afbeelding een alternatieve tekst, of vink 'alleen decoratief' aan als zij niets "
    "toevoegt aan de tekst."
)
NOT_IMAGE = (
    "Dit bestand is geen PNG-, JPEG- of WebP-afbeelding. Upload een van die drie (geen SVG)."
)


def image_bytes(size=(1600, 900), image_format="JPEG", exif=None) -> bytes:
    buffer = BytesIO()
    image = Image.new("RGB", size, (21, 66, 115))
    image.save(buffer, image_format, **({"exif": exif} if exif is not None else {}))
    return buffer.getvalue()


def cover(size=(1600, 900), image_format="JPEG") -> ContentFile:
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[image_format]
    return ContentFile(image_bytes(size, image_format), name=f"omslag.{extension}")


def stored_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def render_picture(obj, extra="") -> str:
    template = Template("{% load images %}{% picture obj " + extra + " %}")
    return template.render(Context({"obj": obj}))


def json_ld(html: str) -> dict:
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(script.group(1))


def pictures(html: str) -> list[str]:
    return re.findall(r"<picture.*?</picture>", html, flags=re.S)


class RecordingStorage(FileSystemStorage):
    """The media storage, counting every call a page could make to S3."""

    calls: list[str] = []

    def _record(self, method: str, name: str) -> None:
        RecordingStorage.calls.append(f"{method} {name}")

    def exists(self, name):
        self._record("exists", name)
        return super().exists(name)

    def open(self, name, mode="rb"):
        self._record("open", name)
        return super().open(name, mode)

    def save(self, name, content, max_length=None):
        self._record("save", name)
        return super().save(name, content, max_length)

    def url(self, name):
        self._record("url", name)
        return super().url(name)

    def size(self, name):
        self._record("size", name)
        return super().size(name)

    def listdir(self, path):
        self._record("listdir", path)
        return super().listdir(path)


@pytest.fixture
def recording_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.RecordingStorage"},
    }
    RecordingStorage.calls = []
    return RecordingStorage


# --- Alt text ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_image_without_alt_text_is_refused_by_full_clean():
    publication = make_publication("Met omslag", image=cover(), image_alt=ALT)
    publication.image_alt = "   "

    with pytest.raises(ValidationError) as excinfo:
        publication.full_clean()

    assert excinfo.value.message_dict == {"image_alt": [NEEDS_ALT]}


@pytest.mark.django_db
def test_decorative_image_needs_no_alt_text():
    publication = make_publication("Versierd", image=cover(), image_decorative=True)

    publication.full_clean()  # no error

    assert publication.image_alt == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make",
    [
        lambda: make_publication("Zonder alt", image=cover(), image_alt="ok"),
        lambda: make_event("Zonder alt", image=cover(), image_alt="ok"),
        lambda: make_person("Anna", "Zonder", image=cover(), image_alt="ok"),
    ],
    ids=["publication", "event", "person"],
)
def test_database_refuses_an_image_without_alt_text_unless_decorative(make):
    item = make()
    model = type(item)
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=item.pk).update(image_alt="")
    model.objects.filter(pk=item.pk).update(image_alt="", image_decorative=True)
    model.objects.filter(pk=item.pk).update(image="", image_decorative=False)


@pytest.mark.django_db
def test_admin_refuses_an_image_without_alt_text_in_dutch(editor_client):
    upload = SimpleUploadedFile("omslag.jpg", image_bytes(), content_type="image/jpeg")

    response = editor_client.post(
        f"{ADMIN}publications/publication/add/", new_publication_data(image=upload)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"image_alt": [NEEDS_ALT]}
    assert not Publication.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        # Not an image at all: Django's own message, in Dutch.
        pytest.param(SVG, django_message(forms.ImageField, "invalid_image"), id="svg"),
        # A real image of a format pages do not take: the project's message.
        pytest.param(image_bytes((4, 4), "GIF"), NOT_IMAGE, id="gif"),
    ],
)
def test_admin_refuses_what_is_not_an_image_with_a_dutch_message(editor_client, content, message):
    upload = SimpleUploadedFile("omslag.png", content, content_type="image/png")

    response = editor_client.post(
        f"{ADMIN}events/event/add/", {"title": "Met plaatje", "image": upload, "image_alt": ALT}
    )

    assert response.context["adminform"].form.errors["image"] == [message]
    assert not Event.objects.exists()
    assert stored_files() == []


@pytest.mark.django_db
def test_admin_stores_an_image_with_its_renditions_and_shows_a_preview(editor_client):
    upload = SimpleUploadedFile("Mijn Foto.JPG", image_bytes(), content_type="image/jpeg")

    response = editor_client.post(
        f"{ADMIN}publications/publication/add/",
        new_publication_data(image=upload, image_alt=ALT),
    )

    assert response.status_code == 302
    publication = Publication.objects.get()
    assert re.fullmatch(r"afbeeldingen/\d{4}/[0-9a-f]{32}\.jpg", publication.image.name)
    assert (publication.image_width, publication.image_height) == (1600, 900)
    expected = {publication.image.name, *(info.name for info in images.renditions(publication))}
    assert set(stored_files()) == expected
    assert len(expected) == 7  # the upload, and three widths in WebP and JPEG

    change = editor_client.get(
        f"{ADMIN}publications/publication/{publication.pk}/change/"
    ).content.decode()
    assert "Afbeelding" in change
    preview = images.fallback_rendition(publication, 240)
    assert f'<img src="{preview.url}" width="240" height="135" alt="">' in change
    # The current file links to a rendition, not to the storage (nothing serves /media/).
    assert "/media/" not in change


# --- Renditions ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_small_upload_is_never_enlarged():
    publication = make_publication("Klein", image=cover((500, 250), "PNG"), image_alt=ALT)

    sizes = [(info.width, info.height, info.format) for info in images.renditions(publication)]

    assert sizes == [(400, 200, "WEBP"), (400, 200, "PNG"), (500, 250, "WEBP"), (500, 250, "PNG")]
    for info in images.renditions(publication):
        with default_storage.open(info.name) as handle, Image.open(handle) as rendition:
            assert rendition.size == (info.width, info.height)
            assert rendition.format == info.format


@pytest.mark.django_db
def test_photo_stored_sideways_is_measured_and_rendered_upright():
    exif = Image.Exif()
    exif[images.EXIF_ORIENTATION] = 6  # turned a quarter, as phones store portrait photos
    upload = ContentFile(image_bytes((1200, 800), exif=exif), name="foto.jpg")

    person = make_person("Anna", "Staand", image=upload, image_alt="Anna Staand")

    assert (person.image_width, person.image_height) == (800, 1200)
    largest = images.renditions(person)[-1]
    with default_storage.open(largest.name) as handle, Image.open(handle) as rendition:
        assert rendition.size == (largest.width, largest.height) == (640, 960)
        assert images.EXIF_ORIENTATION not in rendition.getexif()


@pytest.mark.django_db
def test_renditions_are_made_once_and_a_page_never_asks_the_storage(client, recording_storage):
    publications = [
        make_publication(f"Omslag {number}", image=cover(), image_alt=ALT) for number in range(3)
    ]
    made = stored_files()
    assert len(made) == 3 * 7
    recording_storage.calls.clear()

    for _ in range(2):
        for url in ["/publicaties/", publications[0].get_absolute_url(), "/"]:
            assert client.get(url).status_code == 200

    assert recording_storage.calls == []
    assert stored_files() == made

    # Saving again without a new image makes nothing again either.
    publications[0].title = "Omslag nieuw"
    publications[0].save()
    assert recording_storage.calls == []
    assert stored_files() == made


@pytest.mark.django_db
def test_new_image_gets_new_urls_and_the_old_ones_keep_their_content(client):
    publication = make_publication("Wisselend", image=cover(), image_alt=ALT)
    before = images.renditions(publication)

    publication.image = cover((1200, 1200))
    publication.save()
    after = images.renditions(publication)

    assert not {info.url for info in before} & {info.url for info in after}
    assert after[-1].height == 1200
    response = client.get(before[0].url)
    assert response.status_code == 200


@pytest.mark.django_db
def test_renditions_are_served_with_their_type_for_a_year(client):
    publication = make_publication("Geserveerd", image=cover(), image_alt=ALT)

    for info in images.renditions(publication):
        response = client.get(info.url)
        assert response.status_code == 200
        assert response["Content-Type"] == images.CONTENT_TYPES[info.name.rsplit(".", 1)[1]]
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response["X-Content-Type-Options"] == "nosniff"
        body = b"".join(response.streaming_content)
        with Image.open(BytesIO(body)) as rendition:
            assert rendition.size == (info.width, info.height)


@pytest.mark.django_db
def test_rendition_view_serves_nothing_but_renditions(client):
    publication = make_publication("Bron", image=cover(), image_alt=ALT)
    upload = publication.image.name

    assert client.get(f"/afbeeldingen/{upload}").status_code == 404
    assert client.get(f"/afbeeldingen/renditions/{upload}").status_code == 404
    assert client.get(f"{settings.MEDIA_URL}{upload}").status_code == 404
    missing = images.renditions(publication)[0].url.replace("-", "-0", 1)
    assert client.get(missing).status_code == 404


@pytest.mark.django_db
def test_make_renditions_command_records_sizes_and_fills_gaps():
    publication = make_publication("Oud", image=cover(), image_alt=ALT)
    # As an image stored before sizes were recorded, with one rendition lost.
    Publication.objects.filter(pk=publication.pk).update(image_width=None, image_height=None)
    lost = images.renditions(publication)[0]
    default_storage.delete(lost.name)
    output = StringIO()

    call_command("make_renditions", stdout=output)

    publication.refresh_from_db()
    assert (publication.image_width, publication.image_height) == (1600, 900)
    assert default_storage.exists(lost.name)
    assert "varianten gemaakt: 1," in output.getvalue()


# --- On the pages --------------------------------------------------------------------------


@pytest.mark.django_db
def test_picture_offers_webp_and_a_fallback_with_sizes_and_alt():
    publication = make_publication("Beeld", image=cover(), image_alt=ALT)

    html = render_picture(publication, 'sizes="100vw"')

    webp = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="100vw">', html)
    assert webp
    assert re.fullmatch(
        r"/afbeeldingen/afbeeldingen/\d{4}/[0-9a-f]{32}/400w-[0-9a-f]{12}\.webp 400w, "
        r"\S+\.webp 800w, \S+\.webp 1200w",
        webp.group(1),
    )
    img = re.search(r"<img [^>]+>", html).group(0)
    assert re.search(r'srcset="\S+\.jpg 400w, \S+\.jpg 800w, \S+\.jpg 1200w"', img)
    assert 'width="1200" height="675"' in img
    assert f'alt="{ALT}"' in img
    assert 'loading="lazy"' in img
    assert 'sizes="100vw"' in img


@pytest.mark.django_db
def test_picture_of_a_decorative_image_has_empty_alt_and_eager_loads_at_the_top():
    publication = make_publication("Sier", image=cover(), image_alt=ALT, image_decorative=True)

    html = render_picture(publication, "eager=True")

    assert 'alt=""' in html
    assert 'fetchpriority="high"' in html
    assert "loading=" not in html


def test_picture_without_image_renders_nothing():
    assert render_picture(SimpleNamespace(image=None, rendition_widths={"image": (400,)})) == ""
    assert render_picture(None) == ""


@pytest.mark.django_db
def test_picture_of_a_png_keeps_png_as_the_fallback():
    organisation = make_organisation("Met logo", logo_alt="Logo van Met logo")
    organisation.logo = cover((600, 200), "PNG")
    organisation.save()

    html = render_picture(organisation, 'field="logo"')

    assert re.search(r'<img src="\S+\.png" srcset="\S+ 160w, \S+ 320w"', html)
    assert 'width="320" height="107"' in html
    assert 'alt="Logo van Met logo"' in html


@pytest.mark.django_db
def test_cards_and_detail_pages_show_the_image_and_decorative_ones_say_nothing(client):
    make_publication("Met alt", image=cover(), image_alt=ALT)
    make_publication("Sier", image=cover(), image_decorative=True)
    make_publication("Zonder beeld")

    cards = pictures(client.get("/publicaties/").content.decode())

    assert len(cards) == 2
    assert any(f'alt="{ALT}"' in card for card in cards)
    assert any('alt=""' in card for card in cards)
    assert all('loading="lazy"' in card for card in cards)

    detail = client.get("/publicaties/met-alt/").content.decode()
    (main,) = pictures(detail)
    assert 'fetchpriority="high"' in main
    assert f'alt="{ALT}"' in main


@pytest.mark.django_db
def test_event_person_and_organisation_pages_show_their_images(client):
    event = make_event("Congres", image=cover(), image_alt="Zaal vol mensen")
    person = make_person("Anna", "Beeld", image=cover((800, 800)), image_decorative=True)
    organisation = make_organisation("Logo-organisatie", logo_alt="Logo van Logo-organisatie")
    organisation.logo = cover((600, 200), "PNG")
    organisation.save()

    for url, alt in [
        (event.get_absolute_url(), "Zaal vol mensen"),
        ("/evenementen/", "Zaal vol mensen"),
        (person.get_absolute_url(), ""),
        ("/netwerk/personen/", ""),
        (organisation.get_absolute_url(), "Logo van Logo-organisatie"),
        ("/netwerk/", "Logo van Logo-organisatie"),
    ]:
        found = pictures(client.get(url).content.decode())
        assert len(found) == 1, url
        assert f'alt="{alt}"' in found[0], url
        assert re.search(r'width="\d+" height="\d+"', found[0]), url


@pytest.mark.django_db
def test_detail_page_with_an_image_gives_og_image_and_json_ld_image(client):
    publication = make_publication("Gedeeld", image=cover(), image_alt=ALT)
    largest = images.renditions(publication)[-1]

    html = client.get(publication.get_absolute_url()).content.decode()

    absolute = f"http://testserver{largest.url}"
    assert f'<meta property="og:image" content="{absolute}">' in html
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:height" content="675">' in html
    assert f'<meta property="og:image:alt" content="{ALT}">' in html
    assert largest.name.endswith(".jpg")  # link previews do not all read WebP
    assert json_ld(html)["image"] == absolute


@pytest.mark.django_db
def test_detail_page_without_an_image_has_no_og_image(client):
    publication = make_publication("Zonder")

    html = client.get(publication.get_absolute_url()).content.decode()

    assert "og:image" not in html
    assert '"image"' not in html


@pytest.mark.django_db
def test_organisation_json_ld_logo_is_a_rendition(client):
    organisation = make_organisation("Logo BV", logo_alt="Logo van Logo BV")
    organisation.logo = cover((600, 200), "PNG")
    organisation.save()

    html = client.get(organisation.get_absolute_url()).content.decode()

    logo = images.fallback_rendition(organisation, 320, "logo")
    assert json_ld(html)["logo"] == f"http://testserver{logo.url}"


@pytest.mark.django_db
def test_images_add_no_query_per_card(client):
    for number in range(3):
        make_publication(f"Kaal {number}")
    without = count_queries(client, "/publicaties/")
    for number in range(3):
        make_publication(f"Beeld {number}", image=cover((400, 300)), image_alt=ALT)

    with_images = count_queries(client, "/publicaties/")

    assert with_images == without


@pytest.mark.django_db
def test_form_shown_again_with_an_error_previews_no_unsaved_upload(editor_client):
    publication = make_publication("Fout", image=cover(), image_alt=ALT)
    upload = SimpleUploadedFile("Nieuw.jpg", image_bytes(), content_type="image/jpeg")
    data = new_publication_data(
        title="Fout", slug="fout", image=upload, image_alt="", status=Publication.Status.DRAFT
    )

    response = editor_client.post(f"{ADMIN}publications/publication/{publication.pk}/change/", data)

    assert response.context["adminform"].form.errors["image_alt"] == [NEEDS_ALT]
    html = response.content.decode()
    assert "Nieuw" not in re.sub(r'<input[^>]*type="file"[^>]*>', "", html.split("</form>")[0])
