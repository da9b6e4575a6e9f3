from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ikpob_portal.kernel import second_factor


class Command(BaseCommand):
    help = (
        "Verwijdert de tweede factor (de authenticator-app en de herstelcodes) van een account, "
        "bijvoorbeeld na een verloren telefoon. Bij de volgende aanmelding stelt de gebruiker "
        "een nieuwe app in; sessies die met de oude zijn geopend, vragen opnieuw om een code."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        user_model = get_user_model()
        user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"Er is geen account met de gebruikersnaam {username!r}.")
        removed = second_factor.reset(user)
        if removed:
            self.stdout.write(
                f"De tweede factor van {username} is verwijderd. Bij de volgende aanmelding "
                "stelt die een nieuwe app in."
            )
        else:
            self.stdout.write(f"{username} had geen tweede factor ingesteld.")
