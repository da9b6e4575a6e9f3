"""Static files as production serves them: hashed names, compressed, cached for a year."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

PRODUCTION_STORAGE = "ikpob_portal.platform.storage.StaticStorage"


@pytest.fixture
def collected(settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STORAGE}}
    call_command("collectstatic", "--noinput", verbosity=0)
    return settings.STATIC_ROOT


@pytest.mark.django_db
def test_static_files_are_served_compressed_with_far_future_cache_headers(collected):
    # collectstatic got through: the hashing storage fails on any reference it cannot resolve.
    assert (collected / "staticfiles.json").exists()
    client = Client()  # a new handler: whitenoise reads the collected files when it starts
    home = client.get("/").content.decode()
    stylesheet = re.search(r'href="(/static/css/ikpob-portal\.[0-9a-f]{12}\.css)"', home)
    assert stylesheet, "the home page links the stylesheet by its hashed name"

    response = client.get(stylesheet.group(1), headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] in {"gzip", "br"}
    max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))
    assert max_age >= 365 * 24 * 3600
    assert "immutable" in response["Cache-Control"]


@pytest.mark.django_db
def test_preloaded_fonts_are_the_hashed_files_the_stylesheet_asks_for(collected):
    client = Client()
    home = client.get("/").content.decode()
    preloaded = re.findall(r'<link rel="preload" href="/static/([^"]+)" as="font"', home)
    stylesheet = re.search(r'href="/static/(css/ikpob-portal\.[0-9a-f]{12}\.css)"', home).group(1)
    css = (collected / stylesheet).read_text()

    assert preloaded
    for font in preloaded:
        assert re.search(r"\.[0-9a-f]{12}\.woff2$", font), "a hashed name, cached for a year"
        # One download: the preload and the @font-face rule name the same file.
        assert f'url("../{font}")' in css
        assert client.get(f"/static/{font}").status_code == 200
