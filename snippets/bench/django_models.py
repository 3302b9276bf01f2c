from django.db import models


class BenchRow(models.Model):
    title = models.CharField(max_length=80)
    views = models.IntegerField()

    class Meta:
        app_label = "guide"
        db_table = "bench_row"
