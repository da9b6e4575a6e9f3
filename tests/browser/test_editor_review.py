"""Review before publishing in a real browser: the Hoofdredactie turns it on, a Redacteur
submits an essay, another member of the Hoofdredactie approves it and it is on the site."""

import pytest
from django.core.cache import cache
from selenium.webdriver.common.by import By

from publications.models import Publication
from tests.browser.axe import axe_report
from tests.browser.helpers import visible_text, wait_for_new_page, wait_for_path, wait_until
from tests.factories import make_chief_editor, make_editor, make_publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-2026"  # the factories' password


@pytest.fixture(autouse=True)
def _settings_not_kept():
    yield
    cache.delete("kernel:site-settings")  # the next test starts from an empty database


def log_in(browser, live_server, username: str) -> None:
    browser.delete_all_cookies()
    browser.get(live_server.url + "/beheer/login/?next=/beheer/")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form [type=submit]").click()
    wait_for_path(browser, "/beheer/")


def click(browser, xpath: str) -> None:
    old_url = browser.current_url
    browser.find_element(By.XPATH, xpath).click()
    wait_for_new_page(browser, old_url)


def messages(browser) -> str:
    return " ".join(item.text for item in browser.find_elements(By.CSS_SELECTOR, ".messagelist li"))


def test_editor_review_essay_submitted_approved_and_public(browser, live_server):
    make_chief_editor("anna", first_name="Anna")
    make_chief_editor("bram", first_name="Bram")
    make_editor("redacteur")
    essay = make_publication(
        "Vakmanschap in de praktijk",
        kind=Publication.Kind.ESSAY,
        status=Publication.Status.DRAFT,
    )
    public_url = live_server.url + essay.get_absolute_url()

    # Anna (Hoofdredactie) turns review before publishing on.
    log_in(browser, live_server, "anna")
    browser.get(live_server.url + "/beheer/ikpob_portal/sitesettings/")
    browser.find_element(By.NAME, "review_before_publishing").click()
    browser.find_element(By.NAME, "_save").click()
    # Saving leads back to the one settings page, so the address stays the same.
    wait_until(browser, lambda driver: messages(driver), "no message after saving the settings")
    assert "gewijzigd" in messages(browser)

    # The Redacteur cannot publish the essay, and submits it for review instead.
    log_in(browser, live_server, "redacteur")
    browser.get(live_server.url + f"/beheer/publications/publication/{essay.pk}/change/")
    click(browser, "//input[@value='Ter beoordeling aanbieden']")
    assert "is ter beoordeling aangeboden" in messages(browser)
    browser.delete_all_cookies()  # a visitor, not the editor who may preview drafts
    browser.get(public_url)
    assert "Vakmanschap in de praktijk" not in browser.find_element(By.TAG_NAME, "h1").text

    # Anna submitted nothing; she finds the essay in "Te beoordelen" and approves it.
    log_in(browser, live_server, "anna")
    assert "1 item wacht op beoordeling" in visible_text(browser, "#review-summary")
    click(browser, "//div[@id='review-summary']//a")
    assert axe_report(browser) is None, axe_report(browser)
    assert "Vakmanschap in de praktijk" in visible_text(browser, "#result_list")
    click(browser, "//table[@id='result_list']//a[normalize-space()='Vakmanschap in de praktijk']")
    assert "Ter beoordeling aangeboden door redacteur" in visible_text(browser, "#content")
    click(browser, "//input[@value='Goedkeuren en publiceren']")
    assert "is goedgekeurd en gepubliceerd" in messages(browser)

    # The essay is on the public site, and its history names the approver.
    browser.delete_all_cookies()
    browser.get(public_url)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Vakmanschap in de praktijk"
    log_in(browser, live_server, "redacteur")
    browser.get(live_server.url + f"/beheer/publications/publication/{essay.pk}/history/")
    newest = browser.find_element(By.CSS_SELECTOR, "#change-history tbody tr").text
    assert "Goedgekeurd door Anna (Hoofdredactie)." in newest
