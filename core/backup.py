"""Backup and restore of the portal: the PostgreSQL database (pg_dump's custom format) and the
uploaded files (a tar archive of MEDIA_ROOT), with a manifest of checksums so a restore can be
verified before anything is overwritten."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess  # noqa: S404 - runs pg_dump / pg_restore with argument lists, never a shell
import tarfile
from pathlib import Path

from django.conf import settings
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


def backup_restore(
    *, source: Path, database: dict | None = None, media_root: Path | None = None
) -> dict:
    """Replace the database and the uploaded files with the backup in `source`, after checking
    its checksums. The target database must exist (it may be empty)."""
    manifest = backup_verify(source)
    database = database or settings.DATABASES["default"]
    media_root = Path(media_root or settings.MEDIA_ROOT)
    args, env = _pg_env(database)
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
    staging = media_root.with_name(media_root.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tarfile.open(source / FILES_FILE, "r:gz") as archive:
        archive.extractall(staging, filter="data")
    if media_root.exists():
        shutil.rmtree(media_root)
    staging.rename(media_root)
    return manifest
