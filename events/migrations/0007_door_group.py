from django.db import migrations

# Also in events/checkin.py (DOOR_GROUP); a copy here keeps this migration as it was.
DOOR_GROUP = "Ingang"
CODENAME = "check_in_registration"


def door_permission(apps, schema_editor):
    """The check-in permission for the editors and for a group that has nothing else: door
    volunteers put in 'Ingang' can use the check-in page and no other admin page.

    Permissions are normally created after migrating; create this one if it is missing.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _created = ContentType.objects.get_or_create(
        app_label="events", model="registration"
    )
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename=CODENAME,
        defaults={"name": "Mag deelnemers bij de ingang aanmelden"},
    )
    Group.objects.get_or_create(name=DOOR_GROUP)[0].permissions.add(permission)
    Group.objects.get_or_create(name="Redacteur")[0].permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_registration_checkin_code"),
        ("ikpob_portal", "0002_editor_group"),
    ]

    operations = [migrations.RunPython(door_permission, migrations.RunPython.noop)]
