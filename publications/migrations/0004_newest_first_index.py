"""The list's order over published rows, for deep pages (PostgreSQL only).

`newest_first()` sorts months and days DESC NULLS LAST, which SQLite cannot put in an index;
the embedded SQLite database is small enough without it. Not in Meta.indexes for that reason.
"""

from django.db import migrations

CREATE = """
CREATE INDEX IF NOT EXISTS publication_newest_first ON publications_publication (
    publication_year DESC, publication_month DESC NULLS LAST, publication_day DESC NULLS LAST,
    published_at DESC, title ASC, id ASC
) WHERE status = 'published'
"""
DROP = "DROP INDEX IF EXISTS publication_newest_first"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("publications", "0003_withdrawnpublication")]

    operations = [migrations.RunPython(create, drop)]
