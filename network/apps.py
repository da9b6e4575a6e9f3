from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Netwerk")

    def ready(self) -> None:
        from ikpob_portal.kernel import registry, search
        from network.models import Affiliation, Organisation, Person

        registry.register(
            registry.ContentKind(
                model=Organisation,
                label=_("Organisaties"),
                list_url_name="network:list",
                card_template="includes/organisation_card.html",
                public_queryset=lambda: Organisation.objects.published().for_cards(),
                search_document=lambda o: registry.SearchDocument(
                    title=o.name, summary=o.description, names=o.short_name
                ),
                position=40,
                on_home=False,
            )
        )
        registry.register(
            registry.ContentKind(
                model=Person,
                label=_("Personen"),
                list_url_name="network:person-list",
                card_template="includes/person_card.html",
                public_queryset=lambda: Person.objects.published().for_cards(),
                search_document=lambda p: registry.SearchDocument(
                    title=p.full_name,
                    summary=p.title,
                    body=p.bio,
                    names=" ".join(
                        a.organisation.name
                        for a in p.affiliations.all()
                        if a.organisation.is_published
                    ),
                ),
                position=50,
                on_home=False,
            )
        )
        search.reindex_parent_on_change(Affiliation, "person")
