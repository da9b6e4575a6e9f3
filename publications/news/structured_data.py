"""What a news item's page tells search engines: schema.org NewsArticle (Article for a column,
which is opinion rather than news), see ikpob_portal.kernel.structured_data.

Expects an item fetched with `for_cards()` (people and themes prefetched), as the detail view
does. People are named as they appear: authors as `author`, whom the piece is about
(interviewees, speakers) as `about`, people who only come up and the organisations as
`mentions`. Without a named author the author is left out rather than guessed; the
foundation that runs the site is the `publisher`.
"""

from django.conf import settings
from django.urls import reverse

from ikpob_portal.kernel.structured_data import Absolute, document, node, theme_terms
from network.structured_data import organisation_reference, person_reference
from publications.news.models import NewsContribution, NewsItem

Role = NewsContribution.Role


def schema_type(item: NewsItem) -> str:
    return "Article" if item.kind == NewsItem.Kind.COLUMN else "NewsArticle"


def json_ld(item: NewsItem, absolute: Absolute, *, organisations: list, image: str = "") -> dict:
    people = [person_reference(p, absolute) for p in item.people_with_role(Role.MENTIONED)]
    return document(
        schema_type(item),
        headline=item.title,
        description=item.summary,
        datePublished=item.date.isoformat(),
        dateModified=max(item.updated, item.published_at).isoformat(),
        author=[person_reference(person, absolute) for person in item.authors],
        about=[person_reference(person, absolute) for person in item.featured_people]
        + theme_terms(item.theme_list, absolute),
        mentions=people + [organisation_reference(o, absolute) for o in organisations],
        keywords=", ".join(theme.name for theme in item.theme_list),
        publisher=node(
            "Organization", name=f"Stichting {settings.SITE_NAME}", url=absolute(reverse("home"))
        ),
        image=image,
        inLanguage=settings.CONTENT_LANGUAGE,
        url=absolute(item.get_absolute_url()),
        mainEntityOfPage=absolute(item.get_absolute_url()),
    )
