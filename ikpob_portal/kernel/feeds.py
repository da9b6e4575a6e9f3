"""What every feed of the site shares: RSS 2.0 and Atom generators that name every author
and survive text XML cannot hold, and a Feed base that answers in either format.

An app adds a feed with a `SiteFeed` subclass next to its models (new publications in
`publications/feeds.py`, upcoming events in `events/feeds.py`), `rss`/`atom` views made with
`SiteFeed.view(Rss)` and `.view(Atom)`, URL patterns in its urls.py, and a
`registry.FeedLink` so the home page (and with `per_theme`, the theme page) links it.
"""

import re
from collections.abc import Callable

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.html import escape

DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"

# Characters XML 1.0 cannot hold. Text pasted from a word processor can carry them (a
# vertical tab for a line break), and one in any title would make the whole feed fail.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(value):
    if isinstance(value, str):
        return XML_ILLEGAL.sub("", value)
    if isinstance(value, list | tuple):
        return type(value)(xml_safe(part) for part in value)
    return value


class XmlSafe:
    """A feed generator that leaves out what XML cannot hold instead of failing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(xml_safe, args), **{k: xml_safe(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs) -> None:
        super().add_item(*map(xml_safe, args), **{k: xml_safe(v) for k, v in kwargs.items()})


class Rss(XmlSafe, Rss201rev2Feed):
    """RSS 2.0 with every author as a `dc:creator` (RSS's own `author` wants an email).

    Many RSS readers render a title and a creator as HTML, as they do a description: so
    these are escaped for HTML before the XML writer escapes them again, as every app's
    `item_description` is. An editor's "<b>" reaches the reader as the text "<b>", never as
    markup. (Atom says its titles and names are text, so the Atom feed needs no such step.)
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed["title"] = escape(self.feed["title"])

    def add_item(self, *args, **kwargs) -> None:
        super().add_item(*args, **kwargs)
        item = self.items[-1]
        item["title"] = escape(item["title"])
        if item.get("author_name"):
            item["author_name"] = escape(item["author_name"])
        item["authors"] = [escape(name) for name in item.get("authors", ())]

    def rss_attributes(self) -> dict:
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE}

    def add_item_elements(self, handler, item: dict) -> None:
        super().add_item_elements(handler, item)
        for name in item.get("authors", ()):
            handler.addQuickElement("dc:creator", name)


class Atom(XmlSafe, Atom1Feed):
    """Atom with one `author` element per author."""

    def add_item_elements(self, handler, item: dict) -> None:
        super().add_item_elements(handler, item)
        for name in item.get("authors", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")


class SiteFeed(Feed):
    """A feed of the site: items link to their page, which is also their guid; an item's
    `authors` (item_extra_kwargs) become authors in both formats."""

    feed_type: type[SyndicationFeed] = Rss
    item_guid_is_permalink = True

    @classmethod
    def view(cls, feed_type: type[SyndicationFeed]) -> Callable[..., HttpResponse]:
        """A view answering in this format; one Feed object per request, as it keeps the request."""

        def view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            feed = cls()
            feed.feed_type = feed_type
            return feed(request, *args, **kwargs)

        return view

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def author_name(self, obj=None) -> str:
        # Atom wants an author for the feed when an item has none.
        return f"Stichting {settings.SITE_NAME}"

    def item_guid(self, item) -> str:
        return self.request.build_absolute_uri(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated, item.published_at)

    def item_categories(self, item) -> list[str]:
        return [theme.name for theme in item.theme_list]
