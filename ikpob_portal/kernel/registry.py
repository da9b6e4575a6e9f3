"""Where domain apps declare what they offer the rest of the site.

Each app states its offer in one module, `<app>/declarations.py` (named functions and
constants), and its `AppConfig.ready()` registers it. Theme pages, search, the sitemap, the
feeds in a page's head and the pages of connected objects read the registry, so a new app
plugs in without editing those views, and the kernel never imports a domain app.

This module only holds the declarations: dataclasses, `register_*` and lookups. It runs no
query and wires no signal; search subscribes itself (`search.connect_signals()`) and looks
kinds up here when a row is saved, and counting per theme lives with the themes.
Registering the same thing twice is a mistake in an app's declarations and raises.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models
from django.urls import reverse


class AlreadyRegistered(Exception):
    """A model, connection, feed or source was registered a second time."""


def model_label(model: type[models.Model] | models.Model | str) -> str:
    """`app_label.modelname` (lower case) of a model class, an instance or a label."""
    if isinstance(model, str):
        return model.lower()
    return model._meta.label_lower


# Content kinds ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchDocument:
    title: str
    summary: str = ""
    body: str = ""  # longer text; also names of authors, organisations, people
    names: str = ""  # names and short labels that should match despite typos


@dataclass(frozen=True)
class ContentKind:
    model: type[models.Model]
    label: str  # plural, shown as a heading: "Publicaties"
    list_url_name: str  # the list page's URL name, "<app>:list"; "" when it has none
    card_template: str  # renders one item as a card; gets `item`
    # The public queryset: `.published()` plus what a card needs (select/prefetch).
    public_queryset: Callable[[], models.QuerySet]
    theme_param: str = "thema"  # the list page's query parameter that filters on a theme
    # What the site search indexes for one item: a SearchDocument (title, summary, body).
    search_document: Callable[[models.Model], SearchDocument] | None = None
    # How a match of this kind ranks against equally good matches of others (1.0): people
    # and organisations below the publications that match as well.
    search_weight: float = 1.0
    position: int = 100  # order of sections on theme pages and the home page
    on_home: bool = True  # a "newest …" section on the home page (not for people, say)
    # Items coming up, for the home page's agenda; None for kinds without dates.
    upcoming_queryset: Callable[[], models.QuerySet] | None = None
    # Dated kinds: the items that are over (newest first), their list page and the headings
    # of both parts on a theme page ("Komende evenementen", "Eerdere evenementen").
    past_queryset: Callable[[], models.QuerySet] | None = None
    past_list_url_name: str = ""
    upcoming_label: str = ""
    past_label: str = ""
    # The number with its noun, in the right plural form: ngettext_lazy("%(count)d
    # publicatie", "%(count)d publicaties", "count"). Without it: "3 publicaties".
    count_label: object = None
    # Other pages of the kind without arguments, for the sitemap beside its list (and its
    # `past_list_url_name`): "network:participation".
    extra_url_names: tuple[str, ...] = ()
    # Its items as a plural noun inside a sentence, where the label would not read: the home
    # page's "Nieuwste berichten" for the kind labelled "Actueel". Without it: the label in
    # lower case ("Nieuwste publicaties").
    items_noun: object = None
    # What its card shows that changes without any save of content, as plain values that go
    # into the key of the kept card (kernel/cards.py): an event's registration state and places
    # left, a learning circle's phase by today's date. Fetched with `public_queryset()`.
    card_varies: Callable[[models.Model], tuple] | None = None
    # Offered on the subscribe form as "alles over …", and searched for new items of followed
    # themes and searches in the subscribers' digests (ikpob_portal/subscriptions).
    alerts: bool = False

    def list_url_for_theme(self, theme_slug: str, *, past: bool = False) -> str:
        """The list filtered on a theme; "" for a kind without a list page (pages)."""
        url_name = self.past_list_url_name if past else self.list_url_name
        if not url_name:
            return ""
        return f"{reverse(url_name)}?{self.theme_param}={theme_slug}"

    @property
    def noun(self) -> str:
        """'publicaties', 'berichten': the items in a sentence ("Alle berichten")."""
        return str(self.items_noun) if self.items_noun else str(self.label).lower()

    def counted(self, count: int) -> str:
        """'1 publicatie', '23 publicaties'."""
        if self.count_label is None:
            return f"{count} {str(self.label).lower()}"
        return self.count_label % {"count": count}


_kinds: list[ContentKind] = []


def register(kind: ContentKind) -> None:
    if kind_for(kind.model) is not None:
        raise AlreadyRegistered(f"{model_label(kind.model)} is registered already")
    _kinds.append(kind)


def kind_for(model) -> ContentKind | None:
    return next((kind for kind in _kinds if kind.model is model), None)


def kinds() -> list[ContentKind]:
    return sorted(_kinds, key=lambda kind: kind.position)


# What else refreshes a kind's search row ---------------------------------------------------


@dataclass(frozen=True)
class Reindex:
    """Rows of `model` feed other objects' search text (an authorship, a circle's question):
    when one is saved (and, with `on_delete`, deleted), every object `affected(row)` gives is
    indexed again."""

    model: type[models.Model]
    affected: Callable[[models.Model], Iterable[models.Model]]
    on_delete: bool = True


@dataclass(frozen=True)
class ReindexOnLinks:
    """A many-to-many table that feeds search text (a publication's commissioners): when links
    are added, removed or cleared, the object whose links changed is indexed again."""

    through: type[models.Model]


_reindexes: list[Reindex] = []
_links: list[ReindexOnLinks] = []


def register_reindex(reindex: Reindex | ReindexOnLinks) -> None:
    existing = _links if isinstance(reindex, ReindexOnLinks) else _reindexes
    if reindex in existing:
        raise AlreadyRegistered(f"{reindex!r} is registered already")
    existing.append(reindex)


def reindexes_for(model) -> list[Reindex]:
    return [reindex for reindex in _reindexes if reindex.model is model]


def reindexes_on_links(through) -> bool:
    return any(links.through is through for links in _links)


@dataclass(frozen=True)
class NamedIn:
    """Other objects' search rows name objects of `model` (an organisation, a person), most of
    them only while it is published. When one is published, unpublished, renamed (any of
    `fields` changed) or deleted, every object `naming(obj)` gives is indexed again, in one
    batch after the commit (search.py), so a withdrawn name leaves every row that held it."""

    model: type[models.Model]
    naming: Callable[[models.Model], Iterable[models.Model]]
    # The named object's fields those rows depend on: its name, slug and publication state.
    fields: tuple[str, ...]


_named_in: list[NamedIn] = []


def register_named_in(named_in: NamedIn) -> None:
    if named_in in _named_in:
        raise AlreadyRegistered(f"{named_in!r} is registered already")
    _named_in.append(named_in)


def named_in(model) -> list[NamedIn]:
    """Where objects of this model are named in other objects' search rows."""
    return [declaration for declaration in _named_in if declaration.model is model]


# Connections: an app's items on the pages of organisations, persons and circles ----------


@dataclass(frozen=True)
class Connection:
    """Published items of one kind linked to one object of the `target` model.

    The target's page (an organisation, a person, a learning circle) lists every connection
    registered for its model, in the order they were registered, one query each, so an app
    shows up there by declaring it, without the target's app importing it.
    """

    label: str  # heading, e.g. "Publicaties"
    card_template: str
    target: type[models.Model] | str  # the model class or its label, "app_label.Model"
    items: Callable[[models.Model], models.QuerySet]  # the target object's published items


_connections: list[Connection] = []


def register_connection(connection: Connection) -> None:
    target = model_label(connection.target)
    if any(model_label(c.target) == target and c.label == connection.label for c in _connections):
        raise AlreadyRegistered(f"{connection.label} for {target} is registered already")
    _connections.append(connection)


def connections_for(obj_or_model) -> list[Connection]:
    """The connections declared for this object's model (or this model), in order."""
    target = model_label(obj_or_model)
    return [c for c in _connections if model_label(c.target) == target]


def connections() -> list[Connection]:
    return list(_connections)


# Participation: which organisations took part in which activities -----------------------


@dataclass(frozen=True)
class ParticipationRow:
    organisation: models.Model
    activity: models.Model  # has `title` and `get_absolute_url()`
    kind: str  # "Leerkring", "Evenement"
    role: str
    date: object = None  # a date or datetime, for sorting and display


_participation_sources: list[Callable[[], list[ParticipationRow]]] = []


def register_participation_source(source: Callable[[], list[ParticipationRow]]) -> None:
    if source in _participation_sources:
        raise AlreadyRegistered(f"{source.__qualname__} is registered already")
    _participation_sources.append(source)


def participation_sources() -> list[Callable[[], list[ParticipationRow]]]:
    return list(_participation_sources)


def participation_rows() -> list[ParticipationRow]:
    """Which organisations took part in which activities, from every app that has them (each
    source runs its own query)."""
    rows = [row for source in _participation_sources for row in source()]
    return sorted(
        rows, key=lambda row: (row.organisation.name.lower(), row.kind, row.activity.title)
    )


# Contributions: what people did in items (wrote, spoke, were the contact) ---------------


@dataclass(frozen=True)
class ContributionRow:
    """One person's part in one published item: on the page of the organisation they work
    for, what its people did in its name."""

    person: models.Model
    item: models.Model  # has `title` and `get_absolute_url()`
    kind: str  # "Publicatie", "Evenement"
    role: str  # "Auteur", "Spreker", "Contactpersoon"
    date: object = None  # a date, for sorting; None when unknown
    when: str = ""  # the date as the item's own page shows it ("2020", "22 september 2020")


# A source gets a queryset of (published) people and returns their rows in one query.
_contribution_sources: list[Callable[[models.QuerySet], list[ContributionRow]]] = []


def register_contribution_source(source: Callable[[models.QuerySet], list[ContributionRow]]):
    if source in _contribution_sources:
        raise AlreadyRegistered(f"{source.__qualname__} is registered already")
    _contribution_sources.append(source)


def contributions_of(people: models.QuerySet) -> list[ContributionRow]:
    """What these people did in published items of every app, newest first (undated last),
    one query per source."""
    rows = [row for source in _contribution_sources for row in source(people)]
    rows.sort(key=lambda row: str(row.item.title).lower())
    rows.sort(key=lambda row: row.date.toordinal() if row.date else 0, reverse=True)
    return rows


# Feeds ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedLink:
    """A feed an app offers (RSS 2.0 and Atom), announced so pages can link it in their head.

    The home page links every site-wide feed and a theme page every per-theme feed, with
    `{% feed_links %}`, so an app's feed is found by registering.
    """

    key: str  # the app's name for it, to link only this feed: {% feed_links "<key>" %}
    title: str  # "Publicaties"; a per-theme feed's title gets ": <theme>" appended
    rss_url_name: str
    atom_url_name: str
    per_theme: bool = False  # the URL names take the theme's `slug`
    position: int = 100


_feeds: list[FeedLink] = []


def register_feed(feed: FeedLink) -> None:
    if any(f.rss_url_name == feed.rss_url_name for f in _feeds):
        raise AlreadyRegistered(f"the feed {feed.rss_url_name} is registered already")
    _feeds.append(feed)


def feeds(*, per_theme: bool = False) -> list[FeedLink]:
    return sorted(
        (feed for feed in _feeds if feed.per_theme == per_theme), key=lambda feed: feed.position
    )
