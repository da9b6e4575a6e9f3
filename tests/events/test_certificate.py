"""The certificate of attendance: a PDF for those checked in, and a page that confirms it."""

import io
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from events import certificate
from events.models import Event, Registration
from ikpob_portal.pages.reserved import reserved_slugs
from tests.factories import make_event, make_organisation, make_registration
from tests.html import main, parse


@pytest.fixture
def congress(db) -> Event:
    day = timezone.localdate() - timedelta(days=3)
    start = timezone.make_aware(datetime.combine(day, time(9, 30)))
    return make_event(
        "Tussen Participatie en Populisme",
        starts_at=start,
        ends_at=start + timedelta(hours=6, minutes=50),
        organisers=[make_organisation("Vereniging voor OverheidsManagement")],
    )


@pytest.fixture
def attendee(congress) -> Registration:
    return make_registration(congress, name="Annet de Vries", checked_in_at=timezone.now())


def certificate_url(registration: Registration) -> str:
    return reverse("registrations:certificate", args=[registration.token])


def read_pdf(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, " ".join(page.extract_text() for page in reader.pages)


@pytest.mark.django_db
def test_certificate_pdf_holds_name_event_date_hours_and_organiser(
    client, attendee, congress, django_assert_max_num_queries
):
    personal = client.get(attendee.get_absolute_url())
    link = next(a for a in main(personal).iter("a") if "Bewijs van deelname" in a.text)
    assert link.get("href") == certificate_url(attendee)

    with django_assert_max_num_queries(4):
        response = client.get(certificate_url(attendee))

    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    reader, text = read_pdf(response.content)
    assert "Annet de Vries" in text
    assert "Tussen Participatie en Populisme" in text
    assert timezone.localtime(congress.starts_at).strftime("%-d") in text
    assert str(timezone.localdate(congress.starts_at).year) in text
    assert "7 uur" in text  # 6 h 50 min, rounded to the half hour
    assert "Stichting IKPOB, Vereniging voor OverheidsManagement" in text
    assert reader.metadata.title == "Bewijs van deelname: Tussen Participatie en Populisme"
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    assert certificate.verification_url(attendee) in text


@pytest.mark.django_db
def test_certificate_uses_the_hours_an_editor_set(congress, attendee):
    congress.hours = Decimal("2.5")
    congress.save()
    attendee.refresh_from_db()
    _reader, text = read_pdf(certificate.pdf(attendee))
    assert "2,5 uur" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [
        {},  # confirmed, never checked in
        {"status": Registration.Status.WAITING},
        {"status": Registration.Status.CANCELLED, "checked_in_at": timezone.now()},
    ],
)
def test_certificate_is_not_downloadable_without_check_in(client, congress, overrides):
    registration = make_registration(congress, **overrides)

    assert client.get(certificate_url(registration)).status_code == 404
    personal = client.get(registration.get_absolute_url())
    assert not any("Bewijs van deelname" in a.text for a in main(personal).iter("a"))


@pytest.mark.django_db
def test_verification_url_confirms_the_real_code_with_name_event_and_date_only(
    client, attendee, django_assert_max_num_queries
):
    url = certificate.verification_url(attendee).removeprefix("http://127.0.0.1:8000")
    assert url.startswith("/bewijs/")

    with django_assert_max_num_queries(4):
        page = client.get(url)

    assert page["Cache-Control"] == "private, no-store"
    assert page["X-Robots-Tag"] == "noindex"
    text = main(page).text
    assert "Dit bewijs van deelname is echt" in text
    assert "Annet de Vries" in text
    assert "Tussen Participatie en Populisme" in text
    assert attendee.email not in page.content.decode()
    assert attendee.organisation not in text


@pytest.mark.django_db
def test_verification_url_refuses_a_changed_code(client, attendee, congress):
    other = make_registration(congress, checked_in_at=timezone.now())
    real = certificate.code(attendee)
    number, signature = real.split("-", 1)
    changed_signature = signature[:-1] + ("A" if signature[-1] != "A" else "B")

    for code in (
        f"{number}-{changed_signature}",
        f"{other.pk}-{signature}",  # someone else's number with this signature
        number,
        "niets",
    ):
        page = client.get(reverse("certificate-verify", args=[code]))
        assert page.status_code == 404, code
        assert "We kunnen dit bewijs van deelname niet bevestigen" in parse(page, 404).text
        assert "Annet de Vries" not in page.content.decode()


@pytest.mark.django_db
def test_verification_refuses_a_code_of_someone_not_checked_in(client, congress):
    registration = make_registration(congress)
    url = reverse("certificate-verify", args=[certificate.code(registration)])
    assert client.get(url).status_code == 404


def test_the_verification_path_is_reserved_for_pages():
    assert "bewijs" in reserved_slugs()
