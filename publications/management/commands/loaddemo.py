from django.core.management.base import BaseCommand

from publications.demo import load_demo


class Command(BaseCommand):
    help = (
        "Vult de site met demo-inhoud: thema's, organisaties, personen en publicaties met "
        "PDF's. Opnieuw draaien verandert niets en maakt geen dubbele records."
    )

    def handle(self, *args, **options) -> None:
        report = load_demo()
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Klaar."))
