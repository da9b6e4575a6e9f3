"""Cover images on S3: the same promises as test_images.py, kept with the media storage that
production uses (DJANGO_MEDIA_STORAGE=s3, django-storages' S3Storage configured as settings.py
configures it) against moto's in-process S3.

Why a second file: with S3 every storage call is a paid, slow network request, so "renditions
are made once, on save" and "a page never asks the storage" matter most there, and the
rendition view must stream objects out of a private bucket, not hand out bucket URLs. Requests
are counted where they leave the storage: a botocore `before-call` hook on its S3 client."""

import re
from io import BytesIO

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from moto import mock_aws
from PIL import Image

from ikpob_portal.platform import images
from tests.factories import make_publication

BUCKET = "ikpob-media-test"
REGION = "eu-west-1"
ALT = "Deelnemers van de leerkring in gesprek aan een lange tafel"


def cover() -> ContentFile:
    buffer = BytesIO()
    Image.new("RGB", (1600, 900), (21, 66, 115)).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="omslag.jpg")


@pytest.fixture
def s3(settings, monkeypatch):
    """An empty private bucket in moto, the media storage pointed at it as settings.py does for
    DJANGO_MEDIA_STORAGE=s3, and a list of every S3 operation the storage sends."""
    for variable in ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_PROFILE"]:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    with mock_aws():
        bucket = boto3.client("s3", region_name=REGION)
        bucket.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "default_acl": None,
                    "querystring_auth": True,
                    "file_overwrite": False,
                    "region_name": REGION,
                    "access_key": "testing",
                    "secret_key": "testing",
                },
            },
        }
        requests: list[str] = []
        # The storage's own client (django-storages keeps one per thread; the test client runs
        # views in this thread). `bucket` above is a separate client, so looking does not count.
        default_storage.connection.meta.client.meta.events.register(
            "before-call.s3", lambda model, **kwargs: requests.append(model.name)
        )
        yield bucket, requests


def objects(bucket) -> dict[str, bytes]:
    listing = bucket.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {
        item["Key"]: bucket.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
        for item in listing
    }


def picture_urls(html: str) -> set[str]:
    """Every URL in the src and srcset of each <picture>'s <source> and <img>."""
    urls = set()
    for picture in re.findall(r"<picture.*?</picture>", html, flags=re.S):
        for attribute, value in re.findall(r'\s(src|srcset)="([^"]*)"', picture):
            if attribute == "src":
                urls.add(value)
            else:
                urls.update(candidate.split()[0] for candidate in value.split(","))
    return urls


@pytest.mark.django_db
def test_s3_storage_save_writes_the_original_and_every_rendition_to_the_bucket(s3):
    bucket, requests = s3

    publication = make_publication("Op S3", image=cover(), image_alt=ALT)

    assert type(default_storage._wrapped).__module__ == "storages.backends.s3"
    assert "PutObject" in requests  # the hook sees the storage's requests
    name = publication.image.name
    expected = {name} | {
        images.rendition_name(name, width, image_format)
        for width in images.COVER_WIDTHS
        for image_format in ("WEBP", "JPEG")
    }
    stored = objects(bucket)
    assert set(stored) == expected  # 1 original + 3 widths x (WebP, JPEG)
    for info in images.renditions(publication):
        with Image.open(BytesIO(stored[info.name])) as rendition:
            assert rendition.format == info.format
            assert rendition.size == (info.width, info.height)


@pytest.mark.django_db
def test_s3_storage_pages_rendered_twice_send_no_request_and_write_nothing(client, s3):
    bucket, requests = s3
    publication = make_publication("Op S3", image=cover(), image_alt=ALT)
    before = objects(bucket)
    requests.clear()

    pages = []
    for _ in range(2):
        for url in ["/publicaties/", publication.get_absolute_url()]:
            response = client.get(url)
            assert response.status_code == 200
            pages.append(response.content.decode())

    assert requests == []
    assert objects(bucket) == before
    # The pages did show the image: the list's card and the detail page's cover.
    assert all(picture_urls(html) for html in pages)


@pytest.mark.django_db
def test_s3_storage_pages_link_renditions_through_the_portal_view_with_far_future_caching(
    client, s3
):
    bucket, requests = s3
    publication = make_publication("Op S3", image=cover(), image_alt=ALT)
    stored = objects(bucket)
    by_url = {info.url: info for info in images.renditions(publication)}

    shown = set()
    for url in ["/publicaties/", publication.get_absolute_url()]:
        shown |= picture_urls(client.get(url).content.decode())

    # Only renditions, only through /afbeeldingen/…: no bucket host, no signed URL.
    assert shown
    assert shown <= set(by_url)
    assert all(url.startswith("/afbeeldingen/") and "?" not in url for url in shown)
    requests.clear()
    for url in sorted(shown):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response["Content-Type"] == images.CONTENT_TYPES[url.rsplit(".", 1)[1]]
        assert b"".join(response.streaming_content) == stored[by_url[url].name]
    # The bytes came out of the bucket through the storage, not from a local copy.
    assert "GetObject" in requests
