"""manage.py erase_expired_people [--day YYYY-MM-DD]: what the daily task people.erase_expired
does (people.retention.retention_run), by hand; running it twice erases nothing twice."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from people.retention import retention_run


class Command(BaseCommand):
    help = "Erase the personal data of people who left longer ago than the retention period."

    def add_arguments(self, parser):
        parser.add_argument("--day", help="The day to run for (YYYY-MM-DD), today by default.")

    def handle(self, *args, day: str | None = None, **options):
        try:
            when = datetime.date.fromisoformat(day) if day else None
        except ValueError:
            raise CommandError(f"--day {day!r} is not a date (YYYY-MM-DD).") from None
        erased = retention_run(day=when)
        self.stdout.write(f"{erased} people's personal data erased.")
