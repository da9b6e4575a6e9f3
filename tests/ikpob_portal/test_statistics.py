"""Page views and PDF downloads for editors: counted without cookies or anything personal."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ikpob_portal.kernel import statistics
from ikpob_portal.kernel.models import VisitCount
from tests.factories import MINIMAL_PDF, make_editor, make_page, make_publication
from tests.html import Element, parse

BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/141.0.0.0 Safari/537.36"
)
ADDRESS = "203.0.113.7"


@pytest.fixture(autouse=True)
def counting(settings):
    settings.STATISTICS = True
    statistics.discard_buffer()
    yield
    statistics.discard_buffer()


@pytest.fixture
def visitor() -> Client:
    return Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=ADDRESS)


def download(client: Client, publication) -> object:
    """The PDF, read to the end. Not closed: closing a file response ends the request, which
    closes the test's database connection inside its transaction (PostgreSQL); the test
    closes its downloads last."""
    response = client.get(reverse("publications:download", kwargs={"slug": publication.slug}))
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    return response


def counted(path: str, kind: str = statistics.VIEW) -> int:
    statistics.flush()
    row = VisitCount.objects.filter(path=path, kind=kind).first()
    return row.count if row else 0


def statistics_panel(response) -> Element:
    return parse(response).find("div", class_="statistics-panel")


def cells(row: Element) -> list[str]:
    return [cell.text for cell in row.iter("th", "td")]


def this_month():
    return timezone.localdate().replace(day=1)


@pytest.mark.django_db
def test_statistics_count_an_anonymous_page_view(visitor):
    publication = make_publication("Leren van doen")
    url = publication.get_absolute_url()

    response = visitor.get(url)

    assert response.status_code == 200
    assert counted(url) == 1
    assert VisitCount.objects.get(path=url).month == this_month()


@pytest.mark.django_db
def test_statistics_count_a_page_served_from_the_page_cache(visitor, settings):
    settings.PAGE_CACHE = True
    cache.clear()
    publication = make_publication("Leren van doen")
    url = publication.get_absolute_url()

    visitor.get(url)
    second = Client(HTTP_USER_AGENT=BROWSER).get(url)

    assert second.get("X-Page-Cache") == "hit"  # no view ran for it
    assert counted(url) == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "user_agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/141.0 Safari/537.36",
    ],
)
def test_statistics_leave_out_bots_and_requests_without_a_user_agent(user_agent):
    publication = make_publication("Leren van doen")

    response = Client(HTTP_USER_AGENT=user_agent).get(publication.get_absolute_url())

    assert response.status_code == 200
    assert counted(publication.get_absolute_url()) == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "hint",
    [
        {"HTTP_SEC_PURPOSE": "prefetch"},
        {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
        {"HTTP_PURPOSE": "prefetch"},
        {"HTTP_X_MOZ": "prefetch"},
        {"HTTP_X_PURPOSE": "preview"},
    ],
)
def test_statistics_leave_out_prefetch_and_prerender(visitor, hint):
    publication = make_publication("Leren van doen")

    visitor.get(publication.get_absolute_url(), **hint)

    assert counted(publication.get_absolute_url()) == 0


@pytest.mark.django_db
def test_statistics_leave_out_head_not_found_and_redirects(visitor):
    publication = make_publication("Leren van doen")
    url = publication.get_absolute_url()

    assert visitor.head(url).status_code == 200
    assert visitor.get("/publicaties/bestaat-niet/").status_code == 404
    assert visitor.get(url.rstrip("/")).status_code == 301

    statistics.flush()
    assert not VisitCount.objects.exists()


@pytest.mark.django_db
def test_statistics_leave_out_logged_in_editors():
    publication = make_publication("Leren van doen")
    editor = Client(HTTP_USER_AGENT=BROWSER)
    editor.force_login(make_editor())

    assert editor.get(publication.get_absolute_url()).status_code == 200
    assert editor.get(reverse("admin:index")).status_code == 200

    statistics.flush()
    assert not VisitCount.objects.exists()


@pytest.mark.django_db
def test_statistics_set_no_cookie_and_store_nothing_about_the_visitor(visitor):
    publication = make_publication("Leren van doen", pdf=MINIMAL_PDF)

    page = visitor.get(publication.get_absolute_url())
    pdf = download(visitor, publication)
    statistics.flush()

    assert not page.cookies
    assert not pdf.cookies
    assert "Set-Cookie" not in page.headers
    columns = [
        column.name
        for column in connection.introspection.get_table_description(
            connection.cursor(), VisitCount._meta.db_table
        )
    ]
    assert sorted(columns) == ["count", "id", "kind", "month", "path"]
    stored = " ".join(str(value) for row in VisitCount.objects.values_list() for value in row)
    assert VisitCount.objects.count() == 2
    assert ADDRESS not in stored
    assert "Mozilla" not in stored
    assert "Chrome" not in stored

    pdf.close()


@pytest.mark.django_db
def test_statistics_count_pdf_downloads_and_show_them_in_the_admin(visitor, editor_client):
    publication = make_publication("Leren van doen", pdf=MINIMAL_PDF)
    pdfs = [download(visitor, publication) for _ in range(2)]
    visitor.get(publication.get_absolute_url())
    visitor.get("/en" + publication.get_absolute_url())

    assert counted(pdfs[0].wsgi_request.path, statistics.DOWNLOAD) == 2
    change = editor_client.get(
        reverse("admin:publications_publication_change", args=[publication.pk])
    )

    panel = statistics_panel(change)
    this_month_row = panel.find("tbody").find("tr")
    # Dutch and English page together; the PDF twice.
    assert cells(this_month_row) == [f"{timezone.localdate():%B %Y}".lower(), "2", "2"]
    rows = panel.find("tbody").find_all("tr")
    assert len(rows) == 12 + 2
    assert [cells(row) for row in rows[12:]] == [
        ["Samen, twaalf maanden", "2", "2"],
        ["Sinds het begin van de telling", "2", "2"],
    ]
    for pdf in pdfs:
        pdf.close()


@pytest.mark.django_db
def test_statistics_monthly_overview_lists_the_most_downloaded_publication(visitor, editor_client):
    publication = make_publication("Leren van doen", pdf=MINIMAL_PDF)
    pdf = download(visitor, publication)
    visitor.get(publication.get_absolute_url())
    visitor.get("/")

    overview = editor_client.get(reverse("admin:ikpob_portal_visitcount_changelist"))

    assert overview.status_code == 200
    downloads = overview.context_data["rankings"][1]["rows"]
    assert downloads[0]["title"] == "Leren van doen"
    assert downloads[0]["count"] == 1
    views = {row["title"]: row["count"] for row in overview.context_data["rankings"][0]["rows"]}
    assert views == {"Leren van doen": 1, "/": 1}
    html = overview.content.decode()
    assert reverse("admin:publications_publication_change", args=[publication.pk]) in html
    assert overview.context_data["totals"] == {"view": 2, "download": 1}
    pdf.close()


@pytest.mark.django_db
def test_statistics_monthly_overview_picks_an_earlier_month(editor_client):
    VisitCount.objects.create(month=datetime.date(2025, 3, 1), path="/", kind="view", count=7)

    overview = editor_client.get(
        reverse("admin:ikpob_portal_visitcount_changelist"), {"maand": "2025-03"}
    )

    assert overview.context_data["totals"]["view"] == 7
    assert "maart 2025" in overview.content.decode()


@pytest.mark.django_db
def test_statistics_overview_is_on_the_dashboard(editor_client):
    dashboard = editor_client.get(reverse("admin:index"))

    assert reverse("admin:ikpob_portal_visitcount_changelist") in dashboard.content.decode()


@pytest.mark.django_db
def test_statistics_flushed_twice_count_once(visitor):
    publication = make_publication("Leren van doen")
    url = publication.get_absolute_url()
    visitor.get(url)
    visitor.get(url)

    assert statistics.flush() == 2
    assert statistics.flush() == 0
    visitor.get(url)
    statistics.flush()

    assert VisitCount.objects.get(path=url).count == 3


@pytest.mark.django_db
def test_statistics_flush_writes_by_itself_when_due(visitor, settings):
    settings.STATISTICS_FLUSH_SECONDS = 0
    publication = make_publication("Leren van doen")

    visitor.get(publication.get_absolute_url())

    assert VisitCount.objects.get(path=publication.get_absolute_url()).count == 1


@pytest.mark.django_db
def test_statistics_panel_and_overview_cover_every_public_kind(visitor, editor_client):
    # Pages came after the statistics: their admin has the panel through the shared base.
    page = make_page("Over IKPOB")
    visitor.get(page.get_absolute_url())

    change = editor_client.get(reverse("admin:pages_page_change", args=[page.pk]))
    overview = editor_client.get(reverse("admin:ikpob_portal_visitcount_changelist"))

    this_month_row = statistics_panel(change).find("tbody").find("tr")
    assert cells(this_month_row)[1] == "1"
    views = overview.context_data["rankings"][0]["rows"]
    assert [(row["title"], row["count"]) for row in views] == [("Over IKPOB", 1)]
