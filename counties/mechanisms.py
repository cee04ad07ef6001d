"""Which mechanisms a reader's county runs, for the pages: the URLs of a mechanism the county
does not run answer 404 to its people (counties.middleware), and the navigation shows only the
mechanisms it runs (counties.context_processors). City staff and the administrators read every
county, so every mechanism.

What a county runs is read from Django's cache (kept CACHE_SECONDS, forgotten whenever a
county's mechanism is switched on or off), so that a page costs no query for it."""

from __future__ import annotations

import contextlib

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from core.breaker import cache_breaker

from .constants import Mechanism
from .models import CountyMechanism
from .scoping import scope_of

# The URL namespaces of each mechanism's pages.
URL_NAMESPACES: dict[str, str] = {
    "activities": Mechanism.ZONES,
    "supervision": Mechanism.ZONES,
}
CACHE_SECONDS = 60


def _key(county_id: int) -> str:
    return f"counties:mechanisms:{county_id}:{timezone.localdate().isoformat()}"


def running(county_id: int) -> frozenset[str]:
    """The mechanisms county `county_id` runs today."""
    key = _key(county_id)
    try:
        found = cache_breaker.call(cache.get, key)
    except Exception:  # noqa: BLE001 - a cache outage (or its breaker open) costs a query
        found = None
    if found is None:
        found = sorted(
            CountyMechanism.objects.filter(
                CountyMechanism.in_force_on(timezone.localdate()), county_id=county_id
            ).values_list("mechanism", flat=True)
        )
        with contextlib.suppress(Exception):
            cache_breaker.call(cache.set, key, found, CACHE_SECONDS)
    return frozenset(found)


def forget(sender=None, instance=None, **kwargs) -> None:
    """A county's mechanisms changed: read them afresh on the next page."""
    if instance is not None:
        with contextlib.suppress(Exception):
            cache_breaker.call(cache.delete, _key(instance.county_id))


post_save.connect(forget, sender=CountyMechanism, dispatch_uid="counties_mechanisms_saved")
post_delete.connect(forget, sender=CountyMechanism, dispatch_uid="counties_mechanisms_deleted")


def mechanisms_of_reader(user) -> frozenset[str]:
    """The mechanisms whose pages `user` reaches: their county's; every one for city staff
    and the administrators; none for anyone else."""
    county = scope_of(user)
    if county is None:
        return frozenset(Mechanism.values)
    if isinstance(county, int):
        return running(county)
    return frozenset()


def reader_runs(user, mechanism: str) -> bool:
    return mechanism in mechanisms_of_reader(user)
