from django.core.management.base import BaseCommand

from events.services import send_pending_mails
from learning_circles.services import send_pending_notices


class Command(BaseCommand):
    help = (
        "Verstuurt registratiemails en meldingen van aanmeldingen voor leerkringen opnieuw die "
        "nog niet verstuurd zijn, bijvoorbeeld omdat de mailserver even niet bereikbaar was. "
        "Elke paar minuten draaien."
    )

    def handle(self, *args, **options) -> None:
        count = send_pending_mails() + send_pending_notices()
        self.stdout.write(f"{count} e-mail(s) opnieuw aangeboden.")
