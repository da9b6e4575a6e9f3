"""The year of appearance may be unknown (NULL): left empty rather than guessed.

`newest_first()` now sorts the year DESC NULLS LAST (publications without a year after those
with one), so the PostgreSQL index of 0004 is made again with the same order.
"""

import django.core.validators
from django.db import migrations, models

NEWEST_FIRST = """
    CREATE INDEX IF NOT EXISTS publication_newest_first ON publications_publication (
        publication_year DESC{year_nulls}, publication_month DESC NULLS LAST,
        publication_day DESC NULLS LAST, published_at DESC, title ASC, id ASC
    ) WHERE status = 'published'
"""


def _index(year_nulls: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("DROP INDEX IF EXISTS publication_newest_first")
            schema_editor.execute(NEWEST_FIRST.format(year_nulls=year_nulls))

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0005_pdf_checked_generated_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="publication",
            options={
                "ordering": [
                    models.OrderBy(models.F("publication_year"), descending=True, nulls_last=True),
                    "title",
                ],
                "verbose_name": "publicatie",
                "verbose_name_plural": "publicaties",
            },
        ),
        migrations.AlterField(
            model_name="publication",
            name="publication_year",
            field=models.PositiveSmallIntegerField(
                blank=True,
                db_index=True,
                help_text=(
                    "Leeg laten als het jaar niet bekend is; dan blijven maand en dag ook leeg."
                ),
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(1900),
                    django.core.validators.MaxValueValidator(2100),
                ],
                verbose_name="jaar van verschijnen",
            ),
        ),
        migrations.RunPython(_index(" NULLS LAST"), _index("")),
    ]
