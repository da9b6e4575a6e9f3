"""RSS 2.0 and Atom feeds of the newest news items ("Actueel"), on the kernel's feed base.

The FEED_ITEMS most recently published items from `.published()`, newest first; each with
its title, page, summary, publish moment, its authors (people with the role "auteur"; the
feed's own author, the foundation, otherwise) and its themes as categories.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from ikpob_portal.kernel.feeds import Atom, Rss, SiteFeed
from publications.news.models import NewsItem


class NewsFeed(SiteFeed):
    def items(self) -> list[NewsItem]:
        return list(
            NewsItem.objects.published()
            .for_cards()
            .order_by("-published_at", "-pk")[: settings.FEED_ITEMS]
        )

    def title(self) -> str:
        return f"{settings.SITE_NAME}: " + _("nieuws en interviews")

    def link(self) -> str:
        return reverse("news:list")

    def description(self) -> str:
        return _("Nieuws, interviews, verslagen en columns van Stichting IKPOB.")

    def item_title(self, item: NewsItem) -> str:
        return item.title

    def item_description(self, item: NewsItem) -> str:
        # Feed descriptions are HTML; the summary is plain text.
        return escape(item.summary)

    def item_extra_kwargs(self, item: NewsItem) -> dict:
        return {"authors": [person.full_name for person in item.authors]}


rss = NewsFeed.view(Rss)
atom = NewsFeed.view(Atom)
