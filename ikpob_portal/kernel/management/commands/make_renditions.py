"""Make the renditions of every image that should have them (ikpob_portal/platform/images.py).

Saving an image makes its renditions; this command is for what saving did not cover: images
stored before renditions existed (their size is recorded first), renditions lost from the
storage, and a change in how renditions are made (new widths or RENDITION_VERSION: --replace).
"""

from django.apps import apps
from django.core.management.base import BaseCommand

from ikpob_portal.platform.images import RenditionsMixin, make_renditions, record_size


class Command(BaseCommand):
    help = (
        "Maakt de ontbrekende varianten (breedtes, WebP) van alle afbeeldingen; met --replace "
        "alle varianten opnieuw."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--replace", action="store_true", help="Alle varianten opnieuw maken en overschrijven."
        )

    def handle(self, *args, replace: bool = False, **options) -> None:
        images = written = unreadable = 0
        for model in apps.get_models():
            if not issubclass(model, RenditionsMixin):
                continue
            for field in model.rendition_widths:
                rows = model._default_manager.exclude(**{field: ""}).order_by("pk")
                for instance in rows.iterator():
                    images += 1
                    if not getattr(instance, f"{field}_width") and not record_size(instance, field):
                        unreadable += 1
                        self.stderr.write(
                            f"{model._meta.label} {instance.pk}: {getattr(instance, field).name} "
                            "ontbreekt of is geen afbeelding."
                        )
                        continue
                    made = make_renditions(
                        instance, field, missing_only=not replace, replace=replace
                    )
                    written += len(made)
        self.stdout.write(
            f"Afbeeldingen: {images}, varianten gemaakt: {written}, onleesbaar: {unreadable}."
        )
