import re
from io import StringIO

import pytest
from django.core.management import call_command

from ikpob_portal.kernel.models import Theme, ThemedItem
from network.models import Affiliation, Organisation, Person
from publications.demo import ORGANISATIONS, PERSONS, PUBLICATIONS, THEMES
from publications.models import Authorship, Publication
from publications.pdf import build_pdf


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def load_demo() -> str:
    out = StringIO()
    call_command("loaddemo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "themes": Theme.objects.count(),
        "organisations": Organisation.objects.count(),
        "persons": Person.objects.count(),
        "affiliations": sorted(Affiliation.objects.values_list("pk", "person__slug", "role")),
        "publications": Publication.objects.count(),
        "authorships": Authorship.objects.count(),
        "themed_items": ThemedItem.objects.count(),
        "related": Publication.related_publications.through.objects.count(),
        "commissioned": Publication.commissioned_by.through.objects.count(),
        "pdfs": sorted(Publication.objects.exclude(pdf="").values_list("slug", "pdf")),
        "updated": sorted(Publication.objects.values_list("slug", "updated")),
        "organisations_updated": sorted(Organisation.objects.values_list("slug", "updated")),
        "persons_updated": sorted(Person.objects.values_list("slug", "updated")),
    }


def assert_valid_pdf(data: bytes) -> None:
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data).group(1))
    assert data[startxref : startxref + 4] == b"xref"
    # Every object sits at the byte offset the cross-reference table gives for it.
    header = re.match(rb"xref\n0 (\d+)\n", data[startxref:])
    size = int(header.group(1))
    table = data[startxref + header.end() :]
    for number in range(1, size):
        offset = int(table[number * 20 : number * 20 + 10])
        assert data[offset:].startswith(b"%d 0 obj" % number)
    # Every stream is exactly as long as its /Length says.
    for match in re.finditer(rb"/Length (\d+) >>\nstream\n", data):
        end = match.end() + int(match.group(1))
        assert data[end : end + 10] == b"\nendstream"


@pytest.mark.django_db
def test_loaddemo_second_run_changes_nothing():
    first_output = load_demo()
    first = snapshot()

    second_output = load_demo()

    assert snapshot() == first
    assert first["themes"] == len(THEMES)
    assert first["publications"] == len(PUBLICATIONS)
    assert "10 nieuw" in first_output
    assert "Publicaties:     0 nieuw, 0 bijgewerkt" in second_output
    assert "Organisaties:    0 nieuw, 0 bijgewerkt" in second_output
    assert "Verbindingen:    0 nieuw, 0 bijgewerkt" in second_output
    assert "0 geschreven" in second_output


@pytest.mark.django_db
def test_loaddemo_leren_van_doen_has_its_authors_in_order():
    load_demo()

    essay = Publication.objects.get(slug="leren-van-doen")

    assert [person.full_name for person in essay.ordered_authors] == [
        "Martijn van der Steen",
        "Myrthe van Delden",
        "Petra Ophoff",
    ]
    assert essay.full_title == "Leren van doen: Ervaringen met samenwerken in het IBP"
    assert essay.publisher.short_name == "NSOB"
    assert "Sturen in netwerken" in [theme.name for theme in essay.theme_list]
    assert "webinar-leren-van-doen" in essay.related_publications.values_list("slug", flat=True)


@pytest.mark.django_db
def test_loaddemo_webinar_is_a_video_dated_to_the_day():
    load_demo()

    webinar = Publication.objects.get(slug="webinar-leren-van-doen")

    assert webinar.kind == Publication.Kind.VIDEO
    assert webinar.date_display == "22 september 2020"
    assert not webinar.has_download


@pytest.mark.django_db
def test_loaddemo_published_downloads_are_pdf_files():
    load_demo()

    with_pdf = Publication.objects.published().exclude(pdf="")

    assert with_pdf.count() >= 10
    for publication in with_pdf:
        with publication.pdf.open("rb") as handle:
            data = handle.read()
        assert data.startswith(b"%PDF-"), publication.slug
        assert publication.pdf_size == len(data)


@pytest.mark.django_db
def test_loaddemo_rewrites_a_missing_pdf_file():
    load_demo()
    booklet = Publication.objects.get(slug="kritische-beroepssituaties")
    booklet.pdf.storage.delete(booklet.pdf.name)

    output = load_demo()

    booklet.refresh_from_db()
    assert booklet.pdf.storage.exists(booklet.pdf.name)
    assert "1 geschreven" in output


@pytest.mark.django_db
def test_loaddemo_draft_is_not_public():
    load_demo()

    drafts = Publication.objects.filter(status=Publication.Status.DRAFT)

    assert drafts.count() == 1
    assert not drafts.filter(pk__in=Publication.objects.published()).exists()
    assert Publication.objects.published().count() == len(PUBLICATIONS) - 1


@pytest.mark.django_db
def test_loaddemo_every_organisation_and_person_has_a_public_page(client):
    load_demo()

    assert Organisation.objects.published().count() == len(ORGANISATIONS)
    assert Person.objects.published().count() == len(PERSONS)
    for item in [*Organisation.objects.all(), *Person.objects.all()]:
        assert client.get(item.get_absolute_url()).status_code == 200, item.slug


@pytest.mark.django_db
def test_loaddemo_organisations_describe_their_relation_to_the_foundation():
    load_demo()

    assert not Organisation.objects.filter(description="").exists()
    assert Organisation.objects.get(slug="nsob").relation_labels == ["Kennispartner"]
    assert Organisation.objects.get(slug="vgs").relation_labels == ["Partner", "Opdrachtgever"]
    assert Organisation.objects.get(slug="bzk").is_partner
    # Only identifiers we are sure of: two TOOI URIs, no guessed ROR ids or websites.
    assert dict(Organisation.objects.exclude(tooi_uri="").values_list("slug", "tooi_uri")) == {
        "gemeente-berkelland": "https://identifier.overheid.nl/tooi/id/gemeente/gm1859",
        "provincie-fryslan": "https://identifier.overheid.nl/tooi/id/provincie/pv21",
    }
    assert not Organisation.objects.exclude(ror_id="").exists()
    assert not Organisation.objects.exclude(website="").exists()


@pytest.mark.django_db
def test_loaddemo_people_show_their_function_and_organisation():
    load_demo()

    neut = Person.objects.for_cards().get(slug="maikel-van-der-neut")
    renema = Person.objects.for_cards().get(slug="ytzen-renema")

    assert neut.title == "portefeuillehouder"
    assert [a.organisation.name for a in neut.current_affiliations] == ["Gemeente Berkelland"]
    assert [a.organisation.slug for a in renema.current_affiliations] == ["bureau-inspectieraad"]
    assert "Toezicht" in [theme.name for theme in renema.theme_list]


@pytest.mark.django_db
def test_loaddemo_removes_an_affiliation_that_is_not_in_the_demo():
    load_demo()
    doesburg = Person.objects.get(slug="annet-doesburg")
    Affiliation.objects.create(
        person=doesburg, organisation=Organisation.objects.get(slug="vng"), role="lid"
    )

    output = load_demo()

    assert list(doesburg.affiliations.values_list("organisation__slug", flat=True)) == ["ikpob"]
    assert re.search(r"Verbindingen: .*, 1 verwijderd", output)


@pytest.mark.django_db
def test_loaddemo_every_theme_has_a_description():
    load_demo()

    assert not Theme.objects.filter(description="").exists()
    assert Theme.objects.get(slug="sturen-in-netwerken").name == "Sturen in netwerken"


@pytest.mark.django_db
def test_loaddemo_particles_sort_after_the_family_name():
    load_demo()

    assert Person.objects.get(slug="paul-t-hart").sort_name == "Hart, Paul 't"
    assert Person.objects.get(slug="roel-in-t-veld").full_name == "Roel in 't Veld"


def test_build_pdf_is_structurally_valid():
    data = build_pdf("Botsende (rationaliteiten) \\ één", ["Regel met (haakjes) en \\.", ""] * 60)

    assert_valid_pdf(data)
    assert b"Botsende \\(rationaliteiten\\) \\\\ " in data
    pages = data.count(b"/Type /Page ")
    assert pages > 1  # long text flows onto further pages
    assert b"/Count %d" % pages in data
    assert "één".encode("cp1252") in data


def test_build_pdf_is_deterministic():
    assert build_pdf("Titel", ["regel"]) == build_pdf("Titel", ["regel"])
