import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from events.models import Registration
from events.services import anonymise


class Command(BaseCommand):
    help = (
        "Anonimiseert persoonsgegevens van aanmeldingen voor evenementen die langer dan "
        "REGISTRATION_RETENTION_DAYS dagen voorbij zijn, en wist wensen (toegankelijkheid, eten) "
        "zodra een evenement voorbij is. Status en aantallen blijven. Dagelijks draaien."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Bewaartermijn in dagen (standaard REGISTRATION_RETENTION_DAYS).",
        )

    def handle(self, *args, days: int | None, **options) -> None:
        days = settings.REGISTRATION_RETENTION_DAYS if days is None else days
        now = timezone.now()
        needs_cleared = (
            Registration.objects.filter(event__ends_at__lt=now).exclude(needs="").update(needs="")
        )
        expired = Registration.objects.filter(
            event__ends_at__lt=now - datetime.timedelta(days=days), anonymised_at__isnull=True
        )
        anonymised = anonymise(expired)
        self.stdout.write(
            f"Wensen gewist bij {needs_cleared} aanmelding(en); "
            f"{anonymised} aanmelding(en) geanonimiseerd (ouder dan {days} dagen na afloop)."
        )
