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
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == HALF:
            return f"{self.start.year}-H{(self.start.month - 1) // 6 + 1}"
        return f"{self.start.year}"

    @property
    def label(self) -> str:
        return period_label(self)

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
        return quarter_label(start.year, (start.month - 1) // 3 + 1)
    if period.kind == HALF:
        return half_label(start.year, (start.month - 1) // 6 + 1)
    return year_label(start.year)
