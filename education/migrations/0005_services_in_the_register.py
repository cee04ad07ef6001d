"""A 双报到 service points at the person's record of service (people.PracticalMatter) instead
of holding the deed's fields itself: every existing service becomes a shared record (logged
through 双报到; a practical matter done or a plain service; confirmed by the community when it
was), and the service keeps its registration and need."""

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

from core.migrating import deferred_checks_now


def _to_register(apps, schema_editor):
    CommunityService = apps.get_model("education", "CommunityService")
    PracticalMatter = apps.get_model("people", "PracticalMatter")
    now = timezone.now()
    rows = CommunityService._base_manager.select_related("registration__community")
    for row in rows.order_by("pk"):
        record = PracticalMatter._base_manager.create(
            person_id=row.registration.person_id,
            done_on=row.done_on,
            category="other" if row.practical_matter else "service",
            hours=row.hours,
            description=(row.description or "")[:300],
            place=(row.registration.community.name if row.registration.community_id else "")[:100],
            source="community",
            recorded_by_id=row.created_by_id,
            # The services kept no time of their confirmation: the migration's stands in.
            confirmed_at=now if row.confirmed else None,
            confirmed_by_id=row.confirmed_by_id,
            confirmed_via="community" if row.confirmed else "",
        )
        row.matter_id = record.pk
        row.save(update_fields=["matter"])


def _from_register(apps, schema_editor):
    CommunityService = apps.get_model("education", "CommunityService")
    for row in CommunityService._base_manager.select_related("matter").order_by("pk"):
        record = row.matter
        row.done_on = record.done_on
        row.description = record.description
        row.hours = record.hours
        row.practical_matter = record.category != "service"
        row.confirmed = record.confirmed_at is not None
        row.confirmed_by_id = record.confirmed_by_id
        row.created_by_id = record.recorded_by_id
        row.save()


def to_register(apps, schema_editor):
    _to_register(apps, schema_editor)
    deferred_checks_now(schema_editor)


def from_register(apps, schema_editor):
    _from_register(apps, schema_editor)
    deferred_checks_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("education", "0004_mentoring_pairs"),
        ("people", "0005_practical_matters"),
    ]

    operations = [
        migrations.AddField(
            model_name="communityservice",
            name="matter",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="community_service",
                to="people.practicalmatter",
                verbose_name="service",
            ),
        ),
        # The old fields become optional first, so the way back can fill them in again.
        migrations.AlterField(
            model_name="communityservice", name="done_on", field=models.DateField(null=True)
        ),
        migrations.AlterField(
            model_name="communityservice",
            name="description",
            field=models.CharField(max_length=2000, blank=True),
        ),
        migrations.AlterField(
            model_name="communityservice",
            name="hours",
            field=models.DecimalField(max_digits=6, decimal_places=1, null=True),
        ),
        migrations.AlterField(
            model_name="communityservice",
            name="created_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.user",
            ),
        ),
        migrations.RunPython(to_register, from_register),
        migrations.AlterModelOptions(
            name="communityservice",
            options={
                "ordering": ["-matter__done_on", "-pk"],
                "verbose_name": "community service",
                "verbose_name_plural": "community services",
            },
        ),
        migrations.RemoveField(model_name="communityservice", name="done_on"),
        migrations.RemoveField(model_name="communityservice", name="description"),
        migrations.RemoveField(model_name="communityservice", name="hours"),
        migrations.RemoveField(model_name="communityservice", name="practical_matter"),
        migrations.RemoveField(model_name="communityservice", name="confirmed"),
        migrations.RemoveField(model_name="communityservice", name="confirmed_by"),
        migrations.RemoveField(model_name="communityservice", name="created_by"),
        migrations.AlterField(
            model_name="communityservice",
            name="matter",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="community_service",
                to="people.practicalmatter",
                verbose_name="service",
            ),
        ),
    ]
