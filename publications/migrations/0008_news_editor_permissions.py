from django.db import migrations

from ikpob_portal.kernel.editors import editor_group_migration


class Migration(migrations.Migration):
    dependencies = [("publications", "0007_newsitem")]

    operations = [editor_group_migration("publications", ["NewsItem", "NewsContribution"])]
