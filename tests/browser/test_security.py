"""The Content Security Policy in a real browser: public pages and the editors' admin work under it.

tests/browser/conftest.py fails any browser test whose pages caused a CSP violation in the console;
these tests add the admin pages an editor uses, where Django's own scripts and widgets run.
"""

import pytest
from django.contrib.auth import get_user_model
from selenium.webdriver.common.by import By

from tests.browser.conftest import csp_violations
from tests.browser.helpers import wait_for_path
from tests.browser.pages import DEMO_CONGRESS, DEMO_ESSAY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-genoeg-wachtwoord"


@pytest.fixture
def logged_in_editor(browser, live_server, demo):
    get_user_model().objects.create_superuser("beheerder", "beheer@example.nl", PASSWORD)
    browser.get(live_server.url + "/beheer/login/?next=/beheer/")
    browser.find_element(By.NAME, "username").send_keys("beheerder")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form [type=submit]").click()
    wait_for_path(browser, "/beheer/")
    return browser


def test_a_refused_resource_is_reported(browser, live_server, demo):
    """The console check itself works: an inline script on a page of ours is refused."""
    browser.get(live_server.url + "/")
    browser.execute_script(
        "const s = document.createElement('script'); s.textContent = 'window.x = 1';"
        "document.body.appendChild(s);"
    )

    violations = csp_violations(browser)

    assert violations, "an inline script ran without the policy complaining"
    assert browser.execute_script("return window.x === undefined;")


@pytest.mark.parametrize(
    "path",
    [
        "/beheer/",
        "/beheer/publications/publication/",
        "/beheer/publications/publication/add/",
        "/beheer/events/event/",
        "/beheer/events/registration/",
        "/beheer/network/organisation/add/",
        "/beheer/learning_circles/learningcircle/add/",
        "/beheer/ikpob_portal/theme/",
    ],
)
def test_admin_pages_work_under_the_policy(logged_in_editor, live_server, path):
    logged_in_editor.get(live_server.url + path)

    wait_for_path(logged_in_editor, path)
    assert logged_in_editor.find_elements(By.ID, "content")


@pytest.mark.parametrize(
    ("model", "slug"),
    [("publications/publication", DEMO_ESSAY), ("events/event", DEMO_CONGRESS)],
)
def test_admin_change_forms_with_inlines_and_autocomplete_work_under_the_policy(
    logged_in_editor, live_server, model, slug
):
    from django.apps import apps

    instance = apps.get_model(*model.split("/")).objects.get(slug=slug)
    path = f"/beheer/{model}/{instance.pk}/change/"
    logged_in_editor.get(live_server.url + path)
    wait_for_path(logged_in_editor, path)

    # Django's admin scripts ran: the inline "add another" links and the autocomplete widgets.
    assert logged_in_editor.find_elements(By.CSS_SELECTOR, ".add-row a, .select2")


def test_the_permissions_policy_is_understood_by_the_browser(browser, live_server, demo):
    """Issue 17, finding 8: every feature the header names is one Chromium knows (an unknown
    one is reported in the console and would be a sign of a typo), and the page works."""
    browser.get(live_server.url + "/")

    complaints = [
        entry["message"]
        for entry in browser.get_log("browser")
        if "Permissions-Policy" in entry["message"] or "Permissions policy" in entry["message"]
    ]

    assert complaints == []
    assert browser.execute_script(
        "return document.featurePolicy === undefined || "
        "!document.featurePolicy.allowsFeature('camera');"
    )
