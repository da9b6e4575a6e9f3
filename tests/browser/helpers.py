"""What the browser tests share: window sizes, waiting for a page, the keyboard, reflow."""

from urllib.parse import parse_qs, urlsplit

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import WebDriverWait

DESKTOP_WIDTH = 1280
PHONE_WIDTH = 375
# WCAG 1.4.10 Reflow: content must work at 320 CSS pixels wide without scrolling sideways.
REFLOW_WIDTH = 320
WINDOW_HEIGHT = 900

WAIT_SECONDS = 5


class Window:
    """The browser window's size in CSS pixels of the page (the viewport), not the frame."""

    def __init__(self, driver: WebDriver) -> None:
        self.driver = driver

    def resize(self, width: int, height: int = WINDOW_HEIGHT) -> None:
        self.driver.set_window_size(width, height)
        inner_width = self.driver.execute_script("return window.innerWidth;")
        assert inner_width == width, f"asked for a {width} px wide viewport, got {inner_width}"

    def fit_to_page(self) -> None:
        """Make the window as tall as the page, so a screenshot holds all of it."""
        size = self.driver.get_window_size()
        frame = size["height"] - self.driver.execute_script("return window.innerHeight;")
        page_height = self.driver.execute_script(
            "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight);"
        )
        self.driver.set_window_size(size["width"], page_height + frame)


def path_of(url: str) -> str:
    return urlsplit(url).path


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def wait_until(driver: WebDriver, condition, message: str):
    return WebDriverWait(driver, WAIT_SECONDS).until(condition, message)


def wait_for_path(driver: WebDriver, path: str) -> None:
    wait_until(
        driver,
        lambda d: (
            path_of(d.current_url) == path
            and d.execute_script("return document.readyState;") == "complete"
        ),
        f"expected to arrive on {path}",
    )
    assert path_of(driver.current_url) == path, driver.current_url


def wait_for_new_page(driver: WebDriver, old_url: str) -> None:
    wait_until(
        driver,
        lambda d: (
            d.current_url != old_url
            and d.execute_script("return document.readyState;") == "complete"
        ),
        f"expected to leave {old_url}",
    )


def wait_for_next_document(driver: WebDriver, old_document: WebElement) -> None:
    """Wait until `old_document` (the old page's <html>) is replaced and the new one loaded.

    For a form that posts to its own URL, where the address does not change.
    """
    wait_until(
        driver,
        lambda d: (
            staleness_of(old_document)(d)
            and d.execute_script("return document.readyState;") == "complete"
        ),
        f"expected a new page after {driver.current_url}",
    )


def html_lang(driver: WebDriver) -> str:
    return driver.execute_script("return document.documentElement.getAttribute('lang');")


def visible_text(driver: WebDriver, selector: str = "main") -> str:
    return driver.execute_script(
        "const el = document.querySelector(arguments[0]); return el ? el.innerText : '';",
        selector,
    )


# --- Keyboard --------------------------------------------------------------------------------

# The focused element, how its focus shows, and whether it matches the caller's condition.
_FOCUS_STATE = """
const el = document.activeElement;
const style = el ? getComputedStyle(el) : null;
const describe = (node) => {
  if (!node || node === document.body) return "<body>";
  let text = (node.innerText || node.value || node.getAttribute("aria-label") || "").trim();
  text = text.replace(/\\s+/g, " ").slice(0, 60);
  const id = node.id ? "#" + node.id : "";
  const name = node.name ? `[name=${node.name}]` : "";
  const href = node.getAttribute("href") ? `[href=${node.getAttribute("href")}]` : "";
  return `<${node.tagName.toLowerCase()}${id}${name}${href}> "${text}"`;
};
const matches = (function (el) { return (%s); })(el);
return {
  description: describe(el),
  onBody: !el || el === document.body || el === document.documentElement,
  outlineStyle: style ? style.outlineStyle : "none",
  outlineWidth: style ? style.outlineWidth : "0px",
  boxShadow: style ? style.boxShadow : "none",
  matches: Boolean(matches),
};
"""


def press(driver: WebDriver, *keys: str) -> None:
    """Keys go to whatever has focus, as when a person types; nothing is clicked."""
    ActionChains(driver).send_keys(*keys).perform()


def focus_top_of_page(driver: WebDriver) -> None:
    """Put the keyboard's starting point before everything, as on arrival at a page.

    A page may move focus on load (an error summary takes it), so "the first Tab" is
    measured from an explicit starting point: a throwaway element at the top of <body>.
    """
    driver.execute_script(
        """
        const anchor = document.createElement("span");
        anchor.tabIndex = -1;
        anchor.addEventListener("blur", () => anchor.remove());
        document.body.prepend(anchor);
        anchor.focus();
        """
    )


def focus_state(driver: WebDriver, condition: str = "false") -> dict:
    return driver.execute_script(_FOCUS_STATE % condition)


def focus_is_visible(state: dict) -> bool:
    outline = state["outlineStyle"] != "none" and (
        state["outlineStyle"] == "auto" or float(state["outlineWidth"].removesuffix("px")) > 0
    )
    return outline or state["boxShadow"] != "none"


def assert_focus_visible(state: dict) -> None:
    assert focus_is_visible(state), (
        f"focus is not visible on {state['description']}: outline-style "
        f"{state['outlineStyle']} {state['outlineWidth']}, box-shadow {state['boxShadow']}"
    )


def tab_until(driver: WebDriver, condition: str, *, max_presses: int = 200) -> WebElement:
    """Press Tab until the focused element `el` meets the JavaScript `condition`.

    Every element focus passes on the way must show that it has focus (WCAG 2.4.7).
    """
    visited = []
    for _ in range(max_presses):
        press(driver, Keys.TAB)
        state = focus_state(driver, condition)
        if not state["onBody"]:
            assert_focus_visible(state)
        if not visited or visited[-1] != state["description"]:
            visited.append(state["description"])
        if state["matches"]:
            return driver.switch_to.active_element
    raise AssertionError(
        f"after {max_presses} Tab presses focus never reached an element where {condition}; "
        "it went through:\n  " + "\n  ".join(visited[:80])
    )


# --- Reflow -----------------------------------------------------------------------------------

_OVERFLOW = """
const limit = window.innerWidth + 1;
const tooWide = (el) => {
  const rect = el.getBoundingClientRect();
  if (rect.width === 0) return false;
  if (rect.right > limit) return true;
  // A box that fits can still spill its content: a long word in a heading, a wide table.
  return getComputedStyle(el).overflowX === "visible" && rect.left + el.scrollWidth > limit;
};
const wide = [...document.body.querySelectorAll("*")].filter(tooWide);
// The innermost offenders say where to look; their ancestors only inherit the width.
const innermost = wide.filter((el) => !wide.some((other) => other !== el && el.contains(other)));
return {
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
  offenders: innermost.slice(0, 5).map((el) => {
    const classes = [...el.classList].map((name) => "." + name).join("");
    const rect = el.getBoundingClientRect();
    const text = (el.innerText || "").replace(/\\s+/g, " ").trim().slice(0, 60);
    return `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${classes}> ` +
      `${Math.round(rect.left + Math.max(rect.width, el.scrollWidth))} px wide: "${text}"`;
  }),
};
"""


def overflow_report(driver: WebDriver) -> str | None:
    """Why the page scrolls sideways (WCAG 1.4.10), or None when it does not."""
    result = driver.execute_script(_OVERFLOW)
    if result["scrollWidth"] <= result["innerWidth"]:
        return None
    return (
        f"{driver.current_url} scrolls sideways at {result['innerWidth']} px wide "
        f"(document is {result['scrollWidth']} px wide; WCAG 1.4.10 Reflow). Sticking out:\n"
        + "\n".join(f"  {offender}" for offender in result["offenders"])
    )
