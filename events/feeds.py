"""RSS 2.0 and Atom feeds of upcoming events, soonest first.

Only published events that have not ended (`Event.objects.published().upcoming()`), so a
feed reader sees what is still to come. Each item has the title, the page as link and guid,
the summary with a line saying when and where, the moment it was published and the themes
as categories. `EventsConfig.ready()` registers the feed (`registry.FeedLink`), so the home
page links it; the events list links it too.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from events.models import Event
from ikpob_portal.kernel import moments
from ikpob_portal.kernel.feeds import Atom, Rss, SiteFeed
from ikpob_portal.kernel.models import prefetch_themes


def when(event: Event) -> str:
    """When, in the site's time zone and language: "dinsdag 3 juni 2025, 10.00–16.00 uur"."""
    return moments.period(event.starts_at, event.ends_at)


def where(event: Event) -> str:
    """Where: "Stadhuis Utrecht, Stadhuisbrug 1, Utrecht", "… en online" or "Online"."""
    return event.location_text()


class UpcomingEventsFeed(SiteFeed):
    def items(self) -> list[Event]:
        return list(Event.objects.published().upcoming().prefetch_related(prefetch_themes()))

    def title(self) -> str:
        return f"{settings.SITE_NAME}: " + _("komende evenementen")

    def link(self) -> str:
        return reverse("events:list")

    def description(self) -> str:
        return _(
            "Congressen, bijeenkomsten en webinars over ambtelijk vakmanschap die eraan komen, "
            "van Stichting IKPOB."
        )

    def item_title(self, item: Event) -> str:
        return item.title

    def item_description(self, item: Event) -> str:
        # Feed descriptions are HTML; summary, date and place are plain text.
        line = " · ".join(part for part in (when(item), where(item)) if part)
        return format_html("<p>{}</p><p>{}</p>", item.summary, line)


rss = UpcomingEventsFeed.view(Rss)
atom = UpcomingEventsFeed.view(Atom)
