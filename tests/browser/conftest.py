"""Headless Chromium through Debian's chromedriver. A missing browser fails; it never skips."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from tests.browser.helpers import DESKTOP_WIDTH, WINDOW_HEIGHT, Window

CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM = "/usr/bin/chromium"


def pytest_configure(config):
    # Also declared in pyproject.toml; registered here too so --strict-markers accepts it.
    config.addinivalue_line(
        "markers", "screenshots: writes docs/screenshots/*.png (make screenshots)"
    )


def pytest_collection_modifyitems(config, items):
    """Screenshots run only when asked for (`-m screenshots`): they rewrite files in docs/."""
    if "screenshots" in (config.getoption("markexpr") or ""):
        return
    shots = [item for item in items if item.get_closest_marker("screenshots")]
    if shots:
        config.hook.pytest_deselected(items=shots)
        items[:] = [item for item in items if not item.get_closest_marker("screenshots")]


def chromium_options() -> webdriver.ChromeOptions:
    """Headless Chromium as every browser test runs it: desktop size, Dutch, no scrollbars."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--window-size={DESKTOP_WIDTH},{WINDOW_HEIGHT}",
        "--lang=nl",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
    ):
        options.add_argument(argument)
    return options


@pytest.fixture(scope="session")
def browser():
    options = chromium_options()
    # The console log, read after every test for Content Security Policy violations.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(2)
    driver.set_script_timeout(30)  # axe on a long page takes a second or two
    yield driver
    driver.quit()


@pytest.fixture(autouse=True)
def _fresh_browser(request):
    """Each test starts at desktop size without cookies, whatever the previous one did."""
    driver = request.getfixturevalue("browser") if "browser" in request.fixturenames else None
    if driver is not None and "live_server" in request.fixturenames:
        # Set up the database first, so it is emptied only after this fixture has left the page.
        request.getfixturevalue("transactional_db")
    yield
    if driver is not None:
        # Leave the page before the database is emptied: a request still on its way (a lazy
        # image, a script's fetch, the door page's counts) would meet tables being flushed.
        driver.get("about:blank")
        driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
        driver.set_window_size(DESKTOP_WIDTH, WINDOW_HEIGHT)


def csp_violations(driver) -> list[str]:
    """Console messages about the Content Security Policy since the last call (reading clears)."""
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if "Content Security Policy" in entry["message"]
    ]


@pytest.fixture(autouse=True)
def _no_csp_violations(request):
    """Every page a browser test opens works under the site's CSP: nothing refused."""
    driver = request.getfixturevalue("browser") if "browser" in request.fixturenames else None
    if driver is None:
        yield
        return
    csp_violations(driver)  # what an earlier test left in the log is not this test's
    yield
    violations = csp_violations(driver)
    assert not violations, "Content Security Policy violations:\n" + "\n".join(violations)


@pytest.fixture(autouse=True)
def _empty_cache():
    """The live server shares this process's cache: no test inherits another's rate limit."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def window(browser) -> Window:
    """Resize with `window.resize(320)`; the next test gets the desktop size back."""
    return Window(browser)


@pytest.fixture
def demo(transactional_db):
    """The demo content of `manage.py loaddemo`, PDFs in a temporary MEDIA_ROOT.

    Transactional, because the live server answers from another thread; tests/conftest.py
    already points MEDIA_ROOT at a temporary directory.
    """
    call_command("loaddemo", stdout=io.StringIO())
