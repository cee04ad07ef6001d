"""The ledger of scheduled runs (定时任务运行记录): a daily or weekly job claims its due day once
(`slot_run`), so a tick delivered twice runs once and a run cut short can be taken over when its
lease expires. Any app's scheduled job records itself here; the sweep that makes up missed slots
is notifications.schedule.schedule_sweep, which owns the beat schedule."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from celery import current_app
from django.db.models import F, Q
from django.utils import timezone

from .models import ScheduledRun
from .queue import lease


def task_named(job: str):
    """The registered Celery task of that name (the app the worker or web process runs)."""
    return current_app.tasks[job]


def slot_run(*, job: str, slot: datetime.date, run: Callable[[datetime.date], int]) -> int | None:
    """Run `job` for its due day `slot` unless that run is done or under way: claimed by
    inserting the slot's row (unique) or, for a run whose lease expired (its worker was killed),
    by a conditional update. Returns the number of new records, None when nothing was run."""
    now = timezone.now()
    row, created = ScheduledRun.objects.get_or_create(
        job=job, slot=slot, defaults={"started_at": now, "attempts": 1}
    )
    if not created:
        stale = now - lease(task_named(job))
        claimed = (
            ScheduledRun.objects.filter(pk=row.pk, finished_at=None)
            .filter(Q(started_at=None) | Q(started_at__lt=stale))
            .update(started_at=now, attempts=F("attempts") + 1)
        )
        if claimed != 1:
            return None
    mine = ScheduledRun.objects.filter(pk=row.pk, started_at=now)
    try:
        result = run(slot)
    except Exception as exc:
        # Released at once: the next sweep tries again (up to MAX_ATTEMPTS).
        mine.update(started_at=None, error=str(exc)[:2000])
        raise
    mine.update(finished_at=timezone.now(), result=result, error="")
    return result
