"""Issue 17, findings 4, 6 and 7, replayed as the red team reproduced them.

4. The search index kept names after they were unpublished; a draft's slug worked as a list
   filter. 6. CSV export quoted only some cells (`Jan,=1+2`). 7. RSS titles and creators were
   escaped once, so readers that render HTML showed an editor's markup live.

Runs on SQLite and PostgreSQL: the search engines differ per database.
"""

import csv
import io
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from ikpob_portal.kernel.csv_export import csv_response
from ikpob_portal.kernel.models import Publishable, SearchEntry
from tests.factories import (
    make_event,
    make_learning_circle,
    make_news_item,
    make_organisation,
    make_person,
    make_publication,
    make_theme,
)
from tests.html import card_titles, facet_options, filter_errors, main

DRAFT = Publishable.Status.DRAFT
PUBLISHED = Publishable.Status.PUBLISHED


def found(client, q: str) -> list[str]:
    response = client.get("/zoeken/", {"q": q})
    assert response.status_code == 200
    return sorted(card_titles(response))


def rows_naming(name: str) -> list[str]:
    """Titles of the stored search rows (published or not) whose text holds `name`."""
    return sorted(
        entry.title
        for entry in SearchEntry.objects.all()
        if name.lower() in f"{entry.title} {entry.summary} {entry.body} {entry.words}".lower()
    )


# --- Finding 4: names in the search index ---------------------------------------------------


@pytest.fixture
def zaanstad(db):
    """An organisation named in an event (organiser), a person (affiliation) and a learning
    circle (participant), the way the red team set it up."""
    gemeente = make_organisation("Gemeente Zaanstad", slug="gemeente-zaanstad")
    make_event("Vakdag ketensamenwerking", organisers=[gemeente])
    make_person("Kees", "Kwartel", organisations=[gemeente])
    make_learning_circle("Leerkring sociaal domein", participants=[gemeente])
    return gemeente


@pytest.mark.django_db
def test_unpublishing_an_organisation_takes_its_name_out_of_every_row_that_named_it(
    client, zaanstad, django_capture_on_commit_callbacks
):
    assert found(client, "zaanstad") == [
        "Gemeente Zaanstad",
        "Kees Kwartel",
        "Leerkring sociaal domein",
        "Vakdag ketensamenwerking",
    ]

    with django_capture_on_commit_callbacks(execute=True):
        zaanstad.status = DRAFT
        zaanstad.save()

    assert found(client, "zaanstad") == []
    # Not hidden by a join: the rows themselves no longer hold the name.
    assert rows_naming("Zaanstad") == ["Gemeente Zaanstad"]

    with django_capture_on_commit_callbacks(execute=True):
        zaanstad.status = PUBLISHED
        zaanstad.save()

    assert "Vakdag ketensamenwerking" in found(client, "zaanstad")
    assert "Kees Kwartel" in found(client, "zaanstad")


@pytest.mark.django_db
def test_scheduling_an_organisation_for_later_withdraws_its_name_now(
    client, zaanstad, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        zaanstad.published_at = timezone.now() + timedelta(days=7)
        zaanstad.save()

    assert found(client, "zaanstad") == []


@pytest.mark.django_db
def test_renaming_an_organisation_renames_it_in_every_row(
    client, zaanstad, django_capture_on_commit_callbacks
):
    make_publication("Het essay", commissioned_by=[zaanstad])
    make_news_item("Interview", organisations=[zaanstad])

    with django_capture_on_commit_callbacks(execute=True):
        zaanstad.name, zaanstad.slug = "Gemeente Wormerland", "gemeente-wormerland"
        zaanstad.save()

    assert found(client, "zaanstad") == []
    assert found(client, "wormerland") == [
        "Gemeente Wormerland",
        "Het essay",
        "Interview",
        "Kees Kwartel",
        "Leerkring sociaal domein",
        "Vakdag ketensamenwerking",
    ]


@pytest.mark.django_db
def test_deleting_an_organisation_takes_its_name_out_of_every_row(
    client, django_capture_on_commit_callbacks
):
    gemeente = make_organisation("Gemeente Oostzaan")
    make_event("Vakdag toezicht", organisers=[gemeente])
    make_publication("Het rapport", commissioned_by=[gemeente])
    make_news_item("Het bericht", organisations=[gemeente])
    assert found(client, "oostzaan") == [
        "Gemeente Oostzaan",
        "Het bericht",
        "Het rapport",
        "Vakdag toezicht",
    ]

    with django_capture_on_commit_callbacks(execute=True):
        gemeente.delete()

    assert found(client, "oostzaan") == []
    assert rows_naming("Oostzaan") == []


@pytest.mark.django_db
def test_unpublishing_renaming_and_deleting_a_speaker_follow_in_the_event_row(
    client, django_capture_on_commit_callbacks
):
    speaker = make_person("Joke", "Pieterse")
    make_event("Vakdag vakmanschap", speakers=[speaker])
    assert found(client, "pieterse") == ["Joke Pieterse", "Vakdag vakmanschap"]

    with django_capture_on_commit_callbacks(execute=True):
        speaker.status = DRAFT
        speaker.save()
    assert found(client, "pieterse") == []
    assert rows_naming("Pieterse") == ["Joke Pieterse"]

    with django_capture_on_commit_callbacks(execute=True):
        speaker.status, speaker.family_name = PUBLISHED, "Vermeulen"
        speaker.save()
    assert found(client, "pieterse") == []
    assert found(client, "vermeulen") == ["Joke Vermeulen", "Vakdag vakmanschap"]

    with django_capture_on_commit_callbacks(execute=True):
        speaker.delete()
    assert found(client, "vermeulen") == []
    assert rows_naming("Vermeulen") == []


@pytest.mark.django_db
def test_an_unrelated_edit_rebuilds_no_rows(zaanstad, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        zaanstad.description = "Een gemeente aan de Zaan."
        zaanstad.save()
    with django_capture_on_commit_callbacks(execute=False) as renamed:
        zaanstad.name = "Gemeente Zaanstad (Zaandam)"
        zaanstad.save()

    # The page cache bumps its version after every save; only the rename rebuilds rows.
    assert len(renamed) == len(callbacks) + 1


# --- Finding 4: a draft's slug in lists, facets and filters ---------------------------------

DRAFT_ORGANISATION = "geheime-stichting"
DRAFT_PERSON = "verborgen-auteur"
UNKNOWN = "bestaat-niet"

# Every list that filters by an organisation or a person: (list, query parameter).
FILTERS = [
    ("/publicaties/", "organisatie"),
    ("/publicaties/", "auteur"),
    ("/actueel/", "organisatie"),
    ("/actueel/", "persoon"),
    ("/evenementen/", "organisator"),
    ("/evenementen/archief/", "organisator"),
    ("/leerkringen/", "organisatie"),
    ("/netwerk/personen/", "organisatie"),
]


@pytest.fixture
def drafts(db):
    """A draft organisation and a draft person, linked to published items of every list."""
    stichting = make_organisation("Geheime Stichting", slug=DRAFT_ORGANISATION, status=DRAFT)
    auteur = make_person("Verborgen", "Auteur", slug=DRAFT_PERSON, status=DRAFT)
    make_person("Publieke", "Medewerker", organisations=[stichting])
    make_publication("Rapport", authors=[auteur], commissioned_by=[stichting])
    make_news_item("Bericht", organisations=[stichting], people=[(auteur, "auteur")])
    make_event("Komende dag", organisers=[stichting], speakers=[auteur])
    make_event(
        "Vorige dag",
        organisers=[stichting],
        starts_at=timezone.now() - timedelta(days=30),
        ends_at=timezone.now() - timedelta(days=30, hours=-2),
    )
    make_learning_circle("Leerkring", participants=[stichting])


def _normalised(html: str, slug: str) -> str:
    # The visitor's own value comes back in the form and in the error: the same for both.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html.replace(slug, "SLUG"))


@pytest.mark.parametrize(("url", "param"), FILTERS)
def test_a_draft_slug_filters_exactly_like_an_unknown_slug(client, drafts, url, param):
    slug = DRAFT_PERSON if param in ("auteur", "persoon") else DRAFT_ORGANISATION
    draft = client.get(url, {param: slug})
    unknown = client.get(url, {param: UNKNOWN})

    assert draft.status_code == unknown.status_code == 200
    assert card_titles(draft) == card_titles(unknown)
    assert filter_errors(draft) is not None
    assert _normalised(draft.content.decode(), slug) == _normalised(
        unknown.content.decode(), UNKNOWN
    )


@pytest.mark.parametrize("url", sorted({url for url, _param in FILTERS}))
def test_no_list_shows_a_drafts_slug_or_offers_it_in_a_facet(client, drafts, url):
    response = client.get(url)

    # A publication's card names its authors as its page does (as text, without a link);
    # a draft's slug and a facet option for it appear nowhere.
    page = response.content.decode()
    assert DRAFT_ORGANISATION not in page
    assert DRAFT_PERSON not in page
    for param in ("organisatie", "organisator", "auteur", "persoon"):
        labels = [option.label for option in facet_options(response, param).values()]
        assert not [label for label in labels if "Geheime" in label or "Verborgen" in label]


@pytest.mark.django_db
def test_no_item_page_links_a_drafts_page(client, drafts):
    for url in ("/publicaties/rapport/", "/actueel/bericht/", "/evenementen/komende-dag/"):
        page = main(client.get(url))
        hrefs = [link.get("href", "") for link in page.iter("a")]
        assert not [href for href in hrefs if DRAFT_ORGANISATION in href or DRAFT_PERSON in href]


@pytest.mark.django_db
def test_an_organisation_published_after_start_up_can_be_filtered_on(client):
    # The filters' choices were a queryset built at import: "published" meant "by then".
    gemeente = make_organisation(
        "Gemeente Edam", published_at=timezone.now() - timedelta(seconds=1)
    )
    make_event("Vakdag Edam", organisers=[gemeente])
    make_event("Andere dag")

    response = client.get("/evenementen/", {"organisator": gemeente.slug})

    assert card_titles(response) == ["Vakdag Edam"]
    assert filter_errors(response) is None


# --- Finding 6: CSV export ------------------------------------------------------------------

DANGEROUS = ["Jan,=1+2", "+31 20 123 4567", "=SOM(1;2)", "@SUM(A1)", "\t=1", "a;-2+3", "x\n=1"]


def _parts(text: str) -> list[str]:
    """Every place a spreadsheet that splits on `,` or `;` (or ignores quotes) starts a cell."""
    return [part.strip(' "') for part in re.split(r"[,;\n]", text)]


def _is_formula(cell: str) -> bool:
    return cell.startswith(("=", "+", "-", "@", "\t", "\r")) and not re.fullmatch(
        r"-\d+(?:[.,]\d+)?", cell
    )


def test_csv_quotes_every_cell_and_neutralises_formulas_wherever_a_cell_could_start():
    response = csv_response("export.csv", ["Naam", "Telefoon"], [DANGEROUS, ["-5", "-1,5", 3]])
    body = response.content.decode().removeprefix("\ufeff")

    # Read as it was written (';'): the values, each formula behind a "'".
    header, first, second = csv.reader(io.StringIO(body), delimiter=";")
    assert header == ["Naam", "Telefoon"]
    assert first == [
        "Jan,'=1+2",
        "'+31 20 123 4567",
        "'=SOM(1;2)",
        "'@SUM(A1)",
        "'\t=1",
        "a;'-2+3",
        "x\n'=1",
    ]
    assert second == ["-5", "-1,5", "3"]  # plain negative numbers stay numbers
    # Every cell quoted.
    assert body.splitlines()[0] == '"Naam";"Telefoon"'
    # Read with ',' and with ';', quotes honoured or not: no cell starts a formula.
    for delimiter in (",", ";"):
        for row in csv.reader(io.StringIO(body), delimiter=delimiter):
            assert not [cell for cell in row if any(_is_formula(p) for p in _parts(cell))]
    assert not [part for part in _parts(body) if _is_formula(part)]


@pytest.mark.django_db
def test_participation_csv_keeps_a_formula_in_an_organisation_name_inert(client):
    organisation = make_organisation("Jan,=1+2", slug="jan")
    make_learning_circle("Leerkring", participants=[organisation])

    body = client.get("/netwerk/deelname/csv/").content.decode().removeprefix("\ufeff")

    assert '"Jan,\'=1+2"' in body
    for delimiter in (",", ";"):
        for row in csv.reader(io.StringIO(body), delimiter=delimiter):
            assert not [cell for cell in row if any(_is_formula(p) for p in _parts(cell))]


# --- Finding 7: feed titles -----------------------------------------------------------------


def _rss(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    return ET.fromstring(response.content)


DC = "{http://purl.org/dc/elements/1.1/}creator"


@pytest.mark.django_db
def test_rss_titles_and_creators_are_escaped_like_descriptions(client):
    theme = make_theme("<b>Toezicht</b>")
    author = make_person("<i>Anna</i>", "Bos")
    make_publication("<b>Vet</b> essay", authors=[author], themes=[theme])
    make_news_item("<b>Vet</b> bericht", people=[(author, "auteur")])
    make_event("<b>Vette</b> dag")

    for url, title in [
        ("/publicaties/feed/rss/", "<b>Vet</b> essay"),
        ("/actueel/feed/rss/", "<b>Vet</b> bericht"),
        ("/evenementen/feed/rss/", "<b>Vette</b> dag"),
    ]:
        [item] = _rss(client, url).iter("item")
        # After XML, still HTML-escaped: a reader that renders HTML shows the tags as text.
        assert item.findtext("title") == title.replace("<", "&lt;").replace(">", "&gt;")
        for creator in item.iter(DC):
            assert creator.text == "&lt;i&gt;Anna&lt;/i&gt; Bos"

    channel = _rss(client, f"/themas/{theme.slug}/feed/rss/").find("channel")
    assert "&lt;b&gt;Toezicht&lt;/b&gt;" in channel.findtext("title")


@pytest.mark.django_db
def test_atom_titles_are_text_and_keep_the_title_as_typed(client):
    make_publication("<b>Vet</b> essay", authors=[make_person("<i>Anna</i>", "Bos")])

    root = ET.fromstring(client.get("/publicaties/feed/atom/").content)
    atom = "{http://www.w3.org/2005/Atom}"
    entry = root.find(f"{atom}entry")
    title = entry.find(f"{atom}title")

    # Atom's titles are text unless marked otherwise: readers show them, never render them.
    assert title.get("type") in (None, "text")
    assert title.text == "<b>Vet</b> essay"
    assert entry.find(f"{atom}author/{atom}name").text == "<i>Anna</i> Bos"
