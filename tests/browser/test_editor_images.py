"""Images in Chromium (issue 15): at 375 and 1280 px wide, pages with cover images, portraits
and logos do not shift while images load and do not scroll sideways; browsers take the WebP
rendition; decorative images say nothing. A Redacteur adds a cover image in the admin and sees
it on the public page."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from PIL import Image
from selenium.webdriver.common.by import By

from publications.models import Publication
from tests.browser.helpers import (
    DESKTOP_WIDTH,
    PHONE_WIDTH,
    overflow_report,
    wait_for_new_page,
    wait_until,
)
from tests.browser.pages import DEMO_ESSAY

pytestmark = pytest.mark.browser

PASSWORD = "een-lang-wachtwoord-2026"

PAGES_WITH_IMAGES = [
    "/",
    "/publicaties/",
    f"/publicaties/{DEMO_ESSAY}/",
    "/evenementen/",
    "/evenementen/tussen-participatie-en-populisme/",
    "/netwerk/",
    "/netwerk/ikpob/",
    "/netwerk/personen/",
    "/netwerk/personen/annet-doesburg/",
]

# Scrolls through the page (lazy images load), waits until every image has loaded, and
# reports what a reader would notice: layout shifts, images without size, what was taken.
_LOAD_AND_MEASURE = """
const done = arguments[arguments.length - 1];
let shifted = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) { if (!entry.hadRecentInput) shifted += entry.value; }
}).observe({type: "layout-shift", buffered: true});
const images = [...document.querySelectorAll("picture img")];
const loaded = () => images.every((img) => img.complete && img.naturalWidth > 0);
const finish = () => done({
  shifted,
  count: images.length,
  unsized: images.filter((img) => !img.getAttribute("width") || !img.getAttribute("height"))
    .map((img) => img.outerHTML),
  broken: images.filter((img) => img.naturalWidth === 0).map((img) => img.currentSrc),
  notWebp: images.filter((img) => !img.currentSrc.endsWith(".webp")).map((img) => img.currentSrc),
  decorative: images.filter((img) => img.getAttribute("alt") === "").length,
  wider: images.filter((img) => img.getBoundingClientRect().right > window.innerWidth + 1)
    .map((img) => img.currentSrc),
});
const started = Date.now();
const wait = () => {
  if (loaded() || Date.now() - started > 8000) { setTimeout(finish, 300); }
  else { setTimeout(wait, 100); }
};
// Step down the page as a reader would, so lazy images come into view and load.
let y = 0;
const step = () => {
  window.scrollTo(0, y);
  y += Math.floor(window.innerHeight / 2);
  if (y < document.documentElement.scrollHeight + window.innerHeight) { setTimeout(step, 60); }
  else { wait(); }
};
step();
"""


@pytest.mark.parametrize("width", [PHONE_WIDTH, DESKTOP_WIDTH])
def test_pages_with_images_neither_shift_nor_overflow(browser, live_server, demo, window, width):
    window.resize(width)
    seen_decorative = 0
    for path in PAGES_WITH_IMAGES:
        browser.get(live_server.url + path)
        report = browser.execute_async_script(_LOAD_AND_MEASURE)

        assert report["count"] > 0, f"{path}: no image"
        assert report["unsized"] == [], f"{path}: images without width and height"
        assert report["broken"] == [], f"{path}: images that did not load"
        assert report["notWebp"] == [], f"{path}: Chromium should take the WebP rendition"
        assert report["wider"] == [], f"{path} at {width} px: images wider than the window"
        assert report["shifted"] == 0, f"{path} at {width} px: the layout shifted"
        assert overflow_report(browser) is None
        seen_decorative += report["decorative"]
    assert seen_decorative > 0  # the demo's covers and initials are decorative: alt=""


def test_editor_adds_a_cover_image_and_sees_it_on_the_page(
    browser, live_server, demo, tmp_path: Path
):
    # A superuser: the Redacteur group, made by migrations, does not survive the flush of a
    # transactional test (as in test_editor_admin.py).
    get_user_model().objects.create_superuser("redacteur", "", PASSWORD)
    photo = tmp_path / "Vergadering.jpg"
    Image.new("RGB", (1400, 900), "#154273").save(photo, "JPEG")
    publication = Publication.objects.get(slug=DEMO_ESSAY)
    admin_url = (
        f"{live_server.url}/{settings.ADMIN_URL}publications/publication/{publication.pk}/change/"
    )

    browser.get(admin_url)
    browser.find_element(By.NAME, "username").send_keys("redacteur")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    login_page = browser.current_url
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    wait_for_new_page(browser, login_page)

    # Without alt text and not decorative, the form says what is missing, in Dutch.
    browser.find_element(By.NAME, "image").send_keys(str(photo))
    # The demo's cover is decorative: untick that, so the image needs alt text.
    browser.find_element(By.ID, "id_image_decorative").click()
    browser.find_element(By.NAME, "_continue").click()
    wait_until(
        browser,
        lambda driver: "alternatieve tekst" in driver.find_element(By.TAG_NAME, "body").text,
        "the form did not ask for alt text",
    )
    browser.find_element(By.NAME, "image").send_keys(str(photo))
    browser.find_element(By.NAME, "image_alt").send_keys("Leden van de leerkring aan tafel")
    browser.find_element(By.NAME, "_continue").click()
    wait_until(
        browser,
        lambda driver: driver.find_elements(By.CSS_SELECTOR, ".field-image_preview img"),
        "no preview after saving",
    )

    browser.get(f"{live_server.url}/publicaties/{DEMO_ESSAY}/")
    cover = browser.find_element(By.CSS_SELECTOR, ".ikpob-cover img")
    assert cover.get_dom_attribute("alt") == "Leden van de leerkring aan tafel"
    assert cover.get_dom_attribute("width") == "1200"
    assert cover.get_dom_attribute("height") == "771"
