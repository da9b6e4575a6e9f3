"""Indexes for large lists of published publications (PostgreSQL only).

- publication_newest_first: the list's order, for deep pages (DeferredJoinPaginator);
- publication_oai_datestamp: OAI-PMH lists records by GREATEST(updated, published_at).

`newest_first()` sorts months and days DESC NULLS LAST, which SQLite cannot put in an index;
the embedded SQLite database is small enough without it. Not in Meta.indexes for that reason.
"""

from django.db import migrations

CREATE = [
    """
    CREATE INDEX IF NOT EXISTS publication_newest_first ON publications_publication (
        publication_year DESC, publication_month DESC NULLS LAST, publication_day DESC NULLS LAST,
        published_at DESC, title ASC, id ASC
    ) WHERE status = 'published'
    """,
    """
    CREATE INDEX IF NOT EXISTS publication_oai_datestamp ON publications_publication (
        GREATEST(updated, published_at), id
    ) WHERE status = 'published'
    """,
]
DROP = [
    "DROP INDEX IF EXISTS publication_newest_first",
    "DROP INDEX IF EXISTS publication_oai_datestamp",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("publications", "0003_withdrawnpublication")]

    operations = [migrations.RunPython(create, drop)]
