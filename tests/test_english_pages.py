"""The English pages tell the truth: the content is Dutch, and the page says so.

Under /en/ the interface is English but titles, summaries, bodies and names stay as editors
wrote them, in Dutch. A screen reader reads a text in the language of its nearest `lang`, so
every piece of Dutch content on an English page must sit inside an element with `lang="nl"`
(`{% content_lang %}` and `|content_span`, ikpob_portal/kernel/templatetags/portal.py), and a
short notice says that the content is in Dutch. The Dutch pages carry neither.

The check runs on every public page type with the demo content: each content string the
database holds for what the page shows must be read as Dutch, and none may be read as English.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from events.models import Event, Session
from ikpob_portal.kernel.models import Theme
from learning_circles.models import LearningCircle, Meeting
from network.models import Affiliation, Organisation, Person
from publications.models import NewsItem, Publication
from tests.browser.pages import (
    DEMO_CLOSING_CONFERENCE,
    DEMO_CONGRESS,
    DEMO_ESSAY,
    DEMO_FINISHED_CIRCLE,
    DEMO_INTERVIEW,
    DEMO_OPEN_CIRCLE,
    DEMO_ORGANISATION,
    DEMO_PAST_WEBINAR,
    DEMO_PERSON,
    DEMO_THEME,
    DEMO_VIDEO,
)
from tests.html import parse, text_in_language

NOTICE = "Most content on this portal"
DEMO_INTERVIEW_TITLE = "In gesprek met Annet Doesburg over het vak van de publieke professional"
# The foundation's name is also the site's name, part of the interface in every language.
INTERFACE_NAMES = {"IKPOB", "Stichting IKPOB"}

# Each page type under /en/, with content the page must show (and mark as Dutch).
PAGES: dict[str, list[str]] = {
    "/en/": ["Leren van doen", "Voorbeeld: webinar over het effect van toezicht"],
    "/en/publicaties/": ["Leren van doen", "Martijn van der Steen"],
    f"/en/publicaties/{DEMO_ESSAY}/": [
        "Leren van doen",
        "Ervaringen met samenwerken in het IBP",
        "Myrthe van Delden",
        "Nederlandse School voor Openbaar Bestuur",
        "Sturen in netwerken",
    ],
    f"/en/publicaties/{DEMO_VIDEO}/": ["Webinar Leren van doen"],
    "/en/themas/": ["Sturen in netwerken", "Democratische waarden"],
    "/en/actueel/": [DEMO_INTERVIEW_TITLE, "Annet Doesburg"],
    f"/en/actueel/{DEMO_INTERVIEW}/": [DEMO_INTERVIEW_TITLE, "Annet Doesburg", "Platform O"],
    "/en/netwerk/personen/annet-doesburg/": ["Annet Doesburg", DEMO_INTERVIEW_TITLE],
    f"/en/themas/{DEMO_THEME}/": ["Sturen in netwerken", "Leren van doen"],
    "/en/themas/toezicht/": ["Toezicht", "Inspecteurs over hun vak"],
    "/en/netwerk/": ["Universiteit van Tilburg", "Vereniging van Nederlandse Gemeenten"],
    f"/en/netwerk/{DEMO_ORGANISATION}/": [
        "Universiteit van Tilburg",
        "Ambtelijk vakmanschap in de participatiemaatschappij",
    ],
    "/en/netwerk/vng/": ["Vereniging van Nederlandse Gemeenten", "Leonard Geluk"],
    "/en/netwerk/personen/": ["Martijn van der Steen", "Manja Bomhoff"],
    f"/en/netwerk/personen/{DEMO_PERSON}/": ["Martijn van der Steen", "Leren van doen"],
    "/en/netwerk/deelname/": ["Gemeente Berkelland"],
    "/en/leerkringen/": ["Ambtelijk vakmanschap in de participatiemaatschappij"],
    f"/en/leerkringen/{DEMO_FINISHED_CIRCLE}/": [
        "Ambtelijk vakmanschap in de participatiemaatschappij",
        "Gemeente Berkelland",
    ],
    f"/en/leerkringen/{DEMO_OPEN_CIRCLE}/": ["Ytzen Renema"],
    f"/en/leerkringen/{DEMO_OPEN_CIRCLE}/aanmelden/": [],
    "/en/evenementen/": ["Tussen Participatie en Populisme"],
    "/en/evenementen/archief/": ["Webinar Leren van doen"],
    f"/en/evenementen/{DEMO_CONGRESS}/": [
        "Tussen Participatie en Populisme",
        "Loslaten, faciliteren of sturen",
        "Voorlopig programma",
    ],
    f"/en/evenementen/{DEMO_CLOSING_CONFERENCE}/": [
        "Ambtelijk vakmanschap in de participatiemaatschappij"
    ],
    f"/en/evenementen/{DEMO_PAST_WEBINAR}/": ["Webinar Leren van doen", "Gritta Nottelman"],
    f"/en/evenementen/{DEMO_CONGRESS}/aanmelden/": ["Tussen Participatie en Populisme"],
    # A chosen theme: its option in the filters and its chip above the results.
    "/en/publicaties/?thema=toezicht": ["Toezicht", "Inspecteurs over hun vak"],
    "/en/zoeken/?q=toezicht": ["Aandacht voor wat werkt", "Toezicht"],
    "/en/zoeken/?q=xyzzyqwerty": ["Sturen in netwerken"],
}


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("loaddemo", stdout=StringIO())


def first_words(text: str, count: int = 6) -> str:
    return " ".join(text.split()[:count])


def dutch_content() -> set[str]:
    """What editors wrote, as the pages show it: titles, names, the start of each summary."""
    strings: set[str] = set()
    for publication in Publication.objects.published().filter(language="nl"):
        strings |= {publication.title, publication.subtitle, first_words(publication.summary)}
    for model in (Event, LearningCircle, NewsItem):
        for item in model.objects.published():
            strings |= {item.title, first_words(item.summary)}
    for organisation in Organisation.objects.published():
        strings |= {organisation.name, organisation.short_name}
    for person in Person.objects.published():
        strings |= {person.full_name, person.title}
    strings |= set(Affiliation.objects.values_list("role", flat=True))
    strings |= set(Theme.objects.values_list("name", flat=True))
    strings |= set(Session.objects.values_list("title", flat=True))
    strings |= set(Meeting.objects.values_list("title", flat=True))
    # Short words ("VNG") would also match inside longer ones; the long names cover them.
    return {s for s in strings if len(s) > 4} - INTERFACE_NAMES


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_english_page_marks_dutch_content_and_says_it_is_dutch(client, demo, path):
    response = client.get(path)
    english = text_in_language(response, "en")
    dutch = text_in_language(response, "nl")

    read_as_english = sorted(s for s in dutch_content() if s in english)
    assert read_as_english == [], f"{path}: Dutch content read as English"
    for expected in PAGES[path]:
        assert expected in dutch, f"{path}: {expected!r} is not on the page as Dutch"
    assert NOTICE in english


@pytest.mark.django_db
@pytest.mark.parametrize("path", [path.removeprefix("/en") for path in PAGES])
def test_dutch_page_has_no_notice_and_no_extra_language_marks(client, demo, path):
    response = client.get(path)
    document = parse(response)

    assert document.find("html").get("lang") == "nl"
    assert "in het Nederlands; menu's" not in document.text
    # Dutch content on a Dutch page needs no mark of its own.
    assert document.find("span", lang="nl") is None
