"""A fulfilled claim points at the claimant's record of service (people.PracticalMatter)
instead of holding its day and note: every fulfilled claim becomes a shared record (logged
through the claim, a micro-wish fulfilled, confirmed by the wish answered)."""

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

from core.migrating import deferred_checks_now


def _to_register(apps, schema_editor):
    Claim = apps.get_model("wishes", "Claim")
    PracticalMatter = apps.get_model("people", "PracticalMatter")
    now = timezone.now()
    for row in (
        Claim._base_manager.filter(fulfilled_on__isnull=False)
        .select_related("wish", "person")
        .order_by("pk")
    ):
        record = PracticalMatter._base_manager.create(
            person_id=row.person_id,
            done_on=row.fulfilled_on,
            category="wish",
            hours=0,
            people_served=1,
            description=(row.note or "").strip()[:300] or f"微心愿 {row.wish.ticket}",
            source="wish",
            recorded_by_id=row.person.user_id,
            confirmed_at=now,
            confirmed_by_id=row.person.user_id,
            confirmed_via="wish",
        )
        row.matter_id = record.pk
        row.save(update_fields=["matter"])


def _from_register(apps, schema_editor):
    Claim = apps.get_model("wishes", "Claim")
    for row in Claim._base_manager.filter(matter__isnull=False).select_related("matter"):
        row.fulfilled_on = row.matter.done_on
        row.note = row.matter.description[:200]
        row.save(update_fields=["fulfilled_on", "note"])


def to_register(apps, schema_editor):
    _to_register(apps, schema_editor)
    deferred_checks_now(schema_editor)


def from_register(apps, schema_editor):
    _from_register(apps, schema_editor)
    deferred_checks_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_practical_matters"),
        ("wishes", "0002_courtyard_meetings"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="matter",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="wish_claim",
                to="people.practicalmatter",
                verbose_name="small practical matter",
            ),
        ),
        migrations.RunPython(to_register, from_register),
        migrations.RemoveField(model_name="claim", name="fulfilled_on"),
        migrations.RemoveField(model_name="claim", name="note"),
    ]
