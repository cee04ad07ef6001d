"""The default beat schedule, declared in code and written into django-celery-beat's tables by
`manage.py install_schedule` (which `make run` and the deployment notes call). An entry that
already exists is left as it is, so times that staff changed in the admin survive a re-install.

The daily and weekly jobs (`catch_up`) keep a ledger of their runs (ScheduledRun): one row per
job and due day, unique. A tick that beat could not deliver (Redis down at 08:30) or a run cut
short (its worker killed) is not lost: the schedule sweep, run by beat every few minutes and by
each worker when it starts, runs every job whose latest due slot is neither done nor under way.
A run that happens twice anyway writes nothing twice (the notifications' unique keys)."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from core.models import ScheduledRun
from core.queue import lease, publish
from core.scheduled import task_named

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Entry:
    name: str
    task: str
    crontab: dict | None = None
    every_seconds: int | None = None
    description: str = ""
    # A daily or weekly job whose missed or interrupted runs the schedule sweep makes up.
    catch_up: bool = False


DEFAULT_SCHEDULE: list[Entry] = [
    Entry(
        "Daily reminders and escalations",
        "notifications.daily_reminders",
        crontab={"minute": "30", "hour": "8"},
        description="Hosts, confirmations, checks, rectification deadlines (working days).",
        catch_up=True,
    ),
    Entry(
        "Weekly digest for staff",
        "notifications.weekly_digest",
        # Daily: each county's digest goes out on its own weekday (its reminder settings).
        crontab={"minute": "0", "hour": "9"},
        description="Gaps, overdue findings, activities waiting, missing calendar; each "
        "county on its own weekday.",
        catch_up=True,
    ),
    Entry(
        "Re-publish what was never picked up",
        "notifications.sweep_outbox",
        every_seconds=300,
    ),
    Entry("Worker heartbeat", "notifications.worker_heartbeat", every_seconds=60),
    Entry(
        "Roll-up reports of closed periods",
        "reports.request_due",
        crontab={"minute": "0", "hour": "6"},
        description="Monthly, quarterly, half-year and yearly reports, county and per zone.",
        catch_up=True,
    ),
    Entry("Re-queue reports never picked up", "reports.sweep", every_seconds=600),
    Entry(
        "Large exports: delete expired files, re-queue jobs never picked up",
        "core.export_jobs_sweep",
        every_seconds=600,
        description="Export files are kept EXPORT_RETENTION_HOURS (24 h) for their requester.",
    ),
    Entry(
        "Erase personal data after the retention period",
        "people.erase_expired",
        crontab={"minute": "30", "hour": "2"},
        description="People who left longer ago than their county's retention period.",
        catch_up=True,
    ),
    Entry(
        "Erase villagers' names and phones after the retention period",
        "wishes.erase_expired",
        crontab={"minute": "45", "hour": "2"},
        description="Micro-wishes whose return visit closed longer ago than the county's period.",
    ),
    Entry(
        "Run daily and weekly jobs that missed their tick",
        "notifications.sweep_schedule",
        every_seconds=300,
        description="A tick lost while Redis was down, a run whose worker was killed.",
    ),
    Entry(
        "Next year's host rotation",
        "activities.tasks.generate_next_year_rotation",
        crontab={"minute": "0", "hour": "7", "day_of_month": "1", "month_of_year": "12"},
        description="On 1 December, every zone's rotation for the coming year.",
    ),
]


@transaction.atomic
def schedule_install(
    entries: list[Entry] | None = None, *, timezone: str = "Asia/Shanghai"
) -> list[str]:
    """Create the periodic tasks that do not exist yet. Returns the names created."""
    created = []
    for entry in entries or DEFAULT_SCHEDULE:
        if PeriodicTask.objects.filter(name=entry.name).exists():
            continue
        fields = {"name": entry.name, "task": entry.task, "description": entry.description}
        if entry.crontab is not None:
            crontab, _ = CrontabSchedule.objects.get_or_create(
                minute=entry.crontab.get("minute", "0"),
                hour=entry.crontab.get("hour", "*"),
                day_of_week=entry.crontab.get("day_of_week", "*"),
                day_of_month=entry.crontab.get("day_of_month", "*"),
                month_of_year=entry.crontab.get("month_of_year", "*"),
                timezone=timezone,
            )
            fields["crontab"] = crontab
        else:
            interval, _ = IntervalSchedule.objects.get_or_create(
                every=entry.every_seconds, period=IntervalSchedule.SECONDS
            )
            fields["interval"] = interval
        PeriodicTask.objects.create(**fields)
        created.append(entry.name)
    return created


CATCH_UP_JOBS = [entry.task for entry in DEFAULT_SCHEDULE if entry.catch_up]
# A slot whose run failed this often is left to the operator (its error is in the ledger).
MAX_ATTEMPTS = 3


def last_due_slot(crontab: CrontabSchedule, now: datetime.datetime) -> datetime.date | None:
    """The latest day (in the crontab's time zone) on which `crontab` fired by `now`, looking
    back a week and a day: enough for every daily and weekly job."""
    cron = crontab.schedule
    local = now.astimezone(ZoneInfo(str(crontab.timezone)))
    first_time = datetime.time(min(cron.hour), min(cron.minute))
    for back in range(8):
        day = local.date() - datetime.timedelta(days=back)
        if (
            day.month not in cron.month_of_year
            or day.day not in cron.day_of_month
            or (day.weekday() + 1) % 7 not in cron.day_of_week  # crontab: 0 is Sunday
        ):
            continue
        if back == 0 and local.time() < first_time:
            continue
        return day
    return None


def slots_pending(now: datetime.datetime | None = None) -> list[tuple[str, datetime.date]]:
    """(job, day) of each catch-up job whose latest due slot by the installed schedule is
    neither done nor under way. Older missed slots are not made up: the latest run covers them
    (reminders are windows of working days, the digest and the roll-up look back themselves)."""
    now = now or timezone.now()
    due: dict[tuple[str, datetime.date], None] = {}
    for task in PeriodicTask.objects.filter(
        task__in=CATCH_UP_JOBS, enabled=True, crontab__isnull=False
    ).select_related("crontab"):
        slot = last_due_slot(task.crontab, now)
        if slot is not None:
            due[(task.task, slot)] = None
    pending = []
    for job, slot in due:
        row = ScheduledRun.objects.filter(job=job, slot=slot).first()
        unfinished = row is not None and row.finished_at is None and row.attempts < MAX_ATTEMPTS
        if row is None or (
            unfinished and (row.started_at is None or row.started_at < now - lease(task_named(job)))
        ):
            pending.append((job, slot))
    return pending


def schedule_sweep(now: datetime.datetime | None = None) -> int:
    """Queue every pending slot's run; returns how many were queued."""
    queued = 0
    for job, slot in slots_pending(now):
        logger.info("scheduled run %s for %s was missed or cut short: queued again", job, slot)
        queued += publish(task_named(job), day=slot.isoformat())
    return queued
