"""WCAG 2.1 AA in a real browser: axe-core and the structure axe's WCAG rules leave out.

Every page type in pages.PAGE_TYPES runs here; a new page type joins with one line there.
"""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.axe import axe_report
from tests.browser.helpers import (
    DESKTOP_WIDTH,
    REFLOW_WIDTH,
    assert_focus_visible,
    focus_state,
    focus_top_of_page,
    html_lang,
    overflow_report,
    press,
)
from tests.browser.pages import PAGE_TYPES, open_page

pytestmark = pytest.mark.browser

SKIP_LINK_TARGET = "#inhoud"


@pytest.mark.parametrize("width", [DESKTOP_WIDTH, REFLOW_WIDTH], ids=["desktop", "320px"])
@pytest.mark.parametrize("page", PAGE_TYPES, ids=str)
def test_page_type_has_no_axe_violations(browser, window, live_server, demo, page, width):
    window.resize(width)
    open_page(browser, live_server.url, page)

    # Both checks run, so one report shows everything that is wrong with the page.
    problems = [axe_report(browser)]
    if width == REFLOW_WIDTH:
        problems.append(overflow_report(browser))
    problems = [problem for problem in problems if problem]
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


@pytest.mark.parametrize("page", PAGE_TYPES, ids=str)
def test_page_type_structure_heading_landmark_and_language(browser, live_server, demo, page):
    open_page(browser, live_server.url, page)

    headings = [h1.text for h1 in browser.find_elements(By.TAG_NAME, "h1")]
    assert len(headings) == 1, f"expected exactly one h1, found {headings}"
    mains = browser.find_elements(By.CSS_SELECTOR, "main, [role='main']")
    assert len(mains) == 1, f"expected one main landmark, found {len(mains)}"
    assert html_lang(browser) == page.language


_SKIP_LINK_SHOWN = """
const el = arguments[0];
const rect = el.getBoundingClientRect();
const style = getComputedStyle(el);
return rect.width > 1 && rect.height > 1
  && rect.bottom > 0 && rect.right > 0
  && rect.top < window.innerHeight && rect.left < window.innerWidth
  && style.visibility !== "hidden" && Number(style.opacity) > 0
  && style.clipPath === "none" && !/rect\\(0(px)?,? 0(px)?,? 0(px)?,? 0(px)?\\)/.test(style.clip);
"""


_TARGET_HOLDS_MAIN = """
const target = document.getElementById(arguments[0]);
return Boolean(target && (target.closest("main") || target.querySelector("main")));
"""


@pytest.mark.parametrize("page", PAGE_TYPES, ids=str)
def test_page_type_first_tab_focuses_visible_skip_link(browser, live_server, demo, page):
    open_page(browser, live_server.url, page)
    focus_top_of_page(browser)

    press(browser, Keys.TAB)

    focused = browser.switch_to.active_element
    assert focused.tag_name == "a", f"first Tab focused <{focused.tag_name}>, not the skip link"
    assert focused.get_dom_attribute("href") == SKIP_LINK_TARGET
    assert browser.execute_script(_SKIP_LINK_SHOWN, focused), "skip link stays hidden on focus"
    assert_focus_visible(focus_state(browser))
    assert browser.execute_script(_TARGET_HOLDS_MAIN, SKIP_LINK_TARGET.removeprefix("#")), (
        f"the skip link's target {SKIP_LINK_TARGET} is not (in) the main landmark"
    )


def test_page_type_loads_nothing_from_other_hosts(browser, live_server, demo):
    """No CDN, no web fonts or scripts from elsewhere: visitors are not tracked by third parties."""
    foreign = {}
    for page in PAGE_TYPES:
        open_page(browser, live_server.url, page)
        urls = browser.execute_script(
            "return performance.getEntriesByType('resource').map((entry) => entry.name)"
            ".filter((url) => !url.startsWith(arguments[0]) && !url.startsWith('data:'));",
            live_server.url + "/",
        )
        if urls:
            foreign[page.name] = urls
    assert foreign == {}, f"pages load from other hosts: {foreign}"
