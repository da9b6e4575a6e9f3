"""Read rendered pages the way a visitor or a screen reader does: the one place tests parse HTML.

Everything here finds its way by meaning, not by styling: landmarks (`main`, `nav`), headings
and the regions they label (`aria-labelledby`), `article` cards with a linked heading, `dl`
terms, `role="status"`/`role="alert"`, `rel` and `aria-current` on links, form controls by
`name` with their `<label for>`, and a few ids that are part of the page contract
(`results-heading`, `filters-heading`). A restyle only changes class names, so it should not
break these helpers; a change of structure breaks this file, not every test.

Every function takes a page as `str`, `bytes`, a Django test response or an `Element`
(to search inside part of a page). A response must have answered 200, or the status given to
`parse(response, status=...)`: an error page read by mistake would let "not on the page"
assertions pass. Text is whitespace-collapsed like a browser does (ASCII whitespace only: a
non-breaking space stays) and includes visually hidden text, so it is what assistive
technology reads out.

`Element` has `find`, `find_all`, `iter` and `closest` by tag and attribute, for what the
functions here do not cover.

What a page tells machines is read here too: the head (canonical URL, `<meta>` by name or
property, feed and language links), JSON-LD, and the feeds (with feedparser) and sitemap the
pages point to.
"""

import html as html_lib
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, NamedTuple

import feedparser
from django.db import connection
from django.test.utils import CaptureQueriesContext

VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track"}
    | {"wbr"}
)
TOKEN_ATTRIBUTES = frozenset({"class", "rel"})  # space-separated lists: match one token
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_WHITESPACE = re.compile(r"[ \t\n\r\f]+")


def squash(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


# --- A small DOM --------------------------------------------------------------------------


class Element:
    def __init__(self, tag: str, attrs: dict[str, str], parent: "Element | None" = None):
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Element | str] = []

    def __repr__(self) -> str:
        attrs = "".join(f' {name}="{value}"' for name, value in self.attrs.items())
        return f"<{self.tag}{attrs}>"

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def iter(self, *tags: str, **attrs: Any) -> Iterator["Element"]:
        """Descendants in document order, optionally only these tags with these attributes.

        Attribute names use `_` for `-` (`aria_current="page"`); `True` means "present";
        `class` and `rel` match one of their tokens; a callable is a predicate on the value.
        """
        for child in self.children:
            if isinstance(child, Element):
                if (not tags or child.tag in tags) and child.matches(**attrs):
                    yield child
                yield from child.iter(*tags, **attrs)

    def find_all(self, *tags: str, **attrs: Any) -> list["Element"]:
        return list(self.iter(*tags, **attrs))

    def find(self, *tags: str, **attrs: Any) -> "Element | None":
        return next(self.iter(*tags, **attrs), None)

    def matches(self, **attrs: Any) -> bool:
        for name, wanted in attrs.items():
            name = name.rstrip("_").replace("_", "-")
            value = self.attrs.get(name)
            if wanted is True:
                ok = value is not None
            elif wanted is None or wanted is False:
                ok = value is None
            elif value is None:
                ok = False
            elif callable(wanted):
                ok = wanted(value)
            elif name in TOKEN_ATTRIBUTES:
                ok = wanted in value.split()
            else:
                ok = value == wanted
            if not ok:
                return False
        return True

    def closest(self, *tags: str, **attrs: Any) -> "Element | None":
        node = self.parent
        while node is not None:
            if (not tags or node.tag in tags) and node.matches(**attrs):
                return node
            node = node.parent
        return None

    @property
    def raw_text(self) -> str:
        if self.tag in ("script", "style", "template"):
            return ""
        return "".join(
            child if isinstance(child, str) else child.raw_text for child in self.children
        )

    @property
    def text(self) -> str:
        return squash(self.raw_text)

    @property
    def level(self) -> int:
        """The heading level of h1–h6."""
        assert self.tag in HEADINGS, f"{self!r} is not a heading"
        return int(self.tag[1])


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs}, self.stack[-1])
        self.stack[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return  # a stray end tag is ignored, as a browser would

    def handle_data(self, data):
        self.stack[-1].children.append(data)


Page = Any  # str, bytes, Element, or a response with .content


def parse(page: Page, status: int = 200) -> Element:
    """The document; a response must have answered with `status`."""
    if isinstance(page, Element):
        return page
    if not isinstance(page, str | bytes):
        assert page.status_code == status, f"expected status {status}, got {page.status_code}"
        page = page.content
    if isinstance(page, bytes):
        page = page.decode()
    builder = _TreeBuilder()
    builder.feed(page)
    builder.close()
    return builder.root


def main(page: Page) -> Element:
    """The `main` landmark; a part of a page is searched as it is."""
    if isinstance(page, Element) and page.tag != "#document":
        return page
    document = parse(page)
    landmark = document.find("main")
    assert landmark is not None, "the page has no <main>"
    return landmark


def text(page: Page) -> str:
    """The text of the main content."""
    return main(page).text


def element_by_id(page: Page, element_id: str) -> Element | None:
    return parse(page).find(id=element_id)


def paragraph(page: Page, text: str) -> Element:
    """The one paragraph of the main content that reads `text`, to look inside it."""
    found = [p for p in main(page).iter("p") if p.text == text]
    assert len(found) == 1, f"expected one paragraph {text!r}, found {len(found)}"
    return found[0]


# --- Titles, headings, sections and links -------------------------------------------------


class Heading(NamedTuple):
    level: int
    text: str


class Link(NamedTuple):
    text: str
    href: str


def text_in_language(page: Page, language: str, *, skip=None) -> str:
    """The text of the body that a screen reader reads in `language`: a text's language is the
    `lang` of its nearest element that has one (else the page's). Text in another language
    becomes " ¦ ", so a phrase counts only when all of it is in `language`. `skip(element)`
    leaves out a part of the page (its text counts as neither)."""
    document = parse(page)
    html = document.find("html")
    body = document.find("body")
    assert html is not None, "not an HTML document"
    assert body is not None, "not an HTML document"
    parts: list[str] = []

    def walk(element: Element, inherited: str) -> None:
        if element.tag in ("script", "style", "template") or (skip and skip(element)):
            return
        current = element.get("lang", inherited)
        for child in element.children:
            if isinstance(child, Element):
                walk(child, current)
            else:
                parts.append(child if current == language else " ¦ ")

    walk(body, html.get("lang", ""))
    return squash("".join(parts))


def page_title(page: Page) -> str:
    return parse(page).find("title").text


def page_heading(page: Page) -> str:
    """The text of the one `h1` of the main content."""
    found = main(page).find_all("h1")
    assert len(found) == 1, f"expected one h1, found {[h.text for h in found]}"
    return found[0].text


def headings(page: Page) -> list[Heading]:
    return [Heading(h.level, h.text) for h in main(page).iter(*HEADINGS)]


def header_lines(page: Page) -> list[str]:
    """The paragraphs in the `header` with the h1: the kind of page above it, a subtitle below."""
    [h1] = main(page).find_all("h1")
    header = h1.closest("header")
    assert header is not None, "the h1 is not in a <header>"
    return [p.text for p in header.iter("p")]


def section_headings(page: Page) -> list[str]:
    """The headings of the `section`s of the main content that they label, in order."""
    document = parse(page)
    result = []
    for region in main(document).iter("section", aria_labelledby=True):
        labels = [document.find(id=label) for label in region.get("aria-labelledby").split()]
        result += [label.text for label in labels if label is not None and label.tag in HEADINGS]
    return result


def section(page: Page, heading: str) -> Element:
    """The region a heading with this text labels (via `aria-labelledby`), else its parent."""
    document = parse(page)
    found = [h for h in main(document).iter(*HEADINGS) if h.text == heading]
    assert len(found) == 1, f"expected one heading {heading!r}, found {len(found)}"
    heading_element = found[0]
    if heading_element.get("id"):
        region = document.find(aria_labelledby=lambda ids: heading_element.get("id") in ids.split())
        if region is not None:
            return region
    return heading_element.parent


def links(page: Page) -> list[Link]:
    """Every link of the main content (or of the given part) as (text, href)."""
    return [Link(a.text, a.get("href")) for a in main(page).iter("a", href=True)]


def find_link(page: Page, *, text: str | None = None, href: str | None = None) -> Element:
    """The one link in the main content with this text and/or href."""
    found = [
        a
        for a in main(page).iter("a", href=True)
        if (text is None or a.text == text) and (href is None or a.get("href") == href)
    ]
    assert len(found) == 1, f"expected one link text={text!r} href={href!r}, found {found}"
    return found[0]


def list_items(page: Page) -> list[str]:
    return [li.text for li in main(page).iter("li")]


def breadcrumb(page: Page) -> list[Link]:
    """The trail of the breadcrumb navigation: the `nav` whose list starts with rel="home"."""
    for nav in parse(page).iter("nav"):
        trail = nav.find("ol", "ul")
        if trail is not None and trail.find("a", rel="home") is not None:
            return [Link(a.text, a.get("href")) for a in trail.iter("a", href=True)]
    raise AssertionError("the page has no breadcrumb")


def table_rows(page: Page) -> list[list[str]]:
    """The body rows of the one table in the main content: each a list of cell texts."""
    [table] = main(page).find_all("table")
    body = table.find("tbody")
    assert body is not None, "the table has no <tbody>"
    return [[cell.text for cell in row.iter("th", "td")] for row in body.iter("tr")]


def notices(page: Page) -> list[str]:
    """Texts of the status messages and alerts in the main content that say something."""
    found = main(page).iter(role=lambda role: role in ("status", "alert"))
    return [notice.text for notice in found if notice.text]


# --- Cards --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    title: str
    href: str
    lines: list[str]  # the paragraphs under the title: kind and date, authors, summary
    links: list[Link]  # every link but the title, such as the theme chips
    marks: list[str]  # highlighted (`<mark>`) words, such as the search words in a result


def cards(page: Page) -> list[Card]:
    """Cards as a visitor sees them, in order: each an `article` headed by a link."""
    result = []
    for article in main(page).iter("article"):
        heading = article.find(*HEADINGS)
        title = heading.find("a", href=True) if heading is not None else None
        if title is None:
            continue  # not a card, such as the publication itself on its detail page
        result.append(
            Card(
                title=title.text,
                href=title.get("href"),
                lines=[p.text for p in article.iter("p")],
                links=[Link(a.text, a.get("href")) for a in article.iter("a", href=True)][1:],
                marks=[mark.text for mark in article.iter("mark")],
            )
        )
    return result


def card_titles(page: Page) -> list[str]:
    return [card.title for card in cards(page)]


# --- Theme index --------------------------------------------------------------------------


def theme_index_entries(page: Page) -> dict[str, str]:
    """Theme name → the text of its entry: list items headed by a link to the theme."""
    entries = {}
    for item in main(page).iter("li"):
        heading = item.find(*HEADINGS)
        link = heading.find("a", href=True) if heading is not None else None
        if link is not None:
            entries[link.text] = item.text
    return entries


# --- The list of results and its pages ----------------------------------------------------


def results_heading(page: Page) -> str:
    """The heading above the results, such as "45 publicaties gevonden, pagina 1 van 3"."""
    heading = parse(page).find(id="results-heading")
    assert heading is not None, "the page has no #results-heading"
    return heading.text


def result_count(page: Page) -> int:
    match = re.match(r"\d+", results_heading(page))
    assert match, f"no count in {results_heading(page)!r}"
    return int(match.group())


class PageLink(NamedTuple):
    text: str
    href: str
    rel: str | None  # "prev" or "next" for the relative links
    current: bool


def _direction(anchor) -> str | None:
    """The direction ("prev" or "next") among a link's rel tokens; filtered lists add "nofollow"."""
    tokens = (anchor.get("rel") or "").split()
    return next((token for token in tokens if token in ("prev", "next")), None)


def pagination(page: Page) -> list[PageLink]:
    """The links of the paging `nav` in the main content; empty when there is one page."""
    for nav in main(page).iter("nav"):
        anchors = nav.find_all("a", href=True)
        if any(_direction(a) or a.get("aria-current") for a in anchors):
            return [
                PageLink(a.text, a.get("href"), _direction(a), a.get("aria-current") == "page")
                for a in anchors
            ]
    return []


class LinkOption(NamedTuple):
    label: str
    count: int | None  # None for an option without a count, such as "Alle soorten"
    href: str | None  # None for the chosen option: it is not a link
    current: bool


def link_options(page: Page, heading: str) -> list[LinkOption]:
    """The options of a facet made of links (site search): the list after this heading.

    The chosen option is not a link but marked `aria-current`; the label of the others ends
    in "(N)", the number of results it leads to.
    """
    found = [h for h in main(page).iter(*HEADINGS) if h.text == heading]
    assert len(found) == 1, f"expected one heading {heading!r}, found {len(found)}"
    siblings = [child for child in found[0].parent.children if isinstance(child, Element)]
    following = siblings[siblings.index(found[0]) + 1 :]
    assert following, f"nothing after the heading {heading!r}"
    assert following[0].tag in ("ul", "ol"), f"no list after the heading {heading!r}"
    options = []
    for item in following[0].iter("li"):
        link = item.find("a", href=True)
        chosen = item.find(aria_current=True)
        text = item.text
        match = re.fullmatch(r"(?P<label>.*?) \((?P<count>\d+)\)", text)
        options.append(
            LinkOption(
                label=match["label"] if match else text,
                count=int(match["count"]) if match else None,
                href=link.get("href") if link is not None else None,
                current=chosen is not None,
            )
        )
    return options


def rel_link(page: Page, rel: str) -> str:
    """The href of the paging link to the previous or next page."""
    found = [link.href for link in pagination(page) if link.rel == rel]
    assert len(found) == 1, f"expected one rel={rel} link, found {found}"
    return found[0]


# --- The filter form ----------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    label: str
    count: int
    checked: bool


@dataclass(frozen=True)
class ErrorSummary:
    title: str
    errors: list[Link]  # each error links to the control it is about


_COUNTED_LABEL = re.compile(r"(?P<label>.*?) \((?P<count>\d+)\b[^()]*\)")


def filter_form(page: Page) -> Element:
    """The form labelled by the "Filteren" heading (#filters-heading)."""
    heading = parse(page).find(id="filters-heading")
    assert heading is not None, "the page has no #filters-heading"
    form = heading.closest("form")
    assert form is not None, "#filters-heading is not inside a form"
    return form


def _label_for(form: Element, control: Element) -> Element:
    label = form.find("label", for_=control.get("id")) if control.get("id") else None
    if label is None:
        label = control.closest("label")
    assert label is not None, f"{control!r} has no label"
    return label


def facet_options(page: Page, name: str) -> dict[str, Option]:
    """One facet's checkboxes as rendered: value → label, result count and whether checked.

    The count is the "(N resultaten)" at the end of the checkbox's label.
    """
    form = filter_form(page)
    options = {}
    for checkbox in form.iter("input", type="checkbox", name=name):
        label_text = _label_for(form, checkbox).text
        match = _COUNTED_LABEL.fullmatch(label_text)
        assert match, f"no count in the label {label_text!r}"
        options[checkbox.get("value")] = Option(
            match["label"], int(match["count"]), checkbox.get("checked") is not None
        )
    return options


def facet_counts(page: Page, name: str) -> dict[str, int]:
    return {value: option.count for value, option in facet_options(page, name).items()}


def field_value(page: Page, name: str) -> str:
    """The value a text field of the filter form shows."""
    found = filter_form(page).find_all("input", name=name)
    assert len(found) == 1, f"expected one input {name!r} in the filter form, found {found}"
    return found[0].get("value", "")


class Choice(NamedTuple):
    value: str
    label: str


def selected_option(page: Page, name: str) -> Choice:
    """The chosen option of a select in the filter form (the first when none is marked)."""
    select = filter_form(page).find("select", name=name)
    assert select is not None, f"no select {name!r} in the filter form"
    options = select.find_all("option")
    chosen = [option for option in options if option.get("selected") is not None] or options[:1]
    return Choice(chosen[0].get("value"), chosen[0].text)


def error_summary(page: Page) -> ErrorSummary | None:
    """The error summary (role="alert") of the main content: its heading and linked errors.

    An error that is about no one field (such as "too many attempts") has no link: it is in
    `notices(page)`.
    """
    summary = main(page).find(role="alert")
    if summary is None:
        return None
    heading = summary.find(*HEADINGS)
    return ErrorSummary(
        title=heading.text if heading is not None else "",
        errors=[Link(a.text, a.get("href")) for item in summary.iter("li") for a in item.iter("a")],
    )


def filter_errors(page: Page) -> ErrorSummary | None:
    """The error summary of the filter form."""
    return error_summary(filter_form(page))


# --- Forms -------------------------------------------------------------------------------


def control(page: Page, name: str) -> Element:
    """The one form control (input, textarea, select) of the main content with this name."""
    found = main(page).find_all("input", "textarea", "select", name=name)
    assert len(found) == 1, f"expected one control {name!r}, found {found}"
    return found[0]


def label_of(page: Page, name: str) -> str:
    """The text of the `<label for>` of the form control with this name."""
    element = control(page, name)
    form = element.closest("form") or main(page)
    return _label_for(form, element).text


# --- The detail page ----------------------------------------------------------------------


@dataclass(frozen=True)
class Definition:
    text: str
    links: list[Link]


def description_list(page: Page) -> dict[str, Definition]:
    """Term → description of every `dl` in the main content (the facts about an item)."""
    result = {}
    for dl in main(page).iter("dl"):
        term = None
        for child in dl.children:
            if isinstance(child, Element) and child.tag == "dt":
                term = child.text
            elif isinstance(child, Element) and child.tag == "dd" and term is not None:
                links_in = [Link(a.text, a.get("href")) for a in child.iter("a", href=True)]
                result[term] = Definition(child.text, links_in)
    return result


# --- What a page costs -------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    """How many queries a visitor's request for `url` costs, with per-process caches warm."""
    client.get(url)  # content types and the like are cached after the first request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# --- The admin ----------------------------------------------------------------------------


def changelist(page: Page, *fields: str) -> list[tuple[str, ...]]:
    """Rows of a Django admin change list: the cells of these fields (Django's `field-<name>`).

    One field gives a list of strings instead of one-element tuples.
    """
    table = parse(page).find("table", id="result_list")
    if table is None:
        return []
    rows = []
    for row in table.find("tbody").iter("tr"):
        cells = []
        for field in fields:
            cell = row.find("th", "td", class_=f"field-{field}")
            assert cell is not None, f"no column {field!r}"
            cells.append(cell.text)
        rows.append(cells[0] if len(fields) == 1 else tuple(cells))
    return rows


# --- What a page tells machines: the head, JSON-LD, feeds and the sitemap -----------------


def head(page: Page) -> Element:
    found = parse(page).find("head")
    assert found is not None, "the page has no <head>"
    return found


def canonical(page: Page) -> str:
    """The href of the one `<link rel="canonical">`."""
    found = [link.get("href") for link in head(page).iter("link", rel="canonical")]
    assert len(found) == 1, f"expected one canonical link, found {found}"
    return found[0]


def meta_values(page: Page, key: str) -> list[str]:
    """The content of every `<meta>` with this name or property, in order."""
    return [
        element.get("content", "")
        for element in head(page).iter("meta")
        if key in (element.get("name"), element.get("property"))
    ]


def meta(page: Page, key: str) -> str:
    """The content of the one `<meta>` with this name or property (og:title, description)."""
    found = meta_values(page, key)
    assert len(found) == 1, f"expected one meta {key!r}, found {found}"
    return found[0]


class FeedLink(NamedTuple):
    type: str
    title: str
    href: str


def feed_links(page: Page) -> list[FeedLink]:
    """The feeds the head announces: `<link rel="alternate">` with an RSS or Atom type."""
    return [
        FeedLink(link.get("type"), link.get("title", ""), link.get("href"))
        for link in head(page).iter("link", rel="alternate", type=True)
    ]


def language_versions(page: Page) -> dict[str, str]:
    """hreflang → href of the `<link rel="alternate" hreflang>` in the head."""
    return {
        link.get("hreflang"): link.get("href")
        for link in head(page).iter("link", rel="alternate", hreflang=True)
    }


def json_ld(page: Page) -> list[Any]:
    """Every `<script type="application/ld+json">` of the page, parsed."""
    return [
        json.loads("".join(child for child in script.children if isinstance(child, str)))
        for script in parse(page).iter("script", type="application/ld+json")
    ]


def feed(response) -> feedparser.FeedParserDict:
    """A feed as a feed reader reads it; it must be well-formed (feedparser's `bozo` unset)."""
    assert response.status_code == 200, f"expected status 200, got {response.status_code}"
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, f"the feed is not well-formed: {parsed.get('bozo_exception')!r}"
    return parsed


def shown(detail) -> str:
    """The text a feed reader shows for a title (feedparser's `title_detail`): an RSS title is
    HTML to feedparser and to many readers, so it must hold no live markup and reads as the
    editor typed it once unescaped; an Atom title is text."""
    if detail.type == "text/html":
        assert "<" not in detail.value, f"live markup in a feed: {detail.value!r}"
        return html_lib.unescape(detail.value)
    return detail.value


SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap(response) -> dict[str, str | None]:
    """loc → lastmod (None when absent) of every `<url>` of a sitemap; it must be valid XML."""
    assert response.status_code == 200, f"expected status 200, got {response.status_code}"
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{SITEMAP_NS['sm']}}}urlset", f"not a sitemap: {root.tag}"
    entries = {}
    for url in root.findall("sm:url", SITEMAP_NS):
        loc = url.findtext("sm:loc", namespaces=SITEMAP_NS)
        assert loc not in entries, f"{loc} is listed twice"
        entries[loc] = url.findtext("sm:lastmod", namespaces=SITEMAP_NS)
    return entries


def admin_messages(page: Page) -> list[str]:
    """The messages Django's admin shows above the content ("3 deelnemers aanwezig gemeld.")."""
    found = parse(page).find("ul", class_="messagelist")
    return [item.text for item in found.iter("li")] if found is not None else []


def chosen_filters(page: Page) -> list[Link]:
    """The chips of the chosen filters above a list's results, and "Alle filters wissen"."""
    region = parse(page).find(class_="ikpob-chosen-filters")
    return [] if region is None else links(region)
