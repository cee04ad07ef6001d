"""Every patrolround is in a county now that 0007_county filled them (a migration of its own, so that
PostgreSQL's deferred foreign-key checks of the fill do not meet the ALTER TABLE)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0007_county"),
    ]

    operations = [
        migrations.AlterField(
            model_name='patrolround',
            name='county',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='counties.county', verbose_name='county'),
        ),
    ]
