"""At the door: a volunteer checks in two attendees, one by name and one by a scanned code.

A hand scanner is a keyboard: it types the code of the QR code into the focused search field
and presses Enter. The page is checked with axe at tablet and desktop width.
"""

from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from events import checkin
from events.models import Event, Registration
from tests.browser.axe import assert_no_axe_violations
from tests.browser.helpers import DESKTOP_WIDTH, wait_for_path, wait_until
from tests.factories import make_event, make_registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-genoeg-wachtwoord"
TABLET_WIDTH = 768


@pytest.fixture
def congress(transactional_db) -> Event:
    """Today's event with four confirmed attendees and one on the waiting list."""
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time(23, 0)))
    event = make_event("Tussen Participatie en Populisme", starts_at=start, capacity=4)
    make_registration(event, name="Jan Jansen", organisation="Gemeente Utrecht")
    make_registration(
        event, name="Fatma Yilmaz", organisation="Provincie Utrecht", checkin_code="XR7P2Q"
    )
    make_registration(event, name="Anna de Boer", organisation="Gemeente Zeist")
    make_registration(event, name="Pieter Bakker", organisation="Gemeente Houten")
    make_registration(event, name="Jan Wachter", status=Registration.Status.WAITING)
    return event


@pytest.fixture
def volunteer(browser, live_server):
    """Logged in through the admin's login form, in the group 'Ingang' and nothing else.

    Transactional tests empty the tables between tests, so the group from the migration is
    made again here; the permission itself comes back with every migrate/flush."""
    group, _created = Group.objects.get_or_create(name=checkin.DOOR_GROUP)
    group.permissions.set([Permission.objects.get(codename="check_in_registration")])
    user = get_user_model().objects.create_user("ingang", password=PASSWORD, is_staff=True)
    user.groups.add(group)
    browser.get(live_server.url + "/beheer/login/?next=/beheer/")
    browser.find_element(By.NAME, "username").send_keys("ingang")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form [type=submit]").click()
    wait_for_path(browser, "/beheer/")
    return browser


def counts(browser) -> str:
    return browser.find_element(By.ID, "door-counts").text


def wait_for_status(browser, expected: str) -> None:
    wait_until(
        browser,
        lambda driver: driver.find_element(By.ID, "door-status").text == expected,
        f"the live region never said {expected!r}",
    )


def focused_id(browser) -> str:
    return browser.execute_script("return document.activeElement.id;")


def test_volunteer_checks_in_by_name_and_by_scanned_code_and_undoes_one(
    volunteer, live_server, congress, window
):
    browser = volunteer
    # From the dashboard (which has nothing else for a volunteer) to today's event.
    browser.find_element(By.LINK_TEXT, "Aanmelden bij de ingang").click()
    browser.find_element(By.PARTIAL_LINK_TEXT, "Tussen Participatie en Populisme").click()
    wait_for_path(browser, f"/beheer/events/event/{congress.pk}/aanwezigheid/")
    assert counts(browser) == "0 van 4 aanwezig"
    assert focused_id(browser) == "door-q"  # ready for a name or a scan

    # By name: search, then the large button named with the person.
    browser.switch_to.active_element.send_keys("jansen", Keys.ENTER)
    button = browser.find_element(By.CSS_SELECTOR, "button[aria-label='Meld Jan Jansen aanwezig']")
    window.resize(TABLET_WIDTH)
    assert_no_axe_violations(browser)  # results with their buttons, at tablet width
    button.click()
    wait_for_status(browser, "Jan Jansen is aanwezig gemeld (1 van 4 aanwezig).")
    assert counts(browser) == "1 van 4 aanwezig"
    assert focused_id(browser) == "door-q"

    # By code: the scanner types it (in capitals or not) and presses Enter; no button needed.
    field = browser.switch_to.active_element
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys("xr7p2q", Keys.ENTER)
    wait_for_status(browser, "Fatma Yilmaz is aanwezig gemeld (2 van 4 aanwezig).")
    assert counts(browser) == "2 van 4 aanwezig"
    assert focused_id(browser) == "door-q"
    assert browser.find_element(By.ID, "door-q").get_attribute("value") == ""  # next scan

    # The last ones checked in are listed; one was a mistake.
    window.resize(DESKTOP_WIDTH)
    assert_no_axe_violations(browser)
    browser.find_element(
        By.CSS_SELECTOR, "button[aria-label='Ongedaan maken voor Jan Jansen']"
    ).click()
    wait_for_status(browser, "Jan Jansen is niet meer aanwezig gemeld (1 van 4 aanwezig).")
    assert counts(browser) == "1 van 4 aanwezig"

    present = Registration.objects.filter(event=congress, checked_in_at__isnull=False)
    assert list(present.values_list("name", flat=True)) == ["Fatma Yilmaz"]
    assert present.get().checked_in_by.username == "ingang"


def test_counts_follow_check_ins_on_another_tablet(volunteer, live_server, congress):
    """The page asks for the counts every 15 seconds and when the tablet wakes up; waiting 15
    seconds would slow the suite down, so the tablet "wakes up" here."""
    browser = volunteer
    browser.get(f"{live_server.url}/beheer/events/event/{congress.pk}/aanwezigheid/")
    assert counts(browser) == "0 van 4 aanwezig"
    Registration.objects.filter(event=congress, name="Anna de Boer").update(
        checked_in_at=timezone.now() - timedelta(minutes=1)
    )

    browser.execute_script("document.dispatchEvent(new Event('visibilitychange'));")

    wait_until(
        browser,
        lambda driver: counts(driver) == "1 van 4 aanwezig",
        "the counts were not refreshed",
    )
