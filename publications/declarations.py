"""What publications offer the rest of the site: the content kind (theme pages, search,
sitemap), their sections on organisation and person pages, the feeds, and what keeps their
search rows fresh.

`PublicationsConfig.ready()` calls `register()`.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ikpob_portal.kernel import registry, summaries
from ikpob_portal.kernel.models import Theme, ThemedItem
from ikpob_portal.platform import declarations as platform
from network.models import ORGANISATION_NAME_FIELDS, PERSON_NAME_FIELDS, Organisation, Person
from publications.models import Authorship, Publication
from publications.news import declarations as news

CARD_TEMPLATE = "includes/publication_card.html"

# The publication list's total and facet counts without a filter (`kernel.summaries`): what
# they are counted from — the publications, their authors, publishers and commissioners (with
# the people's and organisations' names and publishing state), their themes.
LIST_SUMMARY = summaries.declare(
    "publication-list",
    depends_on=lambda: [
        summaries.label(model)
        for model in (
            Publication,
            Authorship,
            Publication.commissioned_by.through,
            Person,
            Organisation,
            ThemedItem,
            Theme,
        )
    ],
)


def public_publications() -> QuerySet:
    return Publication.objects.published().for_cards().newest_first()


def search_document(publication: Publication) -> registry.SearchDocument:
    return registry.SearchDocument(
        title=publication.full_title,
        summary=publication.summary,
        body=publication.body,
        names=" ".join(
            # The publication page names these, published or not.
            [person.full_name for person in publication.ordered_authors]
            + [o.name for o in publication.commissioned_by.all()]
            + ([publication.publisher.name] if publication.publisher_id else [])
        ),
    )


ROLE_AUTHOR = _("Auteur")
# The people named with a recording speak in it; they did not write it.
ROLE_IN_RECORDING = _("Aan het woord")


def authorship_rows(people: QuerySet) -> list[registry.ContributionRow]:
    """Who of these people wrote which published publications."""
    authorships = Authorship.objects.filter(
        person__in=people, publication__in=Publication.objects.published()
    ).select_related("person", "publication")
    return [
        registry.ContributionRow(
            person=authorship.person,
            item=authorship.publication,
            kind=str(authorship.publication.get_kind_display()),
            role=str(
                ROLE_IN_RECORDING
                if authorship.publication.kind == Publication.Kind.VIDEO
                else ROLE_AUTHOR
            ),
            date=authorship.publication.sort_date,
            when=authorship.publication.date_display,
        )
        for authorship in authorships
    ]


def published_by_or_for(organisation: Organisation) -> QuerySet:
    commissioned = Publication.commissioned_by.through.objects.filter(organisation=organisation)
    return public_publications().filter(
        Q(publisher=organisation) | Q(pk__in=commissioned.values("publication_id"))
    )


def written_by(person: Person) -> QuerySet:
    return public_publications().filter(
        pk__in=Authorship.objects.filter(person=person).values("publication_id")
    )


# Search rows name authors, commissioners and the publisher (published or not).


def authored_publication(authorship: Authorship) -> list[Publication]:
    return [authorship.publication]


def publications_naming_person(person: Person) -> QuerySet:
    return Publication.objects.filter(authorships__person=person).distinct()


def publications_naming_organisation(organisation: Organisation) -> QuerySet:
    return Publication.objects.filter(
        Q(publisher=organisation) | Q(commissioned_by=organisation)
    ).distinct()


KIND = registry.ContentKind(
    model=Publication,
    label=_("Publicaties"),
    list_url_name="publications:list",
    alerts=True,
    card_template=CARD_TEMPLATE,
    public_queryset=public_publications,
    search_document=search_document,
    position=10,
    count_label=ngettext_lazy("%(count)d publicatie", "%(count)d publicaties", "count"),
)

CONNECTIONS = [
    registry.Connection(
        label=_("Publicaties"),
        card_template=CARD_TEMPLATE,
        target=Organisation,
        items=published_by_or_for,
    ),
    registry.Connection(
        label=_("Publicaties"), card_template=CARD_TEMPLATE, target=Person, items=written_by
    ),
]

FEEDS = [
    registry.FeedLink(
        key="publications",
        title=_("Publicaties"),
        rss_url_name="publications:feed-rss",
        atom_url_name="publications:feed-atom",
        position=10,
    ),
    registry.FeedLink(
        key="publications",
        title=_("Publicaties"),
        rss_url_name="theme_feeds:rss",
        atom_url_name="theme_feeds:atom",
        per_theme=True,
        position=10,
    ),
]

REINDEXES = [
    registry.Reindex(model=Authorship, affected=authored_publication),
    registry.ReindexOnLinks(through=Publication.commissioned_by.through),
]

# Their rows name authors, publishers, commissioners published or not (as their pages do):
# renamed or deleted ones are rebuilt after the commit.
NAMED_IN = [
    registry.NamedIn(model=Person, naming=publications_naming_person, fields=PERSON_NAME_FIELDS),
    registry.NamedIn(
        model=Organisation,
        naming=publications_naming_organisation,
        fields=ORGANISATION_NAME_FIELDS,
    ),
]


def register() -> None:
    registry.register(KIND)
    for connection in CONNECTIONS:
        registry.register_connection(connection)
    for feed in FEEDS:
        registry.register_feed(feed)
    for reindex in REINDEXES:
        registry.register_reindex(reindex)
    for named_in in NAMED_IN:
        registry.register_named_in(named_in)
    registry.register_contribution_source(authorship_rows)
    # News and interviews: a kind of its own in this app (publications/news/).
    news.register()
    platform.declare_content(Publication._meta.app_label)
