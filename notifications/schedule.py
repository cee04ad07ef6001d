"""The default beat schedule, declared in code and written into django-celery-beat's tables by
`manage.py install_schedule` (which `make run` and the deployment notes call). An entry that
already exists is left as it is, so times that staff changed in the admin survive a re-install."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask


@dataclass(frozen=True)
class Entry:
    name: str
    task: str
    crontab: dict | None = None
    every_seconds: int | None = None
    description: str = ""


DEFAULT_SCHEDULE: list[Entry] = [
    Entry(
        "Daily reminders and escalations",
        "notifications.daily_reminders",
        crontab={"minute": "30", "hour": "8"},
        description="Hosts, confirmations, checks, rectification deadlines (working days).",
    ),
    Entry(
        "Weekly digest for staff",
        "notifications.weekly_digest",
        crontab={"minute": "0", "hour": "9", "day_of_week": "1"},
        description="Gaps, overdue findings, activities waiting, missing calendar.",
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
    ),
    Entry("Re-queue reports never picked up", "reports.sweep", every_seconds=600),
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
