"""Scheduled work of the service teams: the contact rule's reminders to captains
(teams.reminders), daily, once per county running the teams, in its scope."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from counties.constants import Mechanism
from counties.scoping import over_each_county


@shared_task(name="teams.contact_reminders", soft_time_limit=300, time_limit=600)
def contact_reminders(day: str | None = None) -> int | None:
    """Beat sends it without a day (today); the schedule sweep with the day it missed.
    Recorded in the ledger (one run per day), and the notifications' keys make a second run
    write nothing twice."""
    from core.scheduled import slot_run

    from .reminders import contact_reminders_run

    slot = datetime.date.fromisoformat(day) if day else timezone.localdate()

    def run(d):
        return over_each_county(lambda: contact_reminders_run(day=d), running=Mechanism.TEAMS)

    return slot_run(job="teams.contact_reminders", slot=slot, run=run)
