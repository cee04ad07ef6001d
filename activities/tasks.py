"""Background work of the activities module: thin wrappers around one service each."""

from __future__ import annotations

from celery import shared_task

from counties.scoping import over_each_county

from . import services


@shared_task(time_limit=300)
def generate_next_year_rotation(year: int | None = None) -> int:
    """Plan next year's host rotation for every zone (schedule it in December). Idempotent:
    months that already have a host in the past or this month are never rewritten, and a
    second run plans nothing new."""
    return over_each_county(lambda: services.rotation_generate_next_year(year=year))
