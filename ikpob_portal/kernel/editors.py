"""The 'Redacteur' and 'Hoofdredactie' groups: exactly what foundation editors need, nothing
of user management.

Every app grants its own content permissions in a data migration by calling
`grant_editor_permissions`; users and groups are never among them. The chief editors
(Hoofdredactie) get the same, plus `ikpob_portal.publish_content`: with review before
publishing on (the site settings), only they publish, and they approve what editors submit.
"""

EDITOR_GROUP = "Redacteur"
CHIEF_EDITOR_GROUP = "Hoofdredactie"
EDITOR_GROUPS = (EDITOR_GROUP, CHIEF_EDITOR_GROUP)
ACTIONS = ("view", "add", "change", "delete")
PUBLISH_PERMISSION = "ikpob_portal.publish_content"


def grant_editor_permissions(apps, app_label: str, model_names: list[str]) -> None:
    """For use in data migrations (historical `apps`): permissions are normally created
    after migrating, so create any that are missing, then give them to the group."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    groups = [Group.objects.get_or_create(name=name)[0] for name in EDITOR_GROUPS]
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
            for group in groups:
                group.permissions.add(permission)


def editor_group_migration(app_label: str, model_names: list[str]):
    """A RunPython operation granting the editors `model_names` of `app_label`."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        grant_editor_permissions(apps, app_label, model_names)

    return migrations.RunPython(forwards, migrations.RunPython.noop)
