from django.db import migrations

from ikpob_portal.kernel.editors import EDITOR_GROUPS


def grant_view_outgoing_mail(apps, schema_editor):
    """Editors see which mails could not be delivered (read-only: the outbox is the system's)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _created = ContentType.objects.get_or_create(
        app_label="ikpob_portal", model="outgoingmail"
    )
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_outgoingmail",
        defaults={"name": "Can view uitgaande e-mail"},
    )
    for name in EDITOR_GROUPS:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("ikpob_portal", "0011_outgoing_mail_parked")]

    operations = [migrations.RunPython(grant_view_outgoing_mail, migrations.RunPython.noop)]
