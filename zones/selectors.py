"""Reads about the organization on a given day. Later features ask these, so that an activity
of March stays with the zone its unit belonged to in March."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.cache import county_in_scope, reader_cached
from core.constants import Role
from core.pinyin import initials_pattern

from .constants import Grade, MembershipRole
from .models import Membership, Unit, UnitGrade, UnitPost, Zone, ZoneLeadership, in_force_on
from .signals import move_consequences as move_consequences_signal


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


def units_with_state(
    *, day: datetime.date | None = None, units: QuerySet[Unit] | None = None
) -> QuerySet[Unit]:
    """Units (every unit, or those of `units`) annotated with their zone, role and class on a
    day, in one query."""
    day = day or today()
    membership = Membership.objects.filter(in_force_on(day), unit=OuterRef("pk"))
    grade = UnitGrade.objects.filter(unit=OuterRef("pk"), effective_from__lte=day).order_by(
        "-effective_from"
    )
    return (Unit.objects if units is None else units).annotate(
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
    - `reads_all`: staff, and city staff (市级), who read everything and change nothing.
    - `unit_ids`: the units the user serves as secretary or officer.
    - `led_zone_ids`: zones whose lead unit the user serves (the lead-unit secretary).
    - `guided_zone_ids`: zones the user guides as work-committee leader.
    """

    is_staff: bool
    reads_all: bool
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
        scope = Scope(False, False, frozenset(), frozenset(), frozenset(), frozenset())
    else:
        # Across requests too, per reader, day and county scope, until their posts, their
        # units' zones or the zones they guide change (core.cache's reader version).
        scope = reader_cached(
            "scope", user, lambda: _scope_of(user, day), day.isoformat(), county_in_scope()
        )
    setattr(user, cache_key, scope)
    return scope


def _scope_of(user, day: datetime.date) -> Scope:
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
    return Scope(
        is_staff=bool(getattr(user, "is_committee_staff", False)),
        reads_all=bool(getattr(user, "is_committee_staff", False)) or user.role == Role.CITY_STAFF,
        unit_ids=unit_ids,
        led_zone_ids=frozenset(z for z, role in rows if role == MembershipRole.LEAD),
        guided_zone_ids=guided,
        member_zone_ids=frozenset(z for z, _role in rows),
    )


def move_consequences(*, units, zone: Zone, effective_on: datetime.date) -> list[str]:
    """What moving `units` into `zone` from a past `effective_on` changes, in sentences: each
    unit's move, then what the apps that keep records per zone answer (zones.signals)."""
    lines: list[str] = []
    day = formats.date_format(effective_on, "DATE_FORMAT")
    for unit in units:
        current = unit_membership_on(unit=unit, day=today())
        from_zone = current.zone if current is not None else None
        if from_zone is not None:
            lines.append(
                _("%(unit)s leaves %(from)s for %(to)s from %(date)s.")
                % {"unit": unit, "from": from_zone, "to": zone, "date": day}
            )
        for _receiver, answer in move_consequences_signal.send(
            sender=Unit, unit=unit, from_zone=from_zone, to_zone=zone, effective_on=effective_on
        ):
            lines.extend(answer or [])
    return lines


@dataclass(frozen=True)
class Move:
    """One change of the organization (本年调整): a unit moved to another zone, a new lead
    unit, or a unit's new class, with when, why and who recorded it."""

    kind: str  # "zone", "lead" or "class"
    day: datetime.date
    unit: Unit
    before: str
    after: str
    reason: str
    by: object


def moves_in_year(*, year: int) -> list[Move]:
    """The year's reassignments, lead-unit changes and class changes, newest first (three
    queries). A first membership or a first class is no move."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    previous = Membership.objects.filter(
        unit=OuterRef("unit"), effective_to=OuterRef("effective_from")
    )
    rows = (
        Membership.objects.filter(effective_from__range=(start, end))
        .annotate(
            previous_zone=Subquery(previous.values("zone__name")[:1]),
            previous_zone_id=Subquery(previous.values("zone_id")[:1]),
            previous_role=Subquery(previous.values("role")[:1]),
        )
        .filter(previous_zone_id__isnull=False)
        .select_related("unit", "zone", "created_by")
    )
    moves: list[Move] = []
    for row in rows:
        if row.previous_zone_id != row.zone_id:
            moves.append(
                Move(
                    "zone",
                    row.effective_from,
                    row.unit,
                    row.previous_zone,
                    row.zone.name,
                    row.reason,
                    row.created_by,
                )
            )
        elif row.role == MembershipRole.LEAD and row.previous_role != MembershipRole.LEAD:
            moves.append(
                Move(
                    "lead",
                    row.effective_from,
                    row.unit,
                    str(MembershipRole.MEMBER.label),
                    _("Lead unit of %(zone)s") % {"zone": row.zone.name},
                    row.reason,
                    row.created_by,
                )
            )
    # Annotated with previous_grade (grade_changes), which the stubs cannot see.
    grades: Any = (
        grade_changes().filter(effective_from__range=(start, end)).select_related("unit", "set_by")
    )
    for grade_row in grades:
        moves.append(
            Move(
                "class",
                grade_row.effective_from,
                grade_row.unit,
                str(Grade(grade_row.previous_grade).label),
                str(Grade(grade_row.grade).label),
                grade_row.reason,
                grade_row.set_by,
            )
        )
    order = {"zone": 0, "lead": 1, "class": 2}
    moves.sort(key=lambda m: (-m.day.toordinal(), order[m.kind], m.unit.name))
    return moves


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


def unit_match(query: str) -> Q:
    """Units whose name or short name holds the (cleaned) query, or whose pinyin initials hold
    it as a subsequence, or whose full pinyin holds it: the navigation bar's search, the
    participant picker and the ledger's unit filter match units the same way."""
    text = Q(name__icontains=query) | Q(short_name__icontains=query)
    subsequence = initials_pattern(query)
    if subsequence:
        text |= Q(name_initials__regex=subsequence) | Q(
            name_pinyin__contains=subsequence.replace(".*", "")
        )
    return text


def grade_changes() -> QuerySet[UnitGrade]:
    """Class history entries that changed a unit's class (争先进位), each annotated with
    `previous_grade`: the one definition of a class move, for the year's moves page, the
    movements page, the dashboard and the reports. A unit's first class is no move, nor a class
    set again."""
    previous = UnitGrade.objects.filter(
        unit=OuterRef("unit"), effective_from__lt=OuterRef("effective_from")
    ).order_by("-effective_from")
    return (
        UnitGrade.objects.annotate(previous_grade=Subquery(previous.values("grade")[:1]))
        .filter(previous_grade__isnull=False)
        .exclude(previous_grade=F("grade"))
    )


def moved_up(grade: int, previous_grade: int) -> bool:
    """A move up is to a better class: first is 1."""
    return grade < previous_grade
