"""Every unit and zone belongs to a county, now that counties.0002_default_county has put the
existing ones into the default county."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("counties", "0002_default_county"),
        ("zones", "0004_county"),
    ]

    operations = [
        migrations.AlterField(
            model_name="unit",
            name="county",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="units",
                to="counties.county",
                verbose_name="county",
            ),
        ),
        migrations.AlterField(
            model_name="zone",
            name="county",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="zones",
                to="counties.county",
                verbose_name="county",
            ),
        ),
    ]
