"""The 'Redacteur' group: exactly what foundation editors need, nothing of user management.

Every app grants its own content permissions in a data migration by calling
`grant_editor_permissions`; users and groups are never among them.
"""

EDITOR_GROUP = "Redacteur"
ACTIONS = ("view", "add", "change", "delete")


def grant_editor_permissions(apps, app_label: str, model_names: list[str]) -> None:
    """For use in data migrations (historical `apps`): permissions are normally created
    after migrating, so create any that are missing, then give them to the group."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group, _created = Group.objects.get_or_create(name=EDITOR_GROUP)
    for model_name in model_names:
        model = apps.get_model(app_label, model_name)
        content_type, _created = ContentType.objects.get_or_create(
            app_label=app_label, model=model._meta.model_name
        )
        for action in ACTIONS:
            permission, _created = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model._meta.model_name}",
                defaults={"name": f"Can {action} {model._meta.verbose_name_raw}"},
            )
            group.permissions.add(permission)


def editor_group_migration(app_label: str, model_names: list[str]):
    """A RunPython operation granting the editors `model_names` of `app_label`."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        grant_editor_permissions(apps, app_label, model_names)

    return migrations.RunPython(forwards, migrations.RunPython.noop)
