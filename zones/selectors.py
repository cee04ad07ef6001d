"""Reads about the organization on a given day. Later features ask these, so that an activity
of March stays with the zone its unit belonged to in March."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from .constants import MembershipRole
from .models import Membership, Unit, UnitGrade, UnitPost, Zone, ZoneLeadership, in_force_on


def today() -> datetime.date:
    return timezone.localdate()


def zone_members_on(*, zone: Zone, day: datetime.date) -> QuerySet[Unit]:
    """The units of a zone on a day, lead unit included."""
    return Unit.objects.filter(in_force_on(day, "memberships__"), memberships__zone=zone).order_by(
        "name"
    )


def unit_membership_on(*, unit: Unit, day: datetime.date) -> Membership | None:
    return Membership.objects.filter(in_force_on(day), unit=unit).select_related("zone").first()


def unit_zone_on(*, unit: Unit, day: datetime.date) -> Zone | None:
    membership = unit_membership_on(unit=unit, day=day)
    return membership.zone if membership else None


def zone_lead_on(*, zone: Zone, day: datetime.date) -> Unit | None:
    membership = (
        Membership.objects.filter(in_force_on(day), zone=zone, role=MembershipRole.LEAD)
        .select_related("unit")
        .first()
    )
    return membership.unit if membership else None


def zone_leader_on(*, zone: Zone, day: datetime.date):
    leadership = (
        ZoneLeadership.objects.filter(in_force_on(day), zone=zone).select_related("leader").first()
    )
    return leadership.leader if leadership else None


def unit_grade_on(*, unit: Unit, day: datetime.date) -> int | None:
    """The unit's class on a day: the latest grade that took effect on or before it."""
    return (
        UnitGrade.objects.filter(unit=unit, effective_from__lte=day)
        .order_by("-effective_from")
        .values_list("grade", flat=True)
        .first()
    )


def units_with_state(*, day: datetime.date | None = None) -> QuerySet[Unit]:
    """Units annotated with their zone, role and class on a day, in one query."""
    day = day or today()
    membership = Membership.objects.filter(in_force_on(day), unit=OuterRef("pk"))
    grade = UnitGrade.objects.filter(unit=OuterRef("pk"), effective_from__lte=day).order_by(
        "-effective_from"
    )
    return Unit.objects.annotate(
        zone_id_on=Subquery(membership.values("zone_id")[:1]),
        zone_number_on=Subquery(membership.values("zone__number")[:1]),
        zone_name_on=Subquery(membership.values("zone__name")[:1]),
        zone_role_on=Subquery(membership.values("role")[:1]),
        grade_on=Subquery(grade.values("grade")[:1]),
    )


def zones_overview(*, day: datetime.date | None = None) -> QuerySet[Zone]:
    """Zones with their lead unit, guiding leader and member count on a day, in one query."""
    day = day or today()
    lead = Membership.objects.filter(
        in_force_on(day), zone=OuterRef("pk"), role=MembershipRole.LEAD
    )
    leader = ZoneLeadership.objects.filter(in_force_on(day), zone=OuterRef("pk"))
    member_filter = Q(memberships__effective_from__lte=day) & (
        Q(memberships__effective_to__isnull=True) | Q(memberships__effective_to__gt=day)
    )
    return Zone.objects.annotate(
        lead_name=Subquery(lead.values("unit__name")[:1]),
        leader_name=Subquery(leader.values("leader__full_name")[:1]),
        member_count=Count("memberships", filter=member_filter),
    ).order_by("number")


@dataclass(frozen=True)
class Scope:
    """What a user may see, derived from role and posts on a day (three queries at most).

    - `is_staff`: work-committee staff see and do everything.
    - `unit_ids`: the units the user serves as secretary or officer.
    - `led_zone_ids`: zones whose lead unit the user serves (the lead-unit secretary).
    - `guided_zone_ids`: zones the user guides as work-committee leader.
    """

    is_staff: bool
    unit_ids: frozenset[int]
    led_zone_ids: frozenset[int]
    guided_zone_ids: frozenset[int]
    member_zone_ids: frozenset[int]

    @property
    def readable_zone_ids(self) -> frozenset[int]:
        """Zones whose every record the user may read (led or guided)."""
        return self.led_zone_ids | self.guided_zone_ids


def user_scope(user, *, day: datetime.date | None = None) -> Scope:
    """The access scope of `user` on `day` (today by default). Cached on the user object for the
    request, so every selector and view asks the same question once."""
    day = day or today()
    cache_key = f"_scope_{day.isoformat()}"
    cached = getattr(user, cache_key, None)
    if cached is not None:
        return cached
    if not user.is_authenticated or not user.is_active:
        scope = Scope(False, frozenset(), frozenset(), frozenset(), frozenset())
    else:
        unit_ids = frozenset(UnitPost.objects.filter(user=user).values_list("unit_id", flat=True))
        rows = (
            list(
                Membership.objects.filter(in_force_on(day), unit_id__in=unit_ids).values_list(
                    "zone_id", "role"
                )
            )
            if unit_ids
            else []
        )
        guided = frozenset(
            ZoneLeadership.objects.filter(in_force_on(day), leader=user).values_list(
                "zone_id", flat=True
            )
        )
        scope = Scope(
            is_staff=bool(getattr(user, "is_committee_staff", False)),
            unit_ids=unit_ids,
            led_zone_ids=frozenset(z for z, role in rows if role == MembershipRole.LEAD),
            guided_zone_ids=guided,
            member_zone_ids=frozenset(z for z, _role in rows),
        )
    setattr(user, cache_key, scope)
    return scope


def zones_visible_to(user) -> QuerySet[Zone]:
    """Committee staff and leaders see every zone; a secretary sees the zone(s) their unit is in."""
    if not user.is_authenticated:
        return Zone.objects.none()
    if user.is_committee:
        return Zone.objects.all()
    return Zone.objects.filter(pk__in=user_scope(user).member_zone_ids)


def units_visible_to(user) -> QuerySet[Unit]:
    """Committee staff and leaders see every unit; a secretary sees the units of their zone(s)
    and the units they serve."""
    if not user.is_authenticated:
        return Unit.objects.none()
    if user.is_committee:
        return Unit.objects.all()
    scope = user_scope(user)
    day = today()
    return Unit.objects.filter(
        Q(pk__in=scope.unit_ids)
        | Q(
            pk__in=Membership.objects.filter(
                in_force_on(day), zone_id__in=scope.member_zone_ids
            ).values("unit_id")
        )
    )
