"""Links built from the request path (canonical, og:url, hreflang, the language switch, a list's
"clear filters") always point at this site, whatever a visitor puts in the path."""

from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import pytest

from ikpob_portal.kernel.links import local_path

HOSTILE_PATHS = [
    "/%2Fevil.example/",
    "//evil.example/",
    "/en//evil.example/",
    "/%5Cevil.example/",
    "/%09/evil.example/",
    "/en/%2F%2Fevil.example/",
]


def links_of(html: bytes) -> list[str]:
    document = lxml.html.fromstring(html)
    return [
        value
        for element in document.iter()
        if isinstance(element.tag, str)
        for name in ("href", "content", "action", "src")
        if (value := element.get(name))
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_page_for_a_hostile_path_links_only_to_this_site(client, path):
    # As a server passes it on: the test client would read "//evil.example/" as a host.
    response = client.get("/", PATH_INFO=unquote(path))

    assert response.status_code == 404
    page_url = "http://testserver" + local_path(response.wsgi_request.path)
    hosts = {
        urlsplit(urljoin(page_url, link)).netloc
        for link in links_of(response.content)
        if "evil" in link
    }
    assert hosts <= {"testserver"}, hosts


@pytest.mark.django_db
def test_hostile_path_still_gets_a_canonical_link_on_this_site(client):
    response = client.get("/%2Fevil.example/")

    document = lxml.html.fromstring(response.content)
    [canonical] = document.xpath("//link[@rel='canonical']/@href")
    [og_url] = document.xpath("//meta[@property='og:url']/@content")
    assert canonical == og_url == "http://testserver/evil.example/"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/publicaties/", "/publicaties/"),
        ("//evil.example/", "/evil.example/"),
        ("/\\evil.example/", "/evil.example/"),
        ("/\t/evil.example/", "/evil.example/"),
        ("", "/"),
    ],
)
def test_local_path_keeps_one_leading_slash(path, expected):
    assert local_path(path) == expected
