from django.db import migrations

from ikpob_portal.kernel.editors import CHIEF_EDITOR_GROUP, EDITOR_GROUP


def chiefs_may_what_editors_may(apps, schema_editor):
    """Hoofdredactie gets every permission Redacteur has, the door's check-in included.

    `ikpob_portal` 0008 copied the editors' permissions when it made the group; depending on the
    order in which the apps' migrations run, `events` 0007 (check-in) could come after it and
    give the permission to Redacteur alone. Adding what is already there changes nothing."""
    Group = apps.get_model("auth", "Group")
    editors, _created = Group.objects.get_or_create(name=EDITOR_GROUP)
    chiefs, _created = Group.objects.get_or_create(name=CHIEF_EDITOR_GROUP)
    chiefs.permissions.add(*editors.permissions.all())


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0010_evaluation_editor_permissions"),
        ("ikpob_portal", "0008_review_before_publishing"),
    ]

    operations = [migrations.RunPython(chiefs_may_what_editors_may, migrations.RunPython.noop)]
