"""A county's working days (本县工作日): the shared calendar (`core.workdays`: the statutory
holidays of `chinesecalendar` and the days staff enter in `core.CalendarDay`) with the county's
own days (`CalendarOverride`) on top. The one definition every deadline and reminder of a county
asks: the mechanisms import these, not `core.workdays`.

`county` is a County or its id; when not given, the county the active scope reads (a county's
person on a page, a task's pass over one county). With no single county (a city reader, a job
over every county) the shared calendar alone applies. Reading a county's days costs no query
more than the shared calendar's: both come in one UNION query."""

from __future__ import annotations

import datetime

from django.db.models import BooleanField, Value

from core import workdays
from core.models import CalendarDay

from .models import CalendarOverride
from .scoping import scoped_county_id

__all__ = ["add_workdays", "is_workday", "overrides_of", "workdays_between"]


def _county_id(county) -> int | None:
    if county is None:
        return scoped_county_id()
    return getattr(county, "pk", county)


def overrides_of(county) -> workdays.Overrides | None:
    """The reader of `county`'s staff-entered days (its own win over the shared ones), or
    None for the shared calendar alone."""
    county_id = _county_id(county)
    if county_id is None:
        return None

    def read(first: datetime.date, last: datetime.date) -> dict[datetime.date, bool]:
        shared = (
            CalendarDay.objects.filter(date__range=(first, last))
            .order_by()
            .annotate(own=Value(False, output_field=BooleanField()))
            .values_list("date", "is_workday", "own")
        )
        # The county is named here, so the scope (which may span every county) is not needed.
        own = (
            CalendarOverride.objects.with_scopes_disabled()
            .filter(county_id=county_id, date__range=(first, last))
            .order_by()
            .annotate(own=Value(True, output_field=BooleanField()))
            .values_list("date", "is_workday", "own")
        )
        days: dict[datetime.date, bool] = {}
        county_days: dict[datetime.date, bool] = {}
        for day, workday, is_own in shared.union(own, all=True):
            (county_days if is_own else days)[day] = workday
        days.update(county_days)
        return days

    return read


def is_workday(day: datetime.date, *, county=None) -> bool:
    """Whether `day` is a working day in `county`."""
    return workdays.is_workday(day, overrides=overrides_of(county))


def add_workdays(day: datetime.date, n: int, *, county=None) -> datetime.date:
    """The `n`-th working day of `county` after `day` (`day` itself not counted)."""
    return workdays.add_workdays(day, n, overrides=overrides_of(county))


def workdays_between(start: datetime.date, end: datetime.date, *, county=None) -> int:
    """Working days of `county` after `start` up to and including `end`."""
    return workdays.workdays_between(start, end, overrides=overrides_of(county))
