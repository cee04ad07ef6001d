"""Celery tasks: thin wrappers that take ids, load rows and call one service. Retries and time
limits live here; idempotency lives in the services (unique keys, conditional claims)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

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
    return services.notification_email(notification_id=notification_id)


@shared_task(name="notifications.sweep_outbox", soft_time_limit=60, time_limit=120)
def sweep_outbox() -> int:
    services.heartbeat_beat("sweep")
    return services.outbox_sweep()


@shared_task(name="notifications.worker_heartbeat", soft_time_limit=10, time_limit=20)
def worker_heartbeat() -> str:
    services.heartbeat_beat("worker")
    return timezone.now().isoformat()


@shared_task(name="notifications.daily_reminders", soft_time_limit=300, time_limit=600)
def daily_reminders() -> int:
    """Run every day (and safely more often): working-day rules cannot be a crontab (调休)."""
    from .reminders import reminders_run

    return reminders_run(day=timezone.localdate())


@shared_task(name="notifications.weekly_digest", soft_time_limit=300, time_limit=600)
def weekly_digest() -> int:
    from .reminders import digest_run

    return digest_run(day=timezone.localdate())
