"""Pages and the home page in a real browser, as a Redacteur: write a page, put it in the main
menu and find it on the site; feature the congress on the home page and see it there."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from ikpob_portal.pages.models import Page
from tests.browser.axe import axe_report
from tests.browser.helpers import (
    visible_text,
    wait_for_new_page,
    wait_for_next_document,
    wait_for_path,
)
from tests.factories import make_editor, make_event

# The Redacteur group (made by migrations) is put back after each flush by tests/conftest.py.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-2026"  # the factories' password


def log_in(browser, live_server) -> None:
    make_editor("redacteur")
    browser.get(live_server.url + "/beheer/login/?next=/beheer/")
    browser.find_element(By.NAME, "username").send_keys("redacteur")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form [type=submit]").click()
    wait_for_path(browser, "/beheer/")


def save(browser) -> None:
    """Press "Opslaan" and wait for the answer (the same address when the form has errors)."""
    old_document = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.NAME, "_save").click()
    wait_for_next_document(browser, old_document)


def messages(browser) -> str:
    return " ".join(item.text for item in browser.find_elements(By.CSS_SELECTOR, ".messagelist li"))


def test_editor_writes_a_page_puts_it_in_the_main_menu_and_finds_it(browser, live_server):
    log_in(browser, live_server)

    # From the dashboard's "Pagina's" block to a new page.
    browser.find_element(By.XPATH, "//a[contains(@href, '/beheer/pages/page/add/')]").click()
    wait_for_path(browser, "/beheer/pages/page/add/")
    browser.find_element(By.NAME, "title").send_keys("Over de stichting")
    # The slug follows the title as it is typed (the admin's prepopulated field).
    assert browser.find_element(By.NAME, "slug").get_attribute("value") == "over-de-stichting"
    browser.find_element(By.NAME, "summary").send_keys("Wie wij zijn en wat wij doen.")
    browser.find_element(By.NAME, "body").send_keys(
        "## Het begin\n\nEen onderzoek met twee vragen."
    )
    browser.find_element(By.NAME, "in_header").click()
    Select(browser.find_element(By.NAME, "status")).select_by_value("published")
    save(browser)
    assert "Over de stichting" in messages(browser)

    # A visitor finds it in the main menu, after the site's sections, and opens it.
    browser.delete_all_cookies()
    browser.get(live_server.url + "/")
    menu = browser.find_element(By.ID, "site-menu")
    links = menu.find_elements(By.TAG_NAME, "a")
    assert links[-1].text == "Over de stichting"
    old_url = browser.current_url
    links[-1].click()
    wait_for_new_page(browser, old_url)
    assert browser.current_url == live_server.url + "/over-de-stichting/"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Over de stichting"
    assert "Een onderzoek met twee vragen." in visible_text(browser)
    assert axe_report(browser) is None, axe_report(browser)


def test_editor_cannot_give_a_page_an_apps_address(browser, live_server):
    log_in(browser, live_server)
    browser.get(live_server.url + "/beheer/pages/page/add/")
    browser.find_element(By.NAME, "title").send_keys("Publicaties")
    browser.find_element(By.NAME, "summary").send_keys("Onze boeken.")
    save(browser)

    assert "Het adres /publicaties/ is al van een onderdeel van de site." in visible_text(
        browser, "#content"
    )
    assert not Page.objects.exists()


def test_editor_features_the_congress_on_the_home_page(browser, live_server):
    congress = make_event("Tussen Participatie en Populisme", featured=False)
    log_in(browser, live_server)

    browser.find_element(By.XPATH, "//a[contains(@href, '/beheer/pages/homepage/')]").click()
    browser.find_element(By.XPATH, "//table[@id='result_list']//tbody//a").click()
    wait_for_path(browser, "/beheer/pages/homepage/1/change/")
    browser.find_element(By.NAME, "intro").send_keys("Het congres komt eraan.")
    choice = Select(browser.find_element(By.NAME, "featured_items-0-item"))
    choice.select_by_visible_text(congress.title)
    save(browser)
    assert "gewijzigd" in messages(browser)

    browser.delete_all_cookies()
    browser.get(live_server.url + "/")
    picks = browser.find_element(By.CSS_SELECTOR, "[aria-labelledby='home-picks']")
    assert congress.title in picks.text
    assert "Het congres komt eraan." in visible_text(browser, ".ikpob-intro")
    assert axe_report(browser) is None, axe_report(browser)
