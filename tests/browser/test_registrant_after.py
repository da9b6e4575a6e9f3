"""A registrant's own page before and after the congress, with the keyboard alone.

Before: another session in one round, saved on the personal page. After (the event moved into
the past, the registrant checked in at the door): the evaluation, sent once without a rating
(focus goes to the error summary) and then filled in, and the certificate of attendance as a
PDF with the registrant's name and the event's title. axe checks every page on the way, on a
desktop and on a phone.
"""

import io
import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader
from selenium.webdriver.common.keys import Keys

from events import services
from events.models import Evaluation, Event, Registration
from tests.browser.helpers import (
    DESKTOP_WIDTH,
    PHONE_WIDTH,
    press,
    tab_until,
    visible_text,
    wait_for_path,
    wait_until,
)
from tests.browser.pages import DEMO_CONGRESS
from tests.browser.test_registration import (
    SUBMIT,
    assert_axe_clean,
    named,
    press_enter_for_a_new_page,
    set_window,
    summary_has_focus,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Fatma Yilmaz"

# JavaScript conditions on the focused element `el`, for tab_until.
EVALUATION_LINK = "el.tagName === 'A' && el.closest('main') && el.pathname.endsWith('/evaluatie/')"
CERTIFICATE_LINK = (
    "el.tagName === 'A' && el.closest('main') && el.pathname.endsWith('/bewijs-van-deelname.pdf')"
)


@pytest.fixture
def registration(demo) -> Registration:
    """Registered for the congress through the service, with the first session the form lists
    in each round."""
    congress = Event.objects.get(slug=DEMO_CONGRESS)
    return services.register(
        event=congress,
        data={
            "name": NAME,
            "email": "fatma@provincie-utrecht.example",
            "organisation": "Provincie Utrecht",
            "job_title": "toezichthouder",
            "needs": "",
        },
        sessions=[
            congress.sessions.filter(slot=slot).order_by("starts_at", "title").first()
            for slot in (1, 2)
        ],
    )


def session_in_round(registration: Registration, slot: int) -> int:
    return registration.sessions.get(slot=slot).pk


def move_event_into_the_past(event: Event) -> None:
    """The congress began yesterday morning and ended that afternoon."""
    starts_at = timezone.now() - timedelta(days=1)
    Event.objects.filter(pk=event.pk).update(
        starts_at=starts_at, ends_at=starts_at + timedelta(hours=7)
    )


def pdf_text(url: str) -> tuple[str, str]:
    """The content type and the text of the PDF at `url`, as a download would get them."""
    with urllib.request.urlopen(url, timeout=30) as response:
        content_type = response.headers["Content-Type"]
        body = response.read()
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return content_type, " ".join(text.split())


@pytest.mark.parametrize("width", [DESKTOP_WIDTH, PHONE_WIDTH], ids=["desktop", "phone"])
def test_change_a_session_then_evaluate_and_download_the_certificate_with_the_keyboard(
    browser, window, live_server, registration, width
):
    set_window(window, width)
    personal = registration.get_absolute_url()
    round_2 = session_in_round(registration, 2)
    browser.get(live_server.url + personal)
    assert "Uw aanmelding wijzigen" in visible_text(browser)
    assert_axe_clean(browser)

    # Another session in round 1: Tab reaches the chosen one, the arrow key picks the next.
    tab_until(browser, named("ronde_1"))
    press(browser, Keys.ARROW_DOWN)
    chosen = int(
        browser.execute_script(
            "return document.querySelector('main [name=ronde_1]:checked').value;"
        )
    )
    assert chosen != session_in_round(registration, 1)
    tab_until(browser, SUBMIT)
    press_enter_for_a_new_page(browser)

    wait_for_path(browser, personal)
    assert "Uw aanmelding is gewijzigd." in visible_text(browser)
    assert session_in_round(registration, 1) == chosen
    assert session_in_round(registration, 2) == round_2
    assert_axe_clean(browser)

    # The day after: the congress is over and the registrant was checked in at the door.
    move_event_into_the_past(registration.event)
    services.check_in(registration=registration, by=None)
    browser.get(live_server.url + personal)
    page = visible_text(browser)
    assert "Na afloop" in page
    assert "Uw aanmelding wijzigen" not in page
    assert_axe_clean(browser)

    tab_until(browser, EVALUATION_LINK)
    press(browser, Keys.ENTER)
    wait_for_path(browser, f"{personal}evaluatie/")
    assert_axe_clean(browser)

    # Sent without a rating: the summary says what is missing and has focus.
    tab_until(browser, SUBMIT)
    press_enter_for_a_new_page(browser)
    wait_until(browser, lambda _: summary_has_focus(browser), "the summary did not take focus")
    assert "Kies een waardering van 1 tot en met 5." in visible_text(
        browser, "[data-error-summary]"
    )
    assert not Evaluation.objects.exists()
    assert_axe_clean(browser)

    # No rating is chosen yet, so Tab stops on the first; Space picks it, arrows move on to 4.
    tab_until(browser, named("rating"))
    press(browser, Keys.SPACE, Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ARROW_DOWN)
    tab_until(browser, named("takeaway"))
    press(browser, "Een botsing van waarden eerst benoemen, dan pas kiezen.")
    tab_until(browser, SUBMIT)
    press_enter_for_a_new_page(browser)

    wait_for_path(browser, personal)
    page = visible_text(browser)
    assert "Dank u wel: uw evaluatie is bewaard." in page
    assert "Uw evaluatie wijzigen" in page
    evaluation = Evaluation.objects.get(registration=registration)
    assert evaluation.rating == 4
    assert evaluation.takeaway == "Een botsing van waarden eerst benoemen, dan pas kiezen."
    assert evaluation.event == registration.event
    assert_axe_clean(browser)

    # The certificate: the link the keyboard reaches, fetched as the download would be.
    link = tab_until(browser, CERTIFICATE_LINK)
    content_type, text = pdf_text(link.get_attribute("href"))
    assert content_type == "application/pdf"
    assert NAME in text
    assert "Tussen Participatie en Populisme" in text
