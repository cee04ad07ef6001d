"""Calendar periods the mechanism runs on: month, quarter, half-year, year."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

MONTH, QUARTER, HALF, YEAR = "month", "quarter", "half", "year"
MONTHS_IN = {MONTH: 1, QUARTER: 3, HALF: 6, YEAR: 12}


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def key(self) -> str:
        """2026-10, 2026-Q4, 2026-H2, 2026."""
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == HALF:
            return f"{self.start.year}-H{(self.start.month - 1) // 6 + 1}"
        return f"{self.start.year}"

    def months(self) -> list[datetime.date]:
        """First days of the months in the period."""
        return [_add_months(self.start, i) for i in range(MONTHS_IN[self.kind])]

    def previous(self) -> Period:
        return period_of(self.kind, self.start - datetime.timedelta(days=1))

    def next(self) -> Period:
        return period_of(self.kind, self.end + datetime.timedelta(days=1))


def _add_months(day: datetime.date, n: int) -> datetime.date:
    month = day.month - 1 + n
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def period_of(kind: str, day: datetime.date) -> Period:
    """The period of `kind` that contains `day`."""
    size = MONTHS_IN[kind]
    first_month = (day.month - 1) // size * size + 1
    start = datetime.date(day.year, first_month, 1)
    end = _add_months(start, size) - datetime.timedelta(days=1)
    return Period(kind, start, end)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    return _add_months(day.replace(day=1), 1) - datetime.timedelta(days=1)
