"""The working-day calendar: the package's holidays, staff overrides, the Monday–Friday fallback
and the warning for a year without a schedule."""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string
from django.utils import translation

from core.models import CalendarDay, CalendarYear
from core.workdays import add_workdays, is_workday, workdays_between, years_missing_schedule

D = datetime.date


def test_five_workdays_after_28_september_2026_is_the_adjusted_saturday_10_october(db):
    assert add_workdays(D(2026, 9, 28), 5) == D(2026, 10, 10)
    assert is_workday(D(2026, 10, 10))  # Saturday, an adjusted working day (调休)
    assert not is_workday(D(2026, 10, 5))  # Monday in the National Day holiday
    assert workdays_between(D(2026, 9, 28), D(2026, 10, 10)) == 5


def test_a_year_without_data_falls_back_to_monday_to_friday_and_is_reported_missing(db):
    assert add_workdays(D(2027, 1, 1), 5) == D(2027, 1, 8)  # Fri 1 Jan counts nothing before it
    assert not is_workday(D(2027, 1, 2))  # a Saturday
    assert years_missing_schedule([2026, 2027]) == [2027]


def test_staff_entries_override_the_fallback_and_a_complete_year_is_not_missing(db):
    CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False, note="元旦")
    CalendarDay.objects.create(date=D(2027, 1, 4), is_workday=False, note="元旦调休")
    CalendarDay.objects.create(date=D(2027, 1, 9), is_workday=True, note="调休上班")
    assert not is_workday(D(2027, 1, 4))
    assert is_workday(D(2027, 1, 9))
    # From Thu 31 Dec 2026: 5, 6, 7, 8 Jan, then the adjusted Saturday 9 Jan.
    assert add_workdays(D(2026, 12, 31), 5) == D(2027, 1, 9)
    assert years_missing_schedule([2027]) == [2027]  # entered, but not marked complete yet
    CalendarYear.objects.create(year=2027, complete=True)
    assert years_missing_schedule([2026, 2027]) == []


def test_the_completed_years_are_read_once_until_a_year_is_saved_or_deleted(
    db, django_assert_num_queries
):
    """The dashboard asks on every request: the completed years are cached under their own
    version (core.cache.table_cached), which a CalendarYear's save or delete moves."""
    assert years_missing_schedule([2027]) == [2027]
    with django_assert_num_queries(0):
        assert years_missing_schedule([2026, 2027]) == [2027]
    year = CalendarYear.objects.create(year=2027, complete=False)
    assert years_missing_schedule([2027]) == [2027]
    year.complete = True
    year.save()
    assert years_missing_schedule([2027]) == []
    CalendarYear.objects.filter(year=2027).delete()
    assert years_missing_schedule([2027]) == [2027]


def test_staff_entries_override_the_package_too(db):
    CalendarDay.objects.create(date=D(2026, 10, 10), is_workday=False, note="改为休息")
    assert not is_workday(D(2026, 10, 10))
    assert add_workdays(D(2026, 9, 28), 5) == D(2026, 10, 12)


def test_the_dashboard_warning_names_the_missing_years(db):
    with translation.override("en"):
        html = render_to_string(
            "includes/calendar_warning.html", {"missing_calendar_years": [2027]}
        )
        assert "2027" in html and "calendar-warning" in html
        assert "calendar-warning" not in render_to_string(
            "includes/calendar_warning.html", {"missing_calendar_years": []}
        )
