"""The hours engine on hand-computed cases."""

from __future__ import annotations

import datetime
from decimal import Decimal

from education import hours
from education.constants import DurationUnit, RequirementRole, SessionKind, Status

R = hours.Rules()


def test_conversion_of_days_half_days_and_hours():
    assert hours.session_hours(duration=Decimal(3), unit=DurationUnit.DAYS, rules=R) == 24
    assert hours.session_hours(duration=Decimal(1), unit=DurationUnit.HALF_DAYS, rules=R) == 4
    assert hours.session_hours(duration=Decimal("1.5"), unit=DurationUnit.HOURS, rules=R) == (
        Decimal("1.5")
    )
    county_rules = hours.Rules(hours_per_day=Decimal(6))
    assert (
        hours.session_hours(duration=Decimal(2), unit=DurationUnit.DAYS, rules=county_rules) == 12
    )


def test_a_course_spanning_two_years_is_split_by_its_days():
    first, last = datetime.date(2025, 12, 29), datetime.date(2026, 1, 2)  # 3 days + 2 days
    total = Decimal(40)  # five days of 8
    args = {"status": Status.PRESENT, "leave_hours": Decimal(0), "total": total}
    assert hours.credited(**args, first=first, last=last, year=2025) == 24
    assert hours.credited(**args, first=first, last=last, year=2026) == 16
    assert hours.credited(**args, first=first, last=last, year=2027) == 0


def test_excused_and_absent_earn_nothing_late_earns_all_leave_is_deducted():
    day = datetime.date(2026, 3, 1)
    common = {"total": Decimal(8), "first": day, "last": day, "year": 2026}
    assert hours.credited(status=Status.EXCUSED, leave_hours=0, **common) == 0
    assert hours.credited(status=Status.ABSENT, leave_hours=0, **common) == 0
    assert hours.credited(status=Status.LATE, leave_hours=0, **common) == 8
    assert hours.credited(status=Status.PRESENT, leave_hours=Decimal(2), **common) == 6


def test_leave_beyond_a_seventh_of_an_off_job_course_flags():
    # 7 days of 8 = 56 hours: 8 hours of leave is exactly 1/7 (not beyond), 8.5 is beyond
    total = Decimal(56)
    assert not hours.leave_flagged(kind=SessionKind.TRAINING, leave_hours=Decimal(8), total=total)
    assert hours.leave_flagged(kind=SessionKind.TRAINING, leave_hours=Decimal("8.5"), total=total)
    # not an off-job course: never flagged
    assert not hours.leave_flagged(kind=SessionKind.SEMINAR, leave_hours=Decimal(50), total=total)


def test_requirement_by_role_and_prorated_for_who_joined_mid_year():
    assert hours.requirement(role=RequirementRole.MEMBER, rules=R, year=2026) == 32
    assert hours.requirement(role=RequirementRole.OFFICER, rules=R, year=2026) == 56
    assert hours.requirement(role=RequirementRole.CADRE, rules=R, year=2026) == 90
    # joined in July: July to December, 6 of 12 months
    joined = datetime.date(2026, 7, 20)
    assert hours.requirement(role=RequirementRole.MEMBER, rules=R, year=2026, joined=joined) == 16
    assert hours.requirement(role=RequirementRole.MEMBER, rules=R, year=2027, joined=joined) == 32
    assert hours.requirement(role=RequirementRole.MEMBER, rules=R, year=2025, joined=joined) == 0


def test_pace_and_projection():
    entry = hours.PersonYear(
        person_id=1, year=2026, required=Decimal(32), today=datetime.date(2026, 7, 2)
    )
    entry.by_classroom = {1: Decimal(10)}
    # 2 July is day 183 of 365: 32 × 183/365 = 16.0 expected by now; 10 is behind
    assert not entry.on_pace
    assert entry.projected == Decimal("19.9")
    entry.by_classroom[2] = Decimal(7)
    assert entry.on_pace
