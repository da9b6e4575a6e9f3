from django.core.management.base import BaseCommand
from django.db import transaction

from ikpob_portal.kernel import search
from ikpob_portal.kernel.models import SearchEntry


class Command(BaseCommand):
    help = "Bouwt de zoekindex opnieuw op voor alle doorzoekbare inhoud (ook concepten)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            SearchEntry.objects.all().delete()
            count = search.rebuild()
        self.stdout.write(self.style.SUCCESS(f"Zoekindex opgebouwd: {count} items."))
