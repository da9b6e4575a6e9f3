"""Lists, phone first (issue 14), in Chromium at 375 × 812 and 1280 × 900.

On every list the first result starts inside the first screen; the header folds into a menu
button on a phone; filters sit in a "Filters (n)" disclosure there and in the side column on
a desktop; a filter applies as soon as it changes (focus comes back, the count is announced)
and with the button when JavaScript is off; chips remove one filter; long facets open with
"Toon alle (n)"; axe finds nothing with the disclosures open or closed.
"""

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from tests.browser.axe import axe_report
from tests.browser.conftest import CHROMEDRIVER, chromium_options
from tests.browser.helpers import (
    DESKTOP_WIDTH,
    PHONE_WIDTH,
    WINDOW_HEIGHT,
    focus_state,
    query_of,
    wait_for_new_page,
    wait_until,
)
from tests.browser.pages import DEMO_THEME, PAGES_BY_NAME, open_page

pytestmark = pytest.mark.browser

PHONE_HEIGHT = 812
LIST_PAGES = [
    PAGES_BY_NAME[name]
    for name in (
        "publication-list",
        "publication-list-filtered",
        "event-list",
        "event-archive",
        "organisation-list",
        "person-list",
        "learning-circle-list",
    )
]
SIZES = {"phone": (PHONE_WIDTH, PHONE_HEIGHT), "desktop": (DESKTOP_WIDTH, WINDOW_HEIGHT)}

DISCLOSURE = "details.ikpob-filter-disclosure"
SUMMARY = "summary.ikpob-filter-disclosure__summary"
MAIN_MENU = "nav#site-menu"
MENU_BUTTON = "[data-menu-button]"

# Where the first result starts, from the top of the page, with the page scrolled to the top.
_FIRST_RESULT_TOP = """
window.scrollTo(0, 0);
const first = document.querySelector("main .ikpob-card-list > li");
return first ? first.getBoundingClientRect().top : null;
"""


def resize(browser, size: str) -> None:
    width, height = SIZES[size]
    browser.set_window_size(width, height)
    # The window's frame takes some height even headless: grow the window by it. A busy
    # machine sometimes reports the size before the resize has settled: measure again.
    for _attempt in range(5):
        viewport = browser.execute_script("return [window.innerWidth, window.innerHeight];")
        if viewport == [width, height]:
            break
        outer = browser.get_window_size()
        browser.set_window_size(
            outer["width"] + width - viewport[0], outer["height"] + height - viewport[1]
        )
    assert viewport == [width, height], f"asked for a {width} × {height} viewport, got {viewport}"


# What the page shows, judged by the browser's rendering (selenium's is_displayed() calls
# everything in a closed <details> hidden, also where CSS shows it in the side column).
_SHOWN = """
const el = document.querySelector(arguments[0]);
if (!el) return false;
const rect = el.getBoundingClientRect();
return rect.width > 0 && rect.height > 0
  && el.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true});
"""


def shown(browser, selector: str) -> bool:
    return browser.execute_script(_SHOWN, selector)


def summary_text(browser) -> str:
    summary = browser.find_element(By.CSS_SELECTOR, SUMMARY)
    return " ".join(summary.get_attribute("textContent").split())


def result_heading(browser) -> str:
    return browser.find_element(By.ID, "results-heading").text


@pytest.mark.parametrize("size", SIZES, ids=str)
def test_first_result_of_every_list_is_in_the_first_viewport(browser, live_server, demo, size):
    resize(browser, size)
    tops = {}
    for page in LIST_PAGES:
        open_page(browser, live_server.url, page)
        tops[page.path()] = browser.execute_script(_FIRST_RESULT_TOP)

    height = SIZES[size][1]
    late = {path: top for path, top in tops.items() if top is None or top >= height}
    assert not late, f"first result below the first {height} px (top per list: {tops})"


def test_phone_menu_button_shows_and_hides_the_menu(browser, live_server, demo):
    resize(browser, "phone")
    browser.get(live_server.url + "/publicaties/")
    button = browser.find_element(By.CSS_SELECTOR, MENU_BUTTON)

    assert button.is_displayed()
    assert button.get_dom_attribute("aria-expanded") == "false"
    assert not shown(browser, MAIN_MENU)
    assert not shown(browser, "#site-search-q")

    button.click()
    assert button.get_dom_attribute("aria-expanded") == "true"
    assert shown(browser, MAIN_MENU)
    assert shown(browser, "#site-search-q")
    links = browser.find_elements(By.CSS_SELECTOR, f"{MAIN_MENU} a")
    assert links[0].text == "Publicaties"  # no second home link
    assert axe_report(browser) is None, axe_report(browser)

    browser.find_element(By.CSS_SELECTOR, f"{MAIN_MENU} a").send_keys(Keys.ESCAPE)
    assert button.get_dom_attribute("aria-expanded") == "false"
    assert not shown(browser, MAIN_MENU)
    assert focus_state(browser, "el.matches('[data-menu-button]')")["matches"]


def test_desktop_shows_the_menu_and_the_filters_without_a_button(browser, live_server, demo):
    resize(browser, "desktop")
    browser.get(live_server.url + "/publicaties/")

    assert not shown(browser, MENU_BUTTON)
    assert shown(browser, MAIN_MENU)
    assert not shown(browser, SUMMARY)
    assert shown(browser, "#filters-heading")


def test_phone_filter_applies_on_change_focus_returns_and_the_count_is_announced(
    browser, live_server, demo
):
    resize(browser, "phone")
    browser.get(live_server.url + "/publicaties/")
    assert summary_text(browser) == "Filters (0 gekozen)"
    assert not shown(browser, "#filters-heading ~ *")

    browser.find_element(By.CSS_SELECTOR, SUMMARY).click()
    checkbox = browser.find_element(By.CSS_SELECTOR, "input[name=soort]")
    kind = checkbox.get_dom_attribute("value")
    old_url = browser.current_url
    checkbox.click()
    wait_for_new_page(browser, old_url)

    # The canonical address: no empty words, no default order (sortering=nieuwste).
    assert query_of(browser.current_url) == {"soort": [kind]}
    assert browser.find_element(By.CSS_SELECTOR, DISCLOSURE).get_dom_attribute("open") is not None
    assert summary_text(browser) == "Filters (1 gekozen)"
    state = focus_state(browser, f"el.matches('input[name=soort][value={kind}]') && el.checked")
    assert state["matches"], f"focus is on {state['description']}, not the ticked box"
    status = browser.find_element(By.CSS_SELECTOR, "[role=status][data-filter-status]")
    wait_until(browser, lambda d: status.get_attribute("textContent"), "nothing was announced")
    assert status.get_attribute("textContent") == result_heading(browser)


def test_desktop_sort_order_applies_on_change(browser, live_server, demo):
    resize(browser, "desktop")
    browser.get(live_server.url + "/publicaties/")
    old_url = browser.current_url

    Select(browser.find_element(By.NAME, "sortering")).select_by_value("titel")
    wait_for_new_page(browser, old_url)

    assert query_of(browser.current_url)["sortering"] == ["titel"]
    assert focus_state(browser, "el.name === 'sortering'")["matches"]
    # Back to the default order: the plain list's address, no `sortering=nieuwste`.
    old_url = browser.current_url
    Select(browser.find_element(By.NAME, "sortering")).select_by_value("nieuwste")
    wait_for_new_page(browser, old_url)
    assert query_of(browser.current_url) == {}
    # Looks like a select: an arrow drawn on the right, no native look of a text box.
    arrow = browser.execute_script(
        "return getComputedStyle(document.querySelector('[name=sortering]')).backgroundImage;"
    )
    assert arrow.startswith('url("data:image/svg+xml')


def test_chips_remove_one_filter_and_clear_all(browser, live_server, demo):
    resize(browser, "phone")
    browser.get(f"{live_server.url}/publicaties/?thema={DEMO_THEME}&soort=essay")
    chips = browser.find_elements(By.CSS_SELECTOR, ".ikpob-chosen-filters a.ikpob-chip")
    names = [chip.get_attribute("textContent").split("×")[0].strip() for chip in chips]
    assert names == [
        "Verwijder filter: Thema: Sturen in netwerken",
        "Verwijder filter: Soort: Essay",
    ]
    # The chips sit above the results, in the first screen.
    assert chips[0].rect["y"] < PHONE_HEIGHT

    old_url = browser.current_url
    chips[0].click()
    wait_for_new_page(browser, old_url)
    assert query_of(browser.current_url) == {"soort": ["essay"]}
    assert summary_text(browser) == "Filters (1 gekozen)"

    old_url = browser.current_url
    browser.find_element(By.LINK_TEXT, "Alle filters wissen").click()
    wait_for_new_page(browser, old_url)
    assert browser.current_url == live_server.url + "/publicaties/"
    assert browser.find_elements(By.CSS_SELECTOR, ".ikpob-chosen-filters") == []


_SCROLL_BOXES = """
return [...document.querySelectorAll(".ikpob-filters *")].filter((el) => {
  const overflow = getComputedStyle(el).overflowY;
  return (overflow === "auto" || overflow === "scroll") && el.scrollHeight > el.clientHeight;
}).map((el) => el.outerHTML.slice(0, 80));
"""


_VISIBLE = "return arguments[0].checkVisibility() && arguments[0].getClientRects().length > 0;"


def test_long_facet_shows_the_most_frequent_and_all_behind_show_all(browser, live_server, demo):
    resize(browser, "desktop")
    browser.get(live_server.url + "/publicaties/")
    fieldset = browser.find_element(By.ID, "filter-auteur")
    boxes = fieldset.find_elements(By.CSS_SELECTOR, "input[type=checkbox]")
    more = fieldset.find_element(By.CSS_SELECTOR, "details.ikpob-facet-more summary")

    assert more.text == f"Toon alle ({len(boxes)})"
    visible = [box for box in boxes if browser.execute_script(_VISIBLE, box)]
    assert 0 < len(visible) < len(boxes)
    assert browser.execute_script(_SCROLL_BOXES) == []

    more.click()
    assert all(browser.execute_script(_VISIBLE, box) for box in boxes)
    assert axe_report(browser) is None, axe_report(browser)


@pytest.mark.parametrize("page", LIST_PAGES, ids=str)
def test_list_has_no_axe_violations_with_disclosures_open_and_closed(
    browser, live_server, demo, page
):
    problems = []
    for size, opened in (("phone", False), ("phone", True), ("desktop", False)):
        resize(browser, size)
        open_page(browser, live_server.url, page)
        if opened:
            browser.find_element(By.CSS_SELECTOR, SUMMARY).click()
            browser.find_element(By.CSS_SELECTOR, MENU_BUTTON).click()
            for more in browser.find_elements(By.CSS_SELECTOR, ".ikpob-facet-more summary"):
                more.click()
        report = axe_report(browser)
        if report:
            problems.append(f"{size}, disclosures {'open' if opened else 'closed'}:\n{report}")
    assert not problems, "\n\n".join(problems)


# --- Without JavaScript ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser_without_javascript():
    """A second Chromium with scripts switched off, as some visitors and their tools have it."""
    options = chromium_options()
    options.add_experimental_option(
        "prefs", {"profile.managed_default_content_settings.javascript": 2}
    )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(2)
    yield driver
    driver.quit()


def test_without_javascript_the_menu_stays_and_the_button_applies_filters(
    browser_without_javascript, live_server, demo
):
    browser = browser_without_javascript
    resize(browser, "phone")
    browser.get(live_server.url + "/publicaties/")

    # No script to open a menu: the menu and the search stay in sight, the button is gone.
    assert not shown(browser, MENU_BUTTON)
    assert shown(browser, MAIN_MENU)
    assert shown(browser, "#site-search-q")

    browser.find_element(By.CSS_SELECTOR, SUMMARY).click()  # <details> needs no script
    checkbox = browser.find_element(By.CSS_SELECTOR, "input[name=soort]")
    kind = checkbox.get_dom_attribute("value")
    checkbox.click()
    assert query_of(browser.current_url) == {}, "the filter applied without the button"

    old_url = browser.current_url
    browser.find_element(By.XPATH, "//button[normalize-space()='Filters toepassen']").click()
    wait_for_new_page(browser, old_url)
    assert query_of(browser.current_url)["soort"] == [kind]
    chips = browser.find_elements(By.CSS_SELECTOR, ".ikpob-chosen-filters a.ikpob-chip")
    assert len(chips) == 1

    # On a desktop the filters stand open in the side column, without a script to open them.
    resize(browser, "desktop")
    browser.get(live_server.url + "/publicaties/")
    assert not shown(browser, SUMMARY)
    assert shown(browser, "#filters-heading")
    assert shown(browser, "input[name=soort]")
