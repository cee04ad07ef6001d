"""Backup and restore of the portal: the PostgreSQL database (pg_dump's custom format) and the
uploaded files (a tar archive of MEDIA_ROOT), with a manifest of checksums so a restore can be
verified before anything is overwritten.

A restore never rewinds the audit trail: the audit rows written since the backup began (events
and record histories) are saved before the database is replaced and appended again after, and
the restore itself is written to the trail."""

from __future__ import annotations

import datetime
import getpass
import hashlib
import json
import os
import shutil
import subprocess  # noqa: S404 - runs pg_dump / pg_restore with argument lists, never a shell
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

DB_FILE = "database.dump"
FILES_FILE = "uploads.tar.gz"
MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env(database: dict) -> tuple[list[str], dict]:
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError("Backups run on PostgreSQL; this database is " + database["ENGINE"])
    args = ["--dbname", database["NAME"]]
    if database.get("HOST"):
        args += ["--host", str(database["HOST"])]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", str(database["USER"])]
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def backup_create(
    *, target: Path, database: dict | None = None, media_root: Path | None = None
) -> dict:
    """Write the database dump, the uploads archive and the manifest into `target` (a new or
    empty folder). Returns the manifest."""
    database = database or settings.DATABASES["default"]
    media_root = Path(media_root or settings.MEDIA_ROOT)
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise BackupError(f"{target} is not empty; back up into a new folder.")
    args, env = _pg_env(database)
    # Before the dump's snapshot: audit rows after this moment are kept on a restore (a row both
    # in the dump and after it is appended once, by its id).
    started_at = timezone.now()
    _run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(target / DB_FILE),
            *args,
        ],
        env,
    )
    with tarfile.open(target / FILES_FILE, "w:gz") as archive:
        if media_root.exists():
            for path in sorted(media_root.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(media_root)))
    manifest = {
        "started_at": started_at.isoformat(),
        "created_at": timezone.now().isoformat(),
        "database": database["NAME"],
        "files": {name: _sha256(target / name) for name in (DB_FILE, FILES_FILE)},
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return manifest


def backup_verify(source: Path) -> dict:
    manifest_path = source / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{source} holds no {MANIFEST}: not a backup made by this portal.")
    manifest = json.loads(manifest_path.read_text())
    for name, digest in manifest["files"].items():
        if not (source / name).exists() or _sha256(source / name) != digest:
            raise BackupError(
                f"{name} is missing or damaged (checksum differs); nothing was restored."
            )
    return manifest


def _connect(database: dict):
    import psycopg2

    return psycopg2.connect(
        dbname=database["NAME"],
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
    )


def _audit_tables() -> list[tuple[str, str, str]]:
    """(table, primary-key column, time column) of every audit table: the events and the
    record histories."""
    out = []
    for model in apps.get_app_config("audit").get_models():
        fields = {f.name for f in model._meta.fields}
        when = "at" if "at" in fields else "history_date"
        out.append((model._meta.db_table, model._meta.pk.column, when))
    return sorted(out)


def _existing_tables(cursor) -> set[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return {row[0] for row in cursor.fetchall()}


def _columns(cursor, table: str) -> list[str]:
    cursor.execute(f'SELECT * FROM "{table}" LIMIT 0')  # noqa: S608 - names from the models
    return [column.name for column in cursor.description]


def audit_rows_since(*, database: dict, since: datetime.datetime) -> dict:
    """The audit rows written after `since`, per table: {table: {"columns": [...], "rows": [...]}}."""
    kept = {}
    conn = _connect(database)
    try:
        with conn.cursor() as cursor:
            existing = _existing_tables(cursor)
            for table, pk, when in _audit_tables():
                if table not in existing:
                    continue
                cursor.execute(
                    f'SELECT * FROM "{table}" WHERE "{when}" > %s ORDER BY "{pk}"',  # noqa: S608
                    [since],
                )
                rows = cursor.fetchall()
                if rows:
                    kept[table] = {
                        "pk": pk,
                        "columns": [c.name for c in cursor.description],
                        "rows": [list(r) for r in rows],
                    }
    finally:
        conn.close()
    return kept


def audit_rows_append(*, database: dict, kept: dict, detail: str) -> int:
    """Append the kept rows again (a row the backup already holds, by its id, is skipped), move
    each table's id sequence past them, and record the restore itself. Returns the rows
    appended."""
    from psycopg2.extras import execute_values

    appended = 0
    conn = _connect(database)
    try:
        with conn, conn.cursor() as cursor:
            existing = _existing_tables(cursor)
            for table, data in kept.items():
                if table not in existing:
                    continue
                present = set(_columns(cursor, table))
                keep = [i for i, c in enumerate(data["columns"]) if c in present]
                names = ", ".join(f'"{data["columns"][i]}"' for i in keep)
                execute_values(
                    cursor,
                    f'INSERT INTO "{table}" ({names}) VALUES %s '  # noqa: S608
                    f'ON CONFLICT ("{data["pk"]}") DO NOTHING',
                    [[row[i] for i in keep] for row in data["rows"]],
                )
                appended += cursor.rowcount
            for table, pk, _when in _audit_tables():
                if table in existing:
                    highest = f'COALESCE((SELECT max("{pk}") FROM "{table}"), 0) + 1'  # noqa: S608
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence(%s, %s), {highest}, false)",  # noqa: S608
                        [table, pk],
                    )
            cursor.execute(
                "INSERT INTO audit_auditevent (at, user_id, username, ip, event, outcome, path, "
                "detail) VALUES (now(), NULL, %s, NULL, 'admin', 'success', '', %s)",
                [f"restore ({getpass.getuser()})"[:150], f"{detail}; {appended} audit rows kept"],
            )
    finally:
        conn.close()
    return appended


def backup_restore(
    *, source: Path, database: dict | None = None, media_root: Path | None = None
) -> dict:
    """Replace the database and the uploaded files with the backup in `source`, after checking
    its checksums. The target database must exist (it may be empty). The audit rows written
    since the backup began are kept: saved first (also to a file, in case the restore stops
    half-way), appended again after."""
    manifest = backup_verify(source)
    database = database or settings.DATABASES["default"]
    media_root = Path(media_root or settings.MEDIA_ROOT)
    args, env = _pg_env(database)
    since = datetime.datetime.fromisoformat(manifest.get("started_at") or manifest["created_at"])
    kept = audit_rows_since(database=database, since=since)
    with tempfile.NamedTemporaryFile(
        "w", prefix="audit-kept-", suffix=".json", delete=False
    ) as handle:
        json.dump(kept, handle, cls=DjangoJSONEncoder)
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            *args,
            str(source / DB_FILE),
        ],
        env,
    )
    try:
        manifest["audit_rows_kept"] = audit_rows_append(
            database=database,
            kept=kept,
            detail=f"database restored from {source} (backup of {manifest['created_at']})",
        )
    except Exception as exc:
        raise BackupError(
            f"The database was restored but the audit rows written since the backup could not "
            f"be appended again ({exc}); they are saved in {handle.name}."
        ) from exc
    Path(handle.name).unlink(missing_ok=True)
    staging = media_root.with_name(media_root.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tarfile.open(source / FILES_FILE, "r:gz") as archive:
        archive.extractall(staging, filter="data")
    if media_root.exists():
        shutil.rmtree(media_root)
    staging.rename(media_root)
    return manifest
