from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from publications.models import Publication
from publications.validators import validate_doi, validate_isbn
from tests.factories import MINIMAL_PDF, make_publication, make_theme

ISBN_MESSAGE = (
    "Dit is geen geldig ISBN. Vul 10 of 13 cijfers in (streepjes mogen), "
    "bijvoorbeeld 978-90-446-3093-0; controleer ook het laatste cijfer."
)
DOI_MESSAGE = "Dit is geen geldige DOI. Een DOI begint met '10.', bijvoorbeeld 10.1234/abc.2020."
PDF_MESSAGE = "Dit bestand is geen PDF. Upload een PDF-bestand (.pdf)."


def unsaved_publication(**overrides) -> Publication:
    """A publication as an editor fills it in the admin, before saving."""
    fields = {
        "title": "Vakmanschap in de praktijk",
        "slug": "vakmanschap-in-de-praktijk",
        "summary": "Over het vak van de ambtenaar.",
        "publication_year": 2020,
        **overrides,
    }
    return Publication(**fields)


# --- Visibility: .published() -------------------------------------------------------------


@pytest.mark.django_db
def test_published_excludes_drafts():
    make_publication("Openbaar stuk")
    make_publication("Concept stuk", status=Publication.Status.DRAFT)

    titles = set(Publication.objects.published().values_list("title", flat=True))

    assert titles == {"Openbaar stuk"}


@pytest.mark.django_db
def test_published_excludes_items_scheduled_for_the_future():
    make_publication("Al openbaar", published_at=timezone.now() - timedelta(minutes=1))
    scheduled = make_publication("Ingepland", published_at=timezone.now() + timedelta(days=1))

    titles = set(Publication.objects.published().values_list("title", flat=True))

    assert titles == {"Al openbaar"}
    assert not scheduled.is_published


@pytest.mark.django_db
def test_published_includes_a_published_item_whose_moment_has_passed():
    publication = make_publication(published_at=timezone.now() - timedelta(days=3))

    assert list(Publication.objects.published()) == [publication]
    assert publication.is_published


@pytest.mark.django_db
def test_save_fills_published_at_when_publishing_without_a_moment():
    before = timezone.now()
    publication = make_publication("Meteen openbaar", published_at=None)

    publication.refresh_from_db()
    assert before <= publication.published_at <= timezone.now()
    assert list(Publication.objects.published()) == [publication]


@pytest.mark.django_db
def test_save_leaves_published_at_empty_for_a_draft():
    publication = make_publication(status=Publication.Status.DRAFT)

    publication.refresh_from_db()
    assert publication.published_at is None


@pytest.mark.django_db
def test_save_keeps_a_scheduled_moment():
    moment = timezone.now() + timedelta(days=7)
    publication = make_publication(published_at=moment)

    publication.refresh_from_db()
    assert publication.published_at == moment


@pytest.mark.django_db
def test_published_constraint_rejects_update_that_removes_the_moment():
    publication = make_publication()

    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.filter(pk=publication.pk).update(published_at=None)


@pytest.mark.django_db
def test_published_constraint_rejects_rows_created_without_save():
    row = unsaved_publication(status=Publication.Status.PUBLISHED, published_at=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.bulk_create([row])

    assert not Publication.objects.exists()


@pytest.mark.django_db
def test_full_clean_accepts_publishing_without_a_moment():
    publication = unsaved_publication(status=Publication.Status.PUBLISHED, published_at=None)

    publication.full_clean()  # must not raise: empty means "now"


# --- date_display -------------------------------------------------------------------------


@pytest.mark.django_db
def test_date_display_year_only():
    assert make_publication(publication_year=2019).date_display == "2019"


@pytest.mark.django_db
def test_date_display_month_and_year_in_dutch():
    publication = make_publication(publication_year=2020, publication_month=9)

    assert publication.date_display == "september 2020"


@pytest.mark.django_db
def test_date_display_full_date_in_dutch():
    publication = make_publication(publication_year=2020, publication_month=9, publication_day=22)

    assert publication.date_display == "22 september 2020"


# --- Validators ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "isbn",
    [
        "0-306-40615-2",  # ISBN-10
        "0306406152",
        "0-8044-2957-X",  # ISBN-10 with check digit X
        "0-8044-2957-x",
        "978-0-306-40615-7",  # ISBN-13
        "978 90 446 3093 0",
        "9789044630930",
    ],
)
def test_validate_isbn_accepts_valid_isbn(isbn):
    validate_isbn(isbn)


@pytest.mark.parametrize(
    "isbn",
    [
        "0-306-40615-3",  # wrong check digit
        "978-0-306-40615-8",  # wrong check digit
        "12345",
        "97803064061",  # 11 digits
        "X306406152",  # X only allowed last
        "abcdefghij",
        "978-0-306-4061X-7",
    ],
)
def test_validate_isbn_rejects_invalid_isbn_with_dutch_message(isbn):
    with pytest.raises(ValidationError) as excinfo:
        validate_isbn(isbn)

    assert excinfo.value.messages == [ISBN_MESSAGE]


@pytest.mark.parametrize(
    "doi",
    [
        "10.1234/abc.2020",
        "10.1000/182",
        "https://doi.org/10.1000/xyz123",
        "doi:10.5281/zenodo.123456",
        "10.123456789/a-b_c(1)",
    ],
)
def test_validate_doi_accepts_valid_doi(doi):
    validate_doi(doi)


@pytest.mark.parametrize(
    "doi",
    [
        "11.1234/abc",
        "10.12/abc",  # registrant code too short
        "10.1234",  # no suffix
        "10.1234/met spatie",
        "https://example.org/10.1234/abc",
        "abc",
    ],
)
def test_validate_doi_rejects_invalid_doi_with_dutch_message(doi):
    with pytest.raises(ValidationError) as excinfo:
        validate_doi(doi)

    assert excinfo.value.messages == [DOI_MESSAGE]


@pytest.mark.django_db
def test_full_clean_rejects_invalid_isbn_and_doi_on_their_fields():
    publication = unsaved_publication(isbn="978-0-306-40615-8", doi="doi.org/abc")

    with pytest.raises(ValidationError) as excinfo:
        publication.full_clean()

    assert excinfo.value.message_dict["isbn"] == [ISBN_MESSAGE]
    assert excinfo.value.message_dict["doi"] == [DOI_MESSAGE]


@pytest.mark.django_db
def test_full_clean_normalises_isbn_and_doi():
    publication = unsaved_publication(
        isbn="978-0-306-40615-7", doi="https://doi.org/10.1234/abc.2020"
    )

    publication.full_clean()

    assert publication.isbn == "9780306406157"
    assert publication.doi == "10.1234/abc.2020"
    assert publication.doi_url == "https://doi.org/10.1234/abc.2020"


@pytest.mark.django_db
def test_full_clean_rejects_day_without_month():
    publication = unsaved_publication(publication_day=12)

    with pytest.raises(ValidationError) as excinfo:
        publication.full_clean()

    assert (
        "Vul ook de maand in als u een dag invult." in excinfo.value.message_dict["publication_day"]
    )


@pytest.mark.django_db
def test_full_clean_rejects_31_februari():
    publication = unsaved_publication(
        publication_year=2021, publication_month=2, publication_day=31
    )

    with pytest.raises(ValidationError) as excinfo:
        publication.full_clean()

    assert excinfo.value.message_dict["publication_day"] == ["Deze dag bestaat niet in die maand."]


@pytest.mark.django_db
def test_full_clean_accepts_29_februari_in_a_leap_year():
    publication = unsaved_publication(
        publication_year=2020, publication_month=2, publication_day=29
    )

    publication.full_clean()

    assert publication.date_display == "29 februari 2020"


@pytest.mark.django_db
def test_pdf_validator_rejects_a_non_pdf_named_pdf():
    publication = unsaved_publication()
    publication.pdf = SimpleUploadedFile(
        "rapport.pdf", b"<html>geen pdf</html>", content_type="application/pdf"
    )

    with pytest.raises(ValidationError) as excinfo:
        publication.full_clean()

    assert excinfo.value.message_dict["pdf"] == [PDF_MESSAGE]


@pytest.mark.django_db
def test_pdf_validator_accepts_a_real_pdf():
    publication = unsaved_publication()
    publication.pdf = SimpleUploadedFile("rapport.pdf", MINIMAL_PDF, content_type="application/pdf")

    publication.full_clean()
    publication.save()

    assert publication.pdf_size == len(MINIMAL_PDF)


# --- related() ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_related_lists_explicit_first_then_by_number_of_shared_themes():
    ethiek, toezicht, integriteit = (
        make_theme("Ethiek"),
        make_theme("Toezicht"),
        make_theme("Integriteit"),
    )
    publication = make_publication("Hoofdstuk", themes=[ethiek, toezicht, integriteit])
    one_shared = make_publication("Aaa een gedeeld thema", themes=[ethiek], publication_year=2024)
    two_shared = make_publication("Zzz twee gedeeld", themes=[ethiek, toezicht])
    three_shared = make_publication("Mmm drie gedeeld", themes=[ethiek, toezicht, integriteit])
    explicit = make_publication("Expliciet gekoppeld")  # shares no theme at all
    make_publication("Geen overlap", themes=[make_theme("Financien")])
    publication.related_publications.add(explicit)

    related = publication.related()

    assert [item.title for item in related] == [
        "Expliciet gekoppeld",
        "Mmm drie gedeeld",
        "Zzz twee gedeeld",
        "Aaa een gedeeld thema",
    ]
    assert related[1:] == [three_shared, two_shared, one_shared]


@pytest.mark.django_db
def test_related_never_shows_drafts_or_scheduled_items():
    theme = make_theme("Ethiek")
    publication = make_publication("Hoofdstuk", themes=[theme])
    draft = make_publication("Concept", status=Publication.Status.DRAFT, themes=[theme])
    scheduled = make_publication(
        "Ingepland", published_at=timezone.now() + timedelta(days=1), themes=[theme]
    )
    visible = make_publication("Zichtbaar", themes=[theme])
    publication.related_publications.add(draft, scheduled)

    assert publication.related() == [visible]


@pytest.mark.django_db
def test_related_never_lists_the_publication_itself_by_theme():
    theme = make_theme("Ethiek")
    publication = make_publication("Hoofdstuk", themes=[theme])
    other = make_publication("Ander stuk", themes=[theme])

    assert publication.related() == [other]


@pytest.mark.django_db
def test_related_never_lists_the_publication_itself_when_linked_to_itself():
    publication = make_publication("Hoofdstuk")
    other = make_publication("Ander stuk")
    publication.related_publications.add(publication, other)

    assert publication.related() == [other]


@pytest.mark.django_db
def test_related_stops_at_the_limit():
    theme = make_theme("Ethiek")
    publication = make_publication("Hoofdstuk", themes=[theme])
    for number in range(8):
        make_publication(f"Verwant {number}", themes=[theme])

    assert len(publication.related()) == 6
    assert len(publication.related(limit=3)) == 3
