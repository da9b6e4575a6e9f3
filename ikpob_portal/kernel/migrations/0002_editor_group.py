from django.db import migrations

from ikpob_portal.kernel.editors import editor_group_migration


class Migration(migrations.Migration):
    dependencies = [
        ("ikpob_portal", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [editor_group_migration("ikpob_portal", ["Theme", "ThemeRedirect"])]
