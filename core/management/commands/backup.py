from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the PostgreSQL database and the uploaded files into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("target", type=Path, help="a new or empty folder")

    def handle(self, *args, target, **options):
        try:
            manifest = backup_create(target=target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Backup written to {target}: {', '.join(manifest['files'])}")
        )
