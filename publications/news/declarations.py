"""What news items offer the rest of the site: the content kind (home and theme pages, site
search, sitemap), their sections on person and organisation pages, what people did in them
(an organisation's "via medewerkers"), the feed, and what keeps their search rows fresh.

Called from `publications.declarations.register()`; the page cache already counts every
model of the publications app as content, so a saved item empties the stored pages.
"""

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ikpob_portal.kernel import registry
from network.models import ORGANISATION_NAME_FIELDS, PERSON_NAME_FIELDS, Organisation, Person
from publications.news.models import NewsContribution, NewsItem

CARD_TEMPLATE = "includes/news_card.html"


def public_news() -> QuerySet:
    return NewsItem.objects.published().for_cards().newest_first()


def search_document(item: NewsItem) -> registry.SearchDocument:
    contributions = item.contributions.select_related("person")
    return registry.SearchDocument(
        title=item.title,
        summary=item.summary,
        body=item.body,
        # The page names these, published or not.
        names=" ".join(
            [contribution.person.full_name for contribution in contributions]
            + [organisation.name for organisation in item.organisations.all()]
        ),
    )


def about_organisation(organisation: Organisation) -> QuerySet:
    linked = NewsItem.organisations.through.objects.filter(organisation=organisation)
    return public_news().filter(pk__in=linked.values("newsitem_id"))


def with_person(person: Person) -> QuerySet:
    linked = NewsContribution.objects.filter(person=person)
    return public_news().filter(pk__in=linked.values("news_item_id"))


def contribution_rows(people: QuerySet) -> list[registry.ContributionRow]:
    """Who of these people were interviewed, wrote, spoke or came up in published items."""
    contributions = NewsContribution.objects.filter(
        person__in=people, news_item__in=NewsItem.objects.published()
    ).select_related("person", "news_item")
    return [
        registry.ContributionRow(
            person=contribution.person,
            item=contribution.news_item,
            kind=str(contribution.news_item.get_kind_display()),
            role=str(contribution.get_role_display()),
            date=contribution.news_item.date,
            when=date_format(contribution.news_item.date, "j F Y"),
        )
        for contribution in contributions
    ]


# Search rows name the people and organisations (published or not).


def item_of_contribution(contribution: NewsContribution) -> list[NewsItem]:
    return [contribution.news_item]


def news_naming_person(person: Person) -> QuerySet:
    return NewsItem.objects.filter(contributions__person=person).distinct()


def news_naming_organisation(organisation: Organisation) -> QuerySet:
    return NewsItem.objects.filter(organisations=organisation).distinct()


LABEL = _("Actueel")

KIND = registry.ContentKind(
    model=NewsItem,
    label=LABEL,
    list_url_name="news:list",
    alerts=True,
    card_template=CARD_TEMPLATE,
    public_queryset=public_news,
    search_document=search_document,
    position=15,
    count_label=ngettext_lazy("%(count)d bericht", "%(count)d berichten", "count"),
    # "Nieuwste berichten" on the home page, not "Nieuwste actueel".
    items_noun=_("berichten"),
)

CONNECTIONS = [
    registry.Connection(
        label=_("Nieuws en interviews"),
        card_template=CARD_TEMPLATE,
        target=Organisation,
        items=about_organisation,
    ),
    registry.Connection(
        label=_("Nieuws en interviews"),
        card_template=CARD_TEMPLATE,
        target=Person,
        items=with_person,
    ),
]

FEED = registry.FeedLink(
    key="news",
    title=LABEL,
    rss_url_name="news:feed-rss",
    atom_url_name="news:feed-atom",
    position=15,
)

REINDEXES = [
    registry.Reindex(model=NewsContribution, affected=item_of_contribution),
    registry.ReindexOnLinks(through=NewsItem.organisations.through),
]

# Their rows name people and organisations published or not (as their pages do): renamed
# or deleted ones are rebuilt after the commit.
NAMED_IN = [
    registry.NamedIn(model=Person, naming=news_naming_person, fields=PERSON_NAME_FIELDS),
    registry.NamedIn(
        model=Organisation, naming=news_naming_organisation, fields=ORGANISATION_NAME_FIELDS
    ),
]


def register() -> None:
    registry.register(KIND)
    for connection in CONNECTIONS:
        registry.register_connection(connection)
    registry.register_feed(FEED)
    for reindex in REINDEXES:
        registry.register_reindex(reindex)
    for named_in in NAMED_IN:
        registry.register_named_in(named_in)
    registry.register_contribution_source(contribution_rows)
