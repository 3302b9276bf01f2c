"""Fill the benchmark tables (snippets/bench) with the rows the harness's seed() writes."""

from django.db import migrations

from snippets.bench.seed import AUTHOR_COUNT, ROW_COUNT, author, row


def fill(apps, schema_editor):
    """Skip tables already filled: the harness seeds its database before migrating."""
    alias = schema_editor.connection.alias
    rows = apps.get_model("guide", "BenchRow").objects.using(alias)
    if not rows.exists():
        authors = apps.get_model("guide", "BenchAuthor").objects.using(alias)
        authors.bulk_create(authors.model(**author(i)) for i in range(1, AUTHOR_COUNT + 1))
        rows.bulk_create(rows.model(**row(i)) for i in range(1, ROW_COUNT + 1))


def empty(apps, schema_editor):
    alias = schema_editor.connection.alias
    apps.get_model("guide", "BenchRow").objects.using(alias).all().delete()
    apps.get_model("guide", "BenchAuthor").objects.using(alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [("guide", "0001_initial")]
    operations = [migrations.RunPython(fill, empty)]
