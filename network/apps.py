from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Netwerk")

    def ready(self) -> None:
        from ikpob_portal import registry
        from network.models import Organisation, Person

        registry.register(
            registry.ContentKind(
                model=Organisation,
                label=_("Organisaties"),
                list_url_name="network:list",
                card_template="includes/organisation_card.html",
                public_queryset=lambda: Organisation.objects.published().for_cards(),
                search_fields=("name", "short_name", "description"),
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
                search_fields=("given_name", "family_name", "title", "bio"),
                position=50,
                on_home=False,
            )
        )
