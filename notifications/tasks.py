"""Celery tasks: thin wrappers that take ids, load rows and call one service. Retries and time
limits live here; idempotency lives in the services (unique keys, conditional claims)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from counties.scoping import ANY_MECHANISM, every_county, over_each_county

from . import services


@shared_task(
    name="notifications.send_email",
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
    soft_time_limit=30,
    time_limit=60,
)
def send_email(notification_id: int) -> bool:
    with every_county():
        return services.notification_email(notification_id=notification_id)


@shared_task(name="notifications.sweep_outbox", soft_time_limit=60, time_limit=120)
def sweep_outbox() -> int:
    services.heartbeat_beat("sweep")
    with every_county():
        return services.outbox_sweep()


@shared_task(name="notifications.worker_heartbeat", soft_time_limit=10, time_limit=20)
def worker_heartbeat() -> str:
    services.heartbeat_beat("worker")
    return timezone.now().isoformat()


def _slot(day: str | None):
    import datetime

    return datetime.date.fromisoformat(day) if day else timezone.localdate()


@shared_task(name="notifications.daily_reminders", soft_time_limit=300, time_limit=600)
def daily_reminders(day: str | None = None, unscheduled: bool = False) -> int | None:
    """Run every day: working-day rules cannot be a crontab (调休). Beat sends it without a
    day (today); the schedule sweep with the day it missed. Recorded in the ledger, so it runs
    once per day; `unscheduled` (the demo) runs it again outside the ledger, harmlessly."""
    from core.scheduled import slot_run

    from .reminders import reminders_run

    # Once per county that runs a mechanism, in its scope: its records, its staff, its lead
    # times and working days, the rules of the mechanisms it runs (reminders.rules_for).
    def run(d):
        return over_each_county(lambda: reminders_run(day=d), running=ANY_MECHANISM)

    if unscheduled:
        return run(_slot(day))
    return slot_run(job="notifications.daily_reminders", slot=_slot(day), run=run)


@shared_task(name="notifications.weekly_digest", soft_time_limit=300, time_limit=600)
def weekly_digest(day: str | None = None) -> int | None:
    from core.scheduled import slot_run

    from .digest import digest_run

    def run(d):
        # Once per county that runs a mechanism, in its scope: its staff read the figures of
        # the mechanisms it runs, on its digest weekday (notifications.digest).
        return over_each_county(lambda: digest_run(day=d), running=ANY_MECHANISM)

    return slot_run(job="notifications.weekly_digest", slot=_slot(day), run=run)


@shared_task(name="notifications.sweep_schedule", soft_time_limit=60, time_limit=120)
def sweep_schedule() -> int:
    from .schedule import schedule_sweep

    with every_county():
        return schedule_sweep()
