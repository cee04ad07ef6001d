"""Who may open the portal's committee pages and the city's pages (core.access)."""

from __future__ import annotations

import rules

from counties.models import County
from counties.rules import hosts_several_counties, is_city_staff
from zones.rules import is_committee, is_committee_staff


@rules.predicate
def reads_county_snapshots(user) -> bool:
    """A person of a county that runs its own server (it has a snapshot key) reads its
    snapshots' history, and the reasons the city returned them for."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.county_id is not None
        and County.objects.filter(pk=user.county_id, snapshot_key__isnull=False).exists()
    )


rules.add_perm("portal.open_dashboard", is_committee)
rules.add_perm("portal.see_moves", is_committee_staff | is_city_staff)
# 市级概览 and the snapshots of self-hosted counties: city staff, in a city of counties.
rules.add_perm("portal.open_city_dashboard", is_city_staff & hosts_several_counties)
rules.add_perm("portal.import_snapshots", is_city_staff & hosts_several_counties)
rules.add_perm(
    "portal.read_snapshots", hosts_several_counties & (is_city_staff | reads_county_snapshots)
)
