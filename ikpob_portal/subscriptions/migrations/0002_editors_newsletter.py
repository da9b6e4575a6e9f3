from django.db import migrations

from ikpob_portal.kernel.editors import editor_group_migration


class Migration(migrations.Migration):
    """Editors write and send the newsletter; subscriptions themselves stay out of the admin."""

    dependencies = [("subscriptions", "0001_subscriptions")]

    operations = [editor_group_migration("subscriptions", ["Newsletter"])]
