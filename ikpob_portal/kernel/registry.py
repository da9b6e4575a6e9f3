"""Where domain apps tell the site about their public content.

Each app registers its public models in `AppConfig.ready()`. Theme pages, search and the
sitemap iterate the registry, and pages link the registered feeds, so a new app plugs in
without editing those views, and `ikpob_portal` never imports a domain app.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count
from django.urls import reverse


@dataclass(frozen=True)
class ContentKind:
    model: type[models.Model]
    label: str  # plural, shown as a heading: "Publicaties"
    list_url_name: str  # e.g. "publications:list"
    card_template: str  # renders one item as a card; gets `item`
    # The public queryset: `.published()` plus what a card needs (select/prefetch).
    public_queryset: Callable[[], models.QuerySet]
    theme_param: str = "thema"  # the list page's query parameter that filters on a theme
    # What the site search indexes for one item: a SearchDocument (title, summary, body).
    search_document: Callable[[models.Model], "SearchDocument"] | None = None
    position: int = 100  # order of sections on theme pages and the home page
    on_home: bool = True  # a "newest …" section on the home page (not for people, say)
    # Items coming up (events), for the home page's agenda; None for kinds without dates.
    upcoming_queryset: Callable[[], models.QuerySet] | None = None

    def list_url_for_theme(self, theme_slug: str) -> str:
        return f"{reverse(self.list_url_name)}?{self.theme_param}={theme_slug}"


@dataclass(frozen=True)
class SearchDocument:
    title: str
    summary: str = ""
    body: str = ""  # longer text; also names of authors, organisations, people
    names: str = ""  # names and short labels that should match despite typos


_kinds: list[ContentKind] = []


def register(kind: ContentKind) -> None:
    if any(existing.model is kind.model for existing in _kinds):
        return
    _kinds.append(kind)
    if kind.search_document is not None:
        from ikpob_portal.kernel import search

        search.connect(kind)


def kind_for(model) -> ContentKind | None:
    return next((kind for kind in _kinds if kind.model is model), None)


def kinds() -> list[ContentKind]:
    return sorted(_kinds, key=lambda kind: kind.position)


def published_counts_by_theme() -> dict[int, int]:
    """Published items per theme id, across every registered kind: one query per kind, kept
    per content version (QUERY_CACHE) as it counts every themed item."""
    from ikpob_portal.platform.cache import per_version

    return per_version(("theme-counts",), _count_by_theme)


def _count_by_theme() -> dict[int, int]:
    from ikpob_portal.kernel.models import ThemedItem

    counts: dict[int, int] = {}
    for kind in _kinds:
        content_type = ContentType.objects.get_for_model(kind.model)
        rows = (
            ThemedItem.objects.filter(
                content_type=content_type,
                object_id__in=kind.public_queryset().order_by().values("pk"),
            )
            .values("tag_id")
            .annotate(n=Count("id"))
        )
        for row in rows:
            counts[row["tag_id"]] = counts.get(row["tag_id"], 0) + row["n"]
    return counts


@dataclass(frozen=True)
class Connection:
    """Published items of one kind linked to an organisation or a person.

    Organisation and person pages list every registered connection, one query each, so an
    app shows up on them by registering, without the network app importing it.
    """

    label: str  # heading, e.g. "Publicaties"
    card_template: str
    for_organisation: Callable[[models.Model], models.QuerySet] | None = None
    for_person: Callable[[models.Model], models.QuerySet] | None = None
    for_learning_circle: Callable[[models.Model], models.QuerySet] | None = None


@dataclass(frozen=True)
class ParticipationRow:
    organisation: models.Model
    activity: models.Model  # has `title` and `get_absolute_url()`
    kind: str  # "Leerkring", "Evenement"
    role: str
    date: object = None  # a date or datetime, for sorting and display


_connections: list[Connection] = []
_participation_sources: list[Callable[[], list[ParticipationRow]]] = []


def register_connection(connection: Connection) -> None:
    if connection not in _connections:
        _connections.append(connection)


def connections() -> list[Connection]:
    return list(_connections)


def register_participation_source(source: Callable[[], list[ParticipationRow]]) -> None:
    if source not in _participation_sources:
        _participation_sources.append(source)


def participation_rows() -> list[ParticipationRow]:
    """Which organisations took part in which activities, from every app that has them."""
    rows = [row for source in _participation_sources for row in source()]
    return sorted(
        rows, key=lambda row: (row.organisation.name.lower(), row.kind, row.activity.title)
    )


@dataclass(frozen=True)
class FeedLink:
    """A feed an app offers (RSS 2.0 and Atom), announced so pages can link it in their head.

    The home page links every site-wide feed and a theme page every per-theme feed, with
    `{% feed_links %}`, so an app's feed (such as upcoming events) is found by registering.
    """

    key: str  # the app's name for it, to link only this feed: {% feed_links "publications" %}
    title: str  # "Publicaties"; a per-theme feed's title gets ": <theme>" appended
    rss_url_name: str
    atom_url_name: str
    per_theme: bool = False  # the URL names take the theme's `slug`
    position: int = 100


_feeds: list[FeedLink] = []


def register_feed(feed: FeedLink) -> None:
    if feed not in _feeds:
        _feeds.append(feed)


def feeds(*, per_theme: bool = False) -> list[FeedLink]:
    return sorted(
        (feed for feed in _feeds if feed.per_theme == per_theme), key=lambda feed: feed.position
    )
