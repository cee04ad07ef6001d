"""China's working-day calendar (工作日): statutory holidays and adjusted working days (调休).

Three sources, the first that knows a day wins:

1. `CalendarDay` rows staff enter in the admin (a holiday or an adjusted working day);
2. the `chinesecalendar` package, which knows the years the State Council has announced;
3. Monday to Friday, for a year neither knows. Such a year is "missing" until staff tick
   `CalendarYear.complete`, and the dashboard warns staff about it (`years_missing_schedule`).

Deadlines (rectification in working days) are counted with `add_workdays`.

A county may set days of its own apart (`counties.CalendarOverride`): the functions here take
`overrides`, the reader of the staff-entered days to use instead of the shared ones, and
`counties.calendar` passes the county's (its days win over the shared ones, in one query). The
mechanisms ask `counties.calendar`, never these directly.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from functools import lru_cache

import chinese_calendar

ONE_DAY = datetime.timedelta(days=1)

# Reads the staff-entered days between two dates inclusive: {day: is a working day}.
Overrides = Callable[[datetime.date, datetime.date], dict[datetime.date, bool]]


@lru_cache(maxsize=256)
def package_knows_year(year: int) -> bool:
    """Whether the `chinesecalendar` package has the State Council's schedule for `year`."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:  # the package's own signal for a year it has no schedule of
        return False
    return True


def _package_or_weekday(day: datetime.date) -> bool:
    if package_knows_year(day.year):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def _overrides(first: datetime.date, last: datetime.date) -> dict[datetime.date, bool]:
    """Staff-entered days between `first` and `last` inclusive, in one query."""
    from core.models import CalendarDay

    return dict(
        CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "is_workday")
    )


def is_workday(day: datetime.date, *, overrides: Overrides | None = None) -> bool:
    """Whether `day` is a working day in mainland China."""
    override = (overrides or _overrides)(day, day).get(day)
    if override is not None:
        return override
    return _package_or_weekday(day)


def add_workdays(
    day: datetime.date, n: int, *, overrides: Overrides | None = None
) -> datetime.date:
    """The `n`-th working day after `day` (`day` itself not counted), n >= 0.

    5 working days after Monday 2026-09-28 is Saturday 2026-10-10: 29 and 30 September count,
    1–7 October are the National Day holiday, then 8, 9 and the adjusted Saturday 10 October."""
    if n < 0:
        raise ValueError("n must be zero or more")
    # The longest run of non-working days in China is about nine; this window is always enough.
    read = overrides or _overrides
    window_end = day + datetime.timedelta(days=n * 2 + 40)
    overrides_in = read(day, window_end)
    current = day
    counted = 0
    while counted < n:
        current += ONE_DAY
        if current > window_end:  # pragma: no cover - only with absurd staff entries
            window_end = current + datetime.timedelta(days=n * 2 + 40)
            overrides_in.update(read(current, window_end))
        workday = overrides_in.get(current)
        if workday is None:
            workday = _package_or_weekday(current)
        if workday:
            counted += 1
    return current


def workdays_between(
    start: datetime.date, end: datetime.date, *, overrides: Overrides | None = None
) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is earlier)."""
    if end < start:
        return -workdays_between(end, start, overrides=overrides)
    days = (overrides or _overrides)(start, end)
    count = 0
    current = start
    while current < end:
        current += ONE_DAY
        workday = days.get(current)
        if workday is None:
            workday = _package_or_weekday(current)
        count += bool(workday)
    return count


def years_missing_schedule(years: Iterable[int]) -> list[int]:
    """Of `years`, those whose holidays neither the package nor staff know: deadlines in them
    fall back to Monday–Friday, and staff should enter the year's schedule in the admin."""
    from core.cache import table_cached
    from core.models import CalendarYear

    unknown = sorted({y for y in years if not package_knows_year(y)})
    if not unknown:
        return []
    # The years staff completed (a handful of rows), cached until a CalendarYear is saved or
    # deleted (core.apps): the dashboard asks on every request (issue 20).
    complete = table_cached(
        "calendar-years",
        lambda: frozenset(
            CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
        ),
    )
    return [y for y in unknown if y not in complete]
