"""The hours engine (学时): study hours are computed, never stored, from the sessions, the
attendances and the county's rules of the year (education.models.StudyRules).

- Conversion: a session's length in days, half days or hours times the rules' rate (a day of
  off-job training 8 学时, half a day 4, an hour of branch study or an online course 1).
- Only attended sessions count (present or late); an excused absence counts nothing and is
  never an absence; hours of leave taken during a course are not counted, and leave beyond
  1/7 of an off-job course flags the attendance.
- Hours count within the calendar year: a course spanning two years is split by its days.
- The yearly requirement by role (member, secretary or committee member, cadre: the highest
  that applies), prorated by the months of a person who joined a unit of the county during
  the year (the month they joined counts).
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from . import constants as c

TENTH = Decimal("0.1")


def _round(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Rules:
    """The rules of one year (a StudyRules row or the defaults)."""

    hours_per_day: Decimal = c.DEFAULT_HOURS_PER_DAY
    hours_per_half_day: Decimal = c.DEFAULT_HOURS_PER_HALF_DAY
    hours_per_hour: Decimal = c.DEFAULT_HOURS_PER_HOUR
    member_hours: Decimal = c.DEFAULT_MEMBER_HOURS
    officer_hours: Decimal = c.DEFAULT_OFFICER_HOURS
    cadre_hours: Decimal = c.DEFAULT_CADRE_HOURS
    external_cap: Decimal = c.DEFAULT_EXTERNAL_CAP
    reregister_months: int = c.DEFAULT_REREGISTER_MONTHS

    @classmethod
    def of(cls, row) -> Rules:
        if row is None:
            return cls()
        return cls(**{name: getattr(row, name) for name in cls.__dataclass_fields__})

    def requirement(self, role: str) -> Decimal:
        return {
            c.RequirementRole.MEMBER: self.member_hours,
            c.RequirementRole.OFFICER: self.officer_hours,
            c.RequirementRole.CADRE: self.cadre_hours,
        }[role]


def session_hours(*, duration: Decimal, unit: str, rules: Rules) -> Decimal:
    """A whole session's study hours under `rules`."""
    rate = {
        c.DurationUnit.DAYS: rules.hours_per_day,
        c.DurationUnit.HALF_DAYS: rules.hours_per_half_day,
        c.DurationUnit.HOURS: rules.hours_per_hour,
    }[unit]
    return _round(Decimal(duration) * rate)


def year_share(first: datetime.date, last: datetime.date, year: int) -> Decimal:
    """The part of a session from `first` to `last` (both inclusive) that falls in `year`,
    by its days: 1 for a session within the year, 0 for one outside it."""
    days = (last - first).days + 1
    start = max(first, datetime.date(year, 1, 1))
    end = min(last, datetime.date(year, 12, 31))
    if end < start:
        return Decimal(0)
    return Decimal((end - start).days + 1) / Decimal(days)


def credited(
    *,
    status: str,
    leave_hours: Decimal,
    total: Decimal,
    first: datetime.date,
    last: datetime.date,
    year: int,
) -> Decimal:
    """The hours an attendance earns in `year`: the session's hours less leave, for present
    or late only, split by the session's days in the year."""
    if status not in c.ATTENDED:
        return Decimal(0)
    earned = max(total - Decimal(leave_hours), Decimal(0))
    return _round(earned * year_share(first, last, year))


def leave_flagged(*, kind: str, leave_hours: Decimal, total: Decimal) -> bool:
    """Leave beyond 1/7 of an off-job course (培训班) flags the attendance."""
    return kind in c.OFF_JOB_KINDS and Decimal(leave_hours) * 7 > total


def requirement(
    *, role: str, rules: Rules, year: int, joined: datetime.date | None = None
) -> Decimal:
    """The yearly requirement of `role`, prorated by months for a person who joined during
    the year (`joined`: the first day in a unit of the county)."""
    full = rules.requirement(role)
    if joined is None or joined.year < year:
        return full
    if joined.year > year:
        return Decimal(0)
    months = 12 - joined.month + 1
    return _round(full * months / 12)


def elapsed(year: int, today: datetime.date) -> Decimal:
    """The part of `year` gone by on `today` (1 for a past year)."""
    if today.year > year:
        return Decimal(1)
    if today.year < year:
        return Decimal(0)
    days = (datetime.date(year, 12, 31) - datetime.date(year, 1, 1)).days + 1
    return Decimal(today.timetuple().tm_yday) / Decimal(days)


def external_credit(imported: Decimal, rules: Rules) -> Decimal:
    """A year's imported online hours as credited: capped at the rules' cap (0: no cap)."""
    if rules.external_cap and imported > rules.external_cap:
        return _round(rules.external_cap)
    return _round(imported)


@functools.lru_cache(maxsize=1024)  # a page asks it of every member; they share few values
def due_by(required: Decimal, year: int, day: datetime.date) -> Decimal:
    """The share of a yearly requirement due by `day` (the pace a person is held to)."""
    return _round(required * elapsed(year, day))


def on_pace(*, total: Decimal, required: Decimal, year: int, day: datetime.date | None) -> bool:
    """Whether `total` hours of `year` keep pace with the requirement `required` on `day`
    (None: the year's end): at least the share of it due by then."""
    day = day or datetime.date(year, 12, 31)
    return total >= due_by(required, year, day)


@dataclass
class PersonYear:
    """A person's study hours of a year: by classroom (classroom id → hours), their
    requirement, and how they stand."""

    person_id: int
    year: int
    required: Decimal
    by_classroom: dict[int, Decimal] = field(default_factory=dict)
    flagged: int = 0
    absences: int = 0
    external: Decimal = Decimal(0)  # imported online hours credited (capped)
    today: datetime.date | None = None

    @property
    def total(self) -> Decimal:
        return _round(sum(self.by_classroom.values(), Decimal(0)))

    @property
    def projected(self) -> Decimal:
        """The year-end total at the pace so far."""
        part = elapsed(self.year, self.today or datetime.date(self.year, 12, 31))
        if part == 0:
            return Decimal(0)
        return _round(self.total / part)

    @property
    def on_pace(self) -> bool:
        return on_pace(total=self.total, required=self.required, year=self.year, day=self.today)

    @property
    def percent(self) -> int:
        if not self.required:
            return 100
        return min(100, int(self.total * 100 / self.required))
