"""Month, quarter and half-year arithmetic has one home, core/periods.py: every app asks it,
and it is right across the year's end (December to January, Q4 to Q1, H2 to H1)."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.periods import (
    HALF,
    QUARTER,
    add_months,
    half_bounds,
    half_of,
    month_end,
    month_start,
    months_between,
    next_month,
    period_of,
    previous_half,
    previous_month,
    previous_quarter,
    quarter_bounds,
    quarter_of,
    year_months,
)

D = datetime.date
days = st.dates(min_value=D(1900, 1, 1), max_value=D(2900, 12, 31))
shifts = st.integers(min_value=-1200, max_value=1200)


@pytest.mark.parametrize(
    "day, n, expected",
    [
        (D(2026, 12, 15), 1, D(2027, 1, 1)),
        (D(2027, 1, 31), -1, D(2026, 12, 1)),
        (D(2026, 1, 31), 1, D(2026, 2, 1)),
        (D(2026, 11, 1), 14, D(2028, 1, 1)),
        (D(2026, 3, 1), -15, D(2024, 12, 1)),
        (D(2026, 5, 20), 0, D(2026, 5, 1)),
    ],
)
def test_adding_months_lands_on_the_first_of_the_month_across_years(day, n, expected):
    assert add_months(day, n) == expected


def test_the_month_after_december_is_january_and_the_month_before_january_is_december():
    assert next_month(D(2026, 12, 31)) == D(2027, 1, 1)
    assert previous_month(D(2027, 1, 1)) == D(2026, 12, 1)
    assert month_end(D(2026, 12, 5)) == D(2026, 12, 31)
    assert month_end(D(2028, 2, 1)) == D(2028, 2, 29)
    assert month_start(D(2026, 12, 31)) == D(2026, 12, 1)


@given(days, shifts, shifts)
def test_adding_months_composes(day, a, b):
    assert add_months(add_months(day, a), b) == add_months(day, a + b)


@given(days)
def test_a_month_runs_from_its_start_to_its_end_and_the_next_begins_the_day_after(day):
    assert month_start(day) <= day <= month_end(day)
    assert month_end(day) + datetime.timedelta(days=1) == next_month(day)
    assert previous_month(next_month(day)) == month_start(day)


@given(days, st.integers(min_value=0, max_value=400))
def test_months_between_counts_every_month_once_in_order(first, n):
    last = add_months(first, n)
    months = months_between(first, last)
    assert len(months) == n + 1
    assert months[0] == month_start(first) and months[-1] == last
    assert all(next_month(a) == b for a, b in zip(months, months[1:], strict=False))


def test_months_between_crosses_the_new_year_and_is_empty_backwards():
    assert months_between(D(2026, 11, 20), D(2027, 2, 3)) == [
        D(2026, 11, 1),
        D(2026, 12, 1),
        D(2027, 1, 1),
        D(2027, 2, 1),
    ]
    assert months_between(D(2026, 5, 9), D(2026, 5, 2)) == [D(2026, 5, 1)]
    assert months_between(D(2026, 5, 1), D(2026, 4, 30)) == []


def test_a_year_has_its_twelve_months():
    assert year_months(2026) == months_between(D(2026, 1, 1), D(2026, 12, 31))


@pytest.mark.parametrize(
    "quarter, first, last",
    [
        (1, D(2026, 1, 1), D(2026, 3, 31)),
        (2, D(2026, 4, 1), D(2026, 6, 30)),
        (3, D(2026, 7, 1), D(2026, 9, 30)),
        (4, D(2026, 10, 1), D(2026, 12, 31)),
    ],
)
def test_quarter_bounds(quarter, first, last):
    assert quarter_bounds(2026, quarter) == (first, last)


def test_half_bounds():
    assert half_bounds(2026, 1) == (D(2026, 1, 1), D(2026, 6, 30))
    assert half_bounds(2026, 2) == (D(2026, 7, 1), D(2026, 12, 31))


def test_the_quarter_before_q1_is_q4_of_the_year_before_and_so_for_halves():
    assert previous_quarter(2027, 1) == (2026, 4)
    assert previous_quarter(2026, 4) == (2026, 3)
    assert previous_half(2027, 1) == (2026, 2)
    assert previous_half(2026, 2) == (2026, 1)


@given(days)
def test_a_day_falls_in_its_quarter_and_its_half(day):
    first, last = quarter_bounds(day.year, quarter_of(day))
    assert first <= day <= last
    assert (first, last) == (period_of(QUARTER, day).start, period_of(QUARTER, day).end)
    first, last = half_bounds(day.year, half_of(day))
    assert first <= day <= last
    assert (first, last) == (period_of(HALF, day).start, period_of(HALF, day).end)


@given(days)
def test_the_previous_quarter_and_half_end_the_day_before_this_one_begins(day):
    start = quarter_bounds(day.year, quarter_of(day))[0]
    assert quarter_bounds(*previous_quarter(day.year, quarter_of(day)))[1] == start - (
        datetime.timedelta(days=1)
    )
    start = half_bounds(day.year, half_of(day))[0]
    assert half_bounds(*previous_half(day.year, half_of(day)))[1] == start - (
        datetime.timedelta(days=1)
    )


def test_the_apps_have_no_month_arithmetic_of_their_own():
    """One home: no app module writes `% 12`, `// 12`, `(month - 1) // 3` or jumps a month
    with `timedelta(days=32)` (demo data aside, which only calls)."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    pattern = re.compile(r"% 12\b|// 12\b|month - 1\) // [36]|timedelta\(days=3[12]\)\)\.replace")
    apps = ["activities", "supervision", "notifications", "reports", "portal", "zones", "bench"]
    offenders = [
        f"{path.relative_to(root)}:{n}"
        for app in apps
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
