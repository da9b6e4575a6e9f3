"""Following a theme, as a civil servant does it with the keyboard only on a phone: from the
theme page to the form, the confirmation mail, the button, the first digest (read from a real
SMTP server in the test process), changing the choices, and unsubscribing with one click from
the mail client (RFC 8058)."""

import re
import urllib.request
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from django.core.management import call_command
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from ikpob_portal.kernel.models import Theme
from ikpob_portal.subscriptions.models import Subscription
from tests.browser.helpers import (
    PHONE_WIDTH,
    path_of,
    press,
    tab_until,
    visible_text,
    wait_for_path,
)
from tests.browser.pages import DEMO_THEME
from tests.browser.test_registration import (
    SUBMIT,
    assert_axe_clean,
    named,
    press_enter_for_a_new_page,
)
from tests.factories import make_publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOLLOW_LINK = "el.tagName === 'A' && el.closest('main') && el.pathname === '/volgen/'"
LINK = re.compile(r"http://[^\s<>\"]+")


def mails(received) -> list:
    return [message_from_bytes(raw, policy=policy.default) for raw in received]


def text_of(mail) -> str:
    return mail.get_body(preferencelist=("plain",)).get_content()


def links_in(mail, live_server) -> list[str]:
    """The mail's links, on the test's live server (the site's address is SITE_URL)."""
    return [live_server.url + "/" + link.split("/", 3)[3] for link in LINK.findall(text_of(mail))]


def test_follow_a_theme_confirm_get_the_digest_change_and_unsubscribe_in_one_click(
    browser, window, live_server, demo, smtp_server
):
    window.resize(PHONE_WIDTH, 812)
    theme = Theme.objects.get(slug=DEMO_THEME)
    browser.get(f"{live_server.url}/themas/{DEMO_THEME}/")

    tab_until(browser, FOLLOW_LINK)
    press(browser, Keys.ENTER)
    wait_for_path(browser, "/volgen/")
    assert browser.find_element(By.CSS_SELECTOR, f"input[value='{DEMO_THEME}']").is_selected()
    assert_axe_clean(browser)
    tab_until(browser, named("email"))
    press(browser, "ambtenaar@example.org")
    tab_until(browser, SUBMIT)
    press_enter_for_a_new_page(browser)
    wait_for_path(browser, "/volgen/verstuurd/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Kijk in uw mailbox"
    assert_axe_clean(browser)

    # The confirmation mail; its link shows a button, and only the button confirms.
    [confirmation] = mails(smtp_server)
    assert confirmation["To"] == "ambtenaar@example.org"
    [confirm_url] = [url for url in links_in(confirmation, live_server) if "/bevestigen/" in url]
    browser.get(confirm_url)
    assert "Thema: " + theme.name in visible_text(browser)
    assert_axe_clean(browser)
    tab_until(browser, SUBMIT)
    press_enter_for_a_new_page(browser)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Aanmelding bevestigd"
    subscription = Subscription.objects.get(email="ambtenaar@example.org")
    assert subscription.is_confirmed

    # A week later something new on the theme: the scheduled job sends the digest.
    Subscription.objects.filter(pk=subscription.pk).update(
        digest_from=timezone.now() - timedelta(days=8)
    )
    make_publication("Nieuw over het vak", themes=[theme])
    call_command("send_pending_mails")
    # (The demo's example subscribers get theirs too.)
    [digest] = [
        mail
        for mail in mails(smtp_server)
        if mail["To"] == "ambtenaar@example.org" and mail["List-Unsubscribe"]
    ]
    assert "Nieuw over het vak" in text_of(digest)
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The preferences link in the digest: from weekly to monthly, with the keyboard.
    [preferences_url] = [
        url
        for url in links_in(digest, live_server)
        if url.endswith(subscription.get_absolute_url())
    ][:1]
    browser.get(preferences_url)
    assert_axe_clean(browser)
    monthly = tab_until(browser, named("frequency"))
    press(browser, Keys.ARROW_DOWN)
    assert browser.switch_to.active_element.get_dom_attribute("value") == "monthly"
    assert monthly is not None
    tab_until(browser, SUBMIT)
    press_enter_for_a_new_page(browser)
    assert "Uw keuzes zijn bewaard." in visible_text(browser)
    subscription.refresh_from_db()
    assert subscription.frequency == "monthly"

    # The mail client's one-click unsubscribe: a POST to the List-Unsubscribe address.
    address = digest["List-Unsubscribe"].strip("<>")
    on_test_server = live_server.url + "/" + address.split("/", 3)[3]
    request = urllib.request.Request(
        on_test_server,
        data=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    with urllib.request.urlopen(request) as answer:
        assert answer.status == 200
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    browser.get(preferences_url)
    assert path_of(browser.current_url) == subscription.get_absolute_url()
    assert browser.find_element(By.TAG_NAME, "h1").text != "Uw keuzes"
