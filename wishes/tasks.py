"""The mechanism's scheduled work: the erasure of villagers' personal data after retention."""

from __future__ import annotations

from celery import shared_task

from counties.constants import Mechanism
from counties.scoping import each_county


@shared_task(name="wishes.erase_expired")
def erase_expired() -> int:
    """Each county running the mechanism: erase names and phones past the retention period."""
    from .services import wishes_erase_expired

    erased = 0
    for county in each_county():
        if county.runs(Mechanism.WISHES):
            erased += wishes_erase_expired(county=county)
    return erased
