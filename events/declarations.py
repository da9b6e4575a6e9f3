"""What events offer the rest of the site: the content kind with its agenda (theme pages,
home page, search, sitemap), their sections on organisation, person and learning circle
pages, the organisations that organise them, the feed of upcoming events, and the
registrant's own page, which the platform must treat as personal.

`EventsConfig.ready()` calls `register()`.
"""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from events import abuse, followup, invitations, mails, reminders, services
from events.models import Evaluation, Event, Invitation, Registration, places_scope
from ikpob_portal.kernel import outbox, registry
from ikpob_portal.platform import declarations as platform
from learning_circles.models import LearningCircle
from network.models import ORGANISATION_NAME_FIELDS, PERSON_NAME_FIELDS, Organisation, Person

CARD_TEMPLATE = "includes/event_card.html"
# A registrant's own page, /aanmelding/<token>/ (mounted by the site's urls.py): the token
# opens (and cancels) a registration, so it is never cached, listed for robots or logged.
REGISTRATION_PATH = "aanmelding/"
# Where a certificate of attendance is verified, /bewijs/<signed code>/: the page names a
# person, so it is personal in the same way.
CERTIFICATE_PATH = "bewijs/"
# An invitation's token: in the path of its decline page,
# /evenementen/<slug>/uitnodiging/<token>/afslaan/ (events/urls.py), and in the query string of
# the register page it opens, ?uitnodiging=<token> (events/invitations.py, views.register).
# Both are blanked out of logs and gunicorn's access log.
INVITATION_SEGMENT = "uitnodiging/"
INVITATION_PARAMETER = "uitnodiging"


def public_events() -> QuerySet:
    return Event.objects.published().for_cards()


def newest_first() -> QuerySet:
    return public_events().order_by("-starts_at")


def upcoming() -> QuerySet:
    return public_events().upcoming()


def past() -> QuerySet:
    return public_events().past()


def search_document(event: Event) -> registry.SearchDocument:
    return registry.SearchDocument(
        title=event.title,
        summary=event.summary,
        body=f"{event.programme} {event.materials} {event.venue_name}",
        names=" ".join(
            [o.name for o in event.organisers.all() if o.is_published]
            + [p.full_name for p in event.speakers.all() if p.is_published]
        ),
    )


def organised_by(organisation: Organisation) -> QuerySet:
    return newest_first().filter(organisers=organisation)


def speaking(person: Person) -> QuerySet:
    return newest_first().filter(speakers=person)


def about_publication(publication) -> QuerySet:
    return newest_first().filter(publications=publication)


def of_circle(circle: LearningCircle) -> QuerySet:
    return newest_first().filter(learning_circle=circle)


def participation_rows() -> list[registry.ParticipationRow]:
    through = Event.organisers.through.objects.filter(
        event__in=Event.objects.published(),
        organisation__in=Organisation.objects.published(),
    ).select_related("event", "organisation")
    return [
        registry.ParticipationRow(
            organisation=row.organisation,
            activity=row.event,
            kind=str(row.event.get_kind_display()),
            role=str(_("Organisator")),
            date=timezone.localdate(row.event.starts_at),
        )
        for row in through
    ]


def speaker_rows(people: QuerySet) -> list[registry.ContributionRow]:
    """Who of these people spoke at which published events."""
    through = Event.speakers.through.objects.filter(
        person__in=people, event__in=Event.objects.published()
    ).select_related("person", "event")
    rows = []
    for row in through:
        day = timezone.localdate(row.event.starts_at)
        rows.append(
            registry.ContributionRow(
                person=row.person,
                item=row.event,
                kind=str(row.event.get_kind_display()),
                role=str(_("Spreker")),
                date=day,
                when=date_format(day, "j F Y"),
            )
        )
    return rows


def events_naming_organisation(organisation: Organisation) -> QuerySet:
    return Event.objects.filter(organisers=organisation).distinct()


def events_naming_person(person: Person) -> QuerySet:
    return Event.objects.filter(speakers=person).distinct()


def card_varies(event: Event) -> tuple:
    """What an event's card shows that no save of content changes: its registration state
    (which moves with the clock) and places left (moved by registrations; reading them marks
    the page as showing the event's scope, for the page cache)."""
    return (event.registration_state(), event.places_left())


KIND = registry.ContentKind(
    model=Event,
    label=_("Evenementen"),
    list_url_name="events:list",
    alerts=True,
    card_template=CARD_TEMPLATE,
    public_queryset=newest_first,
    upcoming_queryset=upcoming,
    past_queryset=past,
    past_list_url_name="events:archive",
    upcoming_label=_("Komende evenementen"),
    past_label=_("Eerdere evenementen"),
    count_label=ngettext_lazy("%(count)d evenement", "%(count)d evenementen", "count"),
    search_document=search_document,
    position=30,
    card_varies=card_varies,
)

CONNECTIONS = [
    registry.Connection(
        label=_("Evenementen"), card_template=CARD_TEMPLATE, target=Organisation, items=organised_by
    ),
    registry.Connection(
        label=_("Evenementen"), card_template=CARD_TEMPLATE, target=Person, items=speaking
    ),
    registry.Connection(
        label=_("Evenementen"), card_template=CARD_TEMPLATE, target=LearningCircle, items=of_circle
    ),
    registry.Connection(
        label=_("Evenementen over deze publicatie"),
        card_template=CARD_TEMPLATE,
        target="publications.Publication",
        items=about_publication,
    ),
]

FEED = registry.FeedLink(
    key="events",
    title=_("Komende evenementen"),
    rss_url_name="events:feed-rss",
    atom_url_name="events:feed-atom",
    position=30,
)


# An event's row names its organisers and speakers while they are published: linking them
# refreshes it, and publishing, unpublishing, renaming or deleting one rebuilds it.
REINDEXES = [
    registry.ReindexOnLinks(through=Event.organisers.through),
    registry.ReindexOnLinks(through=Event.speakers.through),
]

NAMED_IN = [
    registry.NamedIn(
        model=Organisation, naming=events_naming_organisation, fields=ORGANISATION_NAME_FIELDS
    ),
    registry.NamedIn(model=Person, naming=events_naming_person, fields=PERSON_NAME_FIELDS),
]


def event_of(row) -> list[str]:
    """The scope a registration, invitation or evaluation moves: its event's. When the sessions
    a registration chose change, the row is the registration or the session whose links
    changed. A link row of its own is saved or deleted only with its registration or session,
    whose own change moves the scope: it moves nothing."""
    return [places_scope(row.event_id)] if hasattr(row, "event_id") else []


# Written by the public, often (a registration rush): each moves its own event's scope only, so
# publication pages stay stored while an event's page and the lists with its places refresh.
SCOPED = [Registration, Registration.sessions.through, Invitation, Evaluation]


def register() -> None:
    mails.register()  # the senders of this app's mails, for the kernel's outbox
    invitations.register()
    followup.register()
    reminders.register()  # reminders and the end of the waiting list, queued on schedule
    abuse.register()  # the editors' alert about an unusual rate of registrations
    # Places held for unconfirmed addresses: released when the hold expires, deleted after a day.
    outbox.register_scheduled("events.expired_holds", services.release_expired_holds)
    registry.register(KIND)
    registry.register_feed(FEED)
    for connection in CONNECTIONS:
        registry.register_connection(connection)
    registry.register_participation_source(participation_rows)
    registry.register_contribution_source(speaker_rows)
    for reindex in REINDEXES:
        registry.register_reindex(reindex)
    for named_in in NAMED_IN:
        registry.register_named_in(named_in)
    # Registrations count on public pages (places left), so every model of the app is content;
    # those the public writes move their event's scope only.
    platform.declare_content(Event._meta.app_label)
    for model in SCOPED:
        platform.declare_scoped(model, event_of)
    platform.declare_personal_path(REGISTRATION_PATH)
    platform.declare_personal_path(CERTIFICATE_PATH)
    platform.declare_secret_segment(INVITATION_SEGMENT)
    platform.declare_secret_parameter(INVITATION_PARAMETER)
