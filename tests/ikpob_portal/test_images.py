"""Images on pages: renditions made once on save, shown as a responsive <picture> with its
alt text, served with far-future caching (ikpob_portal/platform/images.py)."""

from io import BytesIO
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.template import Context, Template
from PIL import Image

from ikpob_portal.platform import images


def image_bytes(size=(1600, 900), image_format="JPEG", color=(21, 66, 115)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, image_format)
    return buffer.getvalue()


def stored_image(name="afbeeldingen/2026/0123456789abcdef.jpg", size=(1600, 900)):
    """An object shaped like a CoverImage model, with its upload already in the storage."""
    stored = default_storage.save(name, ContentFile(image_bytes(size)))
    image = File(default_storage.open(stored, "rb"), name=stored)
    return SimpleNamespace(
        image=image,
        image_alt="Deelnemers in gesprek",
        image_decorative=False,
        image_width=size[0],
        image_height=size[1],
        rendition_widths={"image": images.COVER_WIDTHS},
    )


def render_picture(obj, extra="") -> str:
    template = Template("{% load images %}{% picture obj " + extra + " %}")
    return template.render(Context({"obj": obj}))


@pytest.mark.django_db
def test_picture_offers_webp_and_a_fallback_with_sizes_and_alt():
    obj = stored_image()
    html = render_picture(obj, 'sizes="100vw"')
    assert '<source type="image/webp" srcset="/afbeeldingen/afbeeldingen/2026/' in html
    assert " 400w, " in html
    assert " 1200w" in html
    assert 'width="1200" height="675"' in html
    assert 'alt="Deelnemers in gesprek"' in html
    assert 'loading="lazy"' in html
    assert 'sizes="100vw"' in html


@pytest.mark.django_db
def test_picture_of_a_decorative_image_has_empty_alt_and_eager_loads_at_the_top():
    obj = stored_image()
    obj.image_decorative = True
    html = render_picture(obj, "eager=True")
    assert 'alt=""' in html
    assert 'fetchpriority="high"' in html
    assert "loading=" not in html


def test_picture_without_image_renders_nothing():
    obj = SimpleNamespace(image=None, rendition_widths={"image": images.COVER_WIDTHS})
    assert render_picture(obj) == ""


@pytest.mark.django_db
def test_made_renditions_are_served_with_their_size_for_a_year(client):
    obj = stored_image()
    made = images.make_renditions(obj)
    assert len(made) == 6
    for info in made:
        response = client.get(info.url)
        assert response.status_code == 200
        assert "immutable" in response["Cache-Control"]
        with Image.open(BytesIO(b"".join(response.streaming_content))) as rendition:
            assert rendition.size == (info.width, info.height)
            assert rendition.format == info.format


def test_small_upload_is_never_enlarged():
    obj = SimpleNamespace(
        image=SimpleNamespace(name="afbeeldingen/2026/small.png"),
        image_width=500,
        image_height=250,
        rendition_widths={"image": images.COVER_WIDTHS},
    )
    widths = [(info.width, info.height, info.format) for info in images.renditions(obj)]
    assert widths == [(400, 200, "WEBP"), (400, 200, "PNG"), (500, 250, "WEBP"), (500, 250, "PNG")]


@pytest.mark.django_db
def test_rendition_view_serves_only_renditions(client):
    default_storage.save("afbeeldingen/2026/secret.jpg", ContentFile(image_bytes()))
    assert client.get("/afbeeldingen/afbeeldingen/2026/secret.jpg").status_code == 404
    assert client.get("/afbeeldingen/../afbeeldingen/2026/secret.jpg").status_code == 404
