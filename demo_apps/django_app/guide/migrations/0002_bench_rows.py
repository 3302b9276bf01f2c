"""Fill the benchmark table (snippets/bench) with the same rows the harness's seed() writes."""

from django.db import migrations

from snippets.bench.seed import ROW_COUNT, row


def fill(apps, schema_editor):
    bench_row = apps.get_model("guide", "BenchRow")
    bench_row.objects.using(schema_editor.connection.alias).bulk_create(
        bench_row(**row(i)) for i in range(1, ROW_COUNT + 1)
    )


def empty(apps, schema_editor):
    apps.get_model("guide", "BenchRow").objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [("guide", "0001_initial")]
    operations = [migrations.RunPython(fill, empty)]
