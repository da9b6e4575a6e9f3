from django.db import migrations

from ikpob_portal.kernel.editors import editor_group_migration


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_initial"), ("ikpob_portal", "0002_editor_group")]

    operations = [editor_group_migration("pages", ["Page", "HomePage", "FeaturedItem"])]
