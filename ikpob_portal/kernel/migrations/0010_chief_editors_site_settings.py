from django.db import migrations

from ikpob_portal.kernel.editors import CHIEF_EDITOR_GROUP


def grant_site_settings(apps, schema_editor):
    """The Hoofdredactie decides whether review before publishing is needed at all."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    chiefs, _created = Group.objects.get_or_create(name=CHIEF_EDITOR_GROUP)
    content_type, _created = ContentType.objects.get_or_create(
        app_label="ikpob_portal", model="sitesettings"
    )
    for action in ("view", "change"):
        permission, _created = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_sitesettings",
            defaults={"name": f"Can {action} site-instellingen"},
        )
        chiefs.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("ikpob_portal", "0009_visit_counts")]

    operations = [migrations.RunPython(grant_site_settings, migrations.RunPython.noop)]
