from django.db import models


class BenchAuthor(models.Model):
    name = models.CharField(max_length=80)

    class Meta:
        app_label = "guide"
        db_table = "bench_author"


class BenchRow(models.Model):
    title = models.CharField(max_length=80)
    views = models.IntegerField()
    author = models.ForeignKey(BenchAuthor, on_delete=models.PROTECT)

    class Meta:
        app_label = "guide"
        db_table = "bench_row"
