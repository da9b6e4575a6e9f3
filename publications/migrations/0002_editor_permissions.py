from django.db import migrations

from ikpob_portal.kernel.editors import editor_group_migration


class Migration(migrations.Migration):
    dependencies = [("publications", "0001_initial"), ("ikpob_portal", "0002_editor_group")]

    operations = [editor_group_migration("publications", ["Publication", "Authorship"])]
