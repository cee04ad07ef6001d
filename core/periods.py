"""Calendar periods the mechanism runs on: month, quarter, half-year, year, and how each is
written for people (one definition, used by pages, exports, reports and notifications):
2026年11月, 2026年第四季度, 2026年上半年, 2026年 in Chinese; November 2026, 2026 Q4, 2026 H1,
2026 in English."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

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
            return f"{self.start.year}-Q{quarter_of(self.start)}"
        if self.kind == HALF:
            return f"{self.start.year}-H{half_of(self.start)}"
        return f"{self.start.year}"

    @property
    def label(self) -> str:
        return period_label(self)

    def months(self) -> list[datetime.date]:
        """First days of the months in the period."""
        return [add_months(self.start, i) for i in range(MONTHS_IN[self.kind])]

    def previous(self) -> Period:
        return period_of(self.kind, self.start - datetime.timedelta(days=1))

    def next(self) -> Period:
        return period_of(self.kind, self.end + datetime.timedelta(days=1))


def add_months(day: datetime.date, n: int) -> datetime.date:
    """The first day of the month `n` months after `day`'s (before it when `n` is negative)."""
    index = day.year * 12 + day.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    return add_months(day, 1) - datetime.timedelta(days=1)


def next_month(day: datetime.date) -> datetime.date:
    """The first day of the month after `day`'s."""
    return add_months(day, 1)


def previous_month(day: datetime.date) -> datetime.date:
    """The first day of the month before `day`'s."""
    return add_months(day, -1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """First days of the months from `first`'s to `last`'s, both included (empty when `last`
    is in an earlier month)."""
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [add_months(first, i) for i in range(max(count, 0))]


def year_months(year: int) -> list[datetime.date]:
    """First days of the twelve months of `year`."""
    return [datetime.date(year, m, 1) for m in range(1, 13)]


def quarter_of(day: datetime.date) -> int:
    """1 to 4."""
    return (day.month - 1) // 3 + 1


def half_of(day: datetime.date) -> int:
    """1 (January to June) or 2."""
    return (day.month - 1) // 6 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a quarter."""
    period = period_of(QUARTER, datetime.date(year, 3 * quarter - 2, 1))
    return period.start, period.end


def half_bounds(year: int, half: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a half-year: the first (1) or the second (any other number)."""
    period = period_of(HALF, datetime.date(year, 1 if half == 1 else 7, 1))
    return period.start, period.end


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    """(year, quarter) of the quarter before: Q1 2027 follows Q4 2026."""
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def previous_half(year: int, half: int) -> tuple[int, int]:
    """(year, half) of the half-year before: H2 2026 comes before H1 2027."""
    return (year, 1) if half == 2 else (year - 1, 2)


def period_of(kind: str, day: datetime.date) -> Period:
    """The period of `kind` that contains `day`."""
    size = MONTHS_IN[kind]
    start = datetime.date(day.year, (day.month - 1) // size * size + 1, 1)
    return Period(kind, start, add_months(start, size) - datetime.timedelta(days=1))


QUARTER_NAMES = {
    1: pgettext_lazy("period", "Q1"),  # 第一季度
    2: pgettext_lazy("period", "Q2"),  # 第二季度
    3: pgettext_lazy("period", "Q3"),  # 第三季度
    4: pgettext_lazy("period", "Q4"),  # 第四季度
}
HALF_NAMES = {
    1: pgettext_lazy("period", "H1"),  # 上半年
    2: pgettext_lazy("period", "H2"),  # 下半年
}


def month_label(month: datetime.date | str) -> str:
    """A month as people write it: 2026年11月. Takes a date or a key as figures store it
    ("2026-11")."""
    if isinstance(month, str):
        year, number = month.split("-")[:2]
        month = datetime.date(int(year), int(number), 1)
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def month_in_year_label(month: datetime.date | str) -> str:
    """A month within a year already named (a table column under a caption): 11月."""
    if isinstance(month, str):
        month = datetime.date.fromisoformat(f"{month[:7]}-01")
    return pgettext("month in a year", "%(month)d") % {"month": month.month}


def quarter_label(year: int, quarter: int) -> str:
    """2026年第四季度."""
    return _("%(year)d %(quarter)s") % {"year": year, "quarter": QUARTER_NAMES[quarter]}


def half_label(year: int, half: int) -> str:
    """2026年上半年."""
    return _("%(year)d %(half)s") % {"year": year, "half": HALF_NAMES[half]}


def year_label(year: int) -> str:
    """2026年."""
    return pgettext("period", "%(year)d") % {"year": year}


def period_label(period: Period) -> str:
    """The label of any period, in the active language."""
    start = period.start
    if period.kind == MONTH:
        return month_label(start)
    if period.kind == QUARTER:
        return quarter_label(start.year, quarter_of(start))
    if period.kind == HALF:
        return half_label(start.year, half_of(start))
    return year_label(start.year)
