from django.apps import AppConfig
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Evenementen")

    def ready(self) -> None:
        from events import mails

        mails.register()  # senders for the kernel's outbox
        from events.models import Event
        from ikpob_portal.kernel import registry
        from network.models import Organisation

        def public():
            return Event.objects.published().for_cards()

        registry.register(
            registry.ContentKind(
                model=Event,
                label=_("Evenementen"),
                list_url_name="events:list",
                card_template="includes/event_card.html",
                public_queryset=lambda: public().order_by("-starts_at"),
                upcoming_queryset=lambda: public().upcoming(),
                search_document=lambda e: registry.SearchDocument(
                    title=e.title,
                    summary=e.summary,
                    body=f"{e.programme} {e.materials} {e.venue_name}",
                    names=" ".join(
                        [o.name for o in e.organisers.all() if o.is_published]
                        + [p.full_name for p in e.speakers.all() if p.is_published]
                    ),
                ),
                position=30,
            )
        )
        registry.register_feed(
            registry.FeedLink(
                key="events",
                title=_("Komende evenementen"),
                rss_url_name="events:feed-rss",
                atom_url_name="events:feed-atom",
                position=30,
            )
        )
        registry.register_connection(
            registry.Connection(
                label=_("Evenementen"),
                card_template="includes/event_card.html",
                for_organisation=lambda organisation: (
                    public().filter(organisers=organisation).order_by("-starts_at")
                ),
                for_person=lambda person: public().filter(speakers=person).order_by("-starts_at"),
                for_learning_circle=lambda circle: (
                    public().filter(learning_circle=circle).order_by("-starts_at")
                ),
            )
        )

        def participation_rows():
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

        registry.register_participation_source(participation_rows)
