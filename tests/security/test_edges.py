"""Issue 17, findings 8-10, replayed as they were reproduced: the last details at the edges.

8. gunicorn trusted X-Forwarded-Proto / -Ssl / -Protocol from loopback even with
   DJANGO_SECURE_PROXY_SSL_HEADER=off, logged tokens in its access log and sent a Server
   banner; no Permissions-Policy header.
9. /.well-known/security.txt and /favicon.ico answered 404.
10. A PDF with /OpenAction JavaScript passed the upload check.

The gunicorn tests run the portal with gunicorn.conf.py on a free loopback port
(tests/faults.py), as `make serve` does.
"""

import re
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from ikpob_portal.platform import proxyheaders
from ikpob_portal.platform.headers import PERMISSIONS_POLICY
from ikpob_portal.platform.uploads import validate_pdf
from ikpob_portal.security_txt import check_security_txt
from publications.models import Publication
from tests.faults import app_server, server_env
from tests.ikpob_portal.test_admin import new_publication_data

SCHEME_HEADERS = {
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Ssl": "on",
    "X-Forwarded-Protocol": "ssl",
}
PUBLICATIONS = f"/{settings.ADMIN_URL}publications/publication/"


def sitemap_scheme(server, headers: dict[str, str]) -> str:
    """The scheme Django saw: robots.txt names the sitemap by its absolute URL."""
    answer = server.get("/robots.txt", headers=headers)
    assert answer.status == 200, answer.body
    return re.search(r"^Sitemap: (\w+)://", answer.body, re.MULTILINE).group(1)


# --- 8. gunicorn: proxy headers, access log, Server banner -----------------------------------


@pytest.fixture
def server_env_for(tmp_path):
    def env(**overrides: str) -> dict[str, str]:
        return server_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", **overrides)

    return env


def test_with_the_proxy_header_off_no_forwarded_header_makes_a_request_secure(
    server_env_for, tmp_path
):
    env = server_env_for(DJANGO_SECURE_PROXY_SSL_HEADER="off")
    with app_server(env, tmp_path / "gunicorn.log") as server:
        plain = sitemap_scheme(server, {})
        claimed = {
            name: sitemap_scheme(server, {name: value}) for name, value in SCHEME_HEADERS.items()
        }
        all_at_once = sitemap_scheme(server, SCHEME_HEADERS)

    assert plain == "http"
    assert claimed == dict.fromkeys(SCHEME_HEADERS, "http")
    assert all_at_once == "http"


def test_with_the_proxy_header_on_only_that_header_counts(server_env_for, tmp_path):
    env = server_env_for(DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https")
    with app_server(env, tmp_path / "gunicorn.log") as server:
        by_proxy = sitemap_scheme(server, {"X-Forwarded-Proto": "https"})
        other_headers = {
            name: sitemap_scheme(server, {name: value})
            for name, value in SCHEME_HEADERS.items()
            if name != "X-Forwarded-Proto"
        }

    assert by_proxy == "https"
    assert other_headers == {"X-Forwarded-Ssl": "http", "X-Forwarded-Protocol": "http"}


def test_gunicorn_sends_no_server_banner_and_every_answer_has_a_permissions_policy(
    server_env_for, tmp_path
):
    with app_server(server_env_for(), tmp_path / "gunicorn.log") as server:
        answers = [server.get(path) for path in ("/robots.txt", "/healthz/", "/bestaat-niet/")]

    for answer in answers:
        assert "Server" not in answer.headers, answer.headers
        assert answer.headers["Permissions-Policy"] == PERMISSIONS_POLICY


def test_the_access_log_masks_registration_certificate_and_invitation_tokens(
    server_env_for, tmp_path
):
    secrets = {
        "registration": "Zx81-registratie_geheim",
        "certificate": "Qw42-bewijs_geheim",
        "invitation": "Lp77-uitnodiging_geheim",
        "invitation-link": "Mn55-link_geheim",
        "referer": "Rt33-verwijzer_geheim",
    }
    with app_server(server_env_for(), tmp_path / "gunicorn.log") as server:
        server.get(f"/aanmelding/{secrets['registration']}/annuleren/")
        server.get(f"/en/bewijs/{secrets['certificate']}/")
        server.get(f"/evenementen/congres/uitnodiging/{secrets['invitation']}/afslaan/")
        server.get(
            f"/evenementen/congres/aanmelden/?taal=nl&uitnodiging={secrets['invitation-link']}"
        )
        server.get(
            "/healthz/",
            headers={"Referer": f"https://ikpob.nl/aanmelding/{secrets['referer']}/"},
        )
        server.get("/robots.txt")  # a line after the others: they have been written
        log = server.log()

    access_lines = [line for line in log.splitlines() if '"GET /' in line]
    assert len(access_lines) >= 6, log
    for name, secret in secrets.items():
        assert secret not in log, name
    assert '"GET /aanmelding/[code]/annuleren/ HTTP/1.1"' in log
    assert "/en/bewijs/[code]/" in log
    assert "/evenementen/congres/uitnodiging/[code]/afslaan/" in log
    assert "/evenementen/congres/aanmelden/?taal=nl&uitnodiging=[code]" in log
    assert '"https://ikpob.nl/aanmelding/[code]/"' in log


def test_gunicorn_settings_follow_the_proxy_header_setting():
    off = {"DJANGO_SECURE_PROXY_SSL_HEADER": "off", "DJANGO_FORWARDED_ALLOW_IPS": "10.0.0.0/8"}
    on = {"DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https"}
    other = {
        "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Ssl: on",
        "DJANGO_FORWARDED_ALLOW_IPS": "10.0.0.5,10.0.0.6",
    }

    assert proxyheaders.gunicorn_secure_scheme_headers(off) == {}
    assert proxyheaders.gunicorn_forwarded_allow_ips(off) == ""
    assert proxyheaders.gunicorn_secure_scheme_headers(on) == {"X-FORWARDED-PROTO": "https"}
    assert proxyheaders.gunicorn_forwarded_allow_ips(on) == "127.0.0.1"
    assert proxyheaders.django_ssl_header(on) == ("HTTP_X_FORWARDED_PROTO", "https")
    assert proxyheaders.gunicorn_secure_scheme_headers(other) == {"X-FORWARDED-SSL": "on"}
    assert proxyheaders.gunicorn_forwarded_allow_ips(other) == "10.0.0.5,10.0.0.6"
    # The default when nothing is set: the header a proxy on this machine sends.
    assert proxyheaders.gunicorn_secure_scheme_headers({}) == {"X-FORWARDED-PROTO": "https"}


def test_every_page_has_a_permissions_policy_that_denies_what_no_page_uses(client):
    response = client.get("/robots.txt")

    policy = dict(item.split("=", 1) for item in response.headers["Permissions-Policy"].split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert policy[feature] == "()", feature


# --- 9. security.txt and favicon.ico -----------------------------------------------------------


@pytest.fixture
def security_txt_settings(settings):
    settings.SECURITY_CONTACT = "mailto:security@ikpob.nl, https://ikpob.nl/kwetsbaarheid-melden/"
    settings.SECURITY_TXT_EXPIRES = "2027-06-01T12:00:00+02:00"
    settings.SECURITY_POLICY_URL = "https://ikpob.nl/responsible-disclosure/"
    settings.ALLOWED_HOSTS = ["kennis.ikpob.nl"]
    return settings


def test_security_txt_names_contact_expiry_languages_policy_and_canonical(
    client, security_txt_settings
):
    response = client.get("/.well-known/security.txt", HTTP_HOST="kennis.ikpob.nl")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "Contact: mailto:security@ikpob.nl",
        "Contact: https://ikpob.nl/kwetsbaarheid-melden/",
        "Expires: 2027-06-01T10:00:00Z",
        "Preferred-Languages: nl, en",
        "Policy: https://ikpob.nl/responsible-disclosure/",
        "Canonical: https://kennis.ikpob.nl/.well-known/security.txt",
    ]


def test_security_txt_without_a_contact_is_not_served(client, settings, db):
    settings.SECURITY_CONTACT = ""
    settings.SECURITY_TXT_EXPIRES = "2027-06-01T00:00:00Z"

    assert client.get("/.well-known/security.txt").status_code == 404


def check_ids(settings, **values) -> set[str]:
    for name, value in values.items():
        setattr(settings, name, value)
    return {message.id for message in check_security_txt()}


def test_deploy_checks_refuse_a_missing_contact_and_a_stale_or_far_expiry(settings):
    now = datetime.now(UTC)
    soon = f"{now + timedelta(days=180):%Y-%m-%dT%H:%M:%SZ}"
    good = {"SECURITY_CONTACT": "mailto:security@ikpob.nl", "SECURITY_POLICY_URL": ""}

    assert check_ids(settings, **good, SECURITY_TXT_EXPIRES=soon) == set()
    assert check_ids(settings, **{**good, "SECURITY_CONTACT": ""}, SECURITY_TXT_EXPIRES=soon) == {
        "portal.E101"
    }
    assert check_ids(
        settings, **{**good, "SECURITY_CONTACT": "security@ikpob.nl"}, SECURITY_TXT_EXPIRES=soon
    ) == {"portal.E102"}
    assert check_ids(settings, **good, SECURITY_TXT_EXPIRES="") == {"portal.E103"}
    assert check_ids(settings, **good, SECURITY_TXT_EXPIRES="volgend jaar") == {"portal.E103"}
    yesterday = f"{now - timedelta(days=1):%Y-%m-%d}"
    assert check_ids(settings, **good, SECURITY_TXT_EXPIRES=yesterday) == {"portal.E104"}
    far = f"{now + timedelta(days=400):%Y-%m-%dT%H:%M:%S%z}"
    assert check_ids(settings, **good, SECURITY_TXT_EXPIRES=far) == {"portal.W105"}
    assert check_ids(
        settings,
        **{**good, "SECURITY_POLICY_URL": "http://ikpob.nl/beleid/"},
        SECURITY_TXT_EXPIRES=soon,
    ) == {"portal.E106"}


def test_favicon_ico_is_an_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    with Image.open(BytesIO(response.content)) as icon:
        assert icon.format == "ICO"


# --- 10. PDFs with active content ----------------------------------------------------------


def pdf(*, catalog: dict | None = None, page: dict | None = None) -> bytes:
    """A one-page PDF made with pypdf, with extra entries in its catalog and its page."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    for target, extra in ((writer.root_object, catalog), (writer.pages[0], page)):
        for key, value in (extra or {}).items():
            target[NameObject(key)] = value(writer) if callable(value) else value
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def action(kind: str, **entries) -> DictionaryObject:
    return DictionaryObject(
        {NameObject("/S"): NameObject(kind), **{NameObject(k): v for k, v in entries.items()}}
    )


def javascript(code: str = "app.alert('hallo');") -> DictionaryObject:
    return action("/JavaScript", **{"/JS": TextStringObject(code)})


def refused(content: bytes) -> str:
    with pytest.raises(ValidationError) as excinfo:
        validate_pdf(SimpleUploadedFile("rapport.pdf", content))
    [message] = excinfo.value.messages
    return message


def names_tree(kind: str, entry: DictionaryObject):
    def build(writer: PdfWriter):
        leaf = DictionaryObject(
            {NameObject("/Names"): ArrayObject([TextStringObject("x"), writer._add_object(entry)])}
        )
        return DictionaryObject({NameObject(kind): writer._add_object(leaf)})

    return build


def annotation_with(entries: dict):
    def build(writer: PdfWriter):
        annotation = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (0, 0, 100, 100)]),
                **{NameObject(k): v for k, v in entries.items()},
            }
        )
        return ArrayObject([writer._add_object(annotation)])

    return build


def test_a_pdf_with_open_action_javascript_is_refused_in_the_admin(editor_client):
    """The finding as reproduced: the editor's upload of such a PDF was accepted."""
    content = pdf(catalog={"/OpenAction": javascript()})

    response = editor_client.post(
        f"{PUBLICATIONS}add/",
        new_publication_data(pdf=SimpleUploadedFile("rapport.pdf", content, "application/pdf")),
    )

    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["pdf"]
    assert message.startswith("Deze PDF bevat actieve inhoud die een PDF-lezer zelf kan uitvoeren")
    assert "JavaScript" in message
    assert not Publication.objects.exists()


def test_a_plain_pdf_made_with_pypdf_is_accepted(editor_client):
    content = pdf(
        page={
            "/Annots": annotation_with(
                {"/A": action("/URI", **{"/URI": TextStringObject("https://ikpob.nl/")})}
            )
        }
    )

    validate_pdf(SimpleUploadedFile("rapport.pdf", content))
    response = editor_client.post(
        f"{PUBLICATIONS}add/",
        new_publication_data(pdf=SimpleUploadedFile("rapport.pdf", content, "application/pdf")),
    )

    assert response.status_code == 302
    assert Publication.objects.get().pdf_size == len(content)


@pytest.mark.parametrize(
    ("content", "named"),
    [
        pytest.param(
            lambda: pdf(
                catalog={"/OpenAction": action("/Launch", **{"/F": TextStringObject("cmd.exe")})}
            ),
            "programma",
            id="open-action-launch",
        ),
        pytest.param(
            lambda: pdf(catalog={"/Names": names_tree("/JavaScript", javascript())}),
            "JavaScript",
            id="document-javascript",
        ),
        pytest.param(
            lambda: pdf(
                catalog={
                    "/Names": names_tree(
                        "/EmbeddedFiles",
                        DictionaryObject({NameObject("/Type"): NameObject("/Filespec")}),
                    )
                }
            ),
            "ingesloten bestanden",
            id="embedded-files",
        ),
        pytest.param(
            lambda: pdf(page={"/AA": DictionaryObject({NameObject("/O"): javascript()})}),
            "automatische acties",
            id="page-open-action",
        ),
        pytest.param(
            lambda: pdf(page={"/Annots": annotation_with({"/A": javascript()})}),
            "JavaScript",
            id="link-annotation-javascript",
        ),
        pytest.param(
            lambda: pdf(
                page={
                    "/Annots": annotation_with(
                        {
                            "/Subtype": NameObject("/RichMedia"),
                            "/RichMediaContent": DictionaryObject(),
                        }
                    )
                }
            ),
            "video, geluid of 3D-inhoud",
            id="rich-media",
        ),
        pytest.param(
            lambda: pdf(
                catalog={
                    "/AcroForm": DictionaryObject(
                        {
                            NameObject("/Fields"): ArrayObject(),
                            NameObject("/XFA"): TextStringObject("<xdp/>"),
                        }
                    )
                }
            ),
            "XFA-formulier",
            id="xfa",
        ),
        pytest.param(
            # A name with #xx escapes is the same name to a reader: /J#61vaScript.
            lambda: pdf(catalog={"/OpenAction": javascript()}).replace(
                b"/JavaScript", b"/J#61vaScript"
            ),
            "JavaScript",
            id="escaped-name",
        ),
    ],
)
def test_pdfs_with_active_content_are_refused_with_what_they_contain(content, named):
    message = refused(content())

    assert message.startswith("Deze PDF bevat actieve inhoud")
    assert named in message


def test_a_pdf_that_cannot_be_read_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="geheim", owner_password="eigenaar")
    buffer = BytesIO()
    writer.write(buffer)

    assert refused(buffer.getvalue()).startswith("Dit PDF-bestand kan niet gelezen")
