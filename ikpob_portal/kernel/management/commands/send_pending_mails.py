from django.core.management.base import BaseCommand

from ikpob_portal.kernel import outbox


class Command(BaseCommand):
    help = (
        "Biedt elke e-mail uit de outbox die nog niet verstuurd is opnieuw aan, bijvoorbeeld "
        "omdat de mailserver even niet bereikbaar was (aanmeldingen, leerkringen, berichten). "
        "Elke paar minuten draaien."
    )

    def handle(self, *args, **options) -> None:
        count = outbox.send_pending()
        self.stdout.write(f"{count} e-mail(s) opnieuw aangeboden.")
