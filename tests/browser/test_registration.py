"""Registering for the congress with the keyboard alone, on a desktop and on a phone.

From the home page's flagship block to the form, through two failed submits (focus goes to the
error summary each time, also after following one of its links), to the personal page, the
question whether to cancel, and back to the form to register again. axe checks every page on
the way. The tab stops up to the form's button are counted and may not repeat a destination.
"""

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from events.models import Registration
from tests.browser.axe import axe_report
from tests.browser.helpers import (
    DESKTOP_WIDTH,
    PHONE_WIDTH,
    assert_focus_visible,
    focus_state,
    focus_top_of_page,
    path_of,
    press,
    tab_until,
    visible_text,
    wait_for_path,
    wait_until,
)
from tests.browser.pages import DEMO_REGISTER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_HEIGHT = 812
# Below the header, up to the button: skip link, three breadcrumb links, five fields, two
# session rounds (one stop each), the consent box, the privacy link and the button.
MAX_OWN_TAB_STOPS = 14

# JavaScript conditions on the focused element `el`, for tab_until.
REGISTER_LINK = f"el.tagName === 'A' && el.closest('main') && el.pathname === '{DEMO_REGISTER}'"
SUBMIT = "el.matches('main button[type=submit]')"
CANCEL_LINK = "el.tagName === 'A' && el.closest('main') && el.pathname.endsWith('/annuleren/')"
AGAIN_LINK = (
    f"el.tagName === 'A' && el.closest('main') && el.pathname === '{DEMO_REGISTER}'"
    " && el.innerText.trim() === 'Opnieuw aanmelden'"
)

# Every tab stop from the top of the page: where it leads (or which control it is), its
# name, and whether it sits in the site header (the header menu is not this journey's).
_TAB_STOP = """
const el = document.activeElement;
const name = (el.innerText || el.value || el.getAttribute("aria-label") || "")
  .replace(/\\s+/g, " ").trim();
return {
  target: el.tagName === "A" ? el.pathname + el.search : `${el.tagName}#${el.id || el.name}`,
  name: name,
  inHeader: Boolean(el.closest("header.ikpob-header")),
  isSubmit: el.matches("main button[type=submit]"),
  onBody: el === document.body,
};
"""


def named(name: str) -> str:
    return f"el.closest('main') && el.name === '{name}'"


def assert_axe_clean(browser) -> None:
    report = axe_report(browser)
    if report:
        pytest.fail(report, pytrace=False)


def press_enter_for_a_new_page(browser) -> None:
    """Enter on a form's button; wait for the answer, also when it comes from the same path."""
    marker = browser.execute_script(
        "document.documentElement.dataset.oldPage = '1'; return location.href;"
    )
    press(browser, Keys.ENTER)
    # A fresh document has no marker. (Watching the old <html> go stale can trip over
    # Chromium's "node does not belong to the document" while the new page replaces it.)
    wait_until(browser, _is_a_new_page, f"no new page after pressing Enter on {marker}")


def _is_a_new_page(browser) -> bool:
    try:
        return browser.execute_script(
            "return document.readyState === 'complete'"
            " && !('oldPage' in document.documentElement.dataset);"
        )
    except WebDriverException:  # asked while the old page was being replaced
        return False


def summary_has_focus(browser) -> bool:
    return browser.execute_script("return document.activeElement.matches('[data-error-summary]');")


def tab_stops_to_submit(browser) -> list[dict]:
    focus_top_of_page(browser)
    stops = []
    for _ in range(80):
        press(browser, Keys.TAB)
        stop = browser.execute_script(_TAB_STOP)
        assert not stop["onBody"], f"focus fell back to the page after {stops}"
        assert_focus_visible(focus_state(browser))
        stops.append(stop)
        if stop["isSubmit"]:
            return stops
    raise AssertionError(f"the form's button was not reached: {stops}")


def set_window(window, width: int) -> None:
    window.resize(width, PHONE_HEIGHT if width == PHONE_WIDTH else 900)


@pytest.mark.parametrize("width", [DESKTOP_WIDTH, PHONE_WIDTH], ids=["desktop", "phone"])
def test_register_with_the_keyboard_fail_twice_cancel_and_register_again(
    browser, window, live_server, demo, width
):
    set_window(window, width)
    browser.get(live_server.url + "/")
    assert "Tussen Participatie en Populisme" in visible_text(browser, "#home-featured")
    assert_axe_clean(browser)

    # The home page's flagship block leads to the form.
    tab_until(browser, REGISTER_LINK)
    press(browser, Keys.ENTER)
    wait_for_path(browser, DEMO_REGISTER)
    crumbs = [item.text for item in browser.find_elements(By.CSS_SELECTOR, ".ikpob-breadcrumb li")]
    assert crumbs[1:] == ["Evenementen", "Tussen Participatie en Populisme", "Aanmelden"]
    assert_axe_clean(browser)

    # Tab stops up to the button: below the site header (the breadcrumb, the form and its
    # links) no destination comes twice. The header's own menu is the site's, not this page's.
    stops = tab_stops_to_submit(browser)
    own = [stop["target"] for stop in stops if not stop["inHeader"]]
    assert len(own) == len(set(own)), f"a destination repeats: {own}"
    assert len(own) <= MAX_OWN_TAB_STOPS, own

    # First failed submit: the summary has focus. Its first link puts focus in the name field
    # without adding #id_name to the address.
    press_enter_for_a_new_page(browser)
    wait_until(browser, lambda _: summary_has_focus(browser), "the summary did not take focus")
    assert_axe_clean(browser)
    press(browser, Keys.TAB)
    assert browser.switch_to.active_element.get_dom_attribute("href") == "#id_name"
    press(browser, Keys.ENTER)
    wait_until(
        browser,
        lambda _: browser.switch_to.active_element.get_dom_attribute("id") == "id_name",
        "the summary link did not move focus to the name field",
    )
    assert "#" not in browser.current_url
    press(browser, "Anna Jansen")

    # Second failed submit (e-mail and consent still missing): focus is on the new summary,
    # not on the valid name field. Also when the address carries a fragment, as after
    # following a summary link without JavaScript.
    browser.execute_script("history.replaceState(null, '', location.pathname + '#id_name');")
    tab_until(browser, SUBMIT)
    press_enter_for_a_new_page(browser)
    wait_until(
        browser, lambda _: summary_has_focus(browser), "the second summary did not take focus"
    )
    assert path_of(browser.current_url) == DEMO_REGISTER
    assert "#" not in browser.current_url
    summary = visible_text(browser, "[data-error-summary]")
    assert "Naam" not in summary
    assert "E-mailadres: Vul uw e-mailadres in." in summary

    tab_until(browser, named("email"))
    press(browser, "anna@berkelland.nl")
    tab_until(browser, named("organisation"))
    press(browser, "Gemeente Berkelland")
    tab_until(browser, named("ronde_1"))
    press(browser, Keys.ARROW_DOWN)
    consent = tab_until(browser, named("consent"))
    press(browser, Keys.SPACE)
    assert consent.is_selected()
    tab_until(browser, SUBMIT)
    press_enter_for_a_new_page(browser)

    # The personal page: the state, the address the mail goes to, when and where, the link.
    wait_until(
        browser,
        lambda d: path_of(d.current_url).startswith("/aanmelding/"),
        "no personal page after registering",
    )
    registration = Registration.objects.get(email="anna@berkelland.nl")
    assert registration.status == Registration.Status.CONFIRMED
    page = visible_text(browser)
    assert "naar anna@berkelland.nl" in page
    assert "10.00–17.00 uur" in page
    assert "Locatie volgt (voorlopig)" in page
    assert "Bewaar deze link" in page
    assert registration.get_absolute_url() in page
    assert_axe_clean(browser)

    # Cancelling asks first; the question changes nothing.
    tab_until(browser, CANCEL_LINK)
    press(browser, Keys.ENTER)
    wait_for_path(browser, f"{registration.get_absolute_url()}annuleren/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Aanmelding annuleren?"
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert_axe_clean(browser)
    tab_until(browser, SUBMIT)
    press_enter_for_a_new_page(browser)

    wait_for_path(browser, registration.get_absolute_url())
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert "Deze aanmelding is geannuleerd." in visible_text(browser)
    assert_axe_clean(browser)

    # And back: the congress still has places, so registering again is offered.
    tab_until(browser, AGAIN_LINK)
    press(browser, Keys.ENTER)
    wait_for_path(browser, DEMO_REGISTER)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Aanmelden"


def test_a_form_sent_too_soon_asks_kindly_to_send_it_again(browser, live_server, demo, settings):
    settings.FORM_MIN_FILL_SECONDS = 3600  # any submit comes too soon
    browser.get(live_server.url + DEMO_REGISTER)
    for name, value in (
        ("name", "Anna Jansen"),
        ("email", "anna@berkelland.nl"),
        ("organisation", "Gemeente Berkelland"),
    ):
        browser.find_element(By.NAME, name).send_keys(value)
    browser.execute_script("document.getElementById('id_consent').click();")
    tab_until(browser, SUBMIT)
    press_enter_for_a_new_page(browser)

    wait_until(browser, lambda _: summary_has_focus(browser), "the notice did not take focus")
    notice = visible_text(browser, "[data-error-summary]")
    assert notice.startswith("Nog één keer versturen, alstublieft")
    assert "Er ging iets mis" not in notice
    assert browser.find_element(By.NAME, "name").get_attribute("value") == "Anna Jansen"
    assert browser.find_element(By.ID, "id_consent").is_selected()
    assert_axe_clean(browser)

    settings.FORM_MIN_FILL_SECONDS = 0
    tab_until(browser, SUBMIT)
    press_enter_for_a_new_page(browser)
    wait_until(
        browser,
        lambda d: path_of(d.current_url).startswith("/aanmelding/"),
        "sending again did not register",
    )
    assert Registration.objects.filter(email="anna@berkelland.nl").exists()
