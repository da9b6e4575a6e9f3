from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Publicaties")

    def ready(self) -> None:
        from ikpob_portal import registry
        from publications.models import Publication

        registry.register(
            registry.ContentKind(
                model=Publication,
                label=_("Publicaties"),
                list_url_name="publications:list",
                card_template="includes/publication_card.html",
                public_queryset=lambda: Publication.objects.published().for_cards().newest_first(),
                search_fields=("title", "subtitle", "summary", "body"),
            )
        )
