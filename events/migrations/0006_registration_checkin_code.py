import secrets

import django.db.models.deletion
import events.models
from django.conf import settings
from django.db import migrations, models


# A copy, so that this migration keeps working whatever events.models becomes.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"


def give_existing_registrations_a_code(apps, schema_editor):
    """A code of their own for the registrations made before codes existed, unique per event
    (a default would give every existing row the same one)."""
    Registration = apps.get_model("events", "Registration")
    taken = set()
    for registration in Registration.objects.only("pk", "event_id").order_by("pk"):
        code = ""
        while not code or (registration.event_id, code) in taken:
            code = "".join(secrets.choice(ALPHABET) for _ in range(6))
        taken.add((registration.event_id, code))
        Registration.objects.filter(pk=registration.pk).update(checkin_code=code)


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0005_event_online_featured'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='registration',
            options={'ordering': ['created', 'id'], 'permissions': [('check_in_registration', 'Mag deelnemers bij de ingang aanmelden')], 'verbose_name': 'aanmelding', 'verbose_name_plural': 'aanmeldingen'},
        ),
        migrations.AddField(
            model_name='registration',
            name='checked_in_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='aanwezig gemeld door'),
        ),
        migrations.AddField(
            model_name='registration',
            name='checkin_code',
            field=models.CharField(default='', editable=False, max_length=6, verbose_name='aanmeldcode'),
        ),
        migrations.RunPython(give_existing_registrations_a_code, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='registration',
            name='checkin_code',
            field=models.CharField(default=events.models.new_checkin_code, editable=False, max_length=6, verbose_name='aanmeldcode'),
        ),
        migrations.AddConstraint(
            model_name='registration',
            constraint=models.UniqueConstraint(fields=('event', 'checkin_code'), name='registration_checkin_code_per_event'),
        ),
    ]
