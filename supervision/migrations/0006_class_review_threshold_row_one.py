"""The class review thresholds become a `core.models.Singleton`, always row 1. Until now the row
in force was the one with the lowest primary key: it becomes row 1 (the table itself is kept)."""

from django.db import migrations


def lowest_row_becomes_row_one(apps, schema_editor):
    Threshold = apps.get_model("supervision", "ClassReviewThreshold")
    if Threshold.objects.filter(pk=1).exists():
        return
    first = Threshold.objects.order_by("pk").first()
    if first is not None:
        Threshold.objects.filter(pk=first.pk).update(id=1)


class Migration(migrations.Migration):
    dependencies = [("supervision", "0005_merge_20261201_1851")]

    operations = [migrations.RunPython(lowest_row_becomes_row_one, migrations.RunPython.noop)]
