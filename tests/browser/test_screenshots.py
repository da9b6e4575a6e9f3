"""Screenshots of the main page types for docs/screenshots/ (`make screenshots`).

Marked `screenshots` only, not `browser`: the CI browser run must not rewrite the PNGs.
"""

import pytest

from tests.browser.axe import REPO_ROOT
from tests.browser.helpers import DESKTOP_WIDTH, PHONE_WIDTH
from tests.browser.pages import PAGES_BY_NAME, open_page

pytestmark = pytest.mark.screenshots

SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"
PAGES = [
    "home",
    "publication-list",
    "publication-detail",
    "theme",
    "accessibility-statement",
    "learning-circle-detail",
    "organisation-detail",
    "event-list",
    "event-detail",
]
WIDTHS = {"phone": PHONE_WIDTH, "desktop": DESKTOP_WIDTH}


@pytest.mark.parametrize("device", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_screenshot(browser, window, live_server, demo, name, device):
    window.resize(WIDTHS[device])
    open_page(browser, live_server.url, PAGES_BY_NAME[name])
    # Web fonts first, or the shot shows the fallback font.
    browser.execute_async_script("document.fonts.ready.then(() => arguments[0]());")
    window.fit_to_page()

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{device}.png"
    assert browser.save_screenshot(str(path)), f"could not write {path}"
