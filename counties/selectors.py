"""Reads about the city and its counties: whose county a person is, which counties they may
read, which counties run a mechanism."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from core.constants import Role

from .models import County, CountyMechanism


def county_of(user) -> County | None:
    """The county a person of the mechanism belongs to (county staff, a leader, a secretary);
    None for city staff, the three administrators and anyone signed out. The county is read
    once per user object (the foreign key's cache)."""
    if not getattr(user, "is_authenticated", False) or user.county_id is None:
        return None
    return user.county


def reads_every_county(user) -> bool:
    """City staff (and the installation's superuser) read every county's pages."""
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or user.role == Role.CITY_STAFF
    )


def counties_visible_to(user) -> QuerySet[County]:
    """The counties whose pages `user` may read: every county for city staff, their own for a
    person of a county, none for anyone else (the administrators work on their own sites)."""
    counties = County.objects.select_related("city")
    if reads_every_county(user):
        return counties.all()
    if getattr(user, "is_authenticated", False) and user.county_id is not None:
        return counties.filter(pk=user.county_id)
    return counties.none()


def mechanisms_run_by(county_id: int, *, day: datetime.date | None = None) -> frozenset[str]:
    """The mechanisms the county `county_id` runs on `day` (today). One query."""
    day = day or timezone.localdate()
    return frozenset(
        CountyMechanism.objects.filter(
            CountyMechanism.in_force_on(day), county_id=county_id
        ).values_list("mechanism", flat=True)
    )


def counties_running_any(*, day: datetime.date | None = None) -> QuerySet[County]:
    """The counties that run at least one mechanism on `day` (today)."""
    day = day or timezone.localdate()
    return County.objects.filter(
        pk__in=CountyMechanism.objects.filter(CountyMechanism.in_force_on(day)).values("county")
    )


def counties_running(mechanism: str, *, day: datetime.date | None = None) -> QuerySet[County]:
    """The counties that run `mechanism` on `day` (today)."""
    day = day or timezone.localdate()
    return County.objects.filter(
        pk__in=CountyMechanism.objects.filter(
            CountyMechanism.in_force_on(day), mechanism=mechanism
        ).values("county")
    )


def the_only_county() -> County | None:
    """The county of a county-only installation (a city with one county); None when there
    are several or none."""
    counties = list(County.objects.order_by("pk")[:2])
    return counties[0] if len(counties) == 1 else None
