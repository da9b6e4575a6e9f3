import re
from io import BytesIO

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from ikpob_portal.kernel.editors import ACTIONS, EDITOR_GROUP
from network.models import Affiliation, Organisation, Person
from tests.factories import make_affiliation, make_organisation, make_person

ADMIN = f"/{settings.ADMIN_URL}"
ORGANISATIONS = f"{ADMIN}network/organisation/"
PEOPLE = f"{ADMIN}network/person/"


def changelist_names(response, field: str) -> list[str]:
    assert response.status_code == 200
    return re.findall(
        rf'<th class="field-{field}"><a [^>]*>(.*?)</a></th>', response.content.decode()
    )


def form_errors(response) -> dict:
    return {
        name: list(errors) for name, errors in response.context["adminform"].form.errors.items()
    }


def new_organisation_data(**overrides) -> dict:
    data = {
        "name": "Gemeente Berkelland",
        "short_name": "",
        "slug": "gemeente-berkelland",
        "kind": Organisation.Kind.GEMEENTE,
        "website": "",
        "description": "",
        "logo_alt": "",
        "tooi_uri": "",
        "ror_id": "",
        "status": Organisation.Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "_save": "Opslaan",
    }
    data.update(overrides)
    return data


def new_person_data(**overrides) -> dict:
    data = {
        "given_name": "Martijn",
        "particle": "van der",
        "family_name": "Steen",
        "slug": "martijn-van-der-steen",
        "title": "",
        "bio": "",
        "orcid": "",
        "status": Person.Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "affiliations-TOTAL_FORMS": "0",
        "affiliations-INITIAL_FORMS": "0",
        "affiliations-MIN_NUM_FORMS": "0",
        "affiliations-MAX_NUM_FORMS": "1000",
        "_save": "Opslaan",
    }
    data.update(overrides)
    return data


def png() -> SimpleUploadedFile:
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


# --- Permissions ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["organisation", "person", "affiliation"])
def test_editor_group_may_manage_network_models(model):
    group = Group.objects.get(name=EDITOR_GROUP)

    codenames = set(
        group.permissions.filter(content_type__app_label="network").values_list(
            "codename", flat=True
        )
    )

    assert {f"{action}_{model}" for action in ACTIONS} <= codenames


# --- Organisations ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_organisation_changelist_opens_for_editor_with_drafts(editor_client):
    make_organisation("Gemeente Utrecht")
    make_organisation("Concept-organisatie", status=Organisation.Status.DRAFT)

    names = changelist_names(editor_client.get(ORGANISATIONS), "name")

    assert names == ["Concept-organisatie", "Gemeente Utrecht"]


@pytest.mark.django_db
@pytest.mark.parametrize("term", ["utrecht", "VNG", "achterhoek"])
def test_organisation_search_finds_by_name_short_name_and_description(editor_client, term):
    make_organisation("Gemeente Utrecht")
    make_organisation("Vereniging van Nederlandse Gemeenten", short_name="VNG")
    make_organisation("Gemeente Berkelland", description="In de Achterhoek.")

    names = changelist_names(editor_client.get(ORGANISATIONS, {"q": term}), "name")

    assert len(names) == 1


@pytest.mark.django_db
def test_organisation_changelist_filters_on_relation(editor_client):
    make_organisation("Fonds", is_funder=True)
    make_organisation("Partner", is_partner=True)

    names = changelist_names(editor_client.get(ORGANISATIONS, {"relatie": "financier"}), "name")

    assert names == ["Fonds"]


@pytest.mark.django_db
def test_organisation_add_form_opens(editor_client):
    response = editor_client.get(f"{ORGANISATIONS}add/")

    assert response.status_code == 200
    html = response.content.decode()
    for name in ("name", "slug", "kind", "logo", "logo_alt", "is_partner", "tooi_uri", "ror_id"):
        assert f'name="{name}"' in html
    assert 'name="themes"' in html


@pytest.mark.django_db
def test_organisation_add_saves_a_draft(editor_client):
    response = editor_client.post(
        f"{ORGANISATIONS}add/",
        new_organisation_data(
            tooi_uri="https://identifier.overheid.nl/tooi/id/gemeente/gm1859",
            is_client="on",
        ),
    )

    assert response.status_code == 302, form_errors(response)
    organisation = Organisation.objects.get(slug="gemeente-berkelland")
    assert organisation.status == Organisation.Status.DRAFT
    assert organisation.is_client
    assert not organisation.is_published


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["personen", "deelname"])
def test_organisation_add_refuses_a_reserved_slug(editor_client, slug):
    response = editor_client.post(f"{ORGANISATIONS}add/", new_organisation_data(slug=slug))

    assert response.status_code == 200
    assert form_errors(response) == {
        "slug": ["Deze slug is gereserveerd voor een vaste pagina; kies een andere."]
    }
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_organisation_add_refuses_tooi_on_an_association(editor_client):
    response = editor_client.post(
        f"{ORGANISATIONS}add/",
        new_organisation_data(
            kind=Organisation.Kind.VERENIGING,
            tooi_uri="https://identifier.overheid.nl/tooi/id/gemeente/gm1859",
        ),
    )

    assert "tooi_uri" in form_errors(response)
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_organisation_add_refuses_a_logo_without_alt_text(editor_client):
    response = editor_client.post(f"{ORGANISATIONS}add/", new_organisation_data(logo=png()))

    assert form_errors(response) == {
        "logo_alt": ["Een logo heeft een alternatieve tekst nodig, bijvoorbeeld 'Logo van de VNG'."]
    }


@pytest.mark.django_db
def test_organisation_add_stores_a_logo_with_alt_text(editor_client):
    response = editor_client.post(
        f"{ORGANISATIONS}add/",
        new_organisation_data(logo=png(), logo_alt="Logo van de gemeente Berkelland"),
    )

    assert response.status_code == 302, form_errors(response)
    organisation = Organisation.objects.get()
    assert organisation.logo.name.startswith("logos/")


@pytest.mark.django_db
def test_organisation_publish_action_publishes_drafts(editor_client):
    draft = make_organisation("Concept", status=Organisation.Status.DRAFT)

    editor_client.post(
        ORGANISATIONS, {"action": "publish", "_selected_action": [draft.pk], "index": 0}
    )

    draft.refresh_from_db()
    assert draft.is_published


# --- People -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_person_changelist_shows_sort_names_with_drafts(editor_client):
    make_person("Zoë", "Zwart")
    make_person("Martijn", "Steen", particle="van der", status=Person.Status.DRAFT)

    response = editor_client.get(PEOPLE)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Steen, Martijn van der") < html.index("Zwart, Zoë")


@pytest.mark.django_db
@pytest.mark.parametrize("term", ["steen", "decaan", "0000-0002-1825-0097"])
def test_person_search_finds_by_name_title_and_orcid(editor_client, term):
    make_person("Martijn", "Steen", particle="van der", title="decaan", orcid="0000-0002-1825-0097")
    make_person("Anna", "Jansen")

    response = editor_client.get(PEOPLE, {"q": term})

    assert response.status_code == 200
    assert "Steen, Martijn van der" in response.content.decode()
    assert "Jansen, Anna" not in response.content.decode()


@pytest.mark.django_db
def test_person_add_form_has_the_affiliations_inline(editor_client):
    response = editor_client.get(f"{PEOPLE}add/")

    assert response.status_code == 200
    assert 'name="affiliations-TOTAL_FORMS"' in response.content.decode()


@pytest.mark.django_db
def test_person_add_saves_affiliations(editor_client):
    nsob = make_organisation("NSOB")

    response = editor_client.post(
        f"{PEOPLE}add/",
        new_person_data(
            orcid="https://orcid.org/0000-0002-1825-0097",
            **{
                "affiliations-TOTAL_FORMS": "1",
                "affiliations-0-organisation": str(nsob.pk),
                "affiliations-0-role": "decaan",
                "affiliations-0-is_current": "on",
                "affiliations-0-position": "0",
            },
        ),
    )

    assert response.status_code == 302, form_errors(response)
    person = Person.objects.get()
    assert person.orcid == "0000-0002-1825-0097"
    assert [str(a) for a in Affiliation.objects.all()] == ["Martijn van der Steen — NSOB (decaan)"]


@pytest.mark.django_db
def test_person_add_refuses_an_invalid_orcid(editor_client):
    response = editor_client.post(f"{PEOPLE}add/", new_person_data(orcid="0000-0002-1825-0098"))

    assert list(form_errors(response)) == ["orcid"]
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_person_change_form_opens_with_affiliations(editor_client):
    person = make_person("Anna", "Jansen")
    make_affiliation(person, make_organisation("NSOB"), role="onderzoeker")

    response = editor_client.get(f"{PEOPLE}{person.pk}/change/")

    assert response.status_code == 200
    assert 'value="onderzoeker"' in response.content.decode()


# --- Autocomplete -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_affiliation_organisation_autocomplete_finds_organisations(editor_client):
    nsob = make_organisation("Nederlandse School voor Openbaar Bestuur", short_name="NSOB")
    make_organisation("Gemeente Utrecht")
    draft = make_organisation("Nieuwe school", status=Organisation.Status.DRAFT)

    response = editor_client.get(
        f"{ADMIN}autocomplete/",
        {
            "app_label": "network",
            "model_name": "affiliation",
            "field_name": "organisation",
            "term": "school",
        },
    )

    assert response.status_code == 200
    assert response.json()["results"] == [
        {"id": str(nsob.pk), "text": "Nederlandse School voor Openbaar Bestuur (NSOB)"},
        {"id": str(draft.pk), "text": "Nieuwe school"},  # editors link drafts too
    ]
