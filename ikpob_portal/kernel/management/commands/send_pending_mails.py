from django.core.management.base import BaseCommand

from ikpob_portal.kernel import outbox


class Command(BaseCommand):
    help = (
        "Zet de e-mails klaar die nu aan de beurt zijn (zoals herinneringen voor evenementen) "
        "en biedt elke e-mail uit de outbox die nog niet verstuurd is opnieuw aan, bijvoorbeeld "
        "omdat de mailserver even niet bereikbaar was (aanmeldingen, leerkringen, berichten). "
        "Elke paar minuten draaien."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--retry-parked",
            action="store_true",
            help=(
                "Biedt ook de e-mails die niet te bezorgen waren ('geparkeerd') opnieuw aan, "
                "bijvoorbeeld na het herstellen van de mailinstellingen."
            ),
        )

    def handle(self, *args, retry_parked: bool = False, **options) -> None:
        if retry_parked:
            self.stdout.write(f"{outbox.retry_parked()} geparkeerde e-mail(s) weer klaargezet.")
        try:
            for name, queued in outbox.run_scheduled().items():
                self.stdout.write(f"{name}: {queued} e-mail(s) klaargezet.")
        finally:
            # A failing job (its error is raised for the log) holds up no other mail.
            count = outbox.send_pending()
            self.stdout.write(f"{count} e-mail(s) opnieuw aangeboden.")
