from django.core.management.base import BaseCommand

from events.services import send_pending_mails


class Command(BaseCommand):
    help = (
        "Verstuurt registratiemails opnieuw die nog niet verstuurd zijn, bijvoorbeeld omdat de "
        "mailserver even niet bereikbaar was. Elke paar minuten draaien."
    )

    def handle(self, *args, **options) -> None:
        count = send_pending_mails()
        self.stdout.write(f"{count} e-mail(s) opnieuw aangeboden.")
