"""What a civil servant does in a real browser, by mouse and by keyboard alone.

Later issues add their journeys here (searching).
"""

import datetime
import re
import urllib.request

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from events import services
from events.models import Event, Registration
from learning_circles.models import JoinRequest
from tests.browser.helpers import (
    focus_state,
    html_lang,
    path_of,
    press,
    query_of,
    tab_until,
    visible_text,
    wait_for_new_page,
    wait_for_next_document,
    wait_for_path,
    wait_until,
)
from tests.browser.pages import (
    DEMO_CONGRESS,
    DEMO_ESSAY,
    DEMO_OPEN_CIRCLE,
    DEMO_PERSON,
    DEMO_REGISTER,
)
from tests.factories import make_publication, make_theme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESULT_COUNT = re.compile(r"(\d+) publicaties? gevonden")


def result_count(browser) -> int:
    match = RESULT_COUNT.search(visible_text(browser))
    assert match, "the publications list does not say how many publications it found"
    return int(match.group(1))


def click_link(browser, xpath: str) -> None:
    old_url = browser.current_url
    browser.find_element(By.XPATH, xpath).click()
    wait_for_new_page(browser, old_url)


def test_journey_theme_to_publication_pdf_and_citation(browser, live_server, demo):
    browser.get(live_server.url + "/")

    click_link(browser, "//main//a[contains(normalize-space(), 'Sturen in netwerken')]")
    assert path_of(browser.current_url) == "/themas/sturen-in-netwerken/"
    assert "Sturen in netwerken" in browser.find_element(By.TAG_NAME, "h1").text

    click_link(browser, "//main//a[normalize-space()='Leren van doen']")
    assert path_of(browser.current_url) == f"/publicaties/{DEMO_ESSAY}/"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Leren van doen"
    assert "Martijn van der Steen" in visible_text(browser)

    download = browser.find_element(By.CSS_SELECTOR, "main a[href$='/download/']")
    with urllib.request.urlopen(download.get_attribute("href")) as response:  # the live server
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.read().startswith(b"%PDF-")

    # Headless Chromium keeps a clipboard of its own; reading it back needs the permission.
    browser.execute_cdp_cmd(
        "Browser.grantPermissions",
        {
            "origin": live_server.url,
            "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"],
        },
    )
    copy = browser.find_element(By.CSS_SELECTOR, "button[data-copy-target]")
    assert "Kopieer" in copy.text
    copy.click()
    status = browser.execute_script(
        """
        for (let node = arguments[0].parentElement; node; node = node.parentElement) {
          const status = node.querySelector("[role=status]");
          if (status) return status;
        }
        return null;
        """,
        copy,
    )
    assert status is not None, "no [role=status] near the copy button tells what happened"
    wait_until(
        browser,
        lambda _: "gekopieerd" in status.text.lower(),
        "the status never said the citation was copied",
    )
    clipboard = browser.execute_async_script(
        "const done = arguments[0];"
        "navigator.clipboard.readText().then(done, (error) => done('ERROR ' + error));"
    )
    assert "Steen, M. van der" in clipboard
    assert "Leren van doen" in clipboard


def _label_of(browser, checkbox):
    return browser.execute_script("return arguments[0].labels[0];", checkbox)


def test_journey_filter_by_two_facets_page_on_and_reset(browser, live_server):
    toezicht = make_theme("Toezicht")
    leiderschap = make_theme("Leiderschap")
    for number in range(25):
        make_publication(f"Inspectierapport {number + 1}", themes=[toezicht], kind="rapport")
    make_publication("Inspecteurs over hun vak", themes=[toezicht], kind="essay")
    make_publication("Leiding geven aan inspecteurs", themes=[leiderschap], kind="rapport")
    make_publication("Botsende rationaliteiten", kind="boek")

    browser.get(live_server.url + "/publicaties/")
    assert result_count(browser) == 28

    # Each ticked box applies at once (static/js/portal.js): no button to look for.
    for name, value in (("thema", "toezicht"), ("soort", "rapport")):
        selector = f"input[type=checkbox][name={name}][value={value}]"
        old_url = browser.current_url
        _label_of(browser, browser.find_element(By.CSS_SELECTOR, selector)).click()
        wait_for_new_page(browser, old_url)
        checkbox = browser.find_element(By.CSS_SELECTOR, selector)
        assert checkbox.is_selected(), f"clicking the label did not tick {name}={value}"

    assert result_count(browser) == 25
    query = query_of(browser.current_url)
    assert (query["thema"], query["soort"]) == (["toezicht"], ["rapport"])

    click_link(browser, "//main//a[contains(normalize-space(), 'Volgende')]")
    query = query_of(browser.current_url)
    assert query["page"] == ["2"]
    assert query["thema"] == ["toezicht"]
    assert query["soort"] == ["rapport"]
    for name, value in (("thema", "toezicht"), ("soort", "rapport")):
        checkbox = browser.find_element(
            By.CSS_SELECTOR, f"input[type=checkbox][name={name}][value={value}]"
        )
        assert checkbox.is_selected(), f"{name}={value} is no longer ticked on page 2"
    assert result_count(browser) == 25
    assert "Inspectierapport" in visible_text(browser)

    click_link(browser, "//main//a[normalize-space()='Alle filters wissen']")
    assert browser.current_url == live_server.url + "/publicaties/"
    assert result_count(browser) == 28
    ticked = browser.find_elements(By.CSS_SELECTOR, "input[type=checkbox]:checked")
    assert ticked == []


def test_journey_switch_language_and_stay_on_the_page(browser, live_server, demo):
    browser.get(f"{live_server.url}/publicaties/{DEMO_ESSAY}/")
    assert html_lang(browser) == "nl"

    browser.find_element(By.CSS_SELECTOR, "header a[hreflang='en']").click()
    wait_for_path(browser, f"/en/publicaties/{DEMO_ESSAY}/")
    assert html_lang(browser) == "en"
    # Content stays Dutch; only the interface changes language.
    assert browser.find_element(By.TAG_NAME, "h1").text == "Leren van doen"

    browser.find_element(By.CSS_SELECTOR, "header a[hreflang='nl']").click()
    wait_for_path(browser, f"/publicaties/{DEMO_ESSAY}/")
    assert html_lang(browser) == "nl"


# JavaScript conditions on the focused element `el`, for tab_until.
MAIN_NAV_PUBLICATIONS = (
    "el.tagName === 'A' && el.closest('nav') && !el.closest('main')"
    " && el.pathname === '/publicaties/'"
)
KIND_CHECKBOX = "el.matches('input[type=checkbox][name=soort]')"
FIRST_RESULT = (
    "el === [...document.querySelectorAll('main a')]"
    ".find((a) => /^\\/publicaties\\/[^\\/]+\\/$/.test(a.pathname))"
)


def test_journey_keyboard_only_from_home_to_a_filtered_publication(browser, live_server, demo):
    browser.get(live_server.url + "/")

    tab_until(browser, MAIN_NAV_PUBLICATIONS)
    press(browser, Keys.ENTER)
    wait_for_path(browser, "/publicaties/")
    total = result_count(browser)

    checkbox = tab_until(browser, KIND_CHECKBOX)
    kind = checkbox.get_dom_attribute("value")
    old_url = browser.current_url
    press(browser, Keys.SPACE)
    # The filter applies at once, and focus comes back to the box that was ticked.
    wait_for_new_page(browser, old_url)
    assert query_of(browser.current_url)["soort"] == [kind]
    state = focus_state(browser, f"el.matches('input[name=soort][value={kind}]') && el.checked")
    assert state["matches"], f"focus is on {state['description']}, not the ticked box"
    assert result_count(browser) < total

    result = tab_until(browser, FIRST_RESULT)
    title, path = result.text, browser.execute_script("return arguments[0].pathname;", result)
    press(browser, Keys.ENTER)
    wait_for_path(browser, path)
    assert browser.find_element(By.TAG_NAME, "h1").text == title


# --- Learning circles and the network ----------------------------------------------------------

MAIN_NAV = "//header//nav[@aria-label='Hoofdmenu']"
JOIN_FIELDS = {
    "Organisatie": "Gemeente Berkelland",
    "Naam": "Anna Jansen",
    "E-mailadres": "anna@berkelland.nl",
    "Waarom wilt u meedoen?": "Wij willen leren hoe andere inspecties hun vak bijhouden.",
}
CONSENT = "Ik geef toestemming om deze gegevens te bewaren"


def submit(browser, button_text: str) -> None:
    """Press the form's button and wait for the answer, also when it comes from the same URL."""
    old_document = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.XPATH, f"//main//button[normalize-space()='{button_text}']").click()
    wait_for_next_document(browser, old_document)


def field_labelled(browser, label: str):
    """The form control whose <label> reads `label`, as a screen reader announces it."""
    [element] = browser.find_elements(By.XPATH, f"//main//label[normalize-space()='{label}']")
    return browser.find_element(By.ID, element.get_dom_attribute("for"))


def active_id(browser) -> str:
    return browser.execute_script("return document.activeElement.id;")


def test_journey_join_a_running_circle_through_the_error_summary(browser, live_server, demo):
    browser.get(live_server.url + "/")

    click_link(browser, f"{MAIN_NAV}//a[normalize-space()='Leerkringen']")
    assert path_of(browser.current_url) == "/leerkringen/"
    click_link(browser, "//main//a[contains(normalize-space(), 'Programma Innovatie Toezicht')]")
    assert path_of(browser.current_url) == f"/leerkringen/{DEMO_OPEN_CIRCLE}/"
    assert "Lopend" in visible_text(browser)

    click_link(browser, "//main//a[normalize-space()='Meld belangstelling om mee te doen']")
    join_path = f"/leerkringen/{DEMO_OPEN_CIRCLE}/aanmelden/"
    assert path_of(browser.current_url) == join_path

    submit(browser, "Verstuur")
    assert path_of(browser.current_url) == join_path
    summary = browser.find_element(By.CSS_SELECTOR, "main [role=alert]")
    wait_until(
        browser,
        lambda _: browser.switch_to.active_element == summary,
        "the error summary did not take focus",
    )
    assert "Er ging iets mis" in summary.text
    error_links = summary.find_elements(By.TAG_NAME, "a")
    targets = [link.get_dom_attribute("href").removeprefix("#") for link in error_links]
    labels = [*JOIN_FIELDS, CONSENT]
    assert targets == [field_labelled(browser, label).get_dom_attribute("id") for label in labels]

    # By keyboard: from the focused summary, Tab to its first link and follow it.
    press(browser, Keys.TAB)
    assert browser.switch_to.active_element == error_links[0]
    press(browser, Keys.ENTER)
    wait_until(browser, lambda _: active_id(browser) == targets[0], "focus stayed on the link")
    # By mouse: every link puts the cursor in the field it is about.
    for link, target in zip(error_links, targets, strict=True):
        link.click()
        wait_until(browser, lambda _, t=target: active_id(browser) == t, f"focus not on #{target}")
        field = browser.switch_to.active_element
        assert field.get_dom_attribute("aria-invalid") == "true"

    for label, value in JOIN_FIELDS.items():
        field_labelled(browser, label).send_keys(value)
    consent = field_labelled(browser, CONSENT)
    _label_of(browser, consent).click()
    assert consent.is_selected(), "clicking the consent label did not tick it"
    submit(browser, "Verstuur")

    wait_for_path(browser, f"{join_path}ontvangen/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Bedankt, uw belangstelling is ontvangen"
    join_request = JoinRequest.objects.get()
    assert join_request.circle.slug == DEMO_OPEN_CIRCLE
    assert (join_request.organisation_name, join_request.name, join_request.email) == (
        "Gemeente Berkelland",
        "Anna Jansen",
        "anna@berkelland.nl",
    )
    assert join_request.consent_at is not None


def test_journey_from_an_author_to_their_organisation(browser, live_server, demo):
    browser.get(f"{live_server.url}/publicaties/{DEMO_ESSAY}/")

    click_link(browser, "//main//dd//a[normalize-space()='Martijn van der Steen']")
    assert path_of(browser.current_url) == f"/netwerk/personen/{DEMO_PERSON}/"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Martijn van der Steen"
    # The person page leads back to what they wrote.
    assert browser.find_elements(By.XPATH, "//main//a[normalize-space()='Leren van doen']")

    click_link(
        browser, "//main//dd//a[normalize-space()='Nederlandse School voor Openbaar Bestuur']"
    )
    assert path_of(browser.current_url) == "/netwerk/nsob/"
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith(
        "Nederlandse School voor Openbaar Bestuur"
    )
    people = browser.find_elements(By.XPATH, "//main//a[normalize-space()='Martijn van der Steen']")
    assert people, "the organisation page does not list its author"


# --- Events ------------------------------------------------------------------------------------

REGISTER_FIELDS = {
    "Naam": "Anna Jansen",
    "E-mailadres": "anna@berkelland.nl",
    "Organisatie": "Gemeente Berkelland",
}
EVENT_CONSENT = "Ik ga akkoord met het bewaren van mijn gegevens voor deze aanmelding"
# One workshop in each round of the demo congress.
CONGRESS_TITLE = "Tussen Participatie en Populisme"
CONGRESS_SESSIONS = {
    "ronde_1": "Democratische waarden bij maatwerk",
    "ronde_2": "Samenwerken als één overheid",
}


def wait_for_registration_page(browser) -> Registration:
    """The registrant's own page at /aanmelding/<token>/, and the registration it shows."""
    wait_until(
        browser,
        lambda d: (
            path_of(d.current_url).startswith("/aanmelding/")
            and d.execute_script("return document.readyState;") == "complete"
        ),
        "the form did not lead to the registration's own page",
    )
    token = path_of(browser.current_url).removeprefix("/aanmelding/").strip("/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Uw aanmelding"
    return Registration.objects.get(token=token)


def test_journey_register_for_the_congress_and_cancel(browser, live_server, demo):
    browser.get(live_server.url + "/")

    click_link(browser, f"{MAIN_NAV}//a[normalize-space()='Evenementen']")
    assert path_of(browser.current_url) == "/evenementen/"
    click_link(browser, f"//main//a[normalize-space()='{CONGRESS_TITLE}']")
    assert path_of(browser.current_url) == f"/evenementen/{DEMO_CONGRESS}/"
    assert browser.find_element(By.TAG_NAME, "h1").text == CONGRESS_TITLE
    assert "Aanmelden is open" in visible_text(browser)

    # The button's accessible name adds the event's title, hidden from sight.
    click_link(browser, "//main//a[starts-with(normalize-space(), 'Aanmelden')]")
    assert path_of(browser.current_url) == DEMO_REGISTER

    submit(browser, "Aanmelden")
    assert path_of(browser.current_url) == DEMO_REGISTER
    summary = browser.find_element(By.CSS_SELECTOR, "main [role=alert]")
    wait_until(
        browser,
        lambda _: browser.switch_to.active_element == summary,
        "the error summary did not take focus",
    )
    assert "Er ging iets mis" in summary.text
    error_links = summary.find_elements(By.TAG_NAME, "a")
    targets = [link.get_dom_attribute("href").removeprefix("#") for link in error_links]
    labels = [*REGISTER_FIELDS, EVENT_CONSENT]
    assert targets == [field_labelled(browser, label).get_dom_attribute("id") for label in labels]
    for link, target in zip(error_links, targets, strict=True):
        link.click()
        wait_until(browser, lambda _, t=target: active_id(browser) == t, f"focus not on #{target}")
        assert browser.switch_to.active_element.get_dom_attribute("aria-invalid") == "true"

    for label, value in REGISTER_FIELDS.items():
        field_labelled(browser, label).send_keys(value)
    browser.find_element(By.NAME, "job_title").send_keys("beleidsadviseur")
    for name, title in CONGRESS_SESSIONS.items():
        radio = field_labelled(browser, title)
        assert radio.get_dom_attribute("name") == name
        _label_of(browser, radio).click()
        assert radio.is_selected(), f"clicking the label did not choose {title!r}"
    consent = field_labelled(browser, EVENT_CONSENT)
    _label_of(browser, consent).click()
    assert consent.is_selected(), "clicking the consent label did not tick it"
    submit(browser, "Aanmelden")

    registration = wait_for_registration_page(browser)
    assert "Uw plaats is bevestigd" in visible_text(browser)
    assert registration.status == Registration.Status.CONFIRMED
    assert (registration.name, registration.email, registration.organisation) == (
        "Anna Jansen",
        "anna@berkelland.nl",
        "Gemeente Berkelland",
    )
    chosen = sorted(registration.sessions.values_list("title", flat=True))
    assert chosen == sorted(CONGRESS_SESSIONS.values())
    for title in CONGRESS_SESSIONS.values():
        assert title in visible_text(browser), f"the registration page does not show {title!r}"

    # Cancelling asks first, on a page of its own.
    click_link(browser, "//main//a[normalize-space()='Aanmelding annuleren']")
    assert path_of(browser.current_url) == f"{registration.get_absolute_url()}annuleren/"
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    submit(browser, "Ja, annuleer mijn aanmelding")
    assert "Deze aanmelding is geannuleerd" in visible_text(browser)
    assert not browser.find_elements(
        By.XPATH, "//main//a[normalize-space()='Aanmelding annuleren']"
    )
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


# JavaScript conditions on the focused element `el`, for tab_until.
MAIN_NAV_EVENTS = (
    "el.tagName === 'A' && el.closest('nav') && !el.closest('main')"
    " && el.pathname === '/evenementen/'"
)
CONGRESS_LINK = (
    f"el.tagName === 'A' && el.closest('main') && el.pathname === '/evenementen/{DEMO_CONGRESS}/'"
)
REGISTER_LINK = f"el.tagName === 'A' && el.closest('main') && el.pathname === '{DEMO_REGISTER}'"
REGISTER_BUTTON = "el.matches('main button[type=submit]') && el.innerText.trim() === 'Aanmelden'"


def named(name: str) -> str:
    """The condition for tab_until: focus is on the form control called `name`."""
    return f"el.closest('main') && el.name === '{name}'"


def test_journey_register_for_the_congress_with_the_keyboard_only(browser, live_server, demo):
    browser.get(live_server.url + "/")

    tab_until(browser, MAIN_NAV_EVENTS)
    press(browser, Keys.ENTER)
    wait_for_path(browser, "/evenementen/")
    tab_until(browser, CONGRESS_LINK)
    press(browser, Keys.ENTER)
    wait_for_path(browser, f"/evenementen/{DEMO_CONGRESS}/")
    tab_until(browser, REGISTER_LINK)
    press(browser, Keys.ENTER)
    wait_for_path(browser, DEMO_REGISTER)

    # Sent empty: the summary takes focus, and its first link leads to the name field.
    form_page = browser.find_element(By.TAG_NAME, "html")
    tab_until(browser, REGISTER_BUTTON)
    press(browser, Keys.ENTER)
    wait_for_next_document(browser, form_page)
    wait_until(
        browser,
        lambda _: browser.switch_to.active_element.get_dom_attribute("role") == "alert",
        "the error summary did not take focus",
    )
    press(browser, Keys.TAB)
    assert browser.switch_to.active_element.get_dom_attribute("href") == "#id_name"
    press(browser, Keys.ENTER)
    wait_until(browser, lambda _: active_id(browser) == "id_name", "focus stayed on the link")

    press(browser, "Anna Jansen")
    tab_until(browser, named("email"))
    press(browser, "anna@berkelland.nl")
    tab_until(browser, named("organisation"))
    press(browser, "Gemeente Berkelland")
    # Tab enters each radio group on its checked option ("no session"); an arrow key moves on
    # to the first workshop. Space ticks the consent box.
    for round_name in CONGRESS_SESSIONS:
        tab_until(browser, named(round_name))
        press(browser, Keys.ARROW_DOWN)
    consent = tab_until(browser, named("consent"))
    press(browser, Keys.SPACE)
    assert consent.is_selected(), "Space did not tick the consent box"

    form_page = browser.find_element(By.TAG_NAME, "html")
    tab_until(browser, REGISTER_BUTTON)
    press(browser, Keys.ENTER)
    wait_for_next_document(browser, form_page)

    registration = wait_for_registration_page(browser)
    assert "Uw plaats is bevestigd" in visible_text(browser)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.name == "Anna Jansen"
    assert sorted(registration.sessions.values_list("slot", flat=True)) == [1, 2]


def make_full_event() -> Event:
    """An open event with one place, taken by someone who registered before."""
    starts_at = timezone.now() + datetime.timedelta(days=30)
    event = Event.objects.create(
        title="Intervisie voor inspecteurs",
        slug="intervisie-voor-inspecteurs",
        kind=Event.Kind.MEETING,
        summary="Een middag intervisie in een kleine kring.",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        venue_name="Utrecht",
        capacity=1,
        status=Event.Status.PUBLISHED,
        published_at=timezone.now() - datetime.timedelta(days=1),
    )
    services.register(
        event=event,
        data={
            "name": "Eerste Deelnemer",
            "email": "eerste@example.org",
            "organisation": "Inspectie SZW",
            "job_title": "",
            "needs": "",
        },
    )
    return event


def test_journey_a_full_event_puts_you_on_the_waiting_list(browser, live_server):
    event = make_full_event()
    browser.get(live_server.url + event.get_absolute_url())
    assert "Vol — aanmelden voor de wachtlijst" in visible_text(browser)

    click_link(browser, "//main//a[starts-with(normalize-space(), 'Zet mij op de wachtlijst')]")
    assert path_of(browser.current_url) == f"{event.get_absolute_url()}aanmelden/"
    assert "Dit evenement is vol" in visible_text(browser)
    for label, value in REGISTER_FIELDS.items():
        field_labelled(browser, label).send_keys(value)
    _label_of(browser, field_labelled(browser, EVENT_CONSENT)).click()
    submit(browser, "Zet mij op de wachtlijst")

    registration = wait_for_registration_page(browser)
    assert "U staat op de wachtlijst, op plaats 1" in visible_text(browser)
    assert registration.status == Registration.Status.WAITING
    assert registration.waiting_position() == 1


def test_journey_search_from_the_header_refine_by_kind_and_open_a_result(
    browser, live_server, demo
):
    """A civil servant types a question in the header, narrows to publications, opens one."""
    browser.get(live_server.url + "/")
    box = browser.find_element(By.ID, "site-search-q")
    box.send_keys("vakmanschap")
    old_url = browser.current_url
    box.send_keys(Keys.ENTER)
    wait_for_new_page(browser, old_url)

    assert path_of(browser.current_url) == "/zoeken/"
    heading = browser.find_element(By.ID, "results-heading").text
    assert "resultaten voor" in heading or "resultaat voor" in heading

    click_link(browser, "//nav[@aria-labelledby='refine-heading']//a[contains(., 'Publicaties')]")
    assert query_of(browser.current_url)["soort"] == ["publication"]
    titles = browser.find_elements(By.CSS_SELECTOR, "main ol h3 a")
    assert titles, "refining by kind left no results"

    first = titles[0].text
    click_link(browser, "(//main//ol//h3/a)[1]")
    assert browser.find_element(By.TAG_NAME, "h1").text == first


def test_journey_search_without_results_offers_themes(browser, live_server, demo):
    browser.get(live_server.url + "/zoeken/?q=xyzzyqwerty")

    assert "Niets gevonden" in visible_text(browser)
    click_link(browser, "//main//a[contains(@class, 'ikpob-chip')][1]")
    assert path_of(browser.current_url).startswith("/themas/")
