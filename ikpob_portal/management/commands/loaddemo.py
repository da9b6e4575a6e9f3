from django.core.management.base import BaseCommand

from ikpob_portal import demo


class Command(BaseCommand):
    help = (
        "Vult de site met demo-inhoud: thema's, organisaties, personen, publicaties met "
        "voorbeeld-PDF's, leerkringen en evenementen met voorbeeldaanmeldingen (zonder e-mail). "
        "Opnieuw draaien verandert niets en maakt geen dubbele records."
    )

    def handle(self, *args, **options) -> None:
        tally = demo.load()
        for line in tally.lines():
            self.stdout.write(line)
