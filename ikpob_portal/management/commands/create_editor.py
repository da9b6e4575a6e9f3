import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ikpob_portal.kernel.editors import EDITOR_GROUP


class Command(BaseCommand):
    help = (
        "Maakt een redacteur: een staff-account in de groep 'Redacteur', zonder rechten op "
        "gebruikers en groepen. Het wachtwoord wordt gevraagd, of komt uit "
        "DJANGO_EDITOR_PASSWORD met --noinput."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--noinput", action="store_true", help="Wachtwoord uit DJANGO_EDITOR_PASSWORD."
        )

    def handle(self, *args, username: str, email: str, noinput: bool, **options) -> None:
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"Er bestaat al een gebruiker '{username}'.")
        try:
            group = Group.objects.get(name=EDITOR_GROUP)
        except Group.DoesNotExist:
            raise CommandError(
                "De groep 'Redacteur' ontbreekt; voer eerst 'migrate' uit."
            ) from None

        if noinput:
            password = os.environ.get("DJANGO_EDITOR_PASSWORD", "")
            if not password:
                raise CommandError("Zet DJANGO_EDITOR_PASSWORD of laat --noinput weg.")
        else:
            password = getpass.getpass("Wachtwoord: ")
            if password != getpass.getpass("Wachtwoord (nogmaals): "):
                raise CommandError("De wachtwoorden zijn niet gelijk.")

        user = User(username=username, email=email, is_staff=True)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user.set_password(password)
        user.save()
        user.groups.add(group)
        self.stdout.write(self.style.SUCCESS(f"Redacteur '{username}' aangemaakt."))
