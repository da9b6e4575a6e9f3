import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from events.checkin import DOOR_GROUP
from ikpob_portal.kernel.editors import CHIEF_EDITOR_GROUP, EDITOR_GROUP
from ikpob_portal.platform.email_addresses import normalise_email


class Command(BaseCommand):
    help = (
        "Maakt een redacteur: een staff-account in de groep 'Redacteur', zonder rechten op "
        "gebruikers en groepen. Het wachtwoord wordt gevraagd, of komt uit "
        "DJANGO_EDITOR_PASSWORD met --noinput. Met --hoofdredactie komt het account in de "
        "groep 'Hoofdredactie': die publiceert ook als beoordeling vooraf aan staat, en "
        "beoordeelt. Met --ingang: een account voor de ingang (groep 'Ingang'), dat alleen "
        "deelnemers aanwezig kan melden."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--noinput", action="store_true", help="Wachtwoord uit DJANGO_EDITOR_PASSWORD."
        )
        parser.add_argument(
            "--hoofdredactie",
            action="store_true",
            help="In de groep 'Hoofdredactie' in plaats van 'Redacteur'.",
        )
        parser.add_argument(
            "--ingang",
            action="store_true",
            help="Alleen voor de ingang: deelnemers aanwezig melden, verder niets.",
        )

    def handle(
        self,
        *args,
        username: str,
        email: str,
        noinput: bool,
        hoofdredactie: bool,
        ingang: bool = False,
        **options,
    ) -> None:
        if hoofdredactie and ingang:
            raise CommandError("Kies --hoofdredactie of --ingang, niet allebei.")
        group_name = DOOR_GROUP if ingang else CHIEF_EDITOR_GROUP if hoofdredactie else EDITOR_GROUP
        if email:
            # The review mails go here: the same rules as every address typed on the site.
            try:
                email = normalise_email(email)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"Er bestaat al een gebruiker '{username}'.")
        try:
            group = Group.objects.get(name=group_name)
        except Group.DoesNotExist:
            raise CommandError(
                f"De groep '{group_name}' ontbreekt; voer eerst 'migrate' uit."
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
        role = (
            "Account voor de ingang"
            if ingang
            else "Hoofdredacteur"
            if hoofdredactie
            else "Redacteur"
        )
        self.stdout.write(self.style.SUCCESS(f"{role} '{username}' aangemaakt."))
