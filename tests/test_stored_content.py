"""Whatever an editor (or an import, or a compromised account) stores, visitors get no script.

For every free-text and URL field of every public model — found from `Model._meta`, so a
field added later is covered without touching this file — XSS payloads are stored through
the ORM (no form validation in between), and every public page, feed, calendar and OAI-PMH
response that can show them is rendered and parsed the way a browser or feed reader would:

- no `<script>` but our own static scripts and JSON-LD that still parses (nothing broke out);
- no `on*` event-handler attribute, no `<iframe>`, `<object>`, `<embed>`, `<base>`;
- no `href`/`src`/`action` with a `javascript:` or `vbscript:` scheme (after stripping what
  browsers strip), nor `data:` other than an image;
- feed item and channel descriptions are HTML to a feed reader: they are checked the same;
- links in JSON-LD, feeds, OAI-PMH and .ics files are http(s).

Each field is stored in several objects at once (one object per payload that fits its
`max_length`: PostgreSQL holds that length, SQLite does not), with a marker word in the first
and in a harmless https link, which must show up somewhere: a field that no page shows
belongs in NEVER_SHOWN, so the test cannot pass by not rendering a field.
"""

import json
import re
from datetime import timedelta
from io import BytesIO

import icalendar
import lxml.etree
import lxml.html
import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from events.models import Event, Session
from ikpob_portal.kernel.links import safe_url
from ikpob_portal.kernel.models import Theme
from ikpob_portal.pages.models import Page
from learning_circles.models import LearningCircle, Meeting, ResearchQuestion
from network.models import Affiliation, Organisation, Person
from publications.models import NewsItem, Publication
from tests.factories import (
    make_affiliation,
    make_event,
    make_learning_circle,
    make_meeting,
    make_news_item,
    make_organisation,
    make_page,
    make_person,
    make_publication,
    make_research_question,
    make_session,
    make_theme,
)

WORD = "kompas"  # every object of the scene has it, so the search shows them all
MARKER = "merkteken"

HTML_PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "'><svg onload=alert(3)>",
    "</script><script>alert(4)</script>",
    "[x](javascript:alert(5))",
    "![y](javascript:alert(6))",
    "[z](JaVaScRiPt:alert(7))",
    "[w]( javascript:alert(8))",
    "[v](data:text/html;base64,PHNjcmlwdD5hbGVydCg5KTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(10)" onclick="alert(11)">a</a>',
    '<iframe src="javascript:alert(12)"></iframe>',
    '<p onmouseover="alert(13)">p</p>',
    "[u](vbscript:alert(14))",
    '<a href="&#106;avascript:alert(15)">e</a>',
    "[t](java&#x09;script:alert(16))",
    '<img src="data:text/html,alert(17)">',
    "<base href=//evil.example/><object data=x></object>",
    "[s](java\tscript:alert(18))",
    "<style>@import 'javascript:alert(19)'</style>",
)
URL_PAYLOADS = (
    "javascript:alert(21)",
    " \tJaVa\nScRiPt:alert(22)",  # browsers ignore case, the space, the tab and the newline
    "\x01javascript:alert(23)",  # and leading control characters
    "data:text/html,<script>alert(24)</script>",
)

PUBLIC_MODELS = (
    Publication,
    Person,
    Affiliation,
    Organisation,
    LearningCircle,
    ResearchQuestion,
    Meeting,
    Event,
    Session,
    Theme,
    Page,
    NewsItem,
)
# Fields a visitor never sees (nothing of them is rendered): they need no payload test.
NEVER_SHOWN = {
    # The link to join online is sent to confirmed registrants by email only (tested in
    # tests/events/test_mail.py); the public pages say "online" without the link.
    "events.Event.online_url",
    # Likewise the dial-in number and access code (tests/events/test_join_link.py), the group
    # code (typed by the invited team, never shown) and the follow-up message (mailed to
    # attendees, shown on their own page only).
    "events.Event.dial_in",
    "events.Event.access_code",
    "events.Event.group_code",
    "events.Event.followup_message",
    "learning_circles.Meeting.online_url",
    # A theme's synonyms only feed the search index (docs/search.md); pages show its name.
    "ikpob_portal.Theme.synonyms",
}


def field_id(field: models.Field) -> str:
    return f"{field.model._meta.label}.{field.name}"


def editor_text_fields() -> list[models.Field]:
    """Every text or URL field an editor types into, of every public model."""
    found = []
    for model in PUBLIC_MODELS:
        for field in model._meta.get_fields():
            if not (field.concrete and getattr(field, "editable", False)):
                continue
            if not isinstance(field, models.CharField | models.TextField):
                continue
            # Not typed: a fixed list of choices, or a slug (the URL converter and
            # `reverse` accept only [-a-zA-Z0-9_], so nothing else reaches a page).
            if field.choices or isinstance(field, models.SlugField):
                continue
            if field_id(field) in NEVER_SHOWN:
                continue
            found.append(field)
    return found


def values_for(field: models.Field) -> list[str]:
    """The marker and the payloads, packed into as few values as the field's max_length allows
    (each URL payload is a value of its own: it must start the value)."""
    limit = field.max_length or 100_000
    values: list[str] = []
    current = MARKER
    for payload in HTML_PAYLOADS:
        if len(current) + 1 + len(payload) <= limit:
            current = f"{current} {payload}"
        else:
            values.append(current)
            current = payload
    values.append(current)
    # A harmless link, which a URL field does show (the first value is not a link).
    values += [*URL_PAYLOADS, f"https://example.org/{MARKER}"]
    return [value for value in values if len(value) <= limit]


# --- The scene: one of everything, all published and connected ---------------------------


def tiny_png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def with_image(item):
    """A cover image or portrait, so its alternative text is rendered too."""
    item.image_alt = item.image_alt or "Afbeelding"
    item.image.save("cover.png", ContentFile(tiny_png()))
    return item


class Scene:
    def __init__(self):
        self.theme = make_theme(f"Thema {WORD}", description=f"Over het {WORD}.")
        self.org = make_organisation(
            f"Gemeente {WORD}",
            kind="gemeente",
            is_partner=True,
            description=f"Over de {WORD}.",
            website="https://example.org/",
            themes=[self.theme],
        )
        self.person = make_person(
            "Anna",
            f"{WORD.title()}",
            title=f"onderzoeker {WORD}",
            bio=f"Bio {WORD}.",
            organisations=[self.org],
            themes=[self.theme],
        )
        self.publication = make_publication(
            f"Publicatie {WORD}",
            authors=[self.person],
            themes=[self.theme],
            commissioned_by=[self.org],
            publisher=self.org,
            body=f"Tekst over het {WORD}.",
            external_url="https://example.org/publicatie",
        )
        self.circle = make_learning_circle(
            f"Leerkring {WORD}",
            themes=[self.theme],
            lead=self.org,
            contacts=[self.person],
            description=f"Over het {WORD}.",
        )
        self.circle.outcome_publications.add(self.publication)
        make_research_question(self.circle, f"Vraag over het {WORD}?")
        make_meeting(self.circle, f"Bijeenkomst {WORD}", summary="Verslag.")
        self.upcoming = self.event(f"Congres {WORD}", slug="congres")
        self.past = self.event(f"Terugblik {WORD}", slug="terugblik", past=True)

    def event(self, title: str, *, past: bool = False, **overrides) -> Event:
        if past:
            starts = timezone.now() - timedelta(days=30)
            overrides |= {"starts_at": starts, "ends_at": starts + timedelta(hours=6)}
            overrides.setdefault("recording_url", "https://example.org/opname")
            overrides.setdefault("materials", "Dia's.")
        overrides.setdefault("programme", f"## Programma\n\n{WORD}")
        event = make_event(
            title,
            themes=[self.theme],
            organisers=[self.org],
            speakers=[self.person],
            learning_circle=self.circle,
            capacity=100,
            **overrides,
        )
        event.publications.add(self.publication)
        make_session(event, f"Workshop {WORD}", description=f"Over het {WORD}.")
        return with_image(event)

    def add(self, model: type[models.Model], number: int, values: dict) -> None:
        """One more object of `model` carrying `values`, connected like the others."""
        slug = {"slug": f"doel-{number}"}
        if model is Publication:
            with_image(
                make_publication(
                    **{"title": f"Doel {WORD} {number}", **slug, **values},
                    authors=[self.person],
                    themes=[self.theme],
                    publisher=self.org,
                )
            )
        elif model is Person:
            fields = {"given_name": "Doel", "family_name": f"{WORD} {number}", **slug, **values}
            with_image(make_person(**fields, organisations=[self.org], themes=[self.theme]))
        elif model is Affiliation:
            make_affiliation(self.person, self.org, **{"role": f"rol {number}", **values})
        elif model is Organisation:
            organisation = make_organisation(
                **{"name": f"Doel {WORD} {number}", "kind": "gemeente", **slug, **values},
                themes=[self.theme],
            )
            # A logo, so its alternative text is rendered too.
            organisation.logo_alt = organisation.logo_alt or "Logo"
            organisation.logo.save(f"logo-{number}.png", ContentFile(tiny_png()))
            make_affiliation(self.person, organisation)
        elif model is LearningCircle:
            circle = make_learning_circle(
                **{"title": f"Doel {WORD} {number}", **slug, **values},
                themes=[self.theme],
                lead=self.org,
                contacts=[self.person],
            )
            make_meeting(circle)
        elif model is ResearchQuestion:
            make_research_question(self.circle, **{"text": f"Vraag {number}", **values})
        elif model is Meeting:
            make_meeting(self.circle, **{"title": f"Bijeenkomst {number}", **values})
        elif model is Event:
            for past in (False, True):
                fields = {"title": f"Doel {WORD} {number}", "slug": f"doel-{number}-{past:d}"}
                self.event(**{**fields, **values}, past=past)
        elif model is Session:
            for event in (self.upcoming, self.past):
                make_session(event, **{"title": f"Sessie {number}", **values})
        elif model is Page:
            parent = with_image(make_page(**{"title": f"Doel {WORD} {number}", **slug, **values}))
            # A subpage and a menu entry, so the page is also shown in a menu and in its tree.
            make_page(f"Onder {number}", parent=parent, in_footer=True, themes=[self.theme])
            parent.in_header = True
            parent.themes.add(self.theme)
            parent.save()
        elif model is NewsItem:
            with_image(
                make_news_item(
                    **{"title": f"Doel {WORD} {number}", **slug, **values},
                    people=[(self.person, "geinterviewde")],
                    organisations=[self.org],
                    themes=[self.theme],
                )
            )
        elif model is Theme:
            fields = {"name": f"Doel {WORD} {number}", "slug": f"doel-{number}", **values}
            theme = make_theme(**fields)
            for item in (self.publication, self.org, self.person, self.circle, self.upcoming):
                item.themes.add(theme)
        else:
            raise AssertionError(f"the scene cannot make a {model.__name__} yet: add it")


# --- What visitors and machines are sent ---------------------------------------------------


def public_urls() -> list[str]:
    """Every page, feed and file that shows stored content."""
    urls = ["/", f"/zoeken/?q={WORD}", "/themas/"]
    for name in ("publications", "learning_circles", "events", "network"):
        urls.append(reverse(f"{name}:list"))
    urls += [reverse("events:archive"), reverse("network:person-list")]
    urls += [reverse("network:participation")]
    urls.append(reverse("news:list"))
    for kind in (Publication, Person, Organisation, LearningCircle, Event, Page, NewsItem):
        urls += [item.get_absolute_url() for item in kind.objects.published()]
    for event in Event.objects.published():
        urls.append(reverse("events:event-ics", kwargs={"slug": event.slug}))
        if not event.is_past:
            urls.append(reverse("events:register", kwargs={"slug": event.slug}))
    for circle in LearningCircle.objects.published():
        urls.append(reverse("learning_circles:join", kwargs={"slug": circle.slug}))
    for theme in Theme.objects.all():
        urls.append(theme.get_absolute_url())
        urls += [reverse(f"theme_feeds:{kind}", kwargs={"slug": theme.slug}) for kind in ("rss",)]
    urls += [
        reverse(f"{app}:feed-{kind}")
        for app in ("publications", "events", "news")
        for kind in ("rss", "atom")
    ]
    urls += [reverse("events:agenda-ics"), "/oai/?verb=ListRecords&metadataPrefix=oai_dc"]
    return urls


CONTROL_OR_SPACE = re.compile(r"^[\x00-\x20]+|[\x00-\x20]+$")
TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "background", "cite"}
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "base", "applet", "style"}


def scheme(url: str) -> str:
    """The scheme a browser would use for this attribute value ('' for a relative URL)."""
    cleaned = TAB_OR_NEWLINE.sub("", CONTROL_OR_SPACE.sub("", url)).lower()
    match = re.match(r"([a-z][a-z0-9+.\-]*):", cleaned)
    return match.group(1) if match else ""


def unsafe_link(url: str, *, image: bool = False) -> bool:
    found = scheme(url)
    if found == "data":
        return not (image and TAB_OR_NEWLINE.sub("", url.strip()).lower().startswith("data:image/"))
    return found not in ("", "http", "https", "mailto", "tel")


def html_problems(markup: str | bytes, where: str, *, fragment: bool = False) -> list[str]:
    if fragment:
        document = lxml.html.fragment_fromstring(markup, create_parent="div")
    else:
        document = lxml.html.document_fromstring(markup)
    problems = []
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue  # a comment or processing instruction
        tag = element.tag.lower()
        here = f"{where}: <{tag} {dict(element.attrib)}>"
        if tag == "script":
            if element.get("type") == "application/ld+json":
                try:
                    problems += json_ld_problems(json.loads(element.text or ""), where)
                except json.JSONDecodeError:
                    problems.append(f"{here}: JSON-LD does not parse: {element.text!r}")
            elif not (element.get("src", "").startswith(settings.STATIC_URL) and not element.text):
                problems.append(f"{here}: a script that is not ours: {element.text!r}")
        if tag in FORBIDDEN_ELEMENTS:
            problems.append(f"{here}: a <{tag}> element")
        if tag == "meta" and element.get("http-equiv", "").lower() == "refresh":
            problems.append(f"{here}: a refresh")
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                problems.append(f"{here}: an event handler attribute {name}")
            if name.lower() in URL_ATTRIBUTES and unsafe_link(value, image=tag == "img"):
                problems.append(f"{here}: {name}={value!r}")
            if name.lower() == "srcset" and any(unsafe_link(part) for part in value.split(",")):
                problems.append(f"{here}: srcset={value!r}")
    return problems


def json_ld_problems(data, where: str) -> list[str]:
    problems = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("url", "sameAs", "logo", "image", "contentUrl", "@id"):
                for url in value if isinstance(value, list) else [value]:
                    if isinstance(url, str) and unsafe_link(url):
                        problems.append(f"{where}: JSON-LD {key}={url!r}")
            problems += json_ld_problems(value, where)
    elif isinstance(data, list):
        for value in data:
            problems += json_ld_problems(value, where)
    return problems


# In RSS and Atom these are HTML to a feed reader; in OAI-PMH's Dublin Core, plain text.
HTML_IN_FEEDS = {"description", "summary", "content", "subtitle"}
LINKS_IN_XML = {"link", "guid", "id", "identifier", "relation", "source", "loc"}


def xml_problems(content: bytes, where: str, *, feed: bool) -> list[str]:
    """Feeds and OAI-PMH: links are http(s); a feed's descriptions are HTML to a reader."""
    problems = []
    root = lxml.etree.fromstring(content)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = lxml.etree.QName(element).localname
        text = element.text or ""
        if feed and name in HTML_IN_FEEDS and text.strip():
            problems += html_problems(text, f"{where} <{name}>", fragment=True)
        looks_like_link = re.match(r"\s*[a-zA-Z][\w+.\-]*:", text)
        identifier = text.startswith(("oai:", "urn:", "tag:"))
        if name in LINKS_IN_XML and looks_like_link and not identifier and unsafe_link(text):
            problems.append(f"{where} <{name}>: {text!r}")
        for attribute in ("href", "url"):
            value = element.get(attribute)
            if value is not None and unsafe_link(value):
                problems.append(f"{where} <{name} {attribute}>: {value!r}")
    return problems


def ics_problems(content: bytes, where: str) -> list[str]:
    problems = []
    for calendar_component in icalendar.Calendar.from_ical(content).walk():
        for name in ("URL", "ATTACH", "CONFERENCE"):
            value = calendar_component.get(name)
            if value is not None and unsafe_link(str(value)):
                problems.append(f"{where} {name}: {str(value)!r}")
    return problems


def rendered_problems(client) -> tuple[list[str], str]:
    """Problems on every public URL, and everything sent (to look for the marker)."""
    problems: list[str] = []
    sent: list[str] = []
    for url in public_urls():
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        content_type = response["Content-Type"]
        content = response.content
        sent.append(content.decode())
        if content_type.startswith("text/html"):
            problems += html_problems(content, url)
        elif content_type.startswith("text/calendar"):
            problems += ics_problems(content, url)
        else:
            problems += xml_problems(content, url, feed="/feed/" in url)
    return problems, "\n".join(sent)


FIELDS = editor_text_fields()


@pytest.mark.parametrize("field", FIELDS, ids=[field_id(field) for field in FIELDS])
def test_stored_content_no_payload_becomes_script(client, db, field):
    scene = Scene()
    values = values_for(field)
    for number, value in enumerate(values, start=1):
        scene.add(field.model, number, {field.name: value})

    problems, sent = rendered_problems(client)

    assert problems == [], "\n".join(problems)
    assert MARKER in sent, f"{field_id(field)} is on no public page: add it to NEVER_SHOWN"


def test_stored_content_every_public_model_is_covered():
    """A new public model needs a place in the scene (and then its fields are tested)."""
    # A registrant's or subscriber's own page, behind the secret token: what they typed in the
    # public form (a subscriber's saved searches are labelled from values the lists accept).
    personal = {"events.Registration", "subscriptions.Subscription", "subscriptions.SavedSearch"}
    covered = {model._meta.label for model in PUBLIC_MODELS} | personal
    publishable = {
        model._meta.label
        for model in apps.get_models()
        if hasattr(model, "get_absolute_url") and model._meta.app_label != "taggit"
    }
    assert publishable <= covered, f"not in PUBLIC_MODELS: {sorted(publishable - covered)}"
    assert {"publications.Publication.body", "network.Organisation.website"} <= {
        field_id(field) for field in FIELDS
    }


URL_FIELDS = [field for field in FIELDS if isinstance(field, models.URLField)]


@pytest.mark.parametrize("field", URL_FIELDS, ids=[field_id(field) for field in URL_FIELDS])
@pytest.mark.parametrize(
    "value", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x"]
)
def test_stored_content_editors_cannot_enter_a_script_link(field, value):
    """What the admin's form runs (`full_clean`) refuses a script link, in Dutch."""
    with pytest.raises(ValidationError) as error:
        field.clean(value, None)
    assert error.value.messages == ["Voer een geldige URL in."]


@pytest.mark.parametrize(
    ("stored", "linked"),
    [
        ("https://www.vng.nl/", "https://www.vng.nl/"),
        ("  http://example.org/a?b=c  ", "http://example.org/a?b=c"),
        ("mailto:redactie@ikpob.nl", "mailto:redactie@ikpob.nl"),
        ("javascript:alert(1)", ""),
        (" JaVaScRiPt:alert(1)", ""),
        ("java\tscript:alert(1)", ""),
        ("https://example.org/\njavascript:alert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("ftp://example.org/bestand", ""),
        ("https:///no-host", ""),
        ("/relative/path", ""),
        ("", ""),
    ],
)
def test_stored_content_safe_url_links_only_web_and_mail(stored, linked):
    assert safe_url(stored) == linked
