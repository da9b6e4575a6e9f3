"""Reading a rendered page the way a visitor sees it: elements by tag, class and attribute.

Built on Django's own `parse_html`, so tests do not depend on attribute order or whitespace.
"""

import re
from collections.abc import Iterator

from django.db import connection
from django.test.html import Element, parse_html
from django.test.utils import CaptureQueriesContext


def parse(response, status: int = 200) -> Element:
    assert response.status_code == status, response.status_code
    return parse_html(response.content.decode())


def _walk(element: Element) -> Iterator[Element]:
    for child in element.children:
        if isinstance(child, Element):
            yield child
            yield from _walk(child)


def attr(element: Element, name: str) -> str | None:
    return next((value for key, value in element.attributes if key == name), None)


def has_attr(element: Element, name: str) -> bool:
    return any(key == name for key, _value in element.attributes)


def classes(element: Element) -> set[str]:
    return set((attr(element, "class") or "").split())


def find_all(root: Element, tag: str | None = None, *, cls: str | None = None, **attrs) -> list:
    """Descendants with this tag, this class among their classes and these attribute values."""
    return [
        element
        for element in _walk(root)
        if (tag is None or element.name == tag)
        and (cls is None or cls in classes(element))
        and all(attr(element, key.rstrip("_")) == value for key, value in attrs.items())
    ]


def find(root: Element, tag: str | None = None, *, cls: str | None = None, **attrs) -> Element:
    found = find_all(root, tag, cls=cls, **attrs)
    assert found, f"no <{tag or '*'}> with class {cls!r} and {attrs} on the page"
    return found[0]


def text(element: Element | str) -> str:
    """The visible text, whitespace collapsed.

    `parse_html` drops whitespace between tags, so parts are joined with a space, and the space
    before punctuation that follows a tag ("<a>Anna</a>, directeur") is taken out again.
    """
    if isinstance(element, str):
        return " ".join(element.split())
    joined = " ".join(part for part in (text(child) for child in element.children) if part)
    return re.sub(r" ([,.;:!?)])", r"\1", joined)


def card_titles(root: Element) -> list[str]:
    """Titles of the cards (`article.ikpob-card`), in the order a visitor sees them."""
    return [text(find(card, "h3")) for card in find_all(root, "article", cls="ikpob-card")]


def section(root: Element, heading: str) -> Element:
    """The `<section>` whose h2 reads `heading`."""
    for candidate in find_all(root, "section"):
        headings = find_all(candidate, "h2")
        if headings and text(headings[0]) == heading:
            return candidate
    raise AssertionError(f"no section headed {heading!r} on the page")


def section_headings(root: Element) -> list[str]:
    return [
        text(find(candidate, "h2")) for candidate in find_all(root, "section", cls="ikpob-section")
    ]


def links(root: Element) -> dict[str, str]:
    """Link text -> href of every link under `root`."""
    return {text(link): attr(link, "href") for link in find_all(root, "a")}


def facet(root: Element, name: str) -> dict[str, tuple[str, int, bool]]:
    """One facet's checkboxes: value -> (label, count, checked)."""
    options = {}
    for box in find_all(root, "input", type="checkbox", name=name):
        label = find(root, "label", for_=attr(box, "id"))
        count = text(find(label, "span", cls="ikpob-muted"))
        label_text = text(label).removesuffix(count).strip()
        number = int(count.strip("()").split()[0])
        options[attr(box, "value")] = (label_text, number, has_attr(box, "checked"))
    return options


def facet_counts(root: Element, name: str) -> dict[str, int]:
    return {value: count for value, (_label, count, _checked) in facet(root, name).items()}


def count_queries(client, url: str) -> int:
    """How many queries a visitor's request for `url` costs, with per-process caches warm."""
    client.get(url)  # content types and the like are cached after the first request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)
