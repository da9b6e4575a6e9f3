"""What the network offers the rest of the site: organisations and people as content kinds
(theme pages, search, sitemap) and the page-cache declaration of its rows.

`NetworkConfig.ready()` calls `register()`. Other apps connect their items to organisations
and people in their own declarations; the network imports none of them.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ikpob_portal.kernel import registry
from ikpob_portal.platform import declarations as platform
from network.models import (
    ORGANISATION_NAME_FIELDS,
    Affiliation,
    Organisation,
    Person,
)


def public_organisations():
    return Organisation.objects.published().for_cards()


def public_people():
    return Person.objects.published().for_cards()


def organisation_search_document(organisation: Organisation) -> registry.SearchDocument:
    return registry.SearchDocument(
        title=organisation.name, summary=organisation.description, names=organisation.short_name
    )


def person_search_document(person: Person) -> registry.SearchDocument:
    return registry.SearchDocument(
        title=person.full_name,
        summary=person.title,
        body=person.bio,
        names=" ".join(
            a.organisation.name for a in person.affiliations.all() if a.organisation.is_published
        ),
    )


def affiliated_person(affiliation: Affiliation) -> list[Person]:
    return [affiliation.person]


def people_of_organisation(organisation: Organisation) -> QuerySet:
    return Person.objects.filter(affiliations__organisation=organisation).distinct()


ORGANISATIONS = registry.ContentKind(
    model=Organisation,
    label=_("Organisaties"),
    list_url_name="network:list",
    card_template="includes/organisation_card.html",
    public_queryset=public_organisations,
    search_document=organisation_search_document,
    # Someone looking for a subject wants what was written about it before who works on it.
    search_weight=0.6,
    position=40,
    on_home=False,
    count_label=ngettext_lazy("%(count)d organisatie", "%(count)d organisaties", "count"),
    extra_url_names=("network:participation",),
)

PEOPLE = registry.ContentKind(
    model=Person,
    label=_("Personen"),
    list_url_name="network:person-list",
    card_template="includes/person_card.html",
    public_queryset=public_people,
    search_document=person_search_document,
    search_weight=0.6,
    position=50,
    on_home=False,
    count_label=ngettext_lazy("%(count)d persoon", "%(count)d personen", "count"),
)

# A person's row names the organisations they work for.
REINDEX_PERSON_ON_AFFILIATION = registry.Reindex(model=Affiliation, affected=affiliated_person)
# ... while it is published: publishing, unpublishing or renaming it rebuilds their rows.
PEOPLE_NAME_ORGANISATION = registry.NamedIn(
    model=Organisation, naming=people_of_organisation, fields=ORGANISATION_NAME_FIELDS
)


def register() -> None:
    registry.register(ORGANISATIONS)
    registry.register(PEOPLE)
    registry.register_reindex(REINDEX_PERSON_ON_AFFILIATION)
    registry.register_named_in(PEOPLE_NAME_ORGANISATION)
    platform.declare_content(Organisation._meta.app_label)
