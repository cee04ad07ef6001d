# The settings row is a county's: every row has one (the previous migration gave the old row
# to the default county and dropped what had none).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0003_county_settings'),
    ]

    operations = [
        migrations.AlterField(
            model_name='remindersettings',
            name='county',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='counties.county', verbose_name='county'),
        ),
    ]
