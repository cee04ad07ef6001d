from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Replace the database and the uploaded files with a backup made by `backup`."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="confirm that current data is replaced"
        )

    def handle(self, *args, source, yes, **options):
        if not yes:
            raise CommandError(
                "Restoring replaces the current database and files; add --yes to confirm."
            )
        try:
            manifest = backup_restore(source=source)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored from {source}; {manifest['audit_rows_kept']} audit rows written "
                "since the backup were kept."
            )
        )
