"""RSS 2.0 and Atom feeds of new publications: all of them, and per theme.

A feed holds the FEED_ITEMS (a setting) most recently published publications from
`.published()`, newest first: what a feed reader has not seen yet. Each item has the title,
the page as link and guid, the summary, the moment it was published, every creator in order
(the authors, else the publisher: `Publication.creators()`),
the themes as categories and the PDF as enclosure.

The formats and the shared plumbing are the kernel's (ikpob_portal/kernel/feeds.py).
"""

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from ikpob_portal.kernel.feeds import Atom, Rss, SiteFeed
from ikpob_portal.kernel.models import Theme, ThemeRedirect
from publications.models import Publication


class NewPublicationsFeed(SiteFeed):
    def publications(self, obj) -> QuerySet:
        return Publication.objects.published()

    def items(self, obj) -> list[Publication]:
        return list(
            self.publications(obj)
            .for_cards()
            .order_by("-published_at", "-pk")[: settings.FEED_ITEMS]
        )

    def title(self, obj) -> str:
        return f"{settings.SITE_NAME}: " + _("nieuwe publicaties")

    def link(self, obj) -> str:
        return reverse("publications:list")

    def description(self, obj) -> str:
        return _(
            "Nieuwe essays, boeken, instrumenten en verhalen uit de praktijk over het vak van "
            "de ambtenaar, van Stichting IKPOB."
        )

    def item_title(self, item: Publication) -> str:
        return item.full_title

    def item_description(self, item: Publication) -> str:
        # Feed descriptions are HTML; the summary is plain text.
        return escape(item.summary)

    def item_extra_kwargs(self, item: Publication) -> dict:
        return {"authors": item.creator_names(inverted=False)}

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
