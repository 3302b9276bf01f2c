"""Fill the benchmark table (snippets/bench) with the same rows the harness's seed() writes."""

from django.db import migrations

from snippets.bench.seed import ROW_COUNT, row


def fill(apps, schema_editor):
    """Skip a table that is already filled: the harness seeds its database before migrating."""
    rows = apps.get_model("guide", "BenchRow").objects.using(schema_editor.connection.alias)
    if not rows.exists():
        rows.bulk_create(rows.model(**row(i)) for i in range(1, ROW_COUNT + 1))


def empty(apps, schema_editor):
    apps.get_model("guide", "BenchRow").objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [("guide", "0001_initial")]
    operations = [migrations.RunPython(fill, empty)]
