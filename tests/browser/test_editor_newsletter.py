"""The newsletter in the admin, as a Redacteur sees it: every page of it passes axe (WCAG 2.1
AA) at desktop and phone width, and the mail's HTML as sent passes too."""

import pytest

from ikpob_portal.subscriptions.models import Newsletter
from tests.browser.axe import axe_report
from tests.browser.helpers import DESKTOP_WIDTH, PHONE_WIDTH
from tests.browser.test_editor_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN = "/beheer/subscriptions/newsletter/"


@pytest.mark.parametrize("width", [DESKTOP_WIDTH, PHONE_WIDTH], ids=["desktop", "phone"])
def test_every_newsletter_admin_page_passes_axe(browser, window, live_server, demo, width):
    log_in(browser, live_server)
    sent = Newsletter.objects.get()
    draft = Newsletter.objects.create(subject="Concept", intro="Hallo **iedereen**")
    pages = [
        ADMIN,
        f"{ADMIN}add/",
        f"{ADMIN}{draft.pk}/change/",
        f"{ADMIN}{draft.pk}/voorbeeld/",
        f"{ADMIN}{draft.pk}/voorbeeld/html/",
        f"{ADMIN}{draft.pk}/test/",
        f"{ADMIN}{draft.pk}/inplannen/",
        f"{ADMIN}{sent.pk}/change/",
        f"{ADMIN}aantallen/",
        f"{ADMIN}afmelden/",
    ]
    window.resize(width)
    problems = []
    for path in pages:
        browser.get(live_server.url + path)
        report = axe_report(browser)
        if report:
            problems.append(report)
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)
