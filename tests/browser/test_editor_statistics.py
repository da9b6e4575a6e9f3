"""An editor sees how often a publication's PDF was downloaded, in a real browser."""

import pytest
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By

from ikpob_portal.kernel import statistics
from publications.models import Publication
from tests.browser.helpers import wait_for_new_page, wait_until
from tests.browser.pages import DEMO_ESSAY
from tests.factories import make_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-2026"
# Headless Chromium names itself "HeadlessChrome", which the statistics leave out as a bot;
# in this journey it stands in for a person's browser.
PERSONS_BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/141.0.0.0 Safari/537.36"
)


@pytest.fixture
def counting(settings):
    settings.STATISTICS = True
    settings.STATISTICS_FLUSH_SECONDS = 3600  # written when the editor looks, not before
    statistics.discard_buffer()
    yield
    statistics.discard_buffer()


@pytest.fixture
def as_a_person(browser):
    original = browser.execute_script("return navigator.userAgent")
    browser.execute_cdp_cmd("Network.setUserAgentOverride", {"userAgent": PERSONS_BROWSER})
    yield browser
    browser.execute_cdp_cmd("Network.setUserAgentOverride", {"userAgent": original})


def log_in(browser, live_server) -> None:
    browser.get(live_server.url + reverse("admin:login"))
    browser.find_element(By.NAME, "username").send_keys("redacteur")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    old_url = browser.current_url
    browser.find_element(By.CSS_SELECTOR, "form [type=submit]").click()
    wait_for_new_page(browser, old_url)


def downloads_this_month(browser, live_server, publication: Publication) -> str:
    """The number in the change page's "Statistieken" panel, row of this month."""
    browser.get(
        live_server.url + reverse("admin:publications_publication_change", args=[publication.pk])
    )
    panel = browser.find_element(By.CSS_SELECTOR, ".statistics-panel")
    # textContent: the admin's stylesheet shows table headings in capitals.
    headers = [
        cell.get_attribute("textContent").strip()
        for cell in panel.find_elements(By.CSS_SELECTOR, "thead th")
    ]
    row = panel.find_element(By.CSS_SELECTOR, "tbody tr")
    assert row.find_element(By.TAG_NAME, "th").text == f"{timezone.localdate():%B %Y}".lower()
    cells = [cell.text for cell in row.find_elements(By.CSS_SELECTOR, "th, td")]
    return cells[headers.index("Downloads")]


def counted_downloads() -> int:
    return sum(
        count
        for (_month, _path, kind), count in statistics.buffered().items()
        if kind == "download"
    )


def download_pdf(browser, live_server) -> None:
    browser.get(live_server.url + f"/publicaties/{DEMO_ESSAY}/")
    before = counted_downloads()
    browser.find_element(By.CSS_SELECTOR, "main a[href$='/download/']").click()
    # Headless Chromium may save the PDF rather than show it: nothing on the page changes, so
    # wait until the live server (this process) has answered the request.
    wait_until(browser, lambda _: counted_downloads() == before + 1, "the PDF was not counted")


def test_editor_sees_the_download_count_rise(browser, live_server, demo, counting, as_a_person):
    make_editor()  # user name 'redacteur', in the Redacteur group
    publication = Publication.objects.get(slug=DEMO_ESSAY)
    log_in(browser, live_server)
    assert downloads_this_month(browser, live_server, publication) == "0"

    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})  # a visitor now
    download_pdf(browser, live_server)
    download_pdf(browser, live_server)

    log_in(browser, live_server)
    assert downloads_this_month(browser, live_server, publication) == "2"

    browser.get(live_server.url + reverse("admin:ikpob_portal_visitcount_changelist"))
    most_downloaded = browser.find_elements(By.CSS_SELECTOR, ".statistics-overview table")[1]
    assert "Leren van doen" in most_downloaded.text
