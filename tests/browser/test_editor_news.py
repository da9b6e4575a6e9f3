"""A Redacteur publishes an interview in the admin, with a cover image, and finds it on the
home page, the theme page, the interviewee's page and in the site search."""

import pytest
from django.core.management import call_command
from PIL import Image
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from publications.models import NewsItem
from tests.browser.helpers import visible_text, wait_for_new_page, wait_for_path, wait_until
from tests.factories import make_editor, make_person

# The Redacteur group (made by migrations) is put back after each flush by tests/conftest.py.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-2026"  # the factories' password
TITLE = "Voorbeeld: in gesprek over vakmanschap aan de balie"
ALT = "Lotte Voorbeeld aan de balie van het gemeentehuis"


def log_in(browser, live_server) -> None:
    browser.delete_all_cookies()
    browser.get(live_server.url + "/beheer/login/?next=/beheer/")
    browser.find_element(By.NAME, "username").send_keys("redacteur")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form [type=submit]").click()
    wait_for_path(browser, "/beheer/")


def choose_in_autocomplete(browser, select_id: str, words: str, option: str) -> None:
    """Pick an option of an admin autocomplete (select2) by typing, as an editor does."""
    container = browser.find_element(By.CSS_SELECTOR, f"#{select_id} + .select2")
    container.click()
    search = browser.find_element(
        By.CSS_SELECTOR, ".select2-container--open .select2-search__field"
    )
    search.send_keys(words)
    xpath = f"//li[contains(@class, 'select2-results__option') and normalize-space()='{option}']"
    wait_until(browser, lambda d: d.find_elements(By.XPATH, xpath), f"no option {option!r}")
    browser.find_element(By.XPATH, xpath).click()


def titles_on(browser, url: str) -> str:
    browser.get(url)
    return visible_text(browser)


def test_editor_publishes_an_interview_and_finds_it_everywhere(browser, live_server, tmp_path):
    call_command("loaddemo", verbosity=0)
    make_editor("redacteur")
    make_person("Lotte", "Voorbeeld", bio="Een voorbeeldpersoon voor de demo.")
    photo = tmp_path / "balie.jpg"
    Image.new("RGB", (1600, 900), (21, 66, 115)).save(photo, "JPEG")

    log_in(browser, live_server)
    # The dashboard's block (its caption is set in capitals).
    assert "ACTUEEL" in visible_text(browser, "#content-main").upper()
    browser.get(live_server.url + "/beheer/publications/newsitem/add/")
    browser.find_element(By.ID, "id_title").send_keys(TITLE)
    Select(browser.find_element(By.ID, "id_kind")).select_by_visible_text("Interview")
    choose_in_autocomplete(browser, "id_contributions-0-person", "Voorbeeld", "Lotte Voorbeeld")
    browser.find_element(By.ID, "id_summary").send_keys(
        "Een voorbeeldinterview over wat vakmanschap aan de balie vraagt."
    )
    browser.find_element(By.ID, "id_body").send_keys(
        "## Wat vraagt de balie?", Keys.ENTER, Keys.ENTER, "Geduld en oordeelsvermogen."
    )
    choose_in_autocomplete(browser, "id_themes", "Leider", "Leiderschap")
    browser.find_element(By.ID, "id_image").send_keys(str(photo))
    browser.find_element(By.ID, "id_image_alt").send_keys(ALT)
    Select(browser.find_element(By.ID, "id_status")).select_by_value("published")
    old_url = browser.current_url
    browser.find_element(By.NAME, "_save").click()
    wait_for_new_page(browser, old_url)

    messages = visible_text(browser, ".messagelist")
    assert "Het bericht" in messages
    assert "toegevoegd" in messages
    item = NewsItem.objects.get(title=TITLE)
    assert item.is_published
    assert [person.full_name for person in item.featured_people] == ["Lotte Voorbeeld"]

    # A visitor (no editor's session) sees it everywhere it belongs.
    browser.delete_all_cookies()
    browser.get(live_server.url + "/")
    home = visible_text(browser)
    assert "Nieuwste berichten" in home
    assert TITLE in home
    card_image = browser.find_element(
        By.XPATH, f"//article[.//a[normalize-space()='{TITLE}']]//img"
    )
    assert card_image.get_attribute("alt") == ALT
    # A card image loads lazily: bring it into view, then it arrives.
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", card_image)
    wait_until(
        browser,
        lambda d: d.execute_script(
            "return arguments[0].complete && arguments[0].naturalWidth > 0;", card_image
        ),
        "the interview's card image on the home page loads",
    )

    assert TITLE in titles_on(browser, live_server.url + "/themas/leiderschap/")
    person_page = titles_on(browser, live_server.url + "/netwerk/personen/lotte-voorbeeld/")
    assert "Nieuws en interviews" in person_page
    assert TITLE in person_page
    assert TITLE in titles_on(browser, live_server.url + "/zoeken/?q=balie")

    browser.get(live_server.url + item.get_absolute_url())
    assert browser.find_element(By.TAG_NAME, "h1").text == TITLE
    assert browser.find_element(By.CSS_SELECTOR, "main picture img").get_attribute("alt") == ALT
    assert "Geïnterviewde" in visible_text(browser)
