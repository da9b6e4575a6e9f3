"""RSS 2.0 and Atom feeds of new publications: all of them, and per theme.

A feed holds the `LATEST` most recently published publications from `.published()`, newest
first: what a feed reader has not seen yet. Each item has the title, the page as link and
guid, the summary, the moment it was published, every author in order, the themes as
categories and the PDF as enclosure.

Another app adds feeds the same way: Feed classes next to its models (upcoming events in
`events/feeds.py`), URL patterns in its urls.py, and a `registry.FeedLink` in its
`AppConfig.ready()`, so the home page (and with `per_theme`, the theme page) links them.
"""

import re
from collections.abc import Callable

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.html import escape
from django.utils.translation import gettext as _

from ikpob_portal.kernel.models import Theme, ThemeRedirect
from publications.models import Publication

LATEST = 30
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
    """RSS 2.0 with every author as a `dc:creator` (RSS's own `author` wants an email)."""

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


class NewPublicationsFeed(Feed):
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

    def publications(self, obj) -> QuerySet:
        return Publication.objects.published()

    def items(self, obj) -> list[Publication]:
        return list(self.publications(obj).for_cards().order_by("-published_at", "-pk")[:LATEST])

    def title(self, obj) -> str:
        return f"{settings.SITE_NAME}: " + _("nieuwe publicaties")

    def link(self, obj) -> str:
        return reverse("publications:list")

    def description(self, obj) -> str:
        return _(
            "Nieuwe essays, boeken, instrumenten en verhalen uit de praktijk over het vak van "
            "de ambtenaar, van Stichting IKPOB."
        )

    def author_name(self, obj) -> str:
        # Atom wants an author for the feed when an item has none.
        return f"Stichting {settings.SITE_NAME}"

    def item_title(self, item: Publication) -> str:
        return item.full_title

    def item_description(self, item: Publication) -> str:
        # Feed descriptions are HTML; the summary is plain text.
        return escape(item.summary)

    def item_guid(self, item: Publication) -> str:
        return self.request.build_absolute_uri(item.get_absolute_url())

    def item_pubdate(self, item: Publication):
        return item.published_at

    def item_updateddate(self, item: Publication):
        return max(item.updated, item.published_at)

    def item_categories(self, item: Publication) -> list[str]:
        return [theme.name for theme in item.theme_list]

    def item_extra_kwargs(self, item: Publication) -> dict:
        return {"authors": [person.full_name for person in item.ordered_authors]}

    def item_enclosure_url(self, item: Publication) -> str:
        if not item.pdf:
            return ""
        return self.request.build_absolute_uri(
            reverse("publications:download", kwargs={"slug": item.slug})
        )

    def item_enclosure_length(self, item: Publication) -> int:
        return item.pdf_size or 0

    item_enclosure_mime_type = "application/pdf"


class ThemeFeed(NewPublicationsFeed):
    """New publications with one theme; a merged theme's old address redirects."""

    def __call__(self, request: HttpRequest, *args, slug: str, **kwargs) -> HttpResponse:
        self.theme = Theme.objects.filter(slug=slug).first()
        if self.theme is None:
            moved = ThemeRedirect.objects.select_related("theme").filter(old_slug=slug).first()
            if moved is None:
                raise Http404
            return redirect(request.resolver_match.view_name, slug=moved.theme.slug, permanent=True)
        return super().__call__(request, *args, slug=slug, **kwargs)

    def get_object(self, request: HttpRequest, *args, **kwargs) -> Theme:
        return self.theme

    def publications(self, theme: Theme) -> QuerySet:
        return Publication.objects.published().filter(tagged_items__tag=theme)

    def title(self, theme: Theme) -> str:
        return f"{settings.SITE_NAME}: " + _("nieuwe publicaties over %(theme)s") % {
            "theme": theme.name
        }

    def link(self, theme: Theme) -> str:
        return theme.get_absolute_url()

    def description(self, theme: Theme) -> str:
        # A channel's description is HTML to many feed readers; the theme's is plain text.
        return escape(theme.description or self.title(theme))


rss = NewPublicationsFeed.view(Rss)
atom = NewPublicationsFeed.view(Atom)
theme_rss = ThemeFeed.view(Rss)
theme_atom = ThemeFeed.view(Atom)
