from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from network.models import RESERVED_SLUGS, Affiliation, Organisation, Person
from tests.factories import make_affiliation, make_organisation, make_person

ORCID_MESSAGE = (
    "Dit is geen geldig ORCID iD. Het bestaat uit vier groepen van vier cijfers, "
    "bijvoorbeeld 0000-0002-1825-0097; controleer ook het laatste teken."
)
TOOI_MESSAGE = (
    "Dit is geen TOOI-identificatie. Gebruik de volledige URI, bijvoorbeeld "
    "https://identifier.overheid.nl/tooi/id/gemeente/gm1859."
)
TOOI_KIND_MESSAGE = (
    "Een TOOI-identificatie hoort alleen bij een overheidsorganisatie (gemeente, "
    "provincie, waterschap, ministerie of inspectie)."
)
ROR_MESSAGE = (
    "Dit is geen geldige ROR-identificatie. Gebruik de vorm https://ror.org/ gevolgd "
    "door negen tekens, bijvoorbeeld https://ror.org/04b8v1s79."
)
GEMEENTE_HELMOND = "https://identifier.overheid.nl/tooi/id/gemeente/gm1859"


def errors_of(instance) -> dict[str, list[str]]:
    """What the admin would show an editor for this instance, per field."""
    try:
        instance.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


def new_person(**fields) -> Person:
    fields.setdefault("given_name", "Anna")
    fields.setdefault("family_name", "Jansen")
    fields.setdefault("slug", "anna-jansen")
    return Person(**fields)


def new_organisation(**fields) -> Organisation:
    fields.setdefault("name", "Gemeente Berkelland")
    fields.setdefault("slug", "gemeente-berkelland")
    return Organisation(**fields)


# --- ORCID ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("orcid", ["0000-0002-1825-0097", "0000-0002-1694-233X"])
def test_orcid_with_a_valid_check_digit_is_accepted(orcid):
    person = new_person(orcid=orcid)

    assert errors_of(person) == {}
    assert person.orcid_url == f"https://orcid.org/{orcid}"


@pytest.mark.django_db
def test_orcid_given_as_url_is_stored_as_the_bare_id():
    person = new_person(orcid="https://orcid.org/0000-0002-1825-0097")

    assert errors_of(person) == {}
    assert person.orcid == "0000-0002-1825-0097"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "orcid",
    [
        "0000-0002-1825-0098",  # wrong check digit
        "0000-0002-1694-2331",  # X expected
        "0000-0002-1825",
        "0000000218250097",
        "https://orcid.org/0000-0002-1825-0098",
    ],
)
def test_orcid_with_wrong_checksum_or_form_is_rejected_in_dutch(orcid):
    assert errors_of(new_person(orcid=orcid)) == {"orcid": [ORCID_MESSAGE]}


# --- TOOI -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_tooi_uri_of_a_municipality_is_accepted():
    organisation = new_organisation(kind=Organisation.Kind.GEMEENTE, tooi_uri=GEMEENTE_HELMOND)

    assert errors_of(organisation) == {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tooi_uri",
    [
        "gm1859",
        "http://identifier.overheid.nl/tooi/id/gemeente/gm1859",
        "https://identifier.overheid.nl/tooi/id/gemeente/",
        "https://identifier.overheid.nl/tooi/id/gemeente/gm1859/extra",
        "https://example.org/tooi/id/gemeente/gm1859",
    ],
)
def test_tooi_uri_in_another_form_is_rejected_in_dutch(tooi_uri):
    organisation = new_organisation(kind=Organisation.Kind.GEMEENTE, tooi_uri=tooi_uri)

    assert errors_of(organisation) == {"tooi_uri": [TOOI_MESSAGE]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind", [Organisation.Kind.VERENIGING, Organisation.Kind.UNIVERSITEIT, Organisation.Kind.OVERIG]
)
def test_tooi_uri_on_a_non_government_organisation_is_rejected(kind):
    organisation = new_organisation(kind=kind, tooi_uri=GEMEENTE_HELMOND)

    assert errors_of(organisation) == {"tooi_uri": [TOOI_KIND_MESSAGE]}


# --- ROR --------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ror_id", "stored"),
    [
        ("https://ror.org/05dxps055", "https://ror.org/05dxps055"),
        ("04b8v1s79", "https://ror.org/04b8v1s79"),
        ("https://ror.org/04B8V1S79", "https://ror.org/04b8v1s79"),
    ],
)
def test_ror_id_with_a_valid_checksum_is_accepted_and_stored_as_url(ror_id, stored):
    organisation = new_organisation(kind=Organisation.Kind.UNIVERSITEIT, ror_id=ror_id)

    assert errors_of(organisation) == {}
    assert organisation.ror_id == stored


@pytest.mark.django_db
@pytest.mark.parametrize(
    "ror_id",
    [
        "https://ror.org/05dxps056",  # wrong checksum
        "04b8v1s78",  # wrong checksum
        "14b8v1s79",  # does not start with 0
        "http://ror.org/04b8v1s79",
        "04b8v1s7",
    ],
)
def test_ror_id_with_wrong_checksum_or_form_is_rejected_in_dutch(ror_id):
    organisation = new_organisation(kind=Organisation.Kind.UNIVERSITEIT, ror_id=ror_id)

    assert errors_of(organisation) == {"ror_id": [ROR_MESSAGE]}


# --- Logo -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("alt", ["", "   "])
def test_logo_without_alt_text_is_rejected_by_full_clean(alt):
    organisation = new_organisation(logo="logos/berkelland.png", logo_alt=alt)

    assert errors_of(organisation) == {
        "logo_alt": ["Een logo heeft een alternatieve tekst nodig, bijvoorbeeld 'Logo van de VNG'."]
    }


@pytest.mark.django_db
def test_logo_with_alt_text_is_accepted():
    organisation = new_organisation(
        logo="logos/berkelland.png", logo_alt="Logo van de gemeente Berkelland"
    )

    assert errors_of(organisation) == {}


@pytest.mark.django_db
def test_database_refuses_a_logo_without_alt_text():
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(
            name="Gemeente Berkelland", slug="gemeente-berkelland", logo="logos/b.png"
        )


@pytest.mark.django_db
def test_logo_check_constraint_has_a_dutch_message():
    constraint = next(
        c for c in Organisation._meta.constraints if c.name == "organisation_logo_has_alt_text"
    )

    with pytest.raises(ValidationError) as raised:
        constraint.validate(Organisation, new_organisation(logo="logos/b.png"))

    assert raised.value.messages == ["Geef het logo een alternatieve tekst."]


# --- Slugs ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["personen", "deelname"])
def test_reserved_slug_is_rejected_for_an_organisation(slug):
    organisation = new_organisation(name=slug.title(), slug=slug)

    assert errors_of(organisation) == {
        "slug": ["Deze slug is gereserveerd voor een vaste pagina; kies een andere."]
    }


def test_reserved_slugs_cover_every_fixed_network_path():
    from network.urls import urlpatterns

    fixed = {str(pattern.pattern).split("/")[0] for pattern in urlpatterns} - {"", "<slug:slug>"}

    assert fixed <= RESERVED_SLUGS


@pytest.mark.django_db
def test_organisation_slug_is_unique():
    make_organisation("Gemeente Berkelland")

    assert "slug" in errors_of(new_organisation(name="Andere naam"))


# --- Names and sorting ------------------------------------------------------------------------


@pytest.mark.django_db
def test_people_sort_by_family_name_with_the_particle_behind_the_given_name():
    make_person("Zoë", "Zwart")
    make_person("Martijn", "Steen", particle="van der")
    make_person("Bert", "Smit")
    make_person("Anna", "Aalders")
    make_person("Paul", "Hart", particle="'t")
    make_person("Cor", "Visser")

    assert [person.sort_name for person in Person.objects.all()] == [
        "Aalders, Anna",
        "Hart, Paul 't",
        "Smit, Bert",
        "Steen, Martijn van der",
        "Visser, Cor",
        "Zwart, Zoë",
    ]


@pytest.mark.parametrize(
    ("given_name", "particle", "family_name", "full_name", "sort_name", "initials"),
    [
        ("Martijn", "van der", "Steen", "Martijn van der Steen", "Steen, Martijn van der", "M."),
        ("Anne-Marie", "", "Jansen", "Anne-Marie Jansen", "Jansen, Anne-Marie", "A.-M."),
        ("Rob Jan", "", "Bakker", "Rob Jan Bakker", "Bakker, Rob Jan", "R. J."),
        ("", "de", "Vries", "de Vries", "Vries, de", ""),
        ("", "", "Hendriks", "Hendriks", "Hendriks", ""),
    ],
)
def test_person_names_for_display_and_sorting(
    given_name, particle, family_name, full_name, sort_name, initials
):
    person = Person(given_name=given_name, particle=particle, family_name=family_name)

    assert str(person) == full_name
    assert person.sort_name == sort_name
    assert person.initials == initials


def test_organisation_names_and_relations():
    vng = Organisation(
        name="Vereniging van Nederlandse Gemeenten",
        short_name="VNG",
        kind=Organisation.Kind.VERENIGING,
        is_partner=True,
        is_knowledge_partner=True,
    )

    assert str(vng) == "Vereniging van Nederlandse Gemeenten (VNG)"
    assert vng.display_name == "VNG"
    assert [str(label) for label in vng.relation_labels] == ["Partner", "Kennispartner"]
    assert not vng.is_government
    assert Organisation(kind=Organisation.Kind.INSPECTIE).is_government


# --- Publishing -------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Organisation, Person])
def test_network_models_are_drafts_until_published(model):
    assert model().status == model.Status.DRAFT


@pytest.mark.django_db
def test_published_excludes_drafts_and_scheduled_items():
    make_organisation("Openbaar")
    make_organisation("Concept", status=Organisation.Status.DRAFT)
    make_organisation("Ingepland", published_at=timezone.now() + timedelta(hours=1))
    make_person("Anna", "Openbaar")
    make_person("Carla", "Concept", status=Person.Status.DRAFT)

    assert [o.name for o in Organisation.objects.published()] == ["Openbaar"]
    assert [p.family_name for p in Person.objects.published()] == ["Openbaar"]


@pytest.mark.django_db
def test_publishing_without_a_moment_means_now():
    organisation = make_organisation("Nu", published_at=None)

    assert organisation.published_at is not None
    assert organisation.is_published


# --- Affiliations -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_current_affiliations_leave_out_former_ones():
    person = make_person("Anna", "Jansen")
    nsob = make_organisation("NSOB")
    make_affiliation(person, make_organisation("Oud"), is_current=False, position=0)
    make_affiliation(person, nsob, role="onderzoeker", position=1)

    assert [str(a) for a in person.current_affiliations] == ["Anna Jansen — NSOB (onderzoeker)"]


@pytest.mark.django_db
def test_the_same_role_at_the_same_organisation_is_stored_once():
    person = make_person("Anna", "Jansen")
    nsob = make_organisation("NSOB")
    make_affiliation(person, nsob, role="onderzoeker")
    make_affiliation(person, nsob, role="docent")

    with pytest.raises(IntegrityError), transaction.atomic():
        make_affiliation(person, nsob, role="onderzoeker")
    assert Affiliation.objects.count() == 2


@pytest.mark.django_db
def test_an_organisation_with_people_cannot_be_deleted():
    from django.db.models import ProtectedError

    nsob = make_organisation("NSOB")
    make_affiliation(make_person("Anna", "Jansen"), nsob)

    with pytest.raises(ProtectedError):
        nsob.delete()
