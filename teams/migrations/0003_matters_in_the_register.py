"""A team's small practical matter points at the person's record of service
(people.PracticalMatter) instead of holding the deed's fields itself: every existing matter
becomes a shared record (logged through the teams, confirmed by the captain when it was), and
the team's row keeps the team it is credited to."""

import django.db.models.deletion
from django.db import migrations, models

from core.migrating import deferred_checks_now


def _to_register(apps, schema_editor):
    MicroMatter = apps.get_model("teams", "MicroMatter")
    PracticalMatter = apps.get_model("people", "PracticalMatter")
    for row in MicroMatter._base_manager.order_by("pk"):
        record = PracticalMatter._base_manager.create(
            person_id=row.person_id,
            done_on=row.done_on,
            category=row.category,
            hours=row.hours,
            people_served=row.people_served,
            description=row.description,
            unit_id=row.unit_id,
            source="teams",
            recorded_by_id=row.recorded_by_id,
            confirmed_at=row.confirmed_at,
            confirmed_by_id=row.confirmed_by_id,
            confirmed_via="captain" if row.confirmed_at else "",
        )
        row.matter_id = record.pk
        row.save(update_fields=["matter"])


def _from_register(apps, schema_editor):
    MicroMatter = apps.get_model("teams", "MicroMatter")
    for row in MicroMatter._base_manager.select_related("matter").order_by("pk"):
        record = row.matter
        for name in ("person_id", "done_on", "category", "hours", "people_served"):
            setattr(row, name, getattr(record, name))
        row.description = record.description
        row.unit_id = record.unit_id
        row.recorded_by_id = record.recorded_by_id
        row.confirmed_at = record.confirmed_at
        row.confirmed_by_id = record.confirmed_by_id
        row.save()


def to_register(apps, schema_editor):
    _to_register(apps, schema_editor)
    deferred_checks_now(schema_editor)


def from_register(apps, schema_editor):
    _from_register(apps, schema_editor)
    deferred_checks_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_practical_matters"),
        ("teams", "0002_trainings_brands_weights"),
    ]

    operations = [
        migrations.AddField(
            model_name="micromatter",
            name="matter",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="team_matter",
                to="people.practicalmatter",
                verbose_name="small practical matter",
            ),
        ),
        # The old fields become optional first, so the way back can fill them in again.
        migrations.AlterField(
            model_name="micromatter",
            name="person",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="people.person",
            ),
        ),
        migrations.AlterField(
            model_name="micromatter",
            name="recorded_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.user",
            ),
        ),
        migrations.AlterField(
            model_name="micromatter", name="done_on", field=models.DateField(null=True)
        ),
        migrations.AlterField(
            model_name="micromatter",
            name="description",
            field=models.CharField(max_length=300, blank=True),
        ),
        migrations.AlterField(
            model_name="micromatter",
            name="category",
            field=models.CharField(max_length=12, blank=True),
        ),
        migrations.RunPython(to_register, from_register),
        migrations.AlterModelOptions(
            name="micromatter",
            options={
                "ordering": ["-matter__done_on", "-pk"],
                "verbose_name": "small practical matter",
                "verbose_name_plural": "small practical matters",
            },
        ),
        migrations.RemoveField(model_name="micromatter", name="person"),
        migrations.RemoveField(model_name="micromatter", name="unit"),
        migrations.RemoveField(model_name="micromatter", name="category"),
        migrations.RemoveField(model_name="micromatter", name="done_on"),
        migrations.RemoveField(model_name="micromatter", name="hours"),
        migrations.RemoveField(model_name="micromatter", name="people_served"),
        migrations.RemoveField(model_name="micromatter", name="description"),
        migrations.RemoveField(model_name="micromatter", name="confirmed_by"),
        migrations.RemoveField(model_name="micromatter", name="confirmed_at"),
        migrations.RemoveField(model_name="micromatter", name="recorded_by"),
        migrations.AlterField(
            model_name="micromatter",
            name="matter",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="team_matter",
                to="people.practicalmatter",
                verbose_name="small practical matter",
            ),
        ),
    ]
