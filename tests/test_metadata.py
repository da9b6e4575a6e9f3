"""What pages tell search engines, link previews and reference managers about themselves:
canonical URL, Open Graph, language versions, schema.org JSON-LD and Highwire citation tags."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from publications.models import Publication
from tests.factories import (
    MINIMAL_PDF,
    make_affiliation,
    make_learning_circle,
    make_organisation,
    make_person,
    make_publication,
    make_theme,
)
from tests.html import (
    canonical,
    feed,
    head,
    json_ld,
    language_versions,
    meta,
    meta_values,
    page_title,
    parse,
)

HOST = "http://testserver"
DRAFT = {"status": Publication.Status.DRAFT}


@pytest.fixture
def site(db) -> dict:
    """One published item of every kind, sharing a theme."""
    theme = make_theme("Toezicht", description="Over het werk van inspecties.")
    organisation = make_organisation("Gemeente Ede", kind="gemeente", themes=[theme])
    person = make_person("Martijn", "Steen", particle="van der", organisations=[organisation])
    return {
        "theme": theme,
        "publication": make_publication("Leren van doen", authors=[person], themes=[theme]),
        "organisation": organisation,
        "person": person,
        "circle": make_learning_circle("Kring", themes=[theme], lead=organisation),
    }


PAGES = {
    "home": lambda site: "/",
    "publication list": lambda site: "/publicaties/",
    "circle list": lambda site: "/leerkringen/",
    "organisation list": lambda site: "/netwerk/",
    "person list": lambda site: "/netwerk/personen/",
    "participation": lambda site: "/netwerk/deelname/",
    "theme index": lambda site: "/themas/",
    "theme": lambda site: site["theme"].get_absolute_url(),
    "publication": lambda site: site["publication"].get_absolute_url(),
    "organisation": lambda site: site["organisation"].get_absolute_url(),
    "person": lambda site: site["person"].get_absolute_url(),
    "circle": lambda site: site["circle"].get_absolute_url(),
    "join form": lambda site: f"{site['circle'].get_absolute_url()}aanmelden/",
    "search": lambda site: "/zoeken/?q=toezicht",
    "privacy": lambda site: "/privacy/",
    "accessibility": lambda site: "/toegankelijkheid/",
    "english publication": lambda site: f"/en{site['publication'].get_absolute_url()}",
}


# --- Canonical URL and Open Graph on every page type ---------------------------------------


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.django_db
def test_every_page_has_one_canonical_url_and_open_graph(client, site, page):
    url = PAGES[page](site)
    response = client.get(url)

    expected = f"{HOST}{url}"
    assert canonical(response) == expected
    assert meta(response, "og:url") == expected
    assert meta(response, "og:title") == page_title(response).removesuffix(" · IKPOB")
    assert meta(response, "og:description") == meta(response, "description")
    assert meta(response, "description")
    assert meta(response, "og:site_name") == "Stichting IKPOB"
    assert meta(response, "og:type") in {"website", "article", "profile"}
    language = "en_GB" if url.startswith("/en/") else "nl_NL"
    assert meta(response, "og:locale") == language
    assert meta_values(response, "og:locale:alternate") == [
        {"nl_NL": "en_GB", "en_GB": "nl_NL"}[language]
    ]


@pytest.mark.django_db
def test_not_found_page_has_one_canonical_url_and_open_graph(client):
    document = parse(client.get("/publicaties/bestaat-niet/?utm_source=x"), status=404)

    assert canonical(document) == f"{HOST}/publicaties/bestaat-niet/"
    assert meta(document, "og:url") == f"{HOST}/publicaties/bestaat-niet/"
    assert meta(document, "og:title") == "Pagina niet gevonden"
    assert meta(document, "og:description")
    assert language_versions(document) == {}  # no other language versions of nothing


@pytest.mark.django_db
def test_detail_pages_describe_themselves(client, site):
    publication = client.get(site["publication"].get_absolute_url())
    person = client.get(site["person"].get_absolute_url())

    assert meta(publication, "og:title") == "Leren van doen"
    assert meta(publication, "og:description") == "Samenvatting van Leren van doen."
    assert meta(publication, "og:type") == "article"
    assert meta(person, "og:title") == "Martijn van der Steen"
    assert meta(person, "og:type") == "profile"


@pytest.mark.django_db
def test_canonical_url_of_a_list_keeps_only_the_page(client):
    for n in range(21):
        make_publication(f"Essay {n}", kind="essay")

    second = client.get("/publicaties/?soort=essay&page=2&utm_source=nieuwsbrief&fbclid=abc")
    first = client.get("/publicaties/?page=1&sortering=titel")

    assert canonical(second) == f"{HOST}/publicaties/?page=2"
    assert canonical(first) == f"{HOST}/publicaties/"


@pytest.mark.django_db
def test_canonical_url_of_a_search_keeps_the_words_and_the_page(client, site):
    response = client.get("/zoeken/?q=toezicht&soort=publication&utm_campaign=x")

    assert canonical(response) == f"{HOST}/zoeken/?q=toezicht"


@pytest.mark.django_db
def test_pages_name_their_version_in_the_other_language(client, site):
    path = site["publication"].get_absolute_url()

    dutch = language_versions(client.get(path))
    english = language_versions(client.get(f"/en{path}"))

    assert (
        dutch
        == english
        == {
            "nl": f"{HOST}{path}",
            "en": f"{HOST}/en{path}",
            "x-default": f"{HOST}{path}",
        }
    )
    assert canonical(client.get(f"/en{path}")) == f"{HOST}/en{path}"


@pytest.mark.django_db
def test_open_graph_and_description_escape_what_editors_write(client):
    publication = make_publication(
        'Het "vak" & <b>de</b> praktijk', summary='Over "toezicht" & <script>x</script>.'
    )

    response = client.get(publication.get_absolute_url())

    assert meta(response, "og:title") == 'Het "vak" & <b>de</b> praktijk'
    assert meta(response, "description") == 'Over "toezicht" & <script>x</script>.'
    assert head(response).find("b") is None
    assert [s.get("type") for s in head(response).iter("script", src=None)] == [
        "application/ld+json"
    ]


# --- schema.org JSON-LD ---------------------------------------------------------------------


def one_json_ld(response) -> dict:
    found = json_ld(response)
    assert len(found) == 1, f"expected one JSON-LD block, found {len(found)}"
    data = found[0]
    assert data["@context"] == "https://schema.org"
    assert data["@type"]
    assert data["name"]
    assert data["url"].startswith(HOST)
    return data


@pytest.mark.parametrize(
    ("kind", "schema_type"),
    [
        ("essay", "ScholarlyArticle"),
        ("artikel", "ScholarlyArticle"),
        ("boek", "Book"),
        ("rapport", "Report"),
        ("video", "VideoObject"),
        ("instrument", "CreativeWork"),
        ("casus", "CreativeWork"),
    ],
)
@pytest.mark.django_db
def test_publication_json_ld_type_follows_the_kind(client, kind, schema_type):
    publication = make_publication("Werk", kind=kind)

    data = one_json_ld(client.get(publication.get_absolute_url()))

    assert data["@type"] == schema_type
    assert data["url"] == f"{HOST}{publication.get_absolute_url()}"


@pytest.fixture
def full_publication(db) -> Publication:
    theme = make_theme("Toezicht")
    publisher = make_organisation("Nederlandse School voor Openbaar Bestuur", short_name="NSOB")
    first = make_person("Martijn", "Steen", particle="van der", orcid="0000-0002-1825-0097")
    second = make_person("Anna", "Bos")
    return make_publication(
        "Leren van doen",
        subtitle="Over het vak van de ambtenaar",
        kind="boek",
        summary="Wat ambtenaren leren van hun werk.",
        publication_year=2020,
        publication_month=9,
        publication_day=22,
        language="nl",
        authors=[first, second],
        themes=[theme],
        publisher=publisher,
        isbn="9789012345678",
        doi="10.1234/vak.2020",
        licence="cc-by-nc-4.0",
        pdf=MINIMAL_PDF,
    )


@pytest.mark.django_db
def test_publication_json_ld_has_the_bibliographic_facts(client, full_publication):
    data = one_json_ld(client.get(full_publication.get_absolute_url()))

    assert data["name"] == "Leren van doen"
    assert data["alternativeHeadline"] == "Over het vak van de ambtenaar"
    assert data["datePublished"] == "2020-09-22"
    assert data["inLanguage"] == "nl"
    assert data["description"] == "Wat ambtenaren leren van hun werk."
    assert data["isbn"] == "9789012345678"
    assert {(i["propertyID"], i["value"]) for i in data["identifier"]} == {
        ("DOI", "10.1234/vak.2020"),
        ("ISBN", "9789012345678"),
    }
    assert data["license"] == "https://creativecommons.org/licenses/by-nc/4.0/"
    assert data["encoding"] == {
        "@type": "MediaObject",
        "contentUrl": f"{HOST}/publicaties/leren-van-doen/download/",
        "encodingFormat": "application/pdf",
    }
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == "Nederlandse School voor Openbaar Bestuur"
    assert data["publisher"]["url"] == f"{HOST}/netwerk/nederlandse-school-voor-openbaar-bestuur/"
    assert data["about"] == [
        {
            "@type": "DefinedTerm",
            "name": "Toezicht",
            "url": f"{HOST}/themas/toezicht/",
            "inDefinedTermSet": f"{HOST}/themas/",
        }
    ]


@pytest.mark.django_db
def test_publication_json_ld_names_the_authors_in_order_with_orcid(client, full_publication):
    authors = one_json_ld(client.get(full_publication.get_absolute_url()))["author"]

    assert authors == [
        {
            "@type": "Person",
            "name": "Martijn van der Steen",
            "url": f"{HOST}/netwerk/personen/martijn-van-der-steen/",
            "sameAs": "https://orcid.org/0000-0002-1825-0097",
        },
        {"@type": "Person", "name": "Anna Bos", "url": f"{HOST}/netwerk/personen/anna-bos/"},
    ]


@pytest.mark.django_db
def test_publication_json_ld_does_not_link_draft_people_or_organisations(client):
    hidden = make_person("Verborgen", "Auteur", **DRAFT)
    publisher = make_organisation("Conceptuitgever", **DRAFT)
    publication = make_publication("Essay", authors=[hidden], publisher=publisher)

    data = one_json_ld(client.get(publication.get_absolute_url()))

    assert data["author"] == [{"@type": "Person", "name": "Verborgen Auteur"}]
    assert "url" not in data["publisher"]
    assert "/netwerk/" not in str(data)


@pytest.mark.django_db
def test_publication_json_ld_leaves_out_what_is_unknown(client):
    publication = make_publication("Essay", kind="essay", publication_year=2019)

    data = one_json_ld(client.get(publication.get_absolute_url()))

    assert data["datePublished"] == "2019"
    for absent in ("isbn", "identifier", "license", "encoding", "publisher", "author", "about"):
        assert absent not in data


@pytest.mark.django_db
def test_json_ld_cannot_be_broken_out_of(client):
    title = "</script><script>alert(1)</script> & <!--"
    publication = make_publication(title, summary="Een <b>samenvatting</b>.")

    response = client.get(publication.get_absolute_url())

    assert one_json_ld(response)["name"] == title
    assert b"<script>alert(1)" not in response.content
    assert b"<!--" not in response.content.split(b"</head>")[0]


@pytest.mark.parametrize(
    ("kind", "schema_type"),
    [
        ("gemeente", "GovernmentOrganization"),
        ("ministerie", "GovernmentOrganization"),
        ("universiteit", "CollegeOrUniversity"),
        ("vereniging", "Organization"),
    ],
)
@pytest.mark.django_db
def test_organisation_json_ld_type_follows_the_kind(client, kind, schema_type):
    organisation = make_organisation(f"Een {kind}", kind=kind)

    data = one_json_ld(client.get(organisation.get_absolute_url()))

    assert data["@type"] == schema_type


@pytest.mark.django_db
def test_organisation_json_ld_has_names_and_identifiers(client):
    theme = make_theme("Toezicht")
    government = make_organisation(
        "Gemeente Ede",
        short_name="Ede",
        kind="gemeente",
        website="https://www.ede.nl/",
        tooi_uri="https://identifier.overheid.nl/tooi/id/gemeente/gm0228",
        description="Een **gemeente** in Gelderland.",
        themes=[theme],
    )
    university = make_organisation(
        "Universiteit Utrecht", kind="universiteit", ror_id="https://ror.org/04pp8hn57"
    )

    ede = one_json_ld(client.get(government.get_absolute_url()))
    utrecht = one_json_ld(client.get(university.get_absolute_url()))

    assert ede["name"] == "Gemeente Ede"
    assert ede["alternateName"] == "Ede"
    assert ede["url"] == f"{HOST}/netwerk/gemeente-ede/"
    assert ede["sameAs"] == [
        "https://www.ede.nl/",
        "https://identifier.overheid.nl/tooi/id/gemeente/gm0228",
    ]
    assert ede["description"] == "Een gemeente in Gelderland."
    assert [term["name"] for term in ede["knowsAbout"]] == ["Toezicht"]
    assert utrecht["sameAs"] == ["https://ror.org/04pp8hn57"]


@pytest.mark.django_db
def test_person_json_ld_has_orcid_job_and_only_published_affiliations(client):
    public = make_organisation("NSOB")
    hidden = make_organisation("Conceptbureau", **DRAFT)
    person = make_person(
        "Martijn",
        "Steen",
        particle="van der",
        title="hoogleraar bestuurskunde",
        orcid="0000-0002-1825-0097",
        organisations=[public, hidden],
    )
    make_affiliation(person, make_organisation("Vroeger"), is_current=False)

    data = one_json_ld(client.get(person.get_absolute_url()))

    assert data["@type"] == "Person"
    assert data["name"] == "Martijn van der Steen"
    assert data["givenName"] == "Martijn"
    assert data["familyName"] == "van der Steen"
    assert data["sameAs"] == "https://orcid.org/0000-0002-1825-0097"
    assert data["jobTitle"] == "hoogleraar bestuurskunde"
    assert data["affiliation"] == [
        {"@type": "Organization", "name": "NSOB", "url": f"{HOST}/netwerk/nsob/"}
    ]


@pytest.mark.django_db
def test_learning_circle_json_ld_is_a_research_project_with_its_members(client):
    theme = make_theme("Toezicht")
    lead = make_organisation("Gemeente Ede", kind="gemeente")
    member = make_organisation("NSOB")
    hidden = make_organisation("Conceptbureau", **DRAFT)
    start = timezone.localdate() - timedelta(days=30)
    end = start + timedelta(days=365)
    circle = make_learning_circle(
        "Leren van toezicht",
        summary="Gemeenten leren samen.",
        themes=[theme],
        lead=lead,
        participants=[member, hidden],
        start_date=start,
        end_date=end,
    )

    data = one_json_ld(client.get(circle.get_absolute_url()))

    assert data["@type"] == "ResearchProject"
    assert data["name"] == "Leren van toezicht"
    assert data["description"] == "Gemeenten leren samen."
    assert data["url"] == f"{HOST}/leerkringen/leren-van-toezicht/"
    # A ResearchProject is an Organization in schema.org: its period is founding/dissolution.
    assert data["foundingDate"] == start.isoformat()
    assert data["dissolutionDate"] == end.isoformat()
    assert [term["name"] for term in data["knowsAbout"]] == ["Toezicht"]
    assert [(m["@type"], m["name"]) for m in data["member"]] == [
        ("GovernmentOrganization", "Gemeente Ede"),
        ("Organization", "NSOB"),
    ]


@pytest.mark.parametrize("page", ["home", "publication list", "theme", "search", "privacy"])
@pytest.mark.django_db
def test_pages_about_no_one_item_have_no_json_ld(client, site, page):
    assert json_ld(client.get(PAGES[page](site))) == []


@pytest.mark.django_db
def test_an_editors_preview_of_a_draft_tells_machines_nothing(editor_client):
    publication = make_publication("Geheim concept", pdf=MINIMAL_PDF, **DRAFT)
    organisation = make_organisation("Conceptorganisatie", **DRAFT)
    circle = make_learning_circle("Conceptkring", **DRAFT)
    person = make_person("Concept", "Persoon", **DRAFT)

    for item in (publication, organisation, circle, person):
        response = editor_client.get(item.get_absolute_url())
        assert json_ld(response) == []
        assert not [name for name in meta_names(response) if name.startswith("citation_")]


def meta_names(response) -> list[str]:
    return [element.get("name") for element in head(response).iter("meta", name=True)]


# --- Highwire citation tags (Google Scholar, Zotero) ----------------------------------------


@pytest.mark.django_db
def test_publication_has_highwire_citation_tags(client, full_publication):
    response = client.get(full_publication.get_absolute_url())

    assert meta(response, "citation_title") == "Leren van doen: Over het vak van de ambtenaar"
    assert meta_values(response, "citation_author") == ["Steen, Martijn van der", "Bos, Anna"]
    assert meta(response, "citation_publication_date") == "2020/09/22"
    assert meta(response, "citation_pdf_url") == f"{HOST}/publicaties/leren-van-doen/download/"
    assert meta(response, "citation_publisher") == "Nederlandse School voor Openbaar Bestuur"
    assert meta(response, "citation_doi") == "10.1234/vak.2020"
    assert meta(response, "citation_isbn") == "9789012345678"
    assert meta(response, "citation_language") == "nl"
    assert meta(response, "citation_keywords") == "Toezicht"
    pdf = client.get(meta(response, "citation_pdf_url"))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_highwire_authors_keep_the_order_of_the_publication(client):
    people = [
        make_person(given, family) for given, family in [("Zoë", "Aalders"), ("Bas", "Zwart")]
    ]
    publication = make_publication("Essay", authors=[people[1], people[0]])

    response = client.get(publication.get_absolute_url())

    assert meta_values(response, "citation_author") == ["Zwart, Bas", "Aalders, Zoë"]


@pytest.mark.django_db
def test_highwire_date_is_the_year_when_the_day_is_unknown(client):
    publication = make_publication("Essay", publication_year=2018, publication_month=3)

    response = client.get(publication.get_absolute_url())

    assert meta(response, "citation_publication_date") == "2018"


@pytest.mark.django_db
def test_highwire_leaves_out_what_is_unknown(client):
    publication = make_publication("Essay")

    names = meta_names(client.get(publication.get_absolute_url()))

    assert "citation_title" in names
    for absent in ("citation_pdf_url", "citation_publisher", "citation_doi", "citation_isbn"):
        assert absent not in names


# --- Who made a publication, the same in every format ---------------------------------------


def creators_everywhere(client, publication: Publication) -> dict[str, list[str]]:
    """The creators a publication states on its page, in its citation downloads, in OAI-PMH and
    in both feeds."""
    url = publication.get_absolute_url()
    page = client.get(url)
    ris = client.get(f"{url}citeer.ris").content.decode()
    bibtex = client.get(f"{url}citeer.bib").content.decode()
    oai = client.get("/oai/", {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    rss = feed(client.get("/publicaties/feed/rss/")).entries[0]
    atom = feed(client.get("/publicaties/feed/atom/")).entries[0]
    return {
        "citation_author": meta_values(page, "citation_author"),
        "json_ld": [author["name"] for author in one_json_ld(page).get("author", [])],
        "ris": [line.removeprefix("AU  - ") for line in ris.splitlines() if line[:2] == "AU"],
        "bibtex": re.findall(r"^\s*author = \{(.*)\},?$", bibtex, re.MULTILINE),
        "dc:creator": re.findall(r"<dc:creator>(.*?)</dc:creator>", oai.content.decode()),
        "rss": [author.get("name") for author in rss.get("authors", [])],
        "atom": [author.get("name") for author in atom.get("authors", [])],
    }


@pytest.mark.django_db
def test_publication_names_its_authors_as_creators_in_every_format(client):
    authors = [make_person("Martijn", "Steen", particle="van der"), make_person("Anna", "Bos")]
    nsob = make_organisation("Nederlandse School voor Openbaar Bestuur")
    publication = make_publication("Leren van doen", authors=authors, publisher=nsob)

    found = creators_everywhere(client, publication)

    inverted = ["Steen, Martijn van der", "Bos, Anna"]
    assert found["citation_author"] == found["ris"] == found["dc:creator"] == inverted
    assert (
        found["json_ld"] == found["rss"] == found["atom"] == ["Martijn van der Steen", "Anna Bos"]
    )
    assert found["bibtex"] == ["van der Steen, Martijn and Bos, Anna"]


@pytest.mark.django_db
def test_publication_without_authors_has_its_publisher_as_creator_in_every_format(client):
    nsob = make_organisation("Nederlandse School voor Openbaar Bestuur", short_name="NSOB")
    publication = make_publication("Jaarverslag", publisher=nsob)

    found = creators_everywhere(client, publication)

    name = "Nederlandse School voor Openbaar Bestuur"
    for where in ("citation_author", "json_ld", "ris", "dc:creator", "rss", "atom"):
        assert found[where] == [name], where
    assert found["bibtex"] == [f"{{{name}}}"]  # one name, not "School, Nederlandse …"
    author = one_json_ld(client.get(publication.get_absolute_url()))["author"]
    assert author == [
        {
            "@type": "Organization",
            "name": name,
            "alternateName": "NSOB",
            "url": f"{HOST}{nsob.get_absolute_url()}",
        }
    ]


@pytest.mark.django_db
def test_publication_with_no_known_maker_invents_no_creator(client):
    publication = make_publication("Vragenwaaier")

    found = creators_everywhere(client, publication)

    assert found == {where: [] for where in found}
