"""The English interface under /en/, the Dutch one without prefix, and the catalogues behind them.

Interface strings are translated; content (titles, summaries, theme names) stays as written.
The pages need the compiled catalogues: `make test` builds them from locale/*/django.po.
"""

import csv
import re
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.cache import cache
from django.utils import timezone, translation

from events.models import Event, Registration
from learning_circles.models import Contact, LearningCircle, Participation
from network.models import Organisation, Person
from publications.models import Publication
from publications.views import PublicationListView
from tests.factories import (
    MINIMAL_PDF,
    make_affiliation,
    make_contact,
    make_event,
    make_learning_circle,
    make_meeting,
    make_organisation,
    make_participation,
    make_person,
    make_publication,
    make_registration,
    make_research_question,
    make_session,
    make_theme,
)

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGUES = {code: LOCALE / code / "LC_MESSAGES" / "django.po" for code in ("en", "nl")}

# msgids the Dutch catalogue translates: Django's own messages that its nl catalogue lacks
# (listed in ikpob_portal/kernel/translations.py so makemessages keeps them).
DJANGO_GAPS_IN_DUTCH = {
    "This password is too short. It must contain at least %d character.",
    (
        "Deleting the %(object_name)s “%(escaped_object)s” would require "
        "deleting the following protected related objects:"
    ),
    (
        "Are you sure you want to delete the %(object_name)s "
        "“%(escaped_object)s”? All of the following related items will be "
        "deleted:"
    ),
    (
        "Deleting the %(object_name)s “%(escaped_object)s” would result in "
        "deleting related objects, but your account doesn't have permission to "
        "delete the following types of objects:"
    ),
}

# Issue 15: the rest of what an editor meets in the admin, and the save and delete messages
# reworded so that their first word is the article (ikpob_portal/kernel/translations.py).
DJANGO_GAPS_IN_DUTCH |= {
    'The app "%s" could not be found.',
    ", ",
    "…and %(count)d more object.",
    "Filter by %(field_name)s",
    "Forgotten your login credentials?",
    "Pagination %(name)s entries",
    "Pagination %(name)s",
    "Search %(name)s",
    "Logout",
    "- Select an option -",
    "No %s matches the given query.",
    "The {name} “{obj}” was added successfully.",
    "You may edit it again below.",
    "The {name} “{obj}” was added successfully. You may add another {name} below.",
    "The {name} “{obj}” was changed successfully. You may edit it again below.",
    "The {name} “{obj}” was changed successfully. You may add another {name} below.",
    "The {name} “{obj}” was changed successfully.",
    "The %(name)s “%(obj)s” was deleted successfully.",
}

# Dutch words that do belong on English pages: the language switch names Dutch in Dutch, and
# "Stichting IKPOB" is the foundation's name.
DUTCH_ON_PURPOSE = {"Nederlands", "Stichting"}


# --- A tiny .po reader -----------------------------------------------------------------------


def _unquote(chunks: list[str]) -> str:
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    text = "".join(chunk[1:-1] for chunk in chunks)
    return re.sub(r"\\(.)", lambda match: escapes[match.group(1)], text)


def read_po(path: Path) -> list[dict]:
    """Every entry except the header: msgctxt, msgid, msgid_plural, msgstr / msgstr[n], flags."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, list[str]] = {}
        flags: set[str] = set()
        key = None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[key].append(line)
            else:
                key, _space, value = line.partition(" ")
                fields[key] = [value]
        entry = {name: _unquote(chunks) for name, chunks in fields.items()}
        entry["flags"] = flags
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def translations(entry: dict) -> list[str]:
    if "msgid_plural" in entry:
        return [value for name, value in entry.items() if name.startswith("msgstr[")]
    return [entry["msgstr"]]


def sources(entry: dict) -> list[str]:
    """msgid and, for plurals, msgid_plural: what the English msgstrs stand for, in order."""
    return [entry["msgid"], entry["msgid_plural"]] if "msgid_plural" in entry else [entry["msgid"]]


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|<[^>]+>")


# --- Reading pages as a visitor would ----------------------------------------------------------


class _VisibleText(HTMLParser):
    """Text a visitor sees or hears: text nodes plus labels in attributes."""

    ATTRIBUTES = {"aria-label", "title", "alt", "placeholder"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0
        self._after_text = False
        self._glue = False  # the next text continues the last one

    def handle_starttag(self, tag, attrs) -> None:
        if tag in {"script", "style"}:
            self._hidden += 1
        # A span between two texts does not break them: 'circle "<span lang="nl">Kring</span>"'
        # reads as one phrase, as in a browser.
        self._glue = tag == "span" and self._after_text
        self._after_text = False
        attributes = dict(attrs)
        for name, value in attributes.items():
            spoken = name in self.ATTRIBUTES or (
                name.startswith("data-") and name.endswith("-message")
            )
            if spoken and value:
                self.parts.append(value)
        if tag == "meta" and attributes.get("name") == "description":
            self.parts.append(attributes.get("content") or "")

    def handle_endtag(self, tag) -> None:
        if tag in {"script", "style"}:
            self._hidden -= 1
        self._glue = tag == "span" and self._after_text
        self._after_text = False

    def handle_data(self, data) -> None:
        if not self._hidden:
            if self._glue and self.parts:
                self.parts[-1] += data
            else:
                self.parts.append(data)
            self._after_text = True
            self._glue = False


def visible_text(response) -> str:
    parser = _VisibleText()
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.parts).split())


def html_lang(response) -> str:
    return re.search(r"<html lang=\"([^\"]*)\"", response.content.decode()).group(1)


def _source_pattern(msgid: str) -> re.Pattern:
    """A msgid as it shows on a page: placeholders filled in, HTML tags gone, any spacing."""
    # Spacing around a placeholder stays required, so that "%(end)s uur" does not match the
    # "uur" inside "cultuur".
    literal_parts = []
    for part in PLACEHOLDER.split(msgid):
        words = r"\s+".join(map(re.escape, part.split()))
        if words:
            lead = r"\s+" if part[:1].isspace() else ""
            trail = r"\s+" if part[-1:].isspace() else ""
            words = f"{lead}{words}{trail}"
        literal_parts.append(words)
    pattern = ".*?".join(literal_parts)
    return re.compile(rf"(?<!\w){pattern}(?!\w)")


def dutch_interface_strings() -> list[tuple[str, re.Pattern]]:
    """Every Dutch source string whose English translation differs from it."""
    found = []
    for entry in read_po(CATALOGUES["en"]):
        for source, english in zip(sources(entry), translations(entry), strict=False):
            if source == english or source in DUTCH_ON_PURPOSE or source in DJANGO_GAPS_IN_DUTCH:
                continue
            found.append((source, _source_pattern(source)))
    return found


def dutch_strings_on(response) -> list[str]:
    # Web addresses are Dutch by design (/publicaties/…), also in the citation's link.
    text = re.sub(r"https?://\S+", "", visible_text(response))
    return [source for source, pattern in dutch_interface_strings() if pattern.search(text)]


@pytest.fixture(autouse=True, scope="module")
def _compiled_catalogues():
    for code, po in CATALOGUES.items():
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            pytest.fail(
                f"{mo.relative_to(LOCALE.parent)} is missing or older than django.po: run "
                f"`make test`, or `msgfmt --check-format -o {mo} {po}` ({code})"
            )


# --- Content for the pages -----------------------------------------------------------------


@pytest.fixture
def essay(db) -> Publication:
    """A Dutch essay with everything a detail page can show; its texts are content."""
    toezicht = make_theme("Toezicht", description="Over het werk van inspecties.")
    return make_publication(
        "Leren van doen",
        subtitle="Ervaringen met samenwerken",
        summary="Overheden werken samen aan grote opgaven in de regio.",
        body="## Aanleiding\n\nIn 2018 spraken overheden af om samen op te trekken.",
        authors=[
            make_person("Martijn", "Steen", particle="van der"),
            make_person("Petra", "Ophoff"),
        ],
        themes=[toezicht],
        publisher=make_organisation("Nederlandse School voor Openbaar Bestuur", short_name="NSOB"),
        commissioned_by=[make_organisation("Stichting IKPOB", short_name="IKPOB")],
        kind=Publication.Kind.ESSAY,
        publication_year=2020,
        publication_month=9,
        isbn="9789044630930",
        external_url="https://www.nsob.nl/leren-van-doen",
        pdf=MINIMAL_PDF,
    )


@pytest.fixture
def webinar(essay) -> Publication:
    return make_publication(
        "Webinar Leren van doen",
        summary="Een gesprek over het essay met gasten uit vier overheidslagen.",
        themes=essay.theme_list,
        kind=Publication.Kind.VIDEO,
        publication_year=2020,
        publication_month=9,
        publication_day=22,
        external_url="https://www.youtube.com/watch?v=voorbeeld",
    )


# --- The English interface -----------------------------------------------------------------


@pytest.mark.django_db
def test_english_home_has_english_navigation_and_headings(client, essay):
    response = client.get("/en/")

    assert response.status_code == 200
    assert html_lang(response) == "en"
    text = visible_text(response)
    for english in (
        "Skip to main content",
        "Main menu",
        "Publications",
        "Themes",
        "Knowledge about the civil servant's craft",
        "View all publications",
        "Latest publications",
        "All publications",
        "All themes, with descriptions",
        "Events",
        "No events are planned at the moment.",
        "About this site",
        "Accessibility",
        "Search the whole site",
    ):
        assert english in text
    assert dutch_strings_on(response) == []


@pytest.mark.django_db
def test_english_list_has_english_filters_sorting_and_buttons(client, essay, webinar):
    response = client.get("/en/publicaties/")

    assert html_lang(response) == "en"
    text = visible_text(response)
    for english in (
        "Filter",
        "Theme",
        "Type",
        "Year",
        "Organisation",
        "Author",
        "Sort by",
        "Newest first",
        "Oldest first",
        "Title (A–Z)",
        "Apply filters",
        "2 publications found",
        "Essay",
        "Video or webinar recording",
        "22 September 2020",
    ):
        assert english in text
    assert dutch_strings_on(response) == []


@pytest.mark.django_db
def test_english_list_counts_one_publication_in_the_singular(client, essay):
    text = visible_text(client.get("/en/publicaties/"))

    assert "1 publication found" in text
    assert "1 publications" not in text


@pytest.mark.django_db
def test_english_list_explains_invalid_filters_and_empty_results_in_english(client, essay):
    response = client.get("/en/publicaties/?jaar=twintig&soort=boek")

    text = visible_text(response)
    assert "Not all filters could be applied" in text
    assert "Year: Choose a valid year." in text
    assert "Clear the filters and start again" in text
    # The invalid year is ignored; the valid kind filter still applies and finds nothing.
    assert "No publications match all of these filters." in text
    assert "Clear all filters" in text
    assert dutch_strings_on(response) == []


@pytest.mark.django_db
def test_english_list_paginates_in_english(client, essay, webinar, monkeypatch):
    monkeypatch.setattr(PublicationListView, "paginate_by", 1)

    response = client.get("/en/publicaties/?page=1")

    text = visible_text(response)
    assert "page 1 of 2" in text
    assert "Pagination" in text
    assert "Next page" in text
    assert dutch_strings_on(response) == []


@pytest.mark.django_db
def test_english_detail_has_english_labels_and_keeps_dutch_content(client, essay, webinar):
    response = client.get(f"/en/publicaties/{essay.slug}/")

    assert html_lang(response) == "en"
    text = visible_text(response)
    for english in (
        "You are here",
        "Essay · September 2020",
        "Authors",
        "Publisher",
        "Commissioned by",
        "Licence",
        "All rights reserved",
        "Download PDF",
        "View at the publisher's website",
        "Summary",
        "About this publication",
        "Cite this",
        "APA (7th edition):",
        "Copy citation",
        "The citation has been copied.",
        "Download BibTeX",
        "Download RIS (EndNote, Zotero, Mendeley)",
        "Related publications",
    ):
        assert english in text
    # Content is not translated, and says so with its own lang attribute.
    assert "Leren van doen" in text
    assert "Overheden werken samen aan grote opgaven in de regio." in text
    assert '<article class="ikpob-publication" lang="nl">' in response.content.decode()
    assert dutch_strings_on(response) == []


@pytest.mark.django_db
def test_english_detail_keeps_the_apa_citation_dutch(client, webinar):
    response = client.get(f"/en/publicaties/{webinar.slug}/")

    text = visible_text(response)
    assert "Video or webinar recording · 22 September 2020" in text
    assert "(2020, 22 september)." in text
    assert "Watch the recording" in text


@pytest.mark.django_db
def test_english_detail_of_a_draft_tells_an_editor_in_english(editor_client):
    draft = make_publication(
        "Geheim concept", summary="Nog niet klaar.", status=Publication.Status.DRAFT
    )

    response = editor_client.get(f"/en/publicaties/{draft.slug}/")

    assert response.status_code == 200
    text = visible_text(response)
    assert "Draft — this publication is not public. Only editors can see this page." in text
    assert dutch_strings_on(response) == []


@pytest.mark.django_db
def test_english_theme_index_and_theme_page(client, essay):
    index = client.get("/en/themas/")
    page = client.get("/en/themas/toezicht/")

    assert html_lang(index) == "en"
    index_text = visible_text(index)
    assert "All knowledge on this portal is organised by the same themes." in index_text
    assert "1 publication" in index_text
    assert "Toezicht" in index_text
    assert dutch_strings_on(index) == []

    assert html_lang(page) == "en"
    page_text = visible_text(page)
    assert "Theme: Toezicht" in page_text
    assert "Over het werk van inspecties." in page_text
    assert "Publications" in page_text
    assert dutch_strings_on(page) == []


@pytest.mark.django_db
def test_english_theme_page_without_items_points_to_the_other_themes(client):
    make_theme("Wetgeving")

    response = client.get("/en/themas/wetgeving/")

    text = visible_text(response)
    assert "Nothing has been published on this theme yet." in text
    assert "See the other themes" in text


@pytest.mark.django_db
def test_english_accessibility_statement(client):
    response = client.get("/en/toegankelijkheid/")

    assert response.status_code == 200
    assert html_lang(response) == "en"
    text = visible_text(response)
    for english in (
        "Accessibility statement",
        "About this statement",
        "Compliance status",
        "C — first measures taken: the site partially meets the requirements",
        "How we check accessibility",
        "What does not work well yet",
        "Contact and complaints",
        "You will receive a reply within five working days.",
    ):
        assert english in text
    assert f'href="mailto:{settings.CONTACT_EMAIL}"' in response.content.decode()
    assert dutch_strings_on(response) == []


@pytest.mark.django_db
def test_english_privacy_statement(client):
    response = client.get("/en/privacy/")

    assert response.status_code == 200
    assert html_lang(response) == "en"
    text = visible_text(response)
    for english in (
        "Privacy statement",
        "When you visit the site",
        "no tracking cookies",
        "When you contact us",
        "Your rights",
        "Dutch Data Protection Authority",
    ):
        assert english in text
    assert dutch_strings_on(response) == []


@pytest.mark.django_db
def test_english_page_not_found(client):
    response = client.get("/en/bestaat-niet/")

    assert response.status_code == 404
    assert html_lang(response) == "en"
    text = visible_text(response)
    assert "This page does not exist (any more)" in text
    assert "the home page" in text
    assert dutch_strings_on(response) == []


# --- The English network and learning circles ------------------------------------------------


@pytest.fixture
def network(db) -> dict:
    """Two organisations, a person and a circle with every part its pages can show.

    The Dutch content avoids words that are also interface strings ("Gemeente", "Samenvatting"),
    so that dutch_strings_on() finds only untranslated interface text.
    """
    toezicht = make_theme("Toezicht")
    nsob = make_organisation(
        "Nederlandse School voor Openbaar Bestuur",
        short_name="NSOB",
        kind=Organisation.Kind.KENNISINSTITUUT,
        is_knowledge_partner=True,
        description="Onderzoek en onderwijs voor het openbaar bestuur.",
        website="https://www.nsob.nl/",
        ror_id="https://ror.org/04b8v1s79",
        themes=[toezicht],
    )
    berkelland = make_organisation(
        "Berkelland",
        kind=Organisation.Kind.GEMEENTE,
        is_partner=True,
        is_client=True,
        tooi_uri="https://identifier.overheid.nl/tooi/id/gemeente/gm1859",
    )
    person = make_person(
        "Martijn",
        "Steen",
        particle="van der",
        title="hoogleraar",
        bio="Schrijft over toezicht door overheden.",
        orcid="0000-0002-1825-0097",
        themes=[toezicht],
        organisations=[nsob],
    )
    make_affiliation(person, berkelland, role="adviseur", is_current=False, position=1)
    circle = make_learning_circle(
        "Toezicht in de praktijk",
        summary="Overheden leren van elkaar hoe zij toezicht houden.",
        description="## Aanpak\n\nWe komen vier keer per jaar bij elkaar.",
        start_date=date(2024, 9, 1),
        themes=[toezicht],
        lead=berkelland,
    )
    make_participation(circle, nsob, role=Participation.Role.PARTNER, since=date(2024, 9, 1))
    make_contact(circle, person, role=Contact.Role.RESEARCHER)
    make_research_question(circle, "Hoe houden toezichthouders het overzicht?")
    make_meeting(circle, "Startsessie", starts_at=timezone.now() - timedelta(days=60))
    make_meeting(circle, "Werkatelier", location="", online_url="https://example.org/werkatelier")
    make_meeting(
        circle, "Slotbijeenkomst", location="", starts_at=timezone.now() + timedelta(days=90)
    )
    outcome = make_publication(
        "Leren van doen", summary="Overheden werken samen aan grote opgaven in de regio."
    )
    circle.outcome_publications.add(outcome)
    return {"nsob": nsob, "berkelland": berkelland, "person": person, "circle": circle}


@pytest.fixture
def empty_rate_limit():
    """The join form's rate limit lives in the (local memory) cache."""
    cache.clear()
    yield
    cache.clear()


def english_pages(network) -> list[str]:
    circle = network["circle"].slug
    return [
        "/en/netwerk/",
        f"/en/netwerk/{network['nsob'].slug}/",
        f"/en/netwerk/{network['berkelland'].slug}/",
        "/en/netwerk/personen/",
        f"/en/netwerk/personen/{network['person'].slug}/",
        "/en/netwerk/deelname/",
        "/en/leerkringen/",
        f"/en/leerkringen/{circle}/",
        f"/en/leerkringen/{circle}/aanmelden/",
        f"/en/leerkringen/{circle}/aanmelden/ontvangen/",
        "/en/zoeken/?q=toezicht",
        "/en/zoeken/?q=onvindbaar",
    ]


@pytest.mark.django_db
def test_english_network_and_circle_pages_have_no_dutch_interface_strings(client, network):
    for url in english_pages(network):
        response = client.get(url)

        assert response.status_code == 200, url
        assert html_lang(response) == "en", url
        assert dutch_strings_on(response) == [], url


@pytest.mark.django_db
def test_english_site_search_with_and_without_results(client, network):
    found = client.get("/en/zoeken/?q=toezicht")
    missed = client.get("/en/zoeken/?q=onvindbaar")

    found_text = visible_text(found)
    assert found.context["paginator"].count > 0
    # The header's search form is left off the search page, which has its own form.
    for english in (
        "Search publications, learning circles, events and the network",
        "Refine",
        "All types",
        "result",
    ):
        assert english in found_text
    assert re.search(r"\d+ results? for “toezicht”", found_text)
    missed_text = visible_text(missed)
    for english in (
        "Nothing found for “onvindbaar”.",
        "Try different or fewer words, check the spelling, or browse by theme:",
        "All themes",
    ):
        assert english in missed_text
    assert "0 results for “onvindbaar”" in missed_text
    for response in (found, missed):
        assert html_lang(response) == "en"
        assert dutch_strings_on(response) == []


@pytest.mark.django_db
def test_english_organisation_list(client, network):
    response = client.get("/en/netwerk/")

    text = visible_text(response)
    for english in (
        "Network",
        "The partners of the IKPOB Foundation and the other organisations that appear",
        "People in the network",
        "Who took part in which learning circle or event",
        "Search for an organisation",
        "Relationship with IKPOB",
        "Knowledge institute",
        "Municipality",
        "Knowledge partner",
        "Commissioning organisation",
        "2 organisations found",
    ):
        assert english in text


@pytest.mark.django_db
def test_english_organisation_list_without_results(client, network):
    response = client.get("/en/netwerk/?q=onvindbaar")

    text = visible_text(response)
    assert "0 organisations found" in text
    assert "No organisations found with these filters." in text
    assert "Clear the filters and show all organisations" in text
    assert dutch_strings_on(response) == []


@pytest.mark.django_db
def test_english_organisation_pages(client, network):
    nsob = visible_text(client.get(f"/en/netwerk/{network['nsob'].slug}/"))
    berkelland = visible_text(client.get(f"/en/netwerk/{network['berkelland'].slug}/"))

    for english in ("Knowledge institute · Knowledge partner", "Website", "People", "Themes"):
        assert english in nsob
    assert "People Martijn van der Steen" in nsob
    assert "Learning circles" in nsob
    assert "Learning circle · Ongoing · since September 2024" in nsob
    assert "Lead organisation: Berkelland" in nsob
    assert "Municipality · Partner · Commissioning organisation" in berkelland
    assert "TOOI identifier" in berkelland


@pytest.mark.django_db
def test_english_organisation_page_without_connections(client):
    organisation = make_organisation("Kenniscentrum Zonder Werk")

    response = client.get(f"/en/netwerk/{organisation.slug}/")

    text = visible_text(response)
    assert "Nothing connected to this organisation has been published yet." in text
    assert dutch_strings_on(response) == []


@pytest.mark.django_db
def test_english_person_list_and_page(client, network):
    listing = client.get("/en/netwerk/personen/")
    page = client.get(f"/en/netwerk/personen/{network['person'].slug}/")

    listing_text = visible_text(listing)
    for english in (
        "People",
        "Authors, researchers, speakers and contact people of learning circles.",
        "Search for a person",
        "Organisation",
        "1 person found",
    ):
        assert english in listing_text
    page_text = visible_text(page)
    assert "Organisation" in page_text
    assert "Berkelland (adviseur) (previously)" in page_text
    assert "ORCID" in page_text
    assert "Learning circles" in page_text


@pytest.mark.django_db
def test_english_person_list_without_results(client, network):
    response = client.get("/en/netwerk/personen/?q=onvindbaar")

    text = visible_text(response)
    assert "0 people found" in text
    assert "No people found with these filters." in text
    assert "Clear the filters and show everyone" in text
    assert dutch_strings_on(response) == []


@pytest.mark.django_db
def test_english_person_page_without_contributions(client):
    person = make_person("Petra", "Ophoff")

    response = client.get(f"/en/netwerk/personen/{person.slug}/")

    assert "Nothing this person has contributed to has been published yet." in visible_text(
        response
    )
    assert dutch_strings_on(response) == []


@pytest.mark.django_db
def test_english_participation_table(client, network):
    response = client.get("/en/netwerk/deelname/")

    text = visible_text(response)
    for english in (
        "Participation in learning circles and events",
        "Which organisations took part in which learning circle or event, and in what role.",
        "Download this table as CSV (for Excel)",
        "2 participations",
        "Organisation Activity Type Role Date",
        "Learning circle Lead organisation 1 September 2024",
        "Learning circle Partner 1 September 2024",
    ):
        assert english in text


@pytest.mark.django_db
def test_english_participation_table_when_empty(client):
    response = client.get("/en/netwerk/deelname/")

    assert "No participation has been recorded yet." in visible_text(response)
    assert dutch_strings_on(response) == []


@pytest.mark.django_db
def test_english_participation_csv_has_english_headers(client, network):
    response = client.get("/en/netwerk/deelname/csv/")

    header = next(csv.reader(response.content.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert header == ["Organisation", "Activity", "Type", "Role", "Date", "Web address"]


@pytest.mark.django_db
def test_english_learning_circle_list(client, network):
    response = client.get("/en/leerkringen/")

    text = visible_text(response)
    for english in (
        "Learning circles",
        "In a learning circle, organisations work together for a few years on a question",
        "Search learning circles",
        "Phase",
        "Ongoing",
        "1 learning circle found",
        "Learning circle · Ongoing · since September 2024",
        "Lead organisation: Berkelland",
    ):
        assert english in text


@pytest.mark.django_db
def test_english_learning_circle_list_without_results(client, network):
    response = client.get("/en/leerkringen/?q=onvindbaar")

    text = visible_text(response)
    assert "0 learning circles found" in text
    assert "No learning circles found with these filters." in text
    assert "Clear the filters and show all learning circles" in text
    assert dutch_strings_on(response) == []


@pytest.mark.django_db
def test_english_learning_circle_page(client, network):
    response = client.get(f"/en/leerkringen/{network['circle'].slug}/")

    text = visible_text(response)
    for english in (
        "Learning circle · Ongoing",
        "Lead organisation Berkelland",
        "Period September 2024 – present",
        "Register your interest in taking part",
        "The learning circle's questions",
        "About the learning circle",
        "Who is taking part",
        "Berkelland — lead organisation",
        "Nederlandse School voor Openbaar Bestuur — partner",
        "Contact people",
        "Martijn van der Steen — researcher",
        "Meetings",
        "Upcoming",
        "Werkatelier — online",
        "Slotbijeenkomst — location to be announced",
        "Past",
        "(past)",
        "Outcomes",
    ):
        assert english in text
    # Content stays as written.
    assert "Overheden leren van elkaar hoe zij toezicht houden." in text


@pytest.mark.django_db
def test_english_learning_circle_phases(client):
    today = timezone.localdate()
    make_learning_circle("Komende kring", start_date=today + timedelta(days=30))
    make_learning_circle("Oude kring", start_date=date(2020, 1, 1), end_date=date(2021, 6, 30))

    response = client.get("/en/leerkringen/")

    text = visible_text(response)
    assert "Learning circle · In preparation" in text
    assert "Learning circle · Completed · since January 2020" in text


@pytest.mark.django_db
def test_english_draft_circle_tells_an_editor_in_english(editor_client):
    draft = make_learning_circle(
        "Geheime kring", summary="Nog niet klaar.", status=LearningCircle.Status.DRAFT
    )
    scheduled = make_learning_circle(
        "Latere kring", summary="Bijna klaar.", published_at=timezone.now() + timedelta(days=2)
    )

    draft_text = visible_text(editor_client.get(f"/en/leerkringen/{draft.slug}/"))
    scheduled_text = visible_text(editor_client.get(f"/en/leerkringen/{scheduled.slug}/"))

    assert "Draft — not public. Only editors can see this page." in draft_text
    assert "Draft — goes public on" in scheduled_text
    assert "For now, only editors can see this page." in scheduled_text


@pytest.mark.django_db
def test_english_draft_organisation_and_person_tell_an_editor_in_english(editor_client):
    organisation = make_organisation("Verborgen Kenniscentrum", status=Organisation.Status.DRAFT)
    person = make_person("Anna", "Verborgen", status=Person.Status.DRAFT)

    for url in (f"/en/netwerk/{organisation.slug}/", f"/en/netwerk/personen/{person.slug}/"):
        response = editor_client.get(url)

        assert "Draft — not public. Only editors can see this page." in visible_text(response)
        assert dutch_strings_on(response) == []


@pytest.mark.django_db
def test_english_join_form(client, network):
    response = client.get(f"/en/leerkringen/{network['circle'].slug}/aanmelden/")

    text = visible_text(response)
    for english in (
        "Join Toezicht in de praktijk",
        "Register your interest",
        'Would your organisation like to join the learning circle "Toezicht in de praktijk"?',
        "Organisation",
        "For example: Municipality of Berkelland.",
        "Name",
        "Email address",
        "The editorial team will contact you at this address.",
        "Why would you like to take part?",
        "A few sentences about your question or experience are enough",
        "I consent to these details being stored",
        "deletes them once your request has been dealt with. More about this in the privacy "
        "statement",
        "Send",
        "Back to the learning circle",
    ):
        assert english in text


@pytest.mark.django_db
def test_english_join_form_explains_errors_in_english(client, network, empty_rate_limit):
    response = client.post(f"/en/leerkringen/{network['circle'].slug}/aanmelden/", {})

    assert response.status_code == 200
    assert html_lang(response) == "en"
    text = visible_text(response)
    for english in (
        "Something went wrong. Please check:",
        "Organisation: Please enter the name of your organisation.",
        "Name: Please enter your name.",
        "Email address: Please enter your email address.",
        "Why would you like to take part? Please tell us in a few sentences why you would",
        "I consent to these details being stored: Without your consent we cannot store your",
    ):
        assert english in text
    assert dutch_strings_on(response) == []


@pytest.mark.django_db
def test_english_join_form_explains_invalid_and_duplicate_email_in_english(
    client, network, empty_rate_limit
):
    url = f"/en/leerkringen/{network['circle'].slug}/aanmelden/"
    data = {
        "organisation_name": "Berkelland",
        "name": "Anna Jansen",
        "email": "anna-at-berkelland",
        "motivation": "Wij willen leren hoe anderen toezicht houden.",
        "consent": "on",
    }

    invalid = client.post(url, data)
    joined = client.post(url, {**data, "email": "anna@berkelland.nl"})
    duplicate = client.post(url, {**data, "email": "anna@berkelland.nl"})

    assert "Please enter a valid email address, such as name@organisation.nl." in visible_text(
        invalid
    )
    assert joined["Location"] == f"/en/leerkringen/{network['circle'].slug}/aanmelden/ontvangen/"
    assert (
        "Interest in this learning circle has already been registered with this email address."
        in visible_text(duplicate)
    )
    for response in (invalid, duplicate):
        assert dutch_strings_on(response) == []


@pytest.mark.django_db
def test_english_join_form_refuses_too_many_submissions_in_english(
    client, network, empty_rate_limit, settings
):
    settings.JOIN_RATE_LIMIT_PER_HOUR = 1
    url = f"/en/leerkringen/{network['circle'].slug}/aanmelden/"

    client.post(url, {})
    response = client.post(url, {})

    assert response.status_code == 429
    text = visible_text(response)
    assert "You have submitted the form too many times. Please try again in an hour." in text
    assert dutch_strings_on(response) == []


@pytest.mark.django_db
def test_english_join_received_page(client, network):
    response = client.get(f"/en/leerkringen/{network['circle'].slug}/aanmelden/ontvangen/")

    text = visible_text(response)
    assert "Request received" in text
    assert "Thank you, we have received your interest" in text
    assert (
        'The editorial team of the IKPOB Foundation will review your request for "Toezicht in '
        'de praktijk" and contact you within two weeks.'
    ) in text
    assert "Back to the learning circle" in text


@pytest.mark.django_db
def test_english_join_closed_page(client):
    circle = make_learning_circle("Gesloten kring", accepts_join_requests=False)

    response = client.get(f"/en/leerkringen/{circle.slug}/aanmelden/")

    assert response.status_code == 410
    text = visible_text(response)
    assert "Joining is not possible" in text
    assert 'The learning circle "Gesloten kring" is no longer accepting new participants.' in text
    assert dutch_strings_on(response) == []


# --- The English events pages --------------------------------------------------------------


@pytest.fixture
def agenda(db) -> dict:
    """Events in every registration state, with registrations, sessions and connections.

    Like `network`, the Dutch content avoids words that are also interface strings ("Congres",
    "Bijeenkomst", "Ronde", "Gemeente", "Deelnemer"), so that dutch_strings_on() finds only
    untranslated interface text.
    """
    now = timezone.now()
    toezicht = make_theme("Toezicht")
    berkelland = make_organisation("Berkelland")
    speaker = make_person("Petra", "Ophoff", title="lector")
    circle = make_learning_circle(
        "Toezicht in de praktijk", summary="Overheden leren van elkaar hoe zij toezicht houden."
    )
    essay = make_publication(
        "Leren van doen", summary="Overheden werken samen aan grote opgaven in de regio."
    )
    open_event = make_event(
        "Vakdag Wendbaar Werken",
        kind=Event.Kind.CONGRESS,
        summary="Over wendbaar werken in de regio.",
        programme="## Ochtend\n\n- Ontvangst met koffie\n- Welkom door de dagvoorzitter",
        capacity=40,
        online_url="https://example.org/vakdag",
        learning_circle=circle,
        themes=[toezicht],
        organisers=[berkelland],
        speakers=[speaker],
        starts_at=now + timedelta(days=10),
    )
    open_event.publications.add(essay)
    data_lab = make_session(
        open_event, "Werkplaats data", slot=1, capacity=20, description="Met echte datasets."
    )
    make_session(open_event, "Werkplaats schrijven", slot=1)
    make_session(open_event, "Leesclub", slot=2)
    full = make_event(
        "Masterclass Schrijven",
        kind=Event.Kind.MEETING,
        summary="Helder schrijven voor bestuurders.",
        capacity=1,
        starts_at=now + timedelta(days=20),
    )
    make_registration(full, name="Anna Jansen", email="anna@example.org", organisation="Berkelland")
    closed = make_event(
        "Netwerkdag Archieven",
        summary="Archivarissen ontmoeten elkaar.",
        registration_closes_at=now - timedelta(days=1),
        starts_at=now + timedelta(days=5),
    )
    not_yet_open = make_event(
        "Webinar Open Data",
        kind=Event.Kind.WEBINAR,
        summary="Over open data bij de overheid.",
        venue_name="",
        venue_address="",
        online_url="https://example.org/webinar",
        registration_opens_at=now + timedelta(days=3),
        starts_at=now + timedelta(days=30),
    )
    walk_in = make_event(
        "Inloopmiddag Inkoop",
        kind=Event.Kind.CIRCLE_MEETING,
        summary="Binnenlopen met vragen over inkoop.",
        registration_required=False,
        starts_at=now + timedelta(days=40),
    )
    past = make_event(
        "Jaarcongres Toezicht",
        kind=Event.Kind.CONGRESS,
        summary="Het jaarcongres van vorig jaar.",
        recording_url="https://example.org/opname",
        materials="De dia's van **Petra Ophoff**.",
        themes=[toezicht],
        starts_at=now - timedelta(days=30),
    )
    confirmed = make_registration(
        open_event,
        sessions=[data_lab],
        name="Jan de Vries",
        email="jan@example.org",
        organisation="Berkelland",
    )
    waiting = make_registration(
        full,
        status=Registration.Status.WAITING,
        name="Kees Bakker",
        email="kees@example.org",
        organisation="Berkelland",
    )
    return {
        "open": open_event,
        "full": full,
        "closed": closed,
        "not_yet_open": not_yet_open,
        "walk_in": walk_in,
        "past": past,
        "confirmed": confirmed,
        "waiting": waiting,
        "circle": circle,
        "berkelland": berkelland,
        "speaker": speaker,
        "theme": toezicht,
    }


def english_event_pages(agenda) -> list[str]:
    events = [agenda[key] for key in ("open", "full", "closed", "not_yet_open", "walk_in", "past")]
    return [
        "/en/",
        "/en/evenementen/",
        "/en/evenementen/?soort=congres&periode=komende-3-maanden",
        "/en/evenementen/archief/",
        *(f"/en/evenementen/{event.slug}/" for event in events),
        *(f"/en/evenementen/{event.slug}/aanmelden/" for event in events),
        f"/en/aanmelding/{agenda['confirmed'].token}/",
        f"/en/aanmelding/{agenda['confirmed'].token}/?nieuw=1",
        f"/en/aanmelding/{agenda['waiting'].token}/",
        f"/en/leerkringen/{agenda['circle'].slug}/",
        f"/en/netwerk/{agenda['berkelland'].slug}/",
        f"/en/netwerk/personen/{agenda['speaker'].slug}/",
        f"/en/themas/{agenda['theme'].slug}/",
    ]


@pytest.mark.django_db
def test_english_event_pages_have_no_dutch_interface_strings(client, agenda):
    for url in english_event_pages(agenda):
        response = client.get(url)

        assert response.status_code == 200, url
        assert html_lang(response) == "en", url
        assert dutch_strings_on(response) == [], url


@pytest.mark.django_db
def test_english_event_list(client, agenda):
    response = client.get("/en/evenementen/")

    text = visible_text(response)
    for english in (
        "Events",
        "Congresses, meetings and webinars on the craftsmanship of civil servants. Register, or",
        "Archive: past events",
        "Subscribe to the calendar (iCalendar)",
        "Search events",
        "Period",
        "Next three months",
        "Type",
        "Congress",
        "Webinar",
        "Learning circle meeting",
        "Organiser",
        "5 events found",
        "39 places left",
        "Full — register for the waiting list",
        "Registration is closed",
        "Registration opens on",
        "Registration is not required",
        "Stadhuis Utrecht and online",
        "Online",
    ):
        assert english in text
    assert 'title="IKPOB calendar"' in response.content.decode()


@pytest.mark.django_db
def test_english_event_list_without_results(client, agenda):
    response = client.get("/en/evenementen/?q=onvindbaar")

    text = visible_text(response)
    assert "0 events found" in text
    assert "No events found with these filters." in text
    assert "Clear the filters" in text
    assert dutch_strings_on(response) == []


@pytest.mark.django_db
def test_english_event_list_and_archive_when_empty(client):
    upcoming = visible_text(client.get("/en/evenementen/"))
    archive = visible_text(client.get("/en/evenementen/archief/"))

    assert "No events are planned at the moment." in upcoming
    assert "No events have taken place yet." in archive


@pytest.mark.django_db
def test_english_event_archive(client, agenda):
    response = client.get("/en/evenementen/archief/")

    text = visible_text(response)
    for english in (
        "Events archive",
        "Past congresses, meetings and webinars, with recordings and materials.",
        "Upcoming events",
        "Year",
        "1 event found",
        "Jaarcongres Toezicht",
    ):
        assert english in text


@pytest.mark.django_db
def test_english_event_detail_of_an_open_event(client, agenda):
    response = client.get(f"/en/evenementen/{agenda['open'].slug}/")

    text = visible_text(response)
    for english in (
        "Congress",
        "When",
        "(Amsterdam time)",
        "Where Stadhuis Utrecht, Stadhuisbrug 1, Utrecht",
        "You can also follow it online; the link is in your confirmation.",
        "Organisation Berkelland",
        "Learning circle Toezicht in de praktijk",
        "Themes",
        "Register 39 places left Register",
        "Add to my calendar (.ics)",
        "Programme",
        "Sessions",
        "Werkplaats data Round 1",
        "19 places left",
        "Speakers Petra Ophoff",
        "Publications",
    ):
        assert english in text
    # Content stays as written.
    assert "Over wendbaar werken in de regio." in text


@pytest.mark.django_db
def test_english_event_detail_in_every_registration_state(client, agenda):
    def detail(key: str) -> str:
        return visible_text(client.get(f"/en/evenementen/{agenda[key].slug}/"))

    full = detail("full")
    assert "Full — register for the waiting list" in full
    assert "Put me on the waiting list" in full
    closed = detail("closed")
    assert "Registration is closed" in closed
    assert f"Registration has closed. Questions? Email {settings.CONTACT_EMAIL}." in closed
    not_yet_open = detail("not_yet_open")
    assert "Registration opens on" in not_yet_open
    assert "Where Online; the link is in your confirmation." in not_yet_open
    assert "Registration is not required" in detail("walk_in")


@pytest.mark.django_db
def test_english_detail_of_a_past_event_offers_the_recording_and_materials(client, agenda):
    response = client.get(f"/en/evenementen/{agenda['past'].slug}/")

    text = visible_text(response)
    for english in (
        "Congress · past",
        "Recording and materials",
        "Watch the recording",
        "De dia's van Petra Ophoff",
    ):
        assert english in text
    assert "Add to my calendar" not in text


@pytest.mark.django_db
def test_english_register_form(client, agenda):
    response = client.get(f"/en/evenementen/{agenda['open'].slug}/aanmelden/")

    assert html_lang(response) == "en"
    text = visible_text(response)
    for english in (
        "Register: Vakdag Wendbaar Werken",
        "Name",
        "Email address",
        "We will send the confirmation, with the link to cancel, to this address.",
        "Organisation",
        "Job title",
        "Accessibility or dietary needs",
        "For example wheelchair access, a hearing loop or vegetarian food.",
        "Session in round 1",
        "No session in this round",
        "Werkplaats data",
        "Session in round 2",
        "I consent to my details being stored for this registration",
        "We use your details only for this event and anonymise them shortly afterwards. More "
        "about this in the privacy statement",
        "Register",
        "Sessions",
        "Choose at most one session per round.",
        "When",
        "(Amsterdam time)",
    ):
        assert english in text
    assert dutch_strings_on(response) == []


@pytest.mark.django_db
def test_english_register_form_of_a_full_event_offers_the_waiting_list(client, agenda):
    response = client.get(f"/en/evenementen/{agenda['full'].slug}/aanmelden/")

    text = visible_text(response)
    assert "This event is full. If you register, you will be put on the waiting list." in text
    assert "Put me on the waiting list" in text
    assert dutch_strings_on(response) == []


@pytest.mark.django_db
def test_english_register_page_explains_why_registration_is_not_possible(client, agenda):
    def closed_page(key: str) -> str:
        response = client.get(f"/en/evenementen/{agenda[key].slug}/aanmelden/")
        text = visible_text(response)
        assert "Registration is not possible" in text
        assert "Back to the event" in text
        return text

    assert "Registration for Netwerkdag Archieven has closed." in closed_page("closed")
    assert "Registration for Webinar Open Data opens on" in closed_page("not_yet_open")
    assert "Jaarcongres Toezicht has already taken place." in closed_page("past")
    assert "No registration is needed for Inloopmiddag Inkoop: you are welcome to come." in (
        closed_page("walk_in")
    )


@pytest.mark.django_db
def test_english_register_form_explains_errors_in_english(client, agenda, empty_rate_limit):
    response = client.post(f"/en/evenementen/{agenda['open'].slug}/aanmelden/", {})

    assert response.status_code == 200
    assert html_lang(response) == "en"
    text = visible_text(response)
    for english in (
        "Something went wrong. Please check:",
        "Name: Please enter your name.",
        "Email address: Please enter your email address.",
        "Organisation: Please enter the name of your organisation.",
        "I consent to my details being stored for this registration: Without your consent we "
        "cannot register you.",
    ):
        assert english in text
    assert dutch_strings_on(response) == []


@pytest.mark.django_db
def test_english_registration_and_a_second_one_with_the_same_address(
    client, agenda, empty_rate_limit
):
    url = f"/en/evenementen/{agenda['open'].slug}/aanmelden/"
    data = {
        "name": "Sara Smit",
        "email": "sara@example.org",
        "organisation": "Berkelland",
        "needs": "x" * 1001,
        "consent": "on",
    }

    too_long = client.post(url, data)
    registered = client.post(url, {**data, "needs": ""})
    again = client.post(url, {**data, "needs": ""})

    assert "Please use 1000 characters at most." in visible_text(too_long)
    assert registered.status_code == 302
    assert re.fullmatch(r"/en/aanmelding/[\w-]+/\?nieuw=1", registered["Location"])
    assert (
        "Someone has already registered for this event with this email address. Check your "
        "email for the confirmation with the link to view your registration."
    ) in visible_text(again)
    for response in (too_long, again):
        assert dutch_strings_on(response) == []


@pytest.mark.django_db
def test_english_registration_page_of_a_confirmed_registration(client, agenda):
    url = f"/en/aanmelding/{agenda['confirmed'].token}/"

    just_registered = visible_text(client.get(f"{url}?nieuw=1"))
    later = visible_text(client.get(url))

    assert "Done: you are registered. Your place is confirmed." in just_registered
    for english in (
        "Your registration",
        "Your place is confirmed. The confirmation, with the appointment for your calendar, "
        "went to",
        "Event Vakdag Wendbaar Werken",
        "When",
        "Name Jan de Vries",
        "Organisation Berkelland",
        "Sessions round 1: Werkplaats data",
        "Add to my calendar (.ics)",
        "Can't make it?",
        "Then cancel your registration, so that someone else can have your place.",
        "Keep this link",
        "Cancel registration",
    ):
        assert english in later


@pytest.mark.django_db
def test_english_registration_page_on_the_waiting_list_and_after_cancelling(client, agenda):
    url = f"/en/aanmelding/{agenda['waiting'].token}/"

    waiting = visible_text(client.get(url))
    question = client.get(f"{url}annuleren/")
    cancelled = client.post(f"{url}annuleren/", follow=True)

    assert (
        "You are on the waiting list, number 1. If a place becomes free, you will get an email at"
    ) in waiting
    assert "No longer want to be on the waiting list?" in waiting
    assert "Cancel your registration?" in visible_text(question)
    assert dutch_strings_on(question) == []
    assert cancelled.redirect_chain == [(url, 302)]
    text = visible_text(cancelled)
    assert "Your registration has been cancelled. You will receive a confirmation by email." in (
        text
    )
    assert "This registration has been cancelled." in text
    assert dutch_strings_on(cancelled) == []


@pytest.mark.django_db
def test_english_home_agenda_shows_the_next_events(client, agenda):
    response = client.get("/en/")

    text = visible_text(response)
    for english in (
        "Events",
        "Netwerkdag Archieven",
        "Vakdag Wendbaar Werken",
        "Masterclass Schrijven",
        "Registration is closed",
        "39 places left",
        "Full — register for the waiting list",
        "All upcoming events",
    ):
        assert english in text
    assert "No events are planned at the moment." not in text


@pytest.mark.django_db
def test_english_circle_organisation_and_person_pages_list_their_events(client, agenda):
    for url in (
        f"/en/leerkringen/{agenda['circle'].slug}/",
        f"/en/netwerk/{agenda['berkelland'].slug}/",
        f"/en/netwerk/personen/{agenda['speaker'].slug}/",
    ):
        response = client.get(url)

        assert re.search(r"<h2 [^>]*>Events</h2>", response.content.decode()), url
        assert "Vakdag Wendbaar Werken" in visible_text(response), url


# --- The Dutch interface stays Dutch -------------------------------------------------------


@pytest.mark.django_db
def test_dutch_pages_stay_dutch(client, essay):
    home = visible_text(client.get("/"))
    listing = visible_text(client.get("/publicaties/"))
    detail = visible_text(client.get(f"/publicaties/{essay.slug}/"))

    assert html_lang(client.get("/")) == "nl"
    assert "Kennis over het vak van de ambtenaar" in home
    assert "Nieuwste publicaties" in home
    assert "Filters toepassen" in listing
    assert "Sorteren op" in listing
    assert "1 publicatie gevonden" in listing
    assert "Essay · september 2020" in detail
    assert "Samenvatting" in detail
    assert "Citeer dit" in detail
    for english in ("Apply filters", "Sort by", "Summary", "Cite this", "Latest publications"):
        assert english not in home + listing + detail


@pytest.mark.django_db
def test_dutch_statements_stay_dutch(client):
    accessibility = visible_text(client.get("/toegankelijkheid/"))
    privacy = visible_text(client.get("/privacy/"))

    assert "Toegankelijkheidsverklaring" in accessibility
    assert "Accessibility statement" not in accessibility
    assert "Privacyverklaring" in privacy
    assert "Privacy statement" not in privacy


# --- Switching language ---------------------------------------------------------------------


def language_links(response) -> dict[str, str]:
    html = response.content.decode()
    return {
        hreflang: href.replace("&amp;", "&")
        for href, hreflang in re.findall(r'href="([^"]*)" hreflang="(\w+)"', html)
    }


@pytest.mark.django_db
def test_language_switch_on_a_detail_page_goes_to_the_same_publication(client, essay):
    dutch = client.get(f"/publicaties/{essay.slug}/")
    english = client.get(f"/en/publicaties/{essay.slug}/")

    assert language_links(dutch)["en"] == f"/en/publicaties/{essay.slug}/"
    assert language_links(english)["nl"] == f"/publicaties/{essay.slug}/"


@pytest.mark.django_db
def test_language_switch_on_the_list_keeps_the_filters(client, essay):
    dutch = client.get("/publicaties/?soort=essay")
    english = client.get("/en/publicaties/?soort=essay")

    assert language_links(dutch)["en"] == "/en/publicaties/?soort=essay"
    assert language_links(english)["nl"] == "/publicaties/?soort=essay"


# --- Content language -----------------------------------------------------------------------


@pytest.mark.django_db
def test_english_publication_is_marked_english_on_the_dutch_site(client):
    english = make_publication(
        "Learning by doing", summary="An essay in English.", language=Publication.Language.EN
    )

    detail = client.get(f"/publicaties/{english.slug}/").content.decode()
    listing = client.get("/publicaties/").content.decode()

    assert '<article class="ikpob-publication" lang="en">' in detail
    assert '<article class="ikpob-card" lang="en">' in listing


@pytest.mark.django_db
def test_english_publication_needs_no_lang_attribute_on_the_english_site(client):
    english = make_publication(
        "Learning by doing", summary="An essay in English.", language=Publication.Language.EN
    )

    detail = client.get(f"/en/publicaties/{english.slug}/").content.decode()

    assert '<article class="ikpob-publication">' in detail


# --- Django's own messages in Dutch -------------------------------------------------------------


def test_minimum_length_refusal_is_dutch_in_singular_and_plural():
    with translation.override("nl"):
        one = MinimumLengthValidator(min_length=1).get_error_message()
        twelve = MinimumLengthValidator(min_length=12).get_error_message()

    assert one == "Dit wachtwoord is te kort. Het moet minstens 1 teken bevatten."
    assert twelve == "Dit wachtwoord is te kort. Het moet minstens 12 tekens bevatten."


def test_minimum_length_refusal_stays_english_in_english():
    with translation.override("en"):
        message = MinimumLengthValidator(min_length=12).get_error_message()

    assert message == "This password is too short. It must contain at least 12 characters."


# --- The catalogues -------------------------------------------------------------------------


def test_every_english_message_is_translated():
    entries = read_po(CATALOGUES["en"])

    untranslated = [entry["msgid"] for entry in entries if not all(translations(entry))]
    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]]

    assert len(entries) > 200
    assert untranslated == []
    assert fuzzy == []


def test_english_translations_keep_placeholders_and_markup():
    mismatched = [
        source
        for entry in read_po(CATALOGUES["en"])
        for source, english in zip(sources(entry), translations(entry), strict=False)
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(english))
    ]

    assert mismatched == []


def test_dutch_catalogue_translates_only_what_django_lacks():
    entries = read_po(CATALOGUES["nl"])

    translated = {entry["msgid"] for entry in entries if any(translations(entry))}

    assert translated == DJANGO_GAPS_IN_DUTCH
    assert not any("fuzzy" in entry["flags"] for entry in entries)
