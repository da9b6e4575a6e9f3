from django.db import migrations

from ikpob_portal.kernel.editors import editor_group_migration


class Migration(migrations.Migration):
    dependencies = [("events", "0009_after_registration")]

    # Editors read the evaluations (the admin allows no adding or changing).
    operations = [editor_group_migration("events", ["Evaluation"])]
