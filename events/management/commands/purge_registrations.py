from django.conf import settings
from django.core.management.base import BaseCommand

from events import services


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
        purged = services.purge(retention_days=days)
        self.stdout.write(
            f"Wensen gewist bij {purged.needs_cleared} aanmelding(en); "
            f"{purged.anonymised} aanmelding(en) geanonimiseerd (ouder dan {days} dagen na afloop)."
        )
        if purged.invitations_erased:
            self.stdout.write(f"{purged.invitations_erased} uitnodigingsadres(sen) gewist.")
