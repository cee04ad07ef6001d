"""Who may read which county (core.access asks these by name)."""

from __future__ import annotations

import rules

from core.constants import Role


@rules.predicate
def is_city_staff(user) -> bool:
    """City staff (市级工作人员): read every county's pages, change no county's records."""
    return bool(getattr(user, "is_authenticated", False)) and user.role == Role.CITY_STAFF


@rules.predicate
def may_read_county(user, county) -> bool:
    """City staff read every county; a person of a county reads their own."""
    if county is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or is_city_staff(user) or user.county_id == county.pk)


@rules.predicate
def hosts_several_counties(user) -> bool:
    """The deployment serves a city of several counties: a county-only installation (a city of
    one county) has no city pages. The one definition of it, for the city dashboard, the
    snapshots and the city reports; counted once per user object (a request's), however often
    the page asks."""
    if not hasattr(user, "_hosts_several_counties"):
        from .models import County

        user._hosts_several_counties = County.objects.count() > 1
    return user._hosts_several_counties


rules.add_perm("counties.read_county", may_read_county)
