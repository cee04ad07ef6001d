"""Query budgets (issue 8): every main page, as the persona who uses it, costs the same number
of SQL queries on a small and on a larger generated city (county 1's pages as its staff, the
city's as the city staff; issue 15), and at most 15. The pages and the counting are those of
`make bench` (bench/pages.py)."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from activities.models import Activity
from bench import loadgen
from bench.pages import CITY_PAGES, PAGES, QUERY_BUDGET, count_queries
from zones.models import Unit

DAY = datetime.date(2026, 11, 28)


def _measure(*, scale: int, years: int) -> dict:
    """Generate, count each page's queries, and roll everything back."""
    with transaction.atomic():
        loadgen.generate(scale=scale, seed=2026, years=years)
        pages = count_queries()
        sizes = {
            "units": Unit.objects.count(),
            "activities": Activity.objects.count(),
            "county 1 activities": Activity.objects.filter(
                zone__county__code=loadgen.FIRST_COUNTY_CODE
            ).count(),
        }
        transaction.set_rollback(True)
    return {"pages": pages, "sizes": sizes}


@pytest.fixture(scope="module")
def budgets(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.utils.timezone.localdate", lambda *a, **k: DAY)
        small = _measure(scale=1, years=1)
        large = _measure(scale=2, years=3)
    return small, large


def test_the_larger_city_is_larger(budgets):
    small, large = budgets
    assert large["sizes"]["units"] == 2 * small["sizes"]["units"]
    assert large["sizes"]["activities"] > 4 * small["sizes"]["activities"]
    # county 1 itself has three years of history instead of one
    assert large["sizes"]["county 1 activities"] > 2 * small["sizes"]["county 1 activities"]


@pytest.mark.parametrize("name", [name for name, _url, _persona in PAGES])
def test_page_queries_do_not_grow_with_data_and_stay_within_budget(budgets, name):
    small, large = (b["pages"][name] for b in budgets)
    if small.get("skipped"):
        pytest.skip(small["skipped"])
    if name in CITY_PAGES:  # a city of one county has no city pages; a city of two has
        assert small["status"] == 404 and small["one_county"], small["url"]
        assert large["status"] == 200, large["url"]
        assert large["queries"] <= QUERY_BUDGET, "\n".join(large["sql"])
        return
    assert small["status"] == large["status"] == 200, (small["url"], large["url"])
    assert small["queries"] == large["queries"], "\n".join(
        ["small:", *small["sql"], "large:", *large["sql"]]
    )
    assert large["queries"] <= QUERY_BUDGET, "\n".join(large["sql"])
