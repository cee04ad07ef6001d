"""A restore never rewinds the audit trail: the audit rows written after the backup (events and
record histories) are appended again after the database is replaced, and the restore itself is
on the trail. PostgreSQL (pg_dump / pg_restore)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from audit.constants import Event, Outcome
from audit.models import AuditEvent
from audit.services import audit_record
from core.backup import backup_create, backup_restore
from zones import services as zone_services
from zones.models import Membership

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_restore_keeps_the_audit_rows_written_after_the_backup_and_records_itself(county, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("backups run on PostgreSQL (set DATABASE_URL); CI runs it")
    before = audit_record(event=Event.LOGIN, outcome=Outcome.SUCCESS, username="staff")
    backup_create(target=tmp_path / "backup", media_root=tmp_path / "media")

    after = [
        audit_record(event=Event.EXPORT, outcome=Outcome.SUCCESS, username="staff"),
        audit_record(event=Event.LOGIN_FAILED, outcome=Outcome.FAILURE, username="intruder"),
    ]
    zone_services.unit_reassign(
        unit=county.member_unit,
        zone=county.zone_b,
        effective_on=datetime.date(2026, 3, 1),
        reason="备份后的调整",
    )
    history_after = set(
        Membership.history.filter(reason="备份后的调整").values_list("history_id", flat=True)
    )
    assert history_after

    connection.close()
    manifest = backup_restore(
        source=tmp_path / "backup",
        database=dict(connection.settings_dict),
        media_root=tmp_path / "restored-media",
    )

    # The records are as they were at the backup …
    assert not Membership.objects.filter(unit=county.member_unit, zone=county.zone_b).exists()
    # … but the trail is not: what happened after the backup is still on it, with its ids.
    ids = set(AuditEvent.objects.values_list("id", flat=True))
    assert {before.pk, *(e.pk for e in after)} <= ids
    assert AuditEvent.objects.get(pk=after[1].pk).username == "intruder"
    assert history_after <= set(Membership.history.values_list("history_id", flat=True))
    restore = AuditEvent.objects.get(detail__contains="database restored from")
    assert restore.event == Event.ADMIN_ACTION and restore.username.startswith("restore")
    kept = manifest["audit_rows_kept"]
    assert kept >= len(after) + len(history_after)
    assert f"{kept} audit rows kept" in restore.detail
    # New rows continue after the kept ones.
    newest = audit_record(event=Event.LOGIN, outcome=Outcome.SUCCESS, username="staff")
    assert newest.pk > max(ids)


def test_restoring_a_backup_without_later_audit_rows_only_records_the_restore(county, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("backups run on PostgreSQL (set DATABASE_URL); CI runs it")
    audit_record(event=Event.LOGIN, outcome=Outcome.SUCCESS, username="staff")
    backup_create(target=tmp_path / "backup", media_root=tmp_path / "media")
    count = AuditEvent.objects.count()

    connection.close()
    manifest = backup_restore(
        source=tmp_path / "backup",
        database=dict(connection.settings_dict),
        media_root=tmp_path / "restored-media",
    )

    assert manifest["audit_rows_kept"] == 0
    assert AuditEvent.objects.count() == count + 1
