"""Whatever a visitor, a crawler or a bot sends, the portal answers with a page or a clear 4xx.

Property-based (hypothesis): arbitrary text (NUL bytes, lone surrogates and broken UTF-8 as
percent escapes, right-to-left marks, emoji, very long strings), huge, negative and float
numbers, repeated, unknown and malformed parameters go to every public list, search, feed,
download and OAI-PMH parameter, to paths with free-form slugs and tokens, and to every field
of the public forms. Never a 500 (the test client raises the view's exception), and a form
that is refused saves nothing and sends no mail; an accepted one saves exactly one row.

Runs are deterministic (`derandomize=True`) and write no `.hypothesis/` directory into the
project: no example database (`database=None`), and hypothesis's own caches (Unicode tables,
constants) go to a directory under the system's temporary directory.
"""

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from lxml import etree

from events.models import Registration
from ikpob_portal.kernel.models import OutgoingMail, ThemeRedirect
from learning_circles.models import JoinRequest
from publications import oai
from tests.factories import (
    make_event,
    make_join_request,
    make_learning_circle,
    make_organisation,
    make_person,
    make_publication,
    make_registration,
    make_session,
    make_theme,
)
from tests.html import error_summary, filter_errors, parse

set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "ikpob-hypothesis")
hypothesis_settings.register_profile(
    "ikpob-properties",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=25,
    print_blob=False,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
PROPERTIES = hypothesis_settings.get_profile("ikpob-properties")


def examples(n: int) -> hypothesis_settings:
    return hypothesis_settings(PROPERTIES, max_examples=n)


pytestmark = pytest.mark.django_db

# A page, a redirect, "not modified", or a clear refusal: never a 5xx.
ANSWERS = {200, 301, 302, 304, 400, 403, 404, 405, 410, 413, 429}

# --- values ---------------------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\t\n",
    "\x00",
    "a\x00b",
    "\x00" * 20,
    "\u202ekrow\u202c",  # right-to-left override
    "\u05e9\u05dc\u05d5\u05dd",  # Hebrew
    "\u0645\u0631\u062d\u0628\u0627",  # Arabic
    "\U0001f600\U0001f469\u200d\U0001f4bb",
    "\ufeff",
    "\ud800",  # a lone surrogate: sent as the (invalid) UTF-8 bytes %ED%A0%80
    "\udfff\ud800",
    "0",
    "-0",
    "-1",
    "1.5",
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "-inf",
    "9" * 40,
    "-" + "9" * 40,
    "0x1f",
    "\uff12\uff10\uff12\uff10",  # full-width digits: int() reads them as 2020
    "\u0662\u0660\u0662\u0660",  # Arabic-Indic digits
    "2020-13-45",
    "9999-12-31",
    "0000-00-00",
    "0001-01-01T00:00:00Z",
    "' OR 1=1 --",
    '"',
    '""',
    '"-"',
    "-",
    "--",
    "or",
    "OR OR",
    "<script>alert(1)</script>",
    "%",
    "%00",
    "%zz",
    "..",
    "../../etc/passwd",
    "/",
    "\\",
    "*",
    "?",
    "&",
    "=",
    "#",
    "x" * 3000,
    "woord " * 400,
]

# Percent-encode with `surrogatepass`: a lone surrogate becomes bytes that are not UTF-8.
text_values = st.text(
    alphabet=st.characters(codec=None, categories=None, exclude_categories=()), max_size=40
)
number_values = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=1900, max_value=2100).map(str),
)
raw_bytes = st.binary(max_size=24)


def value_strategy(valid: list[str] = ()) -> st.SearchStrategy:
    options = [st.sampled_from(NASTY), text_values, number_values, raw_bytes]
    if valid:
        options.append(st.sampled_from(list(valid)))
    return st.one_of(*options)


def encode(value: str | bytes) -> str:
    if isinstance(value, str):
        value = value.encode("utf-8", "surrogatepass")
    return quote(value, safe="")


# Pieces of a query string that are not `name=value` at all.
MALFORMED = st.sampled_from(["", "&", "=", "==", "q", "%", "%zz", "q=%", "q=%e2%82", ";", "&&=&"])


def query_string(names: list[str], valid: dict[str, list[str]] | None = None):
    """A raw query string: known and unknown names, repeated, with any values."""
    valid = valid or {}
    all_valid = sorted({value for values in valid.values() for value in values})
    name = st.one_of(st.sampled_from(names), st.sampled_from(NASTY[:12]), text_values)
    pair = st.builds(lambda n, v: f"{encode(n)}={encode(v)}", name, value_strategy(all_valid))
    piece = st.one_of(pair, pair, pair, MALFORMED)
    return st.lists(piece, max_size=8).map("&".join)


def get(client, path: str, query: str = "", **extra):
    response = client.get(path, QUERY_STRING=query, **extra)
    assert response.status_code in ANSWERS, (path, query, response.status_code)
    return response


# --- content ----------------------------------------------------------------------------------


@pytest.fixture
def site(db, settings):
    """A little published content of every kind, so details, facets and filters have rows."""
    # Another part of issue 8 sets this for every test in tests/conftest.py; set it here too.
    settings.FORM_MIN_FILL_SECONDS = 0
    settings.REGISTRATION_RATE_LIMIT_PER_HOUR = 10**9
    settings.SEARCH_RATE_LIMIT_PER_MINUTE = 10**9
    settings.LIST_FILTER_RATE_LIMIT_PER_MINUTE = 10**9
    theme = make_theme("Digitale overheid")
    other = make_theme("Vakmanschap")
    ThemeRedirect.objects.create(old_slug="oude-naam", theme=theme)
    organisation = make_organisation("Gemeente Berkelland", themes=[theme])
    person = make_person("Anna", "Vries", particle="de", organisations=[organisation])
    publication = make_publication(
        "Sturing in netwerken",
        authors=[person],
        themes=[theme, other],
        publisher=organisation,
        commissioned_by=[organisation],
    )
    make_publication("Vakmanschap van ambtenaren", themes=[other], publication_year=2019)
    circle = make_learning_circle(
        "Leerkring datagedreven werken",
        themes=[theme],
        lead=organisation,
        contacts=[person],
        accepts_join_requests=True,
    )
    make_join_request(circle, email="bestaand@example.org")
    event = make_event("Slotconferentie", themes=[theme], organisers=[organisation], capacity=50)
    sessions = [
        make_session(event, "Workshop A", slot=1),
        make_session(event, "Workshop B", slot=1, capacity=1),
        make_session(event, "Workshop C", slot=2),
    ]
    registration = make_registration(event, email="bestaand@example.org")
    now = timezone.now()
    past = make_event(
        "Webinar vorig jaar",
        starts_at=now - timedelta(days=400),
        ends_at=now - timedelta(days=400) + timedelta(hours=2),
        themes=[other],
    )
    return {
        "theme": theme,
        "organisation": organisation,
        "person": person,
        "publication": publication,
        "circle": circle,
        "event": event,
        "sessions": sessions,
        "registration": registration,
        "past": past,
    }


@pytest.fixture
def fresh_cache():
    """Rate limits count per visitor in the cache: every example starts with a clean one."""

    def clear():
        cache.clear()

    clear()
    yield clear
    cache.clear()


# --- lists and search -------------------------------------------------------------------------

LISTS = {
    "/publicaties/": ["q", "thema", "soort", "jaar", "organisatie", "auteur", "sortering", "page"],
    "/leerkringen/": ["q", "fase", "thema", "organisatie", "page"],
    "/netwerk/": ["q", "soort", "relatie", "thema", "page"],
    "/netwerk/personen/": ["q", "organisatie", "thema", "page"],
    "/evenementen/": ["q", "soort", "thema", "organisator", "periode", "page"],
    "/evenementen/archief/": ["q", "soort", "thema", "organisator", "jaar", "page"],
    "/zoeken/": ["q", "soort", "thema", "page"],
}

VALID = {
    "thema": ["digitale-overheid", "vakmanschap", "oude-naam"],
    "soort": ["rapport", "publication", "event", "learningcircle", "gemeente", "congres"],
    "jaar": ["2019", "2020", "2025"],
    "organisatie": ["gemeente-berkelland"],
    "organisator": ["gemeente-berkelland"],
    "auteur": ["anna-de-vries"],
    "sortering": ["nieuwste", "oudste", "titel"],
    "fase": ["lopend", "afgerond", "in-voorbereiding"],
    "relatie": ["partner", "opdrachtgever"],
    "periode": ["deze-maand", "komende-3-maanden", "later"],
    "page": ["1", "2", "last", "0", "-1", "99999999999999999999"],
    "q": ["sturing", "netwerk", "vakmanscap", '"sturing in"', "-sturing", "a"],
}


def language(prefix: bool) -> str:
    return "/en" if prefix else ""


@pytest.mark.parametrize("path", list(LISTS))
def test_list_and_search_answer_any_parameters(client, site, fresh_cache, path):
    """Facets, sorting, paging and text queries: any values, in Dutch and in English."""

    @examples(12)
    @given(query=query_string(LISTS[path], VALID), english=st.booleans())
    @example(query="q=LONG", english=False)  # LONG: 100 000 characters (kept out of reports)
    @example(query="q=%00&thema=%00&page=%00&soort=%00&jaar=%00", english=False)
    @example(query="q=%ED%A0%80&thema=%ED%A0%80&auteur=%C0%AF", english=True)
    @example(query="&".join(f"jaar={n}" for n in range(1500)), english=False)
    @example(query="jaar=99999999999999999999999&jaar=-1&jaar=1e3", english=False)
    @example(query="page=99999999999999999999&sortering=%00", english=False)
    def check(query, english):
        fresh_cache()
        before = Registration.objects.count(), JoinRequest.objects.count()
        response = get(client, language(english) + path, query.replace("LONG", "x" * 100_000))
        if response.status_code == 200:
            assert response["Content-Type"].startswith("text/html")
        assert (Registration.objects.count(), JoinRequest.objects.count()) == before

    check()


def test_invalid_filter_value_is_reported_in_dutch(client, site):
    """What the properties above allow (200 for a bad filter) is a page that says so."""
    response = client.get("/publicaties/", {"jaar": "twintig", "thema": "\x00"})

    assert response.status_code == 200
    summary = filter_errors(response)
    assert summary is not None
    assert summary.title == "Niet alle filters konden worden toegepast"


# --- every other public page ------------------------------------------------------------------


def fixed_paths(site) -> list[str]:
    publication, event = site["publication"], site["event"]
    return [
        "/",
        "/themas/",
        "/themas/digitale-overheid/",
        "/themas/oude-naam/",
        "/themas/digitale-overheid/feed/rss/",
        "/themas/digitale-overheid/feed/atom/",
        "/publicaties/feed/rss/",
        "/publicaties/feed/atom/",
        publication.get_absolute_url(),
        f"/publicaties/{publication.slug}/citeer.bib",
        f"/publicaties/{publication.slug}/citeer.ris",
        f"/publicaties/{publication.slug}/download/",
        site["circle"].get_absolute_url(),
        f"/leerkringen/{site['circle'].slug}/aanmelden/",
        f"/leerkringen/{site['circle'].slug}/aanmelden/ontvangen/",
        site["organisation"].get_absolute_url(),
        site["person"].get_absolute_url(),
        "/netwerk/deelname/",
        "/netwerk/deelname/csv/",
        event.get_absolute_url(),
        f"/evenementen/{event.slug}/aanmelden/",
        f"/evenementen/{event.slug}/agenda.ics",
        "/evenementen/agenda.ics",
        "/evenementen/feed/rss/",
        "/evenementen/feed/atom/",
        site["past"].get_absolute_url(),
        site["registration"].get_absolute_url(),
        "/privacy/",
        "/toegankelijkheid/",
        "/sitemap.xml",
        "/robots.txt",
        "/healthz/",
    ]


def test_every_public_page_ignores_or_refuses_stray_parameters(client, site, fresh_cache):
    paths = fixed_paths(site)

    @examples(40)
    @given(
        path=st.sampled_from(paths),
        query=query_string(["page", "p", "nieuw", "format", "q", "lang"], VALID),
        english=st.booleans(),
    )
    @example(path="/sitemap.xml", query="p=%00", english=False)
    @example(path="/sitemap.xml", query="p=99999999999999999999", english=False)
    @example(path="/sitemap.xml", query="p=-1", english=False)
    def check(path, query, english):
        fresh_cache()
        if path.startswith(("/sitemap", "/robots", "/healthz")):
            english = False  # not under i18n_patterns
        get(client, language(english) + path, query)

    check()


HEADER_VALUES = [
    "nl",
    "en",
    "en-GB,en;q=0.9,nl;q=0.8",
    "*",
    "xx",
    "nl;q=abc",
    "Thu, 01 Jan 1970 00:00:00 GMT",
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "Sun, 06 Nov 1994 08:49:37 GMT",
    '"abc"',
    'W/"abc"',
    "*",
    "1.2.3.4",
    "1.2.3.4, 5.6.7.8",
    "::1",
    "unknown, , ,",
]


def header_value() -> st.SearchStrategy:
    """As a WSGI server passes a header: its bytes read as Latin-1."""
    return value_strategy(HEADER_VALUES).map(
        lambda v: (v if isinstance(v, bytes) else v.encode("utf-8", "surrogatepass")).decode(
            "latin-1"
        )
    )


def test_pages_answer_any_request_headers_also_through_the_page_cache(client, site, settings):
    """Language, conditional GET, forwarded-for and cookie headers of any shape, with the page
    cache and the count cache on (as in production with Redis)."""
    settings.PAGE_CACHE = True
    settings.QUERY_CACHE = True
    settings.NUM_PROXIES = 1
    paths = [*LISTS, *fixed_paths(site)[:12], "/oai/"]
    cache.clear()

    @examples(20)
    @given(
        path=st.sampled_from(paths),
        query=query_string(["q", "page", "thema"], VALID),
        accept_language=header_value(),
        if_modified_since=header_value(),
        if_none_match=header_value(),
        forwarded_for=header_value(),
        cookie=st.builds(
            lambda lang, csrf, session: (
                f"django_language={lang}; csrftoken={csrf}; sessionid={session}"
            ),
            header_value(),
            header_value(),
            header_value(),
        ),
    )
    def check(
        path, query, accept_language, if_modified_since, if_none_match, forwarded_for, cookie
    ):
        # Twice: the second answer may come from the cache.
        for _attempt in range(2):
            get(
                client,
                path,
                query,
                HTTP_ACCEPT_LANGUAGE=accept_language,
                HTTP_IF_MODIFIED_SINCE=if_modified_since,
                HTTP_IF_NONE_MATCH=if_none_match,
                HTTP_X_FORWARDED_FOR=forwarded_for,
                HTTP_COOKIE=cookie,
            )

    check()
    cache.clear()


# --- free-form path segments: theme slugs, registration tokens, any slug -----------------------

SEGMENT_PATHS = [
    "/themas/{}/",
    "/themas/{}/feed/rss/",
    "/themas/{}/feed/atom/",
    "/aanmelding/{}/",
    "/publicaties/{}/",
    "/publicaties/{}/citeer.bib",
    "/publicaties/{}/citeer.ris",
    "/publicaties/{}/download/",
    "/leerkringen/{}/",
    "/leerkringen/{}/aanmelden/",
    "/netwerk/{}/",
    "/netwerk/personen/{}/",
    "/evenementen/{}/",
    "/evenementen/{}/aanmelden/",
    "/evenementen/{}/agenda.ics",
]
segments = st.one_of(
    st.sampled_from([s for s in NASTY if s not in ("", "/", "..", "../../etc/passwd")]),
    text_values.filter(bool),
    raw_bytes.filter(bool),
    st.sampled_from(["digitale-overheid", "DIGITALE-OVERHEID", "oude-naam", "x" * 300]),
)


def test_any_slug_or_token_in_a_path_is_a_page_or_not_found(client, site, fresh_cache):
    @examples(40)
    @given(
        template=st.sampled_from(SEGMENT_PATHS),
        segment=segments,
        english=st.booleans(),
        method=st.sampled_from(["get", "get", "head", "post"]),
    )
    @example(template="/themas/{}/", segment="\x00", english=False, method="get")
    @example(template="/aanmelding/{}/", segment="\x00", english=False, method="get")
    @example(template="/aanmelding/{}/", segment="\x00", english=False, method="post")
    @example(template="/themas/{}/feed/rss/", segment="\x00", english=False, method="get")
    @example(template="/themas/{}/", segment="\ud800", english=True, method="get")
    @example(template="/aanmelding/{}/", segment="x" * 500, english=False, method="get")
    def check(template, segment, english, method):
        fresh_cache()
        before = Registration.objects.filter(status=Registration.Status.CANCELLED).count()
        path = language(english) + template.format(encode(segment))
        response = getattr(client, method)(path)
        assert response.status_code in ANSWERS, (path, response.status_code)
        assert Registration.objects.filter(status=Registration.Status.CANCELLED).count() == before

    check()


# --- the language switch ------------------------------------------------------------------------


def test_language_switch_never_sends_a_visitor_elsewhere(client, site, fresh_cache):
    @examples(20)
    @given(
        language_code=value_strategy(["nl", "en", "de", "EN"]),
        next_url=value_strategy(
            ["/", "/publicaties/", "//evil.example/", "https://evil.example/", "/\\evil.example"]
        ),
    )
    def check(language_code, next_url):
        fresh_cache()
        body = f"language={encode(language_code)}&next={encode(next_url)}"
        response = client.post(
            "/i18n/setlang/", body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code in ANSWERS
        if response.status_code in (301, 302):
            target = urlsplit(response["Location"])
            assert not target.netloc or target.netloc == "testserver", response["Location"]

    check()


# --- OAI-PMH ------------------------------------------------------------------------------------

OAI_NAMES = ["verb", "metadataPrefix", "identifier", "from", "until", "set", "resumptionToken"]


def oai_values(site) -> list[str]:
    pk = site["publication"].pk
    token = oai._make_token(
        oai.ListQuery(verb="ListRecords", prefix="oai_dc"),
        oai.Item(datetime(2026, 1, 2, tzinfo=UTC), pk),
        50,
    )
    return [
        *oai.VERBS,
        "identify",
        "oai_dc",
        "OAI_DC",
        "marc21",
        oai.identifier(pk),
        oai.identifier(10**17),
        oai.identifier(10**30),
        "oai:elders:publication/1",
        "2026-01-01",
        "2026-01-01T00:00:00Z",
        "2026-02-30",
        "9999-12-31",
        "0001-01-01",
        "theme:digitale-overheid",
        "theme:",
        token,
        token[:-1],
        token + "x",
        token.replace(":", ";", 1),
    ]


def test_oai_pmh_answers_every_request_with_a_protocol_document(client, site, fresh_cache):
    valid = oai_values(site)
    name = st.one_of(st.sampled_from(OAI_NAMES), st.sampled_from(OAI_NAMES), text_values)
    pair = st.builds(lambda n, v: f"{encode(n)}={encode(v)}", name, value_strategy(valid))
    queries = st.lists(st.one_of(pair, pair, MALFORMED), max_size=7).map("&".join)

    @examples(50)
    @given(query=queries, method=st.sampled_from(["get", "post", "head"]))
    @example(query="verb=GetRecord&metadataPrefix=oai_dc&identifier=%00", method="get")
    @example(query="verb=ListRecords&metadataPrefix=oai_dc&set=%00", method="post")
    @example(query="verb=ListRecords&metadataPrefix=oai_dc&from=%ED%A0%80", method="get")
    @example(query="verb=ListIdentifiers&resumptionToken=%00", method="get")
    @example(query="verb=ListSets&resumptionToken=LONG", method="post")
    @example(query="verb=Identify&verb=Identify", method="get")
    @example(query="verb=ListRecords&metadataPrefix=oai_dc&until=9999-12-31", method="get")
    @example(query="verb=ListRecords&metadataPrefix=oai_dc&from=0001-01-01", method="get")
    def check(query, method):
        fresh_cache()
        query = query.replace("LONG", "x" * 100_000)
        if method == "post":
            response = client.post("/oai/", query, content_type="application/x-www-form-urlencoded")
        else:
            response = getattr(client, method)("/oai/", QUERY_STRING=query)
        assert response.status_code in ANSWERS, (query, response.status_code)
        if response.status_code == 200 and method != "head":
            root = etree.fromstring(response.content)
            assert root.tag == f"{{{oai.OAI_NS}}}OAI-PMH"
            answers = [child.tag.split("}")[1] for child in root][2:]
            assert len(answers) == 1
            assert answers[0] == "error" or answers[0] in oai.VERBS

    check()


# --- forms ------------------------------------------------------------------------------------


def form_value(valid: list[str]) -> st.SearchStrategy:
    """Mostly sensible values, so that accepted submissions happen too."""
    return st.one_of(st.sampled_from(valid), st.sampled_from(valid), value_strategy())


EMAILS = [
    "anna@example.org",
    "Anna.de.Vries@Gemeente.nl",
    "bestaand@example.org",
    "BESTAAND@example.org",
    "geen-adres",
    "a@b",
    "\u00e9l\u00e8ve@\u00e9cole.fr",
    "a@\U0001f600.nl",
    "x" * 300 + "@example.org",
]
NAMES = ["Anna de Vries", "Jan", "\u05e9\u05dc\u05d5\u05dd", "\U0001f600", "x" * 250]


def form_body(fields: dict[str, st.SearchStrategy]) -> st.SearchStrategy:
    """A urlencoded body: each field present or missing, sometimes repeated, plus extras."""
    chosen = st.fixed_dictionaries(
        {},
        optional={
            name: st.lists(strategy, min_size=1, max_size=2) for name, strategy in fields.items()
        },
    )
    extras = st.lists(st.tuples(text_values, value_strategy()), max_size=2)
    return st.builds(
        lambda values, more: "&".join(
            [f"{encode(n)}={encode(v)}" for n, vs in values.items() for v in vs]
            + [f"{encode(n)}={encode(v)}" for n, v in more]
        ),
        chosen,
        extras,
    )


def hidden_inputs(html: str) -> str:
    """The form's own hidden fields (other parts of issue 8 add some), as a body fragment."""
    form = parse(html).find("form", method="post")
    pieces = []
    for field in form.iter("input"):
        name = field.get("name")
        if field.get("type") == "hidden" and name and name != "csrfmiddlewaretoken":
            pieces.append(f"{encode(name)}={encode(field.get('value') or '')}")
    return "&".join(pieces)


def post_form(client, path: str, body: str, capture):
    with capture(execute=True):
        response = client.post(path, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in ANSWERS, (body, response.status_code)
    return response


SUMMARY_TITLES = {
    False: "Er ging iets mis. Controleer:",
    True: "Something went wrong. Please check:",
}


def assert_refused_with_reasons(response, english: bool) -> None:
    """The form again, with the error summary in the page's language (Dutch by default)."""
    assert response.status_code in (200, 400, 429), response.status_code
    summary = error_summary(response.content.decode() if response.status_code != 200 else response)
    assert summary is not None, "a refused form shows its error summary"
    assert summary.title == SUMMARY_TITLES[english]


def test_registration_form_saves_exactly_one_row_or_nothing(
    client, site, fresh_cache, django_capture_on_commit_callbacks
):
    event, sessions = site["event"], site["sessions"]
    path = f"/evenementen/{event.slug}/aanmelden/"
    session_ids = [str(s.pk) for s in sessions]
    fields = {
        "name": form_value(NAMES),
        "email": form_value(EMAILS),
        "organisation": form_value(["Gemeente Berkelland", "\u202eGemeente"]),
        "job_title": form_value(["Beleidsadviseur", ""]),
        "needs": form_value(["Rolstoeltoegang", "", "x" * 1001]),
        "consent": form_value(["on", "true", "1", "False", "0"]),
        "ronde_1": form_value([*session_ids[:2], session_ids[2], "", str(10**20)]),
        "ronde_2": form_value([session_ids[2], session_ids[0], ""]),
    }

    @examples(25)
    @given(body=form_body(fields), english=st.booleans())
    @example(body="name=Anna&email=anna%00@example.org&organisation=G&consent=on", english=False)
    @example(body="name=%00&email=a@example.org&organisation=%00&consent=on", english=False)
    @example(
        body="name=Anna&email=nul@example.org&organisation=G&needs=a%00b&consent=on",
        english=False,
    )
    @example(
        body="name=%ED%A0%80&email=s@example.org&organisation=%ED%A0%80&consent=on",
        english=True,
    )
    @example(
        body=f"name=Anna&email=r@example.org&organisation=G&consent=on&ronde_1={'9' * 40}",
        english=False,
    )
    def check(body, english):
        fresh_cache()
        url = language(english) + path
        hidden = hidden_inputs(client.get(url).content.decode())
        rows, mails = Registration.objects.count(), len(mail.outbox)
        response = post_form(client, url, f"{body}&{hidden}", django_capture_on_commit_callbacks)
        outcomes.append(response.status_code == 302)
        if response.status_code == 302:
            assert Registration.objects.count() == rows + 1
            newest = Registration.objects.latest("pk")
            assert response["Location"].endswith(newest.get_absolute_url() + "?nieuw=1")
            assert len(mail.outbox) == mails + 1  # the confirmation (or waiting-list) mail
            assert not OutgoingMail.objects.filter(done_at__isnull=True).exists()
        else:
            assert_refused_with_reasons(response, english)
            assert Registration.objects.count() == rows
            assert len(mail.outbox) == mails

    outcomes: list[bool] = []
    check()
    assert True in outcomes, "some generated submissions are accepted"
    assert False in outcomes, "some generated submissions are refused"


def test_join_form_saves_exactly_one_row_or_nothing(
    client, site, fresh_cache, django_capture_on_commit_callbacks
):
    circle = site["circle"]
    path = f"/leerkringen/{circle.slug}/aanmelden/"
    fields = {
        "organisation_name": form_value(["Gemeente Berkelland", "\u202eGemeente"]),
        "name": form_value(NAMES),
        "email": form_value(EMAILS),
        "motivation": form_value(["Wij willen meedoen.", "x" * 3001]),
        "consent": form_value(["on", "1", "false"]),
    }

    @examples(25)
    @given(body=form_body(fields), english=st.booleans())
    @example(
        body="organisation_name=G&name=A&email=j%00@example.org&motivation=M&consent=on",
        english=False,
    )
    @example(
        body="organisation_name=%00&name=%00&email=j@example.org&motivation=%00&consent=on",
        english=False,
    )
    @example(
        body="organisation_name=%ED%A0%80&name=A&email=s@example.org&motivation=%ED%A0%80"
        "&consent=on",
        english=True,
    )
    def check(body, english):
        fresh_cache()
        url = language(english) + path
        hidden = hidden_inputs(client.get(url).content.decode())
        rows, mails = JoinRequest.objects.count(), len(mail.outbox)
        response = post_form(client, url, f"{body}&{hidden}", django_capture_on_commit_callbacks)
        outcomes.append(response.status_code == 302)
        if response.status_code == 302:
            assert JoinRequest.objects.count() == rows + 1
            assert response["Location"].endswith(f"/leerkringen/{circle.slug}/aanmelden/ontvangen/")
            assert len(mail.outbox) == mails + 1  # the notice to the editors
        else:
            assert_refused_with_reasons(response, english)
            assert JoinRequest.objects.count() == rows
            assert len(mail.outbox) == mails

    outcomes: list[bool] = []
    check()
    assert True in outcomes, "some generated submissions are accepted"
    assert False in outcomes, "some generated submissions are refused"


def test_cancel_takes_no_parameters_from_the_body(
    client, site, fresh_cache, django_capture_on_commit_callbacks
):
    """Posting anything to a registration's cancel page cancels that one registration, nothing
    else."""
    event = site["event"]

    @examples(10)
    @given(body=form_body({"token": value_strategy(), "status": value_strategy()}))
    def check(body):
        fresh_cache()
        registration = make_registration(event)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"{registration.get_absolute_url()}annuleren/",
                body,
                content_type="application/x-www-form-urlencoded",
            )
        assert response.status_code == 302
        assert response["Location"] == registration.get_absolute_url()
        registration.refresh_from_db()
        assert registration.status == Registration.Status.CANCELLED
        assert Registration.objects.get(pk=site["registration"].pk).status == (
            Registration.Status.CONFIRMED
        )

    check()


# --- what the properties found (each was a 500) ----------------------------------------------


@pytest.mark.parametrize("path", [p for p in LISTS if p != "/zoeken/"])
def test_a_pasted_page_of_text_as_query_still_answers(client, site, path):
    """SQLite refuses LIKE patterns over 50 000 bytes: a list's words are cut to 200 characters."""
    response = client.get(path, {"q": "sturing " + "x" * 100_000})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "path", ["/themas/%00/", "/themas/%00/feed/rss/", "/aanmelding/%00/", "/en/themas/a%00b/"]
)
def test_a_nul_in_a_theme_address_or_token_is_not_found(client, site, path):
    """PostgreSQL cannot compare text holding NUL: such an address is unknown, not an error."""
    assert client.get(path).status_code == 404


def test_a_nul_in_a_search_is_ignored(client, site):
    response = client.get("/zoeken/", {"q": "sturing\x00", "thema": "digitale\x00overheid"})

    assert response.status_code == 200
    assert "Sturing in netwerken" in response.content.decode()
