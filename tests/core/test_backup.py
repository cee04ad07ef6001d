"""Backup and restore round trip on PostgreSQL: the restored database and files are identical
to the original; a damaged backup is refused and restores nothing."""

from __future__ import annotations

import datetime
import hashlib

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from core.backup import BackupError, backup_create, backup_restore

TABLES = ["zones_unit", "zones_membership", "zones_unitgrade", "core_user", "audit_auditevent"]


def _dump_tables(dsn: dict) -> dict:
    conn = psycopg2.connect(
        dbname=dsn["NAME"],
        host=dsn.get("HOST") or None,
        port=dsn.get("PORT") or None,
        user=dsn.get("USER") or None,
        password=dsn.get("PASSWORD") or None,
    )
    try:
        with conn.cursor() as cursor:
            out = {}
            for table in TABLES:
                cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608 - fixed names
                out[table] = cursor.fetchall()
            return out
    finally:
        conn.close()


def _files(root) -> dict:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_is_identical(county, tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("backups run on PostgreSQL (set DATABASE_URL); CI runs it")
    from zones import services

    services.unit_reassign(
        unit=county.member_unit,
        zone=county.zone_b,
        effective_on=datetime.date(2026, 3, 1),
        reason="工作需要",
    )
    media = tmp_path / "media"
    (media / "activities" / "2026").mkdir(parents=True)
    (media / "activities" / "2026" / "photo.jpg").write_bytes(b"\xff\xd8photo-bytes")
    original = dict(connection.settings_dict)
    before_tables, before_files = _dump_tables(original), _files(media)

    backup_create(target=tmp_path / "backup", media_root=media)

    restored_db = f"{original['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored_db}"')
        cursor.execute(f'CREATE DATABASE "{restored_db}"')
    try:
        target = {**original, "NAME": restored_db}
        restored_media = tmp_path / "restored-media"
        backup_restore(source=tmp_path / "backup", database=target, media_root=restored_media)
        restored = _dump_tables(target)
        # The restore itself is on the audit trail (username column: "restore (<os user>)").
        restores = [r for r in restored["audit_auditevent"] if r[2].startswith("restore (")]
        restored["audit_auditevent"] = [
            r for r in restored["audit_auditevent"] if r not in restores
        ]
        assert restored == before_tables and len(restores) == 1
        assert _files(restored_media) == before_files
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored_db}"')


def test_a_damaged_backup_restores_nothing(tmp_path):
    (tmp_path / "manifest.json").write_text('{"files": {"database.dump": "0"}}')
    (tmp_path / "database.dump").write_bytes(b"garbage")
    media = tmp_path / "media"
    media.mkdir()
    (media / "keep.txt").write_text("still here")
    with pytest.raises(BackupError, match="damaged"):
        backup_restore(source=tmp_path, media_root=media)
    assert (media / "keep.txt").read_text() == "still here"


def test_restore_asks_for_confirmation(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path))


def test_backup_refuses_sqlite(tmp_path, settings):
    with pytest.raises(BackupError, match="PostgreSQL"):
        backup_create(
            target=tmp_path / "b", database={"ENGINE": "django.db.backends.sqlite3", "NAME": "x"}
        )
