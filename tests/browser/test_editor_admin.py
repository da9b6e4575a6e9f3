"""The admin in Chromium at 1280 px: lists that fit, the publication form's Markdown preview
and its self-numbering authors.

Logged in as a superuser, who sees every list an editor sees and more: the Redacteur group
comes from data migrations, which a transactional test's flush removes for later tests.
"""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.helpers import DESKTOP_WIDTH, wait_for_path, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-2026"


@pytest.fixture
def editor_browser(browser, live_server):
    editor = get_user_model().objects.create_superuser("beheerder", "", PASSWORD)
    browser.get(live_server.url + "/beheer/login/?next=/beheer/")
    browser.find_element(By.NAME, "username").send_keys(editor.username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form [type=submit]").click()
    wait_for_path(browser, "/beheer/")
    return browser


def test_every_change_list_fits_1280_px(editor_browser, live_server, demo, window):
    window.resize(DESKTOP_WIDTH)
    too_wide = []
    for model in admin.site._registry:
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        editor_browser.get(live_server.url + url)
        widths = editor_browser.execute_script(
            "const table = document.getElementById('result_list');"
            "if (!table) return null;"
            "return [table.scrollWidth, table.closest('.results').clientWidth,"
            " document.documentElement.scrollWidth];"
        )
        if widths and (widths[0] > widths[1] or widths[2] > DESKTOP_WIDTH):
            too_wide.append(f"{opts.label}: table {widths[0]} px in {widths[1]} px")
    assert not too_wide, "lists cut off at 1280 px:\n" + "\n".join(too_wide)


def test_editor_previews_the_body_as_the_public_page_shows_it(editor_browser, live_server):
    editor_browser.get(live_server.url + reverse("admin:publications_publication_add"))
    body = editor_browser.find_element(By.ID, "id_body")
    body.send_keys("## Aanpak\n\nWerken met **nadruk**.\n\n<script>window.x = 1</script>")
    toggle = editor_browser.find_element(By.CSS_SELECTOR, "[aria-controls='id_body_preview']")
    assert toggle.text == "Voorbeeld tonen"

    toggle.send_keys(Keys.ENTER)  # with the keyboard

    preview = editor_browser.find_element(By.ID, "id_body_preview")
    wait_until(editor_browser, lambda d: preview.is_displayed(), "the preview did not show")
    assert preview.get_attribute("role") == "region"
    assert preview.get_attribute("aria-label") == "Voorbeeld zoals op de website"
    # Under the page's "Over deze publicatie" (h2): the editor's ## becomes an h3.
    assert preview.find_element(By.TAG_NAME, "h3").text == "Aanpak"
    assert preview.find_element(By.TAG_NAME, "strong").text == "nadruk"
    assert not preview.find_elements(By.TAG_NAME, "script")
    assert not body.is_displayed()
    assert editor_browser.switch_to.active_element == preview
    assert toggle.text == "Bewerken"

    toggle.send_keys(Keys.ENTER)

    assert body.is_displayed()
    assert not preview.is_displayed()
    assert editor_browser.switch_to.active_element == body
    assert toggle.text == "Voorbeeld tonen"


def test_a_new_author_row_gets_the_next_number(editor_browser, live_server):
    editor_browser.get(live_server.url + reverse("admin:publications_publication_add"))
    assert (
        editor_browser.find_element(By.NAME, "authorships-0-position").get_attribute("value") == "1"
    )

    editor_browser.find_element(By.CSS_SELECTOR, "#authorships-group .add-row a").click()

    second = editor_browser.find_element(By.NAME, "authorships-1-position")
    assert second.get_attribute("value") == "2"
