"""What a civil servant does in a real browser: from a theme to a publication and its PDF."""

import urllib.request

import pytest
from selenium.webdriver.common.by import By

from tests.factories import MINIMAL_PDF, make_person, make_publication, make_theme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_journey_theme_to_publication_and_pdf(browser, live_server):
    theme = make_theme("Sturen in netwerken", description="Samenwerken over grenzen heen.")
    author = make_person("Martijn", "Steen", particle="van der")
    make_publication(
        "Leren van doen",
        subtitle="Ervaringen met samenwerken in het IBP",
        authors=[author],
        themes=[theme],
        pdf=MINIMAL_PDF,
    )

    browser.get(live_server.url + "/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nl"
    browser.find_element(By.LINK_TEXT, "Sturen in netwerken").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Thema: Sturen in netwerken"

    browser.find_element(By.LINK_TEXT, "Leren van doen").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Leren van doen"
    assert "Martijn van der Steen" in browser.find_element(By.CSS_SELECTOR, ".meta").text
    assert "Steen, M. van der" in browser.find_element(By.ID, "apa-citation").text

    download = browser.find_element(By.PARTIAL_LINK_TEXT, "Download PDF")
    with urllib.request.urlopen(
        download.get_attribute("href")
    ) as response:  # live_server on 127.0.0.1
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.read().startswith(b"%PDF-")


def test_journey_filter_publications_and_reset(browser, live_server):
    theme = make_theme("Toezicht")
    make_publication("Inspecteurs over hun vak", themes=[theme], kind="rapport")
    make_publication("Botsende rationaliteiten", kind="boek")

    browser.get(live_server.url + "/publicaties/")
    browser.find_element(By.CSS_SELECTOR, "label[for^='facet-thema']").click()
    browser.find_element(By.XPATH, "//button[normalize-space()='Filters toepassen']").click()

    assert "1 publicatie gevonden" in browser.find_element(By.ID, "results-heading").text
    assert "thema=toezicht" in browser.current_url
    browser.find_element(By.LINK_TEXT, "Alle filters wissen").click()
    assert "2 publicaties gevonden" in browser.find_element(By.ID, "results-heading").text
