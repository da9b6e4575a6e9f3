"""A visitor who follows every link the site prints, in every language, never hits a dead end.

The demo content is loaded, then the crawl starts from `/` and `/en/` and follows each
same-site URL a page names: `<a href>`, `<link href>` (canonical, hreflang alternates, feeds,
stylesheets), `src` of images and scripts, the language switch, pagination and facet links.
Forms are not submitted and the admin is out of scope.

HTML pages are parsed for more links and must have a `<title>`. Other answers (feeds, .ics,
PDF, BibTeX/RIS, CSV, sitemap, OAI-PMH) are fetched and checked for status and content type
only. Static files and uploads are not served by Django in production (WhiteNoise and the
web server or object storage are), so for those the file itself must exist.

The demo content fits on one page of each list, so the fixture adds enough publications
under one theme for a second page of results (and for the theme page's "all publications
about …" link). Searches are forms, so the crawl also starts from a search a visitor might
type: its facet links, and those of its English version, are crawled like any other.

Bounding the crawl: every facet option is a link, and every filtered page links to every
combination one click further, so following all query strings would visit the cartesian
product of the facets. Query strings are followed ONE level deep: a URL with a query string
is followed from a page without one (or from a start URL), and from a page with a query
string only when it keeps that same query string (the same view in the other language).
So every facet option, every results page and every sort order is visited once, and the
combinations of filters, which run the same template and code with other values, are not.
"""

from collections import deque
from io import StringIO
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.core.management import call_command

from ikpob_portal.kernel.models import Theme
from ikpob_portal.views import THEME_PAGE_ITEMS_PER_KIND
from publications.models import Publication
from tests.factories import make_publication

SEARCHES = ("/zoeken/?q=vakmanschap",)  # the English one is its language switch
# Where search engines and harvesters start: fetched and checked, not parsed.
MACHINE_ENTRY_POINTS = ("/robots.txt", "/sitemap.xml", "/oai/?verb=Identify")
START = ("/", "/en/", *SEARCHES, *MACHINE_ENTRY_POINTS)
INTERNAL_HOSTS = {"", "testserver", urlsplit(settings.SITE_URL).netloc}
# Attributes that make the browser fetch or navigate to a URL.
URL_ATTRIBUTES = (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"))
URL_ATTRIBUTES += (("source", "src"), ("iframe", "src"), ("area", "href"))
# The content type each kind of non-HTML URL must answer with (the first match wins).
EXPECTED_TYPES = (
    ("/feed/rss/", "application/rss+xml"),
    ("/feed/atom/", "application/atom+xml"),
    (".ics", "text/calendar"),
    ("/download/", "application/pdf"),
    (".bib", "application/x-bibtex"),
    (".ris", "application/x-research-info-systems"),
    ("/csv/", "text/csv"),
    ("/sitemap.xml", "application/xml"),
    ("/robots.txt", "text/plain"),
    ("/oai/", "text/xml"),
    # Image renditions (ikpob_portal/platform/images.py), as their extension says.
    (".webp", "image/webp"),
    (".jpg", "image/jpeg"),
    (".png", "image/png"),
)
MAX_PAGES = 3000  # a safety net: a crawl that never ends is a failure of its own


def normalise(url: str, base: str) -> str | None:
    """The same-site path and query of a link, or None for other sites, fragments and mail."""
    url, _fragment = urldefrag(urljoin(base, url.strip()))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc not in INTERNAL_HOSTS:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def in_scope(url: str) -> bool:
    admin = "/" + settings.ADMIN_URL
    return not urlsplit(url).path.startswith((admin, f"/en{admin}"))


def query_depth(url: str, parent: str, parent_depth: int) -> int:
    """How many clicks on filter, sort or page links led here (see the module docstring)."""
    query = urlsplit(url).query
    if not query:
        return 0
    return parent_depth if query == urlsplit(parent).query else parent_depth + 1


def links_of(document, base: str) -> set[str]:
    found = set()
    for tag, attribute in URL_ATTRIBUTES:
        for element in document.iter(tag):
            value = element.get(attribute)
            if value:
                url = normalise(value, base)
                if url is not None:
                    found.add(url)
    return found


def expected_type(url: str) -> str | None:
    path = urlsplit(url).path
    return next((kind for marker, kind in EXPECTED_TYPES if marker in path), None)


def stored_file_problem(url: str) -> str | None:
    """Static files and uploads are checked on disk: Django does not serve them."""
    path = urlsplit(url).path
    if path.startswith(settings.STATIC_URL):
        name = path.removeprefix(settings.STATIC_URL)
        return None if finders.find(name) else f"static file {name!r} does not exist"
    name = path.removeprefix(settings.MEDIA_URL)
    return None if default_storage.exists(name) else f"upload {name!r} does not exist"


@pytest.fixture
def demo_site(db):
    call_command("loaddemo", stdout=StringIO())
    # Just enough for a second page of publications and a full section on one theme page.
    theme = Theme.objects.filter(themed_items__isnull=False).order_by("name").first()
    published = Publication.objects.published()
    missing = max(
        settings.PAGE_SIZE + 1 - published.count(),
        THEME_PAGE_ITEMS_PER_KIND + 1 - published.filter(themes=theme).count(),
    )
    for number in range(1, missing + 1):
        make_publication(f"Extra publicatie {number}", themes=[theme], body=f"Tekst {number}.")


def crawl(client) -> tuple[dict[str, str], list[str]]:
    """Visit every reachable URL once: (url → content type, problems found)."""
    linked_from: dict[str, str] = dict.fromkeys(START, "(start)")
    depth: dict[str, int] = dict.fromkeys(START, 0)
    queue = deque(START)
    visited: dict[str, str] = {}
    problems: list[str] = []
    while queue:
        url = queue.popleft()
        assert len(visited) < MAX_PAGES, f"the crawl passed {MAX_PAGES} URLs; is it bounded?"
        if url.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
            problem = stored_file_problem(url)
            visited[url] = "file"
            if problem:
                problems.append(f"{url} (linked from {linked_from[url]}): {problem}")
            continue
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        visited[url] = content_type
        where = f"{url} (linked from {linked_from[url]})"
        if response.status_code >= 400:
            problems.append(f"{where}: status {response.status_code}")
            continue
        targets: set[str] = set()
        if response.status_code in (301, 302, 303, 307, 308):
            target = normalise(response["Location"], "http://testserver" + url)
            targets = {target} if target else set()
        elif content_type.startswith("text/html"):
            content = response.content
            if hasattr(response, "streaming_content"):
                content = b"".join(response.streaming_content)
            document = lxml.html.document_fromstring(content)
            title = document.findtext(".//title")
            if not (title or "").strip():
                problems.append(f"{where}: no <title>")
            targets = links_of(document, "http://testserver" + url)
        else:
            wanted = expected_type(url)
            if wanted is None or not content_type.startswith(wanted):
                problems.append(f"{where}: content type {content_type!r}, expected {wanted!r}")
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)  # a download must stream to the end
        for target in sorted(targets):
            if target in linked_from or not in_scope(target):
                continue
            target_depth = query_depth(target, url, depth[url])
            if target_depth <= 1:
                linked_from[target] = url
                depth[target] = target_depth
                queue.append(target)
    return visited, problems


def test_crawl_every_link_the_site_prints_works_in_every_language(client, demo_site):
    visited, problems = crawl(client)

    assert problems == [], "\n".join(problems)
    # The crawl really went everywhere: both languages, every kind of page and file.
    paths = set(visited)
    for expected in (
        "/publicaties/",
        "/en/publicaties/",
        "/leerkringen/",
        "/evenementen/",
        "/netwerk/personen/",
        "/themas/",
        "/en/themas/",
        "/evenementen/agenda.ics",
        "/publicaties/?page=2",
        "/en/publicaties/?page=2",
    ):
        assert expected in paths, f"{expected} was never linked"
    kinds = {kind.split(";")[0] for kind in visited.values()}
    assert {"text/html", "application/pdf", "text/calendar", "application/rss+xml"} <= kinds
    assert "image/png" in kinds  # the demo's images, through their renditions
    facet_links = [url for url in paths if url.startswith("/en/zoeken/?q=vakmanschap&")]
    assert facet_links, "no facet link of the English search was followed"
