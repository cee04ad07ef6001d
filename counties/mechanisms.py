"""Which mechanisms a reader's county runs, for the pages: the URLs of a mechanism the county
does not run answer 404 to its people (counties.middleware), and the navigation shows only the
mechanisms it runs (counties.context_processors). City staff and the administrators read every
county, so every mechanism.

On a page, what the reader's county runs comes with the signed-in person, read in the same
query (counties.backends.ReaderBackend). Elsewhere (a user loaded otherwise) it is read from
Django's cache, keyed by the county's data version
(core.cache.cached): switching a county's mechanism on or off bumps that version, and so does
any other write in the county, so a page costs one query for it exactly when its other cached
figures are computed afresh too, at any size of data, and nothing when they come from the cache."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from core.cache import bump_data_version, cached

from .constants import Mechanism
from .models import CountyMechanism
from .scoping import scope_of

# The URL namespaces of each mechanism's pages.
URL_NAMESPACES: dict[str, str] = {
    "activities": Mechanism.ZONES,
    "supervision": Mechanism.ZONES,
    "teams": Mechanism.TEAMS,
    # the villagers' pages (wish_public) check the county of their link themselves
    "wishes": Mechanism.WISHES,
    # 六大课堂 member education (issue 19)
    "education": Mechanism.EDUCATION,
}
# Pages of one namespace that several mechanisms open: the service teams' problems are
# supervision findings, answered and verified on supervision's finding pages (issue 18).
SHARED_PAGES: dict[str, frozenset[str]] = {
    f"supervision:{name}": frozenset({Mechanism.ZONES, Mechanism.TEAMS})
    for name in ("finding_detail", "finding_action", "finding_evidence_file")
}


def running(county_id: int) -> frozenset[str]:
    """The mechanisms county `county_id` runs today. A cache outage (or its breaker open)
    costs a query, never a failed page (core.cache.cached)."""
    today = timezone.localdate()

    def read() -> list[str]:
        return sorted(
            CountyMechanism.objects.filter(
                CountyMechanism.in_force_on(today), county_id=county_id
            ).values_list("mechanism", flat=True)
        )

    return frozenset(cached(f"counties:mechanisms:{today.isoformat()}", read, county=county_id))


def forget(sender=None, instance=None, raw=False, **kwargs) -> None:
    """A county's mechanisms changed: bump its data version, so the next page reads them
    afresh (and its figures, which may hide or show a mechanism's part)."""
    if instance is not None and not raw:
        bump_data_version(instance.county_id)


post_save.connect(forget, sender=CountyMechanism, dispatch_uid="counties_mechanisms_saved")
post_delete.connect(forget, sender=CountyMechanism, dispatch_uid="counties_mechanisms_deleted")


def mechanisms_of_reader(user) -> frozenset[str]:
    """The mechanisms whose pages `user` reaches: their county's; every one for city staff
    and the administrators; none for anyone else."""
    county = scope_of(user)
    if county is None:
        return frozenset(Mechanism.values)
    if isinstance(county, int):
        # Read with the signed-in person (counties.backends.ReaderBackend): no query of its own.
        found = getattr(user, "county_mechanisms", None)
        return found if found is not None else running(county)
    return frozenset()


def reader_runs(user, mechanism: str) -> bool:
    return mechanism in mechanisms_of_reader(user)
