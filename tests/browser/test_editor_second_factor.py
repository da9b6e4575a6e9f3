"""The second factor in a real browser (issue 17, finding 5): with it required, as without DEBUG,
an editor's first login sets up an authenticator app and shows the recovery codes; the next
login asks for a code from the app before the admin opens."""

from base64 import b32decode

import pytest
from django_otp.oath import totp
from selenium.webdriver.common.by import By

from tests.browser.axe import assert_no_axe_violations
from tests.browser.helpers import path_of, wait_for_path, wait_until
from tests.factories import make_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-genoeg-wachtwoord"


@pytest.fixture
def required(settings):
    settings.ADMIN_REQUIRE_SECOND_FACTOR = True


def log_in_with_password(browser, live_server) -> None:
    browser.get(live_server.url + "/beheer/login/?next=/beheer/")
    browser.find_element(By.NAME, "username").send_keys("redacteur")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "#login-form [type=submit]").click()


def app_code(secret: str, *, later_steps: int = 0) -> str:
    """What the authenticator app shows for this secret now (django-otp's own TOTP)."""
    return f"{totp(b32decode(secret.replace(' ', '')), t0=-30 * later_steps):06d}"


def submit_code(browser, name: str, code: str) -> None:
    field = browser.find_element(By.NAME, name)
    field.send_keys(code)
    field.find_element(By.XPATH, "./ancestor::form").find_element(
        By.CSS_SELECTOR, "[type=submit]"
    ).click()


def test_first_login_sets_up_the_app_and_the_next_asks_for_a_code(browser, live_server, required):
    editor = make_editor("redacteur")
    editor.set_password(PASSWORD)
    editor.save()

    log_in_with_password(browser, live_server)
    wait_for_path(browser, "/beheer/tweede-factor/instellen/")
    assert browser.find_element(By.CSS_SELECTOR, ".second-factor-qr svg[role=img]")
    field = browser.find_element(By.ID, "id_code")
    assert field.get_attribute("autocomplete") == "one-time-code"
    assert field.get_attribute("inputmode") == "numeric"
    assert_no_axe_violations(browser)
    secret = browser.find_element(By.ID, "second-factor-secret").text
    submit_code(browser, "code", app_code(secret))

    wait_for_path(browser, "/beheer/tweede-factor/herstelcodes/")
    codes = browser.find_elements(By.CSS_SELECTOR, "#second-factor-codes code")
    assert len(codes) == 10
    assert_no_axe_violations(browser)
    browser.find_element(By.LINK_TEXT, "Ik heb de codes bewaard, verder naar het beheer").click()
    wait_for_path(browser, "/beheer/")
    assert browser.find_element(By.ID, "content")

    # Log out (Django's admin logs out with a POST from the user tools) and in again.
    browser.find_element(By.CSS_SELECTOR, "#logout-form [type=submit]").click()
    wait_until(browser, lambda driver: "/beheer/logout/" in driver.current_url, "logged out")
    browser.delete_all_cookies()
    log_in_with_password(browser, live_server)
    wait_for_path(browser, "/beheer/tweede-factor/code/")
    assert_no_axe_violations(browser)
    # The next time step: the setup's code was this step's, and a code counts once.
    submit_code(browser, "code", app_code(secret, later_steps=1))

    wait_for_path(browser, "/beheer/")
    assert path_of(browser.current_url) == "/beheer/"
    assert browser.find_elements(By.ID, "logout-form")  # the admin itself, with its user tools
