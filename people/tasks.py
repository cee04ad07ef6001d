from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone


@shared_task(name="people.erase_expired", soft_time_limit=300, time_limit=600)
def erase_expired(day: str | None = None) -> int | None:
    """Daily: erase the personal fields of people who left longer ago than their county's
    retention period (people.retention). Recorded in the schedule's ledger, so a tick lost while
    Redis was down is made up by the sweep; a second run of the day does nothing."""
    from core.scheduled import slot_run

    from .retention import retention_run

    slot = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return slot_run(job="people.erase_expired", slot=slot, run=lambda d: retention_run(day=d))
