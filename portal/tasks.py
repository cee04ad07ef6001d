from __future__ import annotations

from celery import shared_task

from counties.scoping import every_county

from . import city_body


@shared_task(name="portal.city_body_refresh", soft_time_limit=60, time_limit=120)
def city_body_refresh(period_key: str, day: str, language: str) -> bool:
    """Render the city dashboard's current body after a write (portal.city_body): the city's
    reading of every county. Idempotent: a body already stored for the current data version
    is left as it is."""
    with every_county():
        return city_body.refresh(period_key, day, language)
