"""The units' free-text secretaries move into the register: for each unit with a
`secretary_name`, a person (without an ID number, which is why it is optional) who belongs to
the unit and holds its 书记 post from the day of the migration; a secretary account of the unit
whose full name is that name is linked to the person. The unit's own fields stay as they were
(the unit page shows the register's secretary when there is one)."""

import datetime

from django.db import migrations
from django.utils import timezone

from core.pinyin import name_initials, name_pinyin

REASON = "Moved from the unit's secretary field"


def forwards(apps, schema_editor):
    Unit = apps.get_model("zones", "Unit")
    UnitPost = apps.get_model("zones", "UnitPost")
    Person = apps.get_model("people", "Person")
    Membership = apps.get_model("people", "Membership")
    Post = apps.get_model("people", "Post")
    day: datetime.date = timezone.localdate()
    for unit in Unit._base_manager.exclude(secretary_name="").filter(is_active=True):
        name = unit.secretary_name.strip()[:60]
        if not name:
            continue
        if Post._base_manager.filter(unit=unit, kind="secretary", effective_to=None).exists():
            continue
        account = (
            UnitPost._base_manager.filter(unit=unit, kind="secretary", user__full_name=name)
            .exclude(user__person__isnull=False)
            .select_related("user")
            .first()
        )
        person = Person._base_manager.create(
            county_id=unit.county_id,
            name=name,
            name_pinyin=name_pinyin(name)[:300],
            name_initials=name_initials(name)[:60],
            category="full",
            user=account.user if account is not None else None,
        )
        Membership._base_manager.create(
            person=person, unit=unit, effective_from=day, reason=REASON
        )
        Post._base_manager.create(
            person=person, unit=unit, kind="secretary", effective_from=day, reason=REASON
        )


def backwards(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    Person._base_manager.filter(memberships__reason=REASON, posts__reason=REASON).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_id_number_unique_per_county"),
        ("zones", "0005_county_required"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
