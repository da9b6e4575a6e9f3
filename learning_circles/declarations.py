"""What learning circles offer the rest of the site: the content kind (theme pages, search,
sitemap), their sections on organisation and person pages, the organisations that take
part, what keeps their search rows fresh, and what the page cache must ignore.

`LearningCirclesConfig.ready()` calls `register()`.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ikpob_portal.kernel import registry
from ikpob_portal.platform import declarations as platform
from learning_circles import mails
from learning_circles.models import (
    Contact,
    JoinRequest,
    LearningCircle,
    Participation,
    ResearchQuestion,
)
from network.models import ORGANISATION_NAME_FIELDS, Organisation, Person

CARD_TEMPLATE = "includes/learning_circle_card.html"


def public_circles() -> QuerySet:
    return LearningCircle.objects.published().for_cards()


def search_document(circle: LearningCircle) -> registry.SearchDocument:
    return registry.SearchDocument(
        title=circle.title,
        summary=circle.summary,
        body=" ".join([circle.description, *(q.text for q in circle.questions.all())]),
        names=" ".join(
            p.organisation.name for p in circle.participations.all() if p.organisation.is_published
        ),
    )


def circles_of_organisation(organisation: Organisation) -> QuerySet:
    return public_circles().filter(participations__organisation=organisation)


def circles_of_contact(person: Person) -> QuerySet:
    return public_circles().filter(contacts__person=person).distinct()


def participation_rows() -> list[registry.ParticipationRow]:
    participations = Participation.objects.filter(
        circle__in=LearningCircle.objects.published(),
        organisation__in=Organisation.objects.published(),
    ).select_related("circle", "organisation")
    return [
        registry.ParticipationRow(
            organisation=p.organisation,
            activity=p.circle,
            kind=str(_("Leerkring")),
            role=p.get_role_display(),
            date=p.circle.start_date,
        )
        for p in participations
    ]


def contact_rows(people: QuerySet) -> list[registry.ContributionRow]:
    """Who of these people is a contact (portfolio holder, researcher …) of which circles."""
    contacts = Contact.objects.filter(
        person__in=people, circle__in=LearningCircle.objects.published()
    ).select_related("person", "circle")
    return [
        registry.ContributionRow(
            person=contact.person,
            item=contact.circle,
            kind=str(_("Leerkring")),
            role=contact.get_role_display(),
            date=contact.circle.start_date,
        )
        for contact in contacts
    ]


def circle_of(row: Participation | ResearchQuestion) -> list[LearningCircle]:
    """A circle's row names its organisations and holds its questions."""
    return [row.circle]


def circles_naming_organisation(organisation: Organisation) -> QuerySet:
    return LearningCircle.objects.filter(participations__organisation=organisation).distinct()


def card_varies(circle: LearningCircle) -> tuple:
    """A circle's phase follows from its dates and today's date unless an editor set it."""
    return (circle.phase,)


KIND = registry.ContentKind(
    model=LearningCircle,
    label=_("Leerkringen"),
    list_url_name="learning_circles:list",
    alerts=True,
    card_template=CARD_TEMPLATE,
    public_queryset=public_circles,
    search_document=search_document,
    position=20,
    count_label=ngettext_lazy("%(count)d leerkring", "%(count)d leerkringen", "count"),
    card_varies=card_varies,
)

CONNECTIONS = [
    registry.Connection(
        label=_("Leerkringen"),
        card_template=CARD_TEMPLATE,
        target=Organisation,
        items=circles_of_organisation,
    ),
    registry.Connection(
        label=_("Leerkringen"), card_template=CARD_TEMPLATE, target=Person, items=circles_of_contact
    ),
]

REINDEXES = [
    registry.Reindex(model=Participation, affected=circle_of),
    registry.Reindex(model=ResearchQuestion, affected=circle_of),
]

# A circle's row names its participating organisations while they are published.
NAMED_IN = [
    registry.NamedIn(
        model=Organisation, naming=circles_naming_organisation, fields=ORGANISATION_NAME_FIELDS
    ),
]


def register() -> None:
    mails.register()  # the senders of this app's mails, for the kernel's outbox
    registry.register(KIND)
    for connection in CONNECTIONS:
        registry.register_connection(connection)
    registry.register_participation_source(participation_rows)
    registry.register_contribution_source(contact_rows)
    for reindex in REINDEXES:
        registry.register_reindex(reindex)
    for named_in in NAMED_IN:
        registry.register_named_in(named_in)
    platform.declare_content(LearningCircle._meta.app_label)
    # Join requests are seen only by editors: a new one changes no public page.
    platform.declare_not_content(JoinRequest)
