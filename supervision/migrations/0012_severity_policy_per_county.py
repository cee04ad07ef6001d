"""The rectification deadlines per severity become each county's own (issue 15): they were one
set for the whole deployment, so one county's staff changed every county's deadlines. Each
county that exists gets a copy of the deployment's rows; a county added later starts from the
defaults (supervision.constants.DEFAULT_RECTIFY_WORKDAYS) until its staff save its rows."""

import django.db.models.deletion
from django.db import migrations, models


def copy_to_every_county(apps, schema_editor):
    Policy = apps.get_model("supervision", "SeverityPolicy")
    County = apps.get_model("counties", "County")
    shared = list(Policy.objects.filter(county__isnull=True).values_list("severity", "workdays"))
    Policy.objects.bulk_create(
        Policy(county_id=county_id, severity=severity, workdays=workdays)
        for county_id in County.objects.values_list("pk", flat=True)
        for severity, workdays in shared
    )
    Policy.objects.filter(county__isnull=True).delete()
    if schema_editor.connection.vendor == "postgresql":
        # check the rows now: PostgreSQL refuses the next ALTER TABLE while foreign-key checks
        # of this transaction are pending (supervision 0009's constraints_now)
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def back_to_one_set(apps, schema_editor):
    Policy = apps.get_model("supervision", "SeverityPolicy")
    first = Policy.objects.order_by("county_id").values_list("county_id", flat=True).first()
    Policy.objects.exclude(county_id=first).delete()
    Policy.objects.update(county=None)


class Migration(migrations.Migration):
    dependencies = [
        ("counties", "0003_calendar_override"),
        ("supervision", "0011_merge_20261202_0139"),
    ]

    operations = [
        migrations.AlterField(
            model_name="severitypolicy",
            name="severity",
            field=models.CharField(
                choices=[("general", "General"), ("major", "Major"), ("serious", "Serious")],
                max_length=12,
                verbose_name="severity",
            ),
        ),
        migrations.AddField(
            model_name="severitypolicy",
            name="county",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="counties.county",
                verbose_name="county",
            ),
        ),
        migrations.RunPython(copy_to_every_county, back_to_one_set),
        migrations.AlterField(
            model_name="severitypolicy",
            name="county",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="counties.county",
                verbose_name="county",
            ),
        ),
        migrations.AddConstraint(
            model_name="severitypolicy",
            constraint=models.UniqueConstraint(
                fields=("county", "severity"), name="severity_policy_one_per_county"
            ),
        ),
    ]
