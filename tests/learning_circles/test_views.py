from datetime import timedelta

import pytest
from django.utils import timezone

from learning_circles.models import Contact, LearningCircle, Participation, Phase
from network.models import Organisation, Person
from publications.models import Publication
from tests.factories import (
    make_contact,
    make_learning_circle,
    make_meeting,
    make_organisation,
    make_participation,
    make_person,
    make_publication,
    make_research_question,
    make_theme,
)
from tests.html import (
    Heading,
    Link,
    card_titles,
    cards,
    count_queries,
    description_list,
    find_link,
    header_lines,
    headings,
    links,
    list_items,
    notices,
    page_heading,
    parse,
    results_heading,
    section,
    section_headings,
)

CIRCLES = "/leerkringen/"
DAY = timedelta(days=1)


# --- Visibility -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_only_published_circles(client):
    make_learning_circle("Toezicht in de praktijk")
    make_learning_circle("Concept-leerkring", status=LearningCircle.Status.DRAFT)
    make_learning_circle("Ingeplande leerkring", published_at=timezone.now() + DAY)

    page = parse(client.get(CIRCLES))

    assert card_titles(page) == ["Toezicht in de praktijk"]
    assert results_heading(page) == "1 leerkring gevonden"


@pytest.mark.django_db
@pytest.mark.parametrize("moment", ["draft", "future"])
def test_unpublished_circle_and_its_join_form_are_404_for_visitors(client, moment):
    if moment == "draft":
        circle = make_learning_circle("Verborgen", status=LearningCircle.Status.DRAFT)
    else:
        circle = make_learning_circle("Verborgen", published_at=timezone.now() + DAY)

    assert client.get(circle.get_absolute_url()).status_code == 404
    assert client.get(f"{circle.get_absolute_url()}aanmelden/").status_code == 404
    assert client.get(f"{circle.get_absolute_url()}aanmelden/ontvangen/").status_code == 404


@pytest.mark.django_db
def test_editor_previews_a_draft_circle_with_a_concept_notice_and_no_join_button(editor_client):
    circle = make_learning_circle("Verborgen", status=LearningCircle.Status.DRAFT)

    page = parse(editor_client.get(circle.get_absolute_url()))

    [notice] = notices(page)
    assert notice.startswith("Concept — niet openbaar.")
    assert page_heading(page) == "Verborgen"
    assert "Meld belangstelling om mee te doen" not in page.text


@pytest.mark.django_db
def test_editor_previews_a_scheduled_circle(editor_client):
    circle = make_learning_circle("Straks", published_at=timezone.now() + 2 * DAY)

    page = parse(editor_client.get(circle.get_absolute_url()))

    [notice] = notices(page)
    assert notice.startswith("Concept — wordt openbaar op")


# --- Detail -----------------------------------------------------------------------------------


@pytest.fixture
def full_circle(db):
    started = timezone.localdate() - 200 * DAY
    utrecht = make_organisation("Gemeente Utrecht")
    circle = make_learning_circle(
        "Toezicht in de praktijk",
        summary="Inspecties en gemeenten leren samen toezicht houden.",
        description="## Aanpak\n\nWe komen **vier keer** per jaar bijeen.",
        start_date=started,
        lead=utrecht,
        themes=[make_theme("Toezicht")],
    )
    make_participation(circle, make_organisation("Gemeente Berkelland"))
    make_participation(circle, make_organisation("Verborgen", status=Organisation.Status.DRAFT))
    make_participation(circle, make_organisation("Inspectie JenV"), role=Participation.Role.PARTNER)
    make_research_question(circle, "Wat is goed toezicht?", position=1)
    make_research_question(circle, "Hoe leer je dat?", position=2)
    make_contact(circle, make_person("Anna", "Jansen"), role=Contact.Role.COORDINATOR)
    make_contact(circle, make_person("Carla", "Concept", status=Person.Status.DRAFT))
    make_meeting(circle, "Startbijeenkomst", starts_at=timezone.now() - 100 * DAY)
    make_meeting(
        circle,
        "Online sessie",
        starts_at=timezone.now() + 10 * DAY,
        location="",
        online_url="https://example.org/sessie",
    )
    make_meeting(circle, "Slotbijeenkomst", starts_at=timezone.now() + 100 * DAY)
    circle.outcome_publications.set(
        [
            make_publication("Essay over toezicht"),
            make_publication("Concept-essay", status=Publication.Status.DRAFT),
        ]
    )
    return circle


@pytest.mark.django_db
def test_detail_shows_phase_lead_period_and_themes(client, full_circle):
    page = parse(client.get(full_circle.get_absolute_url()))

    assert page_heading(page) == "Toezicht in de praktijk"
    assert header_lines(page) == ["Leerkring · Lopend"]
    facts = description_list(page)
    assert list(facts) == ["Trekker", "Looptijd", "Thema's"]
    assert facts["Trekker"].links == [Link("Gemeente Utrecht", "/netwerk/gemeente-utrecht/")]
    assert facts["Thema's"].links == [Link("Toezicht", "/themas/toezicht/")]
    assert facts["Looptijd"].links == []
    assert facts["Looptijd"].text.endswith(" – heden")


@pytest.mark.django_db
def test_detail_shows_questions_in_order_and_the_description(client, full_circle):
    page = parse(client.get(full_circle.get_absolute_url()))

    questions = section(page, "Vragen van de leerkring")
    assert list_items(questions) == ["Wat is goed toezicht?", "Hoe leer je dat?"]
    about = section(page, "Over de leerkring")
    assert headings(about) == [Heading(2, "Over de leerkring"), Heading(2, "Aanpak")]
    assert [strong.text for strong in about.iter("strong")] == ["vier keer"]


@pytest.mark.django_db
def test_detail_lists_published_participants_by_role(client, full_circle):
    page = parse(client.get(full_circle.get_absolute_url()))

    participants = section(page, "Wie doen er mee")
    organisations = participants.find_all("ul")[0]
    assert list_items(organisations) == [
        "Gemeente Utrecht — trekker",
        "Gemeente Berkelland — deelnemer",
        "Inspectie JenV — partner",
    ]
    assert "/netwerk/verborgen/" not in [link.href for link in links(participants)]


@pytest.mark.django_db
def test_detail_lists_only_published_contacts(client, full_circle):
    page = parse(client.get(full_circle.get_absolute_url()))

    participants = section(page, "Wie doen er mee")
    contacts = participants.find_all("ul")[1]
    assert list_items(contacts) == ["Anna Jansen — coördinator"]
    assert links(contacts) == [Link("Anna Jansen", "/netwerk/personen/anna-jansen/")]
    assert "Carla" not in page.text


@pytest.mark.django_db
def test_detail_does_not_name_unpublished_organisations(client, full_circle):
    assert "Verborgen" not in parse(client.get(full_circle.get_absolute_url())).text


@pytest.mark.django_db
def test_detail_splits_meetings_into_upcoming_and_past(client, full_circle):
    page = parse(client.get(full_circle.get_absolute_url()))

    meetings = section(page, "Bijeenkomsten")
    upcoming, past = meetings.find_all("ol")
    assert [li.find("strong").text for li in upcoming.iter("li")] == [
        "Online sessie",
        "Slotbijeenkomst",
    ]
    assert "online" in list_items(upcoming)[0]
    assert [li.find("strong").text for li in past.iter("li")] == ["Startbijeenkomst"]
    assert "(geweest)" in past.text


@pytest.mark.django_db
def test_detail_lists_only_published_outcomes(client, full_circle):
    page = parse(client.get(full_circle.get_absolute_url()))

    assert card_titles(section(page, "Opbrengsten")) == ["Essay over toezicht"]


@pytest.mark.django_db
def test_detail_of_an_open_circle_offers_the_join_form(client, full_circle):
    page = parse(client.get(full_circle.get_absolute_url()))

    join = find_link(page, text="Meld belangstelling om mee te doen")
    assert join.get("href") == "/leerkringen/toezicht-in-de-praktijk/aanmelden/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"accepts_join_requests": False},
        {"phase_override": Phase.FINISHED},
        {"end_date": timezone.localdate() - DAY, "start_date": timezone.localdate() - 100 * DAY},
    ],
    ids=["closed", "finished-by-editor", "finished"],
)
def test_detail_of_a_closed_circle_offers_no_join_form(client, fields):
    circle = make_learning_circle("Dicht", **fields)

    assert (
        "Meld belangstelling om mee te doen"
        not in parse(client.get(circle.get_absolute_url())).text
    )


@pytest.mark.django_db
def test_detail_of_a_bare_circle_shows_no_empty_sections(client):
    circle = make_learning_circle("Kaal", start_date=None)

    page = parse(client.get(circle.get_absolute_url()))

    assert header_lines(page) == ["Leerkring · In voorbereiding"]
    assert section_headings(page) == []


# --- List -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_card_shows_phase_start_lead_and_themes(client):
    make_learning_circle(
        "Toezicht in de praktijk",
        start_date=timezone.localdate().replace(day=1) - 31 * DAY,
        lead=make_organisation("Vereniging van Nederlandse Gemeenten", short_name="VNG"),
        themes=[make_theme("Toezicht")],
    )

    [card] = cards(client.get(CIRCLES))

    kind, lead, _summary = card.lines
    assert kind.startswith("Leerkring · Lopend · sinds ")
    assert lead == "Trekker: VNG"
    assert (card.title, card.href) == (
        "Toezicht in de praktijk",
        "/leerkringen/toezicht-in-de-praktijk/",
    )
    assert card.links == [Link("Toezicht", "/themas/toezicht/")]


@pytest.mark.django_db
def test_list_orders_newest_start_first(client):
    make_learning_circle("Oud", start_date=timezone.localdate() - 400 * DAY)
    make_learning_circle("Nieuw", start_date=timezone.localdate() - DAY)
    make_learning_circle("Midden", start_date=timezone.localdate() - 100 * DAY)

    assert card_titles(client.get(CIRCLES)) == ["Nieuw", "Midden", "Oud"]


@pytest.mark.django_db
def test_list_paginates_twenty_circles_a_page(client):
    for number in range(25):
        make_learning_circle(
            f"Leerkring {number:02d}", start_date=timezone.localdate() - number * DAY
        )

    first = card_titles(client.get(CIRCLES))
    second = card_titles(client.get(CIRCLES, {"page": 2}))

    assert len(first) == 20
    assert len(second) == 5
    assert sorted(first + second) == [f"Leerkring {number:02d}" for number in range(25)]


# --- Query counts -----------------------------------------------------------------------------


def connect_circle(circle: LearningCircle, start: int, count: int) -> None:
    """`count` of every kind of thing a circle page lists."""
    for number in range(start, start + count):
        theme = make_theme(f"Thema {number}")
        make_participation(circle, make_organisation(f"Deelnemer {number}", themes=[theme]))
        make_contact(circle, make_person("Anna", f"Contact{number}"), position=number)
        make_research_question(circle, f"Vraag {number}?", position=number)
        make_meeting(
            circle, f"Bijeenkomst {number}", starts_at=timezone.now() + (number - 15) * DAY
        )
        circle.outcome_publications.add(
            make_publication(
                f"Opbrengst {number}",
                authors=[make_person("Bert", f"Auteur{number}")],
                publisher=make_organisation(f"Uitgever {number}"),
                themes=[theme],
            )
        )
        circle.themes.add(theme)


@pytest.mark.django_db
def test_detail_query_count_does_not_grow_with_connections(client, django_assert_max_num_queries):
    circle = make_learning_circle("Toezicht", lead=make_organisation("Trekker"))
    connect_circle(circle, 0, 1)
    with_one = count_queries(client, circle.get_absolute_url())

    connect_circle(circle, 1, 29)
    with_thirty = count_queries(client, circle.get_absolute_url())

    assert with_thirty == with_one
    with django_assert_max_num_queries(11):
        page = parse(client.get(circle.get_absolute_url()))
    assert len(card_titles(section(page, "Opbrengsten"))) == 30
    assert len(list_items(section(page, "Vragen van de leerkring"))) == 30


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_circles(client, django_assert_max_num_queries):
    url = f"{CIRCLES}?fase=lopend&thema=thema-0"
    theme = make_theme("Thema 0")
    make_learning_circle("Eerste", themes=[theme], lead=make_organisation("Trekker 0"))
    with_one = count_queries(client, url)

    for number in range(1, 30):
        make_learning_circle(
            f"Leerkring {number}",
            themes=[theme, make_theme(f"Bijthema {number}")],
            lead=make_organisation(f"Trekker {number}"),
            participants=[make_organisation(f"Deelnemer {number}")],
        )

    assert count_queries(client, url) == with_one
    with django_assert_max_num_queries(9):
        assert len(card_titles(client.get(url))) == 20
