import bibtexparser
import pytest
import rispy

from publications import citations
from publications.models import Publication
from tests.factories import make_organisation, make_person, make_publication, make_theme

PAGE_URL = "https://ikpob.nl/publicaties/ambtelijk-vakmanschap/"


@pytest.fixture
def nsob(db):
    return make_organisation("Nederlandse School voor Openbaar Bestuur", short_name="NSOB")


@pytest.fixture
def van_der_steen(db):
    return make_person("Martijn", "Steen", particle="van der")


@pytest.fixture
def jansen(db):
    return make_person("Anne-Marie", "Jansen")


@pytest.fixture
def bakker(db):
    return make_person("Rob Jan", "Bakker")


def parse_bibtex(text: str):
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    assert len(library.entries) == 1
    return library.entries[0]


# --- APA ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_apa_single_author_puts_dutch_particle_after_initials(van_der_steen, nsob):
    publication = make_publication(
        "Ambtelijk vakmanschap", authors=[van_der_steen], publisher=nsob, publication_year=2020
    )

    citation = citations.apa(publication, url=PAGE_URL)

    assert citation.text == (
        "Steen, M. van der. (2020). Ambtelijk vakmanschap. "
        f"Nederlandse School voor Openbaar Bestuur. {PAGE_URL}"
    )


@pytest.mark.django_db
def test_apa_two_authors_have_comma_and_ampersand(van_der_steen, jansen, nsob):
    publication = make_publication(
        "Ambtelijk vakmanschap",
        authors=[van_der_steen, jansen],
        publisher=nsob,
        publication_year=2021,
    )

    citation = citations.apa(publication, url=PAGE_URL)

    assert citation.text == (
        "Steen, M. van der, & Jansen, A.-M. (2021). Ambtelijk vakmanschap. "
        f"Nederlandse School voor Openbaar Bestuur. {PAGE_URL}"
    )


@pytest.mark.django_db
def test_apa_three_authors_have_ampersand_only_before_the_last(van_der_steen, jansen, bakker, nsob):
    publication = make_publication(
        "Ambtelijk vakmanschap",
        subtitle="over het vak van de ambtenaar",
        authors=[jansen, van_der_steen, bakker],
        publisher=nsob,
        publication_year=2019,
    )

    citation = citations.apa(publication, url=PAGE_URL)

    assert citation.text == (
        "Jansen, A.-M., Steen, M. van der, & Bakker, R. J. (2019). "
        "Ambtelijk vakmanschap: Over het vak van de ambtenaar. "
        f"Nederlandse School voor Openbaar Bestuur. {PAGE_URL}"
    )


@pytest.mark.django_db
def test_apa_more_than_twenty_authors_lists_nineteen_then_ellipsis_and_the_last():
    people = [make_person("Piet", f"Auteur{number:02d}") for number in range(1, 23)]
    publication = make_publication("Groot onderzoek", authors=people, publication_year=2022)

    citation = citations.apa(publication)

    first_nineteen = ", ".join(f"Auteur{number:02d}, P." for number in range(1, 20))
    assert citation.text == f"{first_nineteen}, … Auteur22, P. (2022). Groot onderzoek."
    assert "&" not in citation.text


@pytest.mark.django_db
def test_apa_html_puts_the_title_in_italics_and_escapes(van_der_steen, jansen, nsob):
    publication = make_publication(
        "Kwaliteit & vakmanschap",
        subtitle="een verkenning",
        authors=[van_der_steen, jansen],
        publisher=nsob,
        publication_year=2020,
    )

    citation = citations.apa(publication, url=PAGE_URL)

    assert citation.html == (
        "Steen, M. van der, &amp; Jansen, A.-M. (2020). "
        "<i>Kwaliteit &amp; vakmanschap: Een verkenning</i>. "
        f"Nederlandse School voor Openbaar Bestuur. {PAGE_URL}"
    )


@pytest.mark.django_db
def test_apa_html_does_not_italicise_a_journal_article_title(van_der_steen):
    publication = make_publication(
        "Een artikel", kind=Publication.Kind.ARTIKEL, authors=[van_der_steen]
    )

    citation = citations.apa(publication)

    assert "<i>" not in citation.html
    assert citation.html == "Steen, M. van der. (2020). Een artikel."


@pytest.mark.django_db
def test_apa_without_authors_uses_the_publisher_as_group_author(nsob):
    publication = make_publication("Jaarverslag", publisher=nsob, publication_year=2023)

    citation = citations.apa(publication, url=PAGE_URL)

    assert citation.text == (
        f"Nederlandse School voor Openbaar Bestuur. (2023). Jaarverslag. {PAGE_URL}"
    )
    assert citation.text.count("Nederlandse School voor Openbaar Bestuur") == 1


@pytest.mark.django_db
def test_apa_without_authors_or_publisher_starts_with_the_title():
    publication = make_publication("Anoniem stuk", publication_year=2018)

    assert citations.apa(publication, url=PAGE_URL).text == (f"Anoniem stuk. (2018). {PAGE_URL}")


@pytest.mark.django_db
def test_apa_links_the_doi_rather_than_the_page(van_der_steen):
    publication = make_publication(
        "Met DOI",
        authors=[van_der_steen],
        doi="10.1234/abc.2020",
        external_url="https://example.org/rapport.pdf",
    )

    text = citations.apa(publication, url=PAGE_URL).text

    assert text.endswith(" https://doi.org/10.1234/abc.2020")
    assert PAGE_URL not in text


@pytest.mark.django_db
def test_apa_video_is_dated_to_the_day_and_marked(van_der_steen):
    publication = make_publication(
        "Webinar vakmanschap",
        kind=Publication.Kind.VIDEO,
        authors=[van_der_steen],
        publication_year=2021,
        publication_month=3,
        publication_day=4,
    )

    assert citations.apa(publication).text == (
        "Steen, M. van der. (2021, 4 maart). Webinar vakmanschap [Video]."
    )


@pytest.mark.django_db
def test_apa_text_keeps_a_question_mark_instead_of_adding_a_period(nsob):
    publication = make_publication("Wat is vakmanschap?", publisher=nsob)

    assert citations.apa(publication).text == (
        "Nederlandse School voor Openbaar Bestuur. (2020). Wat is vakmanschap?"
    )


@pytest.mark.django_db
def test_apa_html_keeps_a_question_mark_instead_of_adding_a_period(nsob):
    publication = make_publication("Wat is vakmanschap?", publisher=nsob)

    assert citations.apa(publication).html == (
        "Nederlandse School voor Openbaar Bestuur. (2020). <i>Wat is vakmanschap?</i>"
    )


# --- BibTeX -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_bibtex_parses_with_title_authors_and_year(van_der_steen, jansen, nsob):
    publication = make_publication(
        "Ambtelijk vakmanschap",
        subtitle="een verkenning",
        authors=[van_der_steen, jansen],
        publisher=nsob,
        publication_year=2020,
        publication_month=9,
        themes=[make_theme("Ethiek"), make_theme("Toezicht")],
    )

    entry = parse_bibtex(citations.bibtex(publication, url=PAGE_URL))

    assert entry.entry_type == "techreport"
    assert entry.key == "Steen2020Ambtelijk"
    assert entry["title"] == "Ambtelijk vakmanschap: een verkenning"
    assert entry["author"] == "van der Steen, Martijn and Jansen, Anne-Marie"
    assert entry["year"] == "2020"
    assert entry["institution"] == "Nederlandse School voor Openbaar Bestuur"
    assert entry["url"] == PAGE_URL
    assert entry["keywords"] == "Ethiek, Toezicht"
    assert entry["language"] == "dutch"


@pytest.mark.django_db
def test_bibtex_book_has_publisher_and_isbn(van_der_steen, nsob):
    publication = make_publication(
        "Het boek", kind=Publication.Kind.BOEK, authors=[van_der_steen], publisher=nsob,
        isbn="9780306406157",
    )  # fmt: skip

    entry = parse_bibtex(citations.bibtex(publication))

    assert entry.entry_type == "book"
    assert entry["publisher"] == "Nederlandse School voor Openbaar Bestuur"
    assert entry["isbn"] == "9780306406157"


@pytest.mark.django_db
def test_bibtex_escapes_latex_special_characters(van_der_steen):
    publication = make_publication(
        "Kwaliteit & 100% vakmanschap",
        subtitle="#1 in $ en {haakjes}_",
        authors=[van_der_steen],
        summary="Over 50% & meer.",
    )

    entry = parse_bibtex(citations.bibtex(publication))

    assert entry["title"] == r"Kwaliteit \& 100\% vakmanschap: \#1 in \$ en \{haakjes\}\_"
    assert entry["abstract"] == r"Over 50\% \& meer."


@pytest.mark.django_db
def test_bibtex_escapes_a_backslash(van_der_steen):
    publication = make_publication("Input\\Output", authors=[van_der_steen])

    entry = parse_bibtex(citations.bibtex(publication))

    assert entry["title"] == r"Input\textbackslash{}Output"


@pytest.mark.django_db
def test_bibtex_keeps_url_and_doi_verbatim(van_der_steen):
    publication = make_publication(
        "Met link",
        authors=[van_der_steen],
        doi="10.1234/abc_2020",
        external_url="https://example.org/rapport_2020%20def.pdf",
    )

    entry = parse_bibtex(citations.bibtex(publication))

    assert entry["doi"] == "10.1234/abc_2020"
    assert entry["url"] == "https://example.org/rapport_2020%20def.pdf"


@pytest.mark.django_db
def test_bibtex_without_authors_names_the_publisher_as_author_and_keys_on_the_title(nsob):
    publication = make_publication("Jaarverslag over 2023", publisher=nsob, publication_year=2024)

    entry = parse_bibtex(citations.bibtex(publication))

    # In braces: BibTeX takes the whole name as one, not "School, Nederlandse …".
    assert entry["author"] == "{Nederlandse School voor Openbaar Bestuur}"
    assert entry.key == "Jaarverslag2024Jaarverslag"
    assert entry["institution"] == "Nederlandse School voor Openbaar Bestuur"


# --- RIS ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_ris_parses_with_authors_in_order(van_der_steen, jansen, bakker, nsob):
    publication = make_publication(
        "Ambtelijk vakmanschap",
        authors=[jansen, van_der_steen, bakker],
        publisher=nsob,
        publication_year=2020,
        publication_month=9,
        publication_day=22,
        doi="10.1234/abc.2020",
        themes=[make_theme("Ethiek")],
    )

    text = citations.ris(publication, url=PAGE_URL)
    (record,) = rispy.loads(text)

    assert record["type_of_reference"] == "RPRT"
    assert record["authors"] == [
        "Jansen, Anne-Marie",
        "Steen, Martijn van der",
        "Bakker, Rob Jan",
    ]
    assert record["title"] == "Ambtelijk vakmanschap"
    assert record["year"] == "2020"
    assert record["date"] == "2020/09/22/"
    assert record["publisher"] == "Nederlandse School voor Openbaar Bestuur"
    assert record["doi"] == "10.1234/abc.2020"
    assert record["urls"] == [PAGE_URL]
    assert record["keywords"] == ["Ethiek"]


@pytest.mark.django_db
def test_ris_starts_with_ty_and_ends_with_er_in_crlf_lines(van_der_steen):
    publication = make_publication("Het boek", kind=Publication.Kind.BOEK, authors=[van_der_steen])

    text = citations.ris(publication)
    lines = text.split("\r\n")

    assert lines[0] == "TY  - BOOK"
    assert "PY  - 2020" in lines
    assert lines[-2:] == ["ER  -", ""]
    assert "\n" not in text.replace("\r\n", "")


@pytest.mark.django_db
def test_ris_date_with_month_only_leaves_the_day_empty():
    publication = make_publication("Maandstuk", publication_year=2021, publication_month=3)

    (record,) = rispy.loads(citations.ris(publication))

    assert record["date"] == "2021/03//"
    assert "authors" not in record
