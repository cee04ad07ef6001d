"""Make a reminder visible in the demo: move one rectification deadline to today and ask the
worker to run the daily reminders now, instead of waiting for tomorrow's 08:30 tick."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.queue import publish
from counties.scoping import county_scope, every_county
from notifications.tasks import daily_reminders
from supervision.constants import FindingState
from supervision.models import Finding
from zones.models import UnitPost


class Command(BaseCommand):
    help = "Demo only: make a finding of the `secretary` demo account's unit due today and queue the reminders."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="secretary")
        parser.add_argument(
            "--now",
            action="store_true",
            help="run the reminders in this process instead of the worker",
        )

    def handle(self, *args, **options):
        from django.contrib.auth import get_user_model

        # In the county of the account whose finding is moved: its records, its staff.
        county_id = (
            get_user_model()
            .objects.filter(username=options["username"])
            .values_list("county_id", flat=True)
            .first()
        )
        with county_scope(county_id) if county_id else every_county():
            self._handle(*args, **options)

    def _handle(self, *args, username, now, **options):
        if not settings.DEBUG:
            raise CommandError("demo_reminder only runs with DEBUG on.")
        units = UnitPost.objects.filter(user__username=username).values("unit_id")
        open_findings = Finding.objects.filter(raised_on__isnull=False).exclude(
            state=FindingState.CLOSED
        )
        finding = open_findings.filter(responsible_unit_id__in=units).order_by("pk").first()
        if finding is None:
            raise CommandError(f"{username} has no open finding to move; try --username lead.")
        today = timezone.localdate()
        Finding.objects.filter(pk=finding.pk).update(deadline=today)
        if now:
            from notifications.reminders import reminders_run

            count = reminders_run(day=today)
            self.stdout.write(
                f"Deadline of finding {finding.pk} moved to {today}; {count} notifications written."
            )
        elif publish(daily_reminders, unscheduled=True):
            self.stdout.write(
                f"Deadline of finding {finding.pk} moved to {today}; the worker will write the reminder "
                f"within a minute. Sign in as {username} and watch the bell."
            )
        else:
            raise CommandError("Could not reach the broker; is `make run` running?")
