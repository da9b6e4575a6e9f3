import csv
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from learning_circles.models import Contact, Participation
from network.models import Organisation, Person
from publications.models import Publication
from tests.factories import (
    make_affiliation,
    make_contact,
    make_learning_circle,
    make_organisation,
    make_participation,
    make_person,
    make_publication,
    make_theme,
)
from tests.html import (
    Link,
    card_titles,
    cards,
    count_queries,
    description_list,
    header_lines,
    links,
    list_items,
    main,
    notices,
    page_heading,
    paragraph,
    parse,
    results_heading,
    section,
    table_rows,
    text,
)

ORGANISATIONS = "/netwerk/"
PEOPLE = "/netwerk/personen/"
PARTICIPATION = "/netwerk/deelname/"
PARTICIPATION_CSV = "/netwerk/deelname/csv/"
HOUR = timedelta(hours=1)


# --- URLs -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_organisation_and_person_urls_live_under_netwerk():
    organisation = make_organisation("Gemeente Utrecht")
    person = make_person("Martijn", "Steen", particle="van der")

    assert organisation.get_absolute_url() == "/netwerk/gemeente-utrecht/"
    assert person.get_absolute_url() == "/netwerk/personen/martijn-van-der-steen/"


@pytest.mark.django_db
def test_fixed_network_paths_are_not_taken_by_organisation_slugs(client):
    make_person("Anna", "Jansen")

    assert "Anna Jansen" in card_titles(client.get(PEOPLE))
    assert client.get(PARTICIPATION).status_code == 200


# --- Visibility ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_organisation_list_shows_only_published_organisations(client):
    make_organisation("Gemeente Utrecht")
    make_organisation("Concept-organisatie", status=Organisation.Status.DRAFT)
    make_organisation("Toekomstige organisatie", published_at=timezone.now() + timedelta(days=1))

    page = parse(client.get(ORGANISATIONS))

    assert card_titles(page) == ["Gemeente Utrecht"]
    assert results_heading(page) == "1 organisatie gevonden"


@pytest.mark.django_db
def test_person_list_shows_only_published_people(client):
    make_person("Anna", "Jansen")
    make_person("Carla", "Concept", status=Person.Status.DRAFT)
    make_person("Toon", "Toekomst", published_at=timezone.now() + timedelta(days=1))

    assert card_titles(client.get(PEOPLE)) == ["Anna Jansen"]


@pytest.mark.django_db
@pytest.mark.parametrize("moment", ["draft", "future"])
def test_unpublished_organisation_is_404_for_visitors(client, moment):
    if moment == "draft":
        organisation = make_organisation("Verborgen", status=Organisation.Status.DRAFT)
    else:
        organisation = make_organisation(
            "Verborgen", published_at=timezone.now() + timedelta(days=1)
        )

    assert client.get(organisation.get_absolute_url()).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("moment", ["draft", "future"])
def test_unpublished_person_is_404_for_visitors(client, moment):
    if moment == "draft":
        person = make_person("Verborgen", "Persoon", status=Person.Status.DRAFT)
    else:
        person = make_person(
            "Verborgen", "Persoon", published_at=timezone.now() + timedelta(days=1)
        )

    assert client.get(person.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_editor_previews_a_draft_organisation_with_a_concept_notice(editor_client):
    organisation = make_organisation("Verborgen", status=Organisation.Status.DRAFT)

    page = parse(editor_client.get(organisation.get_absolute_url()))

    [notice] = notices(page)
    assert notice.startswith("Concept — niet openbaar.")
    assert page_heading(page) == "Verborgen"


@pytest.mark.django_db
def test_editor_previews_a_scheduled_person_with_the_publish_moment(editor_client):
    person = make_person("Toon", "Toekomst", published_at=timezone.now() + timedelta(days=2))

    page = parse(editor_client.get(person.get_absolute_url()))

    [notice] = notices(page)
    assert notice.startswith("Concept — wordt openbaar op")
    assert page_heading(page) == "Toon Toekomst"


@pytest.mark.django_db
def test_published_pages_show_no_concept_notice(editor_client):
    organisation = make_organisation("Openbaar")
    person = make_person("Anna", "Jansen")

    for url in (organisation.get_absolute_url(), person.get_absolute_url()):
        assert notices(editor_client.get(url)) == []


# --- Organisation page ------------------------------------------------------------------------


@pytest.fixture
def bzk_network(db):
    """An organisation with published and unpublished connections of every kind."""
    bzk = make_organisation(
        "Ministerie van BZK",
        short_name="BZK",
        kind=Organisation.Kind.MINISTERIE,
        is_client=True,
        description="Zorgt voor een goed functionerende overheid.",
        website="https://www.rijksoverheid.nl/ministeries/ministerie-van-bzk",
        tooi_uri="https://identifier.overheid.nl/tooi/id/ministerie/mnre1034",
        themes=[make_theme("Vakmanschap")],
    )
    other = make_organisation("Andere uitgever")
    draft = Publication.Status.DRAFT
    tomorrow = timezone.now() + timedelta(days=1)
    make_publication("Uitgegeven door BZK", publisher=bzk)
    make_publication("In opdracht van BZK", publisher=other, commissioned_by=[bzk])
    make_publication("Concept van BZK", publisher=bzk, status=draft)
    make_publication("Concept in opdracht", commissioned_by=[bzk], status=draft)
    make_publication("Ingepland van BZK", publisher=bzk, published_at=tomorrow)
    make_publication("Zonder BZK", publisher=other)
    make_learning_circle("Leerkring onder leiding van BZK", lead=bzk)
    make_learning_circle("Leerkring met BZK", participants=[bzk])
    make_learning_circle("Concept-leerkring met BZK", participants=[bzk], status=draft)
    make_learning_circle("Ingeplande leerkring", participants=[bzk], published_at=tomorrow)
    make_learning_circle("Leerkring zonder BZK", participants=[other])
    make_person("Anna", "Aalders", organisations=[bzk], title="directeur")
    make_person("Carla", "Concept", organisations=[bzk], status=Person.Status.DRAFT)
    oud = make_person("Otto", "Oud")
    make_affiliation(oud, bzk, is_current=False)
    return bzk


@pytest.mark.django_db
def test_organisation_page_shows_name_kind_relation_and_identifiers(client, bzk_network):
    page = parse(client.get(bzk_network.get_absolute_url()))

    assert page_heading(page) == "Ministerie van BZK (BZK)"
    assert header_lines(page) == ["Ministerie · Opdrachtgever"]
    facts = description_list(page)
    tooi = "https://identifier.overheid.nl/tooi/id/ministerie/mnre1034"
    assert facts["TOOI-identificatie"].links == [Link(tooi, tooi)]
    assert facts["Thema's"].links == [Link("Vakmanschap", "/themas/vakmanschap/")]


@pytest.mark.django_db
def test_organisation_page_lists_exactly_its_published_publications(client, bzk_network):
    page = parse(client.get(bzk_network.get_absolute_url()))

    assert sorted(card_titles(section(page, "Publicaties"))) == [
        "In opdracht van BZK",
        "Uitgegeven door BZK",
    ]


@pytest.mark.django_db
def test_organisation_page_lists_exactly_its_published_learning_circles(client, bzk_network):
    page = parse(client.get(bzk_network.get_absolute_url()))

    assert sorted(card_titles(section(page, "Leerkringen"))) == [
        "Leerkring met BZK",
        "Leerkring onder leiding van BZK",
    ]


@pytest.mark.django_db
def test_organisation_page_lists_its_current_published_people(client, bzk_network):
    page = parse(client.get(bzk_network.get_absolute_url()))

    people = section(page, "Mensen")
    assert list_items(people) == ["Anna Aalders, directeur"]
    assert links(people) == [Link("Anna Aalders", "/netwerk/personen/anna-aalders/")]


@pytest.mark.django_db
def test_organisation_page_without_published_connections_says_so(client):
    organisation = make_organisation("Nieuw in het netwerk")
    make_publication("Concept", publisher=organisation, status=Publication.Status.DRAFT)

    page = parse(client.get(organisation.get_absolute_url()))

    assert "Er is nog niets gepubliceerd dat met deze organisatie verbonden is." in text(page)
    assert cards(page) == []


@pytest.mark.django_db
def test_organisation_card_in_list_shows_kind_and_relations(client):
    make_organisation(
        "Vereniging van Nederlandse Gemeenten",
        short_name="VNG",
        kind=Organisation.Kind.VERENIGING,
        is_partner=True,
        is_funder=True,
    )

    [card] = cards(client.get(ORGANISATIONS))

    assert card.lines == ["Vereniging · VNG · Partner · Financier"]
    assert card.href == "/netwerk/vereniging-van-nederlandse-gemeenten/"


# --- Person page --------------------------------------------------------------------------------


@pytest.fixture
def steen_network(db):
    nsob = make_organisation("Nederlandse School voor Openbaar Bestuur", short_name="NSOB")
    hidden = make_organisation("Verborgen instituut", status=Organisation.Status.DRAFT)
    steen = make_person(
        "Martijn",
        "Steen",
        particle="van der",
        title="decaan",
        orcid="0000-0002-1825-0097",
        bio="Onderzoekt **strategisch** vakmanschap.",
    )
    make_affiliation(steen, nsob, role="decaan", position=0)
    make_affiliation(steen, hidden, role="adviseur", position=1)
    draft = Publication.Status.DRAFT
    make_publication("Geschreven door Van der Steen", authors=[steen])
    make_publication("Concept van Van der Steen", authors=[steen], status=draft)
    make_publication(
        "Ingepland van Van der Steen",
        authors=[steen],
        published_at=timezone.now() + timedelta(days=1),
    )
    make_publication("Door een ander", authors=[make_person("Anna", "Jansen")])
    make_learning_circle("Leerkring met Van der Steen", contacts=[steen])
    make_learning_circle("Concept-leerkring met Van der Steen", contacts=[steen], status=draft)
    circle = make_learning_circle("Leerkring met twee rollen")
    make_contact(circle, steen, role=Contact.Role.RESEARCHER)
    make_contact(circle, steen, role=Contact.Role.COORDINATOR)
    return steen


@pytest.mark.django_db
def test_person_page_shows_name_title_orcid_and_bio(client, steen_network):
    page = parse(client.get(steen_network.get_absolute_url()))

    assert page_heading(page) == "Martijn van der Steen"
    assert header_lines(page) == ["decaan"]
    assert description_list(page)["ORCID"].links == [
        Link("0000-0002-1825-0097", "https://orcid.org/0000-0002-1825-0097")
    ]
    bio = paragraph(page, "Onderzoekt strategisch vakmanschap.")
    assert [strong.text for strong in bio.iter("strong")] == ["strategisch"]


@pytest.mark.django_db
def test_person_page_lists_exactly_their_published_publications(client, steen_network):
    page = parse(client.get(steen_network.get_absolute_url()))

    assert card_titles(section(page, "Publicaties")) == ["Geschreven door Van der Steen"]


@pytest.mark.django_db
def test_person_page_lists_each_published_learning_circle_once(client, steen_network):
    page = parse(client.get(steen_network.get_absolute_url()))

    assert sorted(card_titles(section(page, "Leerkringen"))) == [
        "Leerkring met Van der Steen",
        "Leerkring met twee rollen",
    ]


@pytest.mark.django_db
def test_person_page_links_only_published_organisations(client, steen_network):
    page = parse(client.get(steen_network.get_absolute_url()))

    assert "Verborgen instituut" not in page.text
    assert description_list(page)["Organisatie"].links == [
        Link(
            "Nederlandse School voor Openbaar Bestuur",
            "/netwerk/nederlandse-school-voor-openbaar-bestuur/",
        )
    ]


@pytest.mark.django_db
def test_person_page_without_published_connections_says_so(client):
    person = make_person("Anna", "Jansen")

    page = parse(client.get(person.get_absolute_url()))

    assert "Er is nog niets gepubliceerd waaraan deze persoon heeft bijgedragen." in text(page)


@pytest.mark.django_db
def test_publication_page_links_authors_to_their_person_pages(client):
    steen = make_person("Martijn", "Steen", particle="van der")
    nsob = make_organisation("NSOB")
    publication = make_publication("Een essay", authors=[steen], publisher=nsob)

    facts = description_list(client.get(publication.get_absolute_url()))

    assert facts["Auteur"].links == [
        Link("Martijn van der Steen", "/netwerk/personen/martijn-van-der-steen/")
    ]
    assert facts["Uitgever"].links == [Link("NSOB", "/netwerk/nsob/")]


@pytest.mark.django_db
def test_publication_page_does_not_link_unpublished_people_or_organisations(client):
    person = make_person("Carla", "Concept", status=Person.Status.DRAFT)
    organisation = make_organisation("Verborgen", status=Organisation.Status.DRAFT)
    publication = make_publication("Een essay", authors=[person], publisher=organisation)

    page = parse(client.get(publication.get_absolute_url()))

    facts = description_list(page)
    assert (facts["Auteur"].text, facts["Auteur"].links) == ("Carla Concept", [])
    assert (facts["Uitgever"].text, facts["Uitgever"].links) == ("Verborgen", [])
    hrefs = [link.href for link in links(page)]
    assert person.get_absolute_url() not in hrefs
    assert organisation.get_absolute_url() not in hrefs


# --- People list ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_person_list_sorts_by_family_name_without_particle(client):
    make_person("Zoë", "Zwart")
    make_person("Martijn", "Steen", particle="van der")
    make_person("Paul", "Hart", particle="'t")
    make_person("Bert", "Smit")
    make_person("Anna", "Aalders")
    make_person("Cor", "Visser")

    assert card_titles(client.get(PEOPLE)) == [
        "Anna Aalders",
        "Paul 't Hart",
        "Bert Smit",
        "Martijn van der Steen",
        "Cor Visser",
        "Zoë Zwart",
    ]


@pytest.mark.django_db
def test_person_card_shows_current_affiliations(client):
    nsob = make_organisation("Nederlandse School voor Openbaar Bestuur", short_name="NSOB")
    person = make_person("Martijn", "Steen", particle="van der", title="decaan")
    make_affiliation(person, nsob, role="decaan")
    make_affiliation(person, make_organisation("Oude werkgever"), is_current=False)

    [card] = cards(client.get(PEOPLE))

    assert card.lines == ["decaan", "NSOB (decaan)"]


@pytest.mark.django_db
def test_person_card_does_not_name_unpublished_organisations(client):
    person = make_person("Anna", "Jansen")
    make_affiliation(person, make_organisation("Geheim", status=Organisation.Status.DRAFT))

    assert "Geheim" not in parse(client.get(PEOPLE)).text


# --- Participation table and CSV ------------------------------------------------------------


@pytest.fixture
def participations(db):
    started = timezone.localdate() - timedelta(days=400)
    gemeente = make_organisation("Gemeente Émmen")
    vng = make_organisation("Vereniging van Nederlandse Gemeenten", short_name="VNG")
    hidden = make_organisation("Verborgen", status=Organisation.Status.DRAFT)
    first = make_learning_circle("Toezicht in de praktijk", lead=vng, start_date=started)
    make_participation(first, gemeente)
    make_participation(first, hidden)
    second = make_learning_circle("Ethiek; een dialoog", start_date=None)
    make_participation(second, gemeente, role=Participation.Role.PARTNER)
    concept = make_learning_circle("Concept", status=Organisation.Status.DRAFT)
    make_participation(concept, vng)
    return started


@pytest.mark.django_db
def test_participation_table_lists_published_participations_only(client, participations):
    page = parse(client.get(PARTICIPATION))

    assert table_rows(page) == [
        ["Gemeente Émmen", "Ethiek; een dialoog", "Leerkring", "Partner", ""],
        [
            "Gemeente Émmen",
            "Toezicht in de praktijk",
            "Leerkring",
            "Deelnemer",
            date_format(participations, "j F Y"),
        ],
        [
            "Vereniging van Nederlandse Gemeenten",
            "Toezicht in de praktijk",
            "Leerkring",
            "Trekker",
            date_format(participations, "j F Y"),
        ],
    ]


@pytest.mark.django_db
def test_participation_csv_parses_back_to_the_rows_of_the_table(client, participations):
    html_rows = table_rows(parse(client.get(PARTICIPATION)))
    response = client.get(PARTICIPATION_CSV)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")  # Excel needs the BOM to read é as é
    header, *rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))
    assert header == ["Organisatie", "Activiteit", "Soort", "Rol", "Datum", "Webadres"]
    as_shown = [
        [*row[:4], date_format(date.fromisoformat(row[4]), "j F Y") if row[4] else ""]
        for row in rows
    ]
    assert as_shown == html_rows
    assert rows[0][5] == "http://testserver/leerkringen/ethiek-een-dialoog/"


@pytest.mark.django_db
def test_participation_table_links_organisations_and_activities(client, participations):
    row_links = links(main(client.get(PARTICIPATION)).find("tbody"))

    assert Link("Gemeente Émmen", "/netwerk/gemeente-emmen/") in row_links
    assert Link("Toezicht in de praktijk", "/leerkringen/toezicht-in-de-praktijk/") in row_links


@pytest.mark.django_db
def test_participation_page_without_rows_says_so(client):
    page = parse(client.get(PARTICIPATION))

    assert "Er zijn nog geen deelnames vastgelegd." in text(page)
    assert page.find_all("table") == []


# --- Query counts -----------------------------------------------------------------------------


def connect_organisation(organisation: Organisation, start: int, count: int) -> None:
    """`count` of each connection an organisation page lists, each with its own extras."""
    for number in range(start, start + count):
        theme = make_theme(f"Thema org {number}")
        author = make_person("Anna", f"Auteur{number}", organisations=[organisation])
        make_publication(
            f"Uitgave {number}", publisher=organisation, authors=[author], themes=[theme]
        )
        make_publication(
            f"Opdracht {number}",
            publisher=make_organisation(f"Uitgever {number}"),
            commissioned_by=[organisation],
            themes=[theme],
        )
        make_learning_circle(
            f"Leerkring {number}",
            participants=[organisation],
            lead=make_organisation(f"Trekker {number}"),
            themes=[theme],
        )


def connect_person(person: Person, start: int, count: int) -> None:
    for number in range(start, start + count):
        theme = make_theme(f"Thema pers {number}")
        organisation = make_organisation(f"Werkgever {number}", themes=[theme])
        make_affiliation(person, organisation, position=number)
        make_publication(
            f"Essay {number}",
            authors=[person, make_person("Bert", f"Mede{number}")],
            publisher=organisation,
            themes=[theme],
        )
        make_learning_circle(
            f"Leerkring {number}", contacts=[person], lead=organisation, themes=[theme]
        )


@pytest.mark.django_db
def test_organisation_page_query_count_does_not_grow_with_connections(
    client, django_assert_max_num_queries
):
    organisation = make_organisation("Gemeente Utrecht", themes=[make_theme("Vakmanschap")])
    connect_organisation(organisation, 0, 1)
    with_one = count_queries(client, organisation.get_absolute_url())

    connect_organisation(organisation, 1, 29)
    with_thirty = count_queries(client, organisation.get_absolute_url())

    assert with_thirty == with_one
    # With one query per declared connection (wrote, spoke, were the contact, news items about
    # the organisation and about its people), the same for 1 or 30 connections.
    with django_assert_max_num_queries(16):
        page = parse(client.get(organisation.get_absolute_url()))
    assert len(card_titles(section(page, "Publicaties"))) == 24  # CONNECTION_LIMIT
    assert len(card_titles(section(page, "Leerkringen"))) == 24


@pytest.mark.django_db
def test_person_page_query_count_does_not_grow_with_connections(
    client, django_assert_max_num_queries
):
    person = make_person("Martijn", "Steen", particle="van der")
    connect_person(person, 0, 1)
    with_one = count_queries(client, person.get_absolute_url())

    connect_person(person, 1, 29)
    with_thirty = count_queries(client, person.get_absolute_url())

    assert with_thirty == with_one
    # One query per declared connection (news items about the person among them).
    with django_assert_max_num_queries(12):
        page = parse(client.get(person.get_absolute_url()))
    assert len(card_titles(section(page, "Publicaties"))) == 24
    assert len(description_list(page)["Organisatie"].links) == 30  # every organisation


@pytest.mark.django_db
@pytest.mark.parametrize("url", [ORGANISATIONS, PEOPLE, PARTICIPATION, PARTICIPATION_CSV])
def test_network_list_query_count_does_not_grow_with_rows(
    client, url, django_assert_max_num_queries
):
    connect_organisation(make_organisation("Gemeente Utrecht"), 0, 1)
    with_few = count_queries(client, url)

    for number in range(25):
        connect_person(make_person("Piet", f"Persoon{number}"), number * 2 + 100, 2)
    with_many = count_queries(client, url)

    assert with_many == with_few
    with django_assert_max_num_queries(8):
        client.get(url)
