"""What editors do in the admin reaches the site search: inlines are indexed, misses are listed."""

import pytest

from publications.models import Publication
from tests.factories import make_person, make_publication
from tests.html import card_titles, changelist
from tests.ikpob_portal.test_admin import ADMIN, PUBLICATIONS, new_publication_data

ZERO_RESULTS = f"{ADMIN}ikpob_portal/zeroresultsearch/"


def authorship_rows(*people) -> dict:
    data = {
        "authorships-TOTAL_FORMS": str(len(people)),
        "authorships-INITIAL_FORMS": "0",
    }
    for position, person in enumerate(people):
        data[f"authorships-{position}-person"] = str(person.pk)
        data[f"authorships-{position}-position"] = str(position)
    return data


@pytest.mark.django_db
def test_admin_author_added_inline_finds_the_publication_by_name(editor_client, client):
    pieterse = make_person("Joke", "Pieterse", status=Publication.Status.DRAFT)  # not shown

    response = editor_client.post(
        f"{PUBLICATIONS}add/",
        new_publication_data(status=Publication.Status.PUBLISHED, **authorship_rows(pieterse)),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert card_titles(client.get("/zoeken/", {"q": "pieterse"})) == [
        "Vakmanschap in de uitvoering"
    ]


@pytest.mark.django_db
def test_admin_author_removed_inline_no_longer_finds_the_publication(editor_client, client):
    pieterse, bakker = make_person("Joke", "Pieterse"), make_person("Bert", "Bakker")
    publication = make_publication("Vakmanschap in de uitvoering", authors=[pieterse])
    authorship = publication.authorships.get()
    data = new_publication_data(
        slug=publication.slug,
        status=Publication.Status.PUBLISHED,
        published_at_0=publication.published_at.strftime("%Y-%m-%d"),
        published_at_1=publication.published_at.strftime("%H:%M:%S"),
        **{
            "authorships-TOTAL_FORMS": "2",
            "authorships-INITIAL_FORMS": "1",
            "authorships-0-id": str(authorship.pk),
            "authorships-0-publication": str(publication.pk),
            "authorships-0-person": str(pieterse.pk),
            "authorships-0-position": "0",
            "authorships-0-DELETE": "on",
            "authorships-1-publication": str(publication.pk),
            "authorships-1-person": str(bakker.pk),
            "authorships-1-position": "1",
        },
    )

    response = editor_client.post(f"{PUBLICATIONS}{publication.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert card_titles(client.get("/zoeken/", {"q": "bakker"})) == [
        "Bert Bakker",
        "Vakmanschap in de uitvoering",
    ]
    assert card_titles(client.get("/zoeken/", {"q": "pieterse"})) == ["Joke Pieterse"]


@pytest.mark.django_db
def test_admin_zero_result_searches_are_listed_for_editors(editor_client, client):
    client.get("/zoeken/", {"q": "Onvindbaar"})
    client.get("/zoeken/", {"q": "onvindbaar "})

    response = editor_client.get(ZERO_RESULTS)

    assert changelist(response, "query", "count") == [("onvindbaar", "2")]
