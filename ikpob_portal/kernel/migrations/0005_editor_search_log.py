from django.db import migrations

from ikpob_portal.kernel.editors import editor_group_migration


class Migration(migrations.Migration):
    dependencies = [("ikpob_portal", "0004_search_index")]

    operations = [editor_group_migration("ikpob_portal", ["ZeroResultSearch"])]
