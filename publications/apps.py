from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Publicaties")

    def ready(self) -> None:
        from django.db.models import Q

        from ikpob_portal.kernel import registry, search
        from network.models import Organisation, Person
        from publications.models import Authorship, Publication

        def published():
            return Publication.objects.published().for_cards().newest_first()

        registry.register(
            registry.ContentKind(
                model=Publication,
                label=_("Publicaties"),
                list_url_name="publications:list",
                card_template="includes/publication_card.html",
                public_queryset=published,
                search_document=lambda p: registry.SearchDocument(
                    title=p.full_title,
                    summary=p.summary,
                    body=p.body,
                    names=" ".join(
                        # The publication page names these, published or not.
                        [person.full_name for person in p.ordered_authors]
                        + [o.name for o in p.commissioned_by.all()]
                        + ([p.publisher.name] if p.publisher_id else [])
                    ),
                ),
                position=10,
            )
        )
        registry.register_connection(
            registry.Connection(
                label=_("Publicaties"),
                card_template="includes/publication_card.html",
                for_organisation=lambda organisation: published().filter(
                    Q(publisher=organisation)
                    | Q(
                        pk__in=Publication.commissioned_by.through.objects.filter(
                            organisation=organisation
                        ).values("publication_id")
                    )
                ),
                for_person=lambda person: published().filter(
                    pk__in=Authorship.objects.filter(person=person).values("publication_id")
                ),
            )
        )
        registry.register_feed(
            registry.FeedLink(
                key="publications",
                title=_("Publicaties"),
                rss_url_name="publications:feed-rss",
                atom_url_name="publications:feed-atom",
                position=10,
            )
        )
        registry.register_feed(
            registry.FeedLink(
                key="publications",
                title=_("Publicaties"),
                rss_url_name="theme_feeds:rss",
                atom_url_name="theme_feeds:atom",
                per_theme=True,
                position=10,
            )
        )
        search.reindex_parent_on_change(Authorship, "publication")
        search.reindex_on_m2m_change(Publication.commissioned_by.through)

        def publications_naming_person(person):
            return Publication.objects.filter(authorships__person=person).distinct()

        def publications_naming_organisation(organisation):
            return Publication.objects.filter(
                Q(publisher=organisation) | Q(commissioned_by=organisation)
            ).distinct()

        search.reindex_related_on_save(Person, publications_naming_person)
        search.reindex_related_on_save(Organisation, publications_naming_organisation)
