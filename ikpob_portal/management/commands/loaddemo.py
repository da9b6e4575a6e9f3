from django.core.management.base import BaseCommand
from django.db import transaction

from events.demo import load_events
from ikpob_portal.kernel import search
from learning_circles.demo import load_learning_circles
from publications.demo import load_demo


class Command(BaseCommand):
    help = (
        "Vult de site met demo-inhoud: thema's, organisaties, personen, publicaties met "
        "PDF's, leerkringen en evenementen met aanmeldingen. Opnieuw draaien op dezelfde dag "
        "verandert niets en maakt geen dubbele records."
    )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            report = load_demo()
            circles = load_learning_circles()  # points to the organisations and publications
            events = load_events()  # points to all of the above
            # Authors, questions and speakers are added after their parents were saved.
            indexed = search.rebuild()
        for line in [*report.lines(), *circles.lines(), *events.lines()]:
            self.stdout.write(line)
        self.stdout.write(f"  Zoekindex:       {indexed} items")
        self.stdout.write(self.style.SUCCESS("Klaar."))
