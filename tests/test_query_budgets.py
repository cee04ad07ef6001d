"""Query budgets (issue 8): every main page, as the persona who uses it, costs the same number
of SQL queries on a small and on a larger generated city (county 1's pages as its staff, the
city's as the city staff; issue 15), and at most 15 — the three new mechanisms' pages and the
villagers' public wish pages included (issue 20), on a generated city whose county 1 runs every
mechanism; and the heavy pages (the class review, the audit trail whole and searched, the
auditor past the second factor). The pages and the counting are those of `make bench`
(bench/pages.py)."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Activity
from bench import loadgen
from bench.pages import CITY_PAGES, HEAVY_PAGES, NEW_PAGES, PAGES, QUERY_BUDGET, count_queries
from core.constants import Role
from portal import city
from tests.activities.factories import make_activity
from tests.factories import CountyFactory, UnitPostFactory, UserFactory, ZoneFactory, unit_in_zone
from zones.models import Unit

DAY = datetime.date(2026, 11, 28)


def _measure(*, scale: int, years: int) -> dict:
    """Generate (with the extras: county 1 runs every mechanism, so the dashboard shows every
    tile), count each page's queries, and roll everything back."""
    with transaction.atomic():
        loadgen.generate(scale=scale, seed=2026, years=years, extras=True)
        pages = count_queries(pages=PAGES + NEW_PAGES + HEAVY_PAGES)
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


@pytest.mark.parametrize("name", [name for name, _url, _persona in PAGES + NEW_PAGES + HEAVY_PAGES])
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


# The heavy pages' counts, pinned (issue 20). The class review: session, user, the units'
# count (the paginator's), the counties' thresholds, the page's units with their zone and
# class of the day, their scores, their findings, the unread count. The audit trail, whole or
# searched: session, user, the auditor's authenticator (django-otp reads the device of a
# verified session), the count of the events listed (the paginator's; no second count of
# the whole trail), the page of events, the unread count.
HEAVY_QUERIES = {"class review": 8, "audit trail": 6, "audit trail, searched": 6}


@pytest.mark.parametrize("name", sorted(HEAVY_QUERIES))
def test_the_heavy_pages_cost_their_pinned_queries_at_both_sizes(budgets, name):
    small, large = (b["pages"][name] for b in budgets)
    assert small["queries"] == large["queries"] == HEAVY_QUERIES[name], "\n".join(large["sql"])


# --- the city dashboard (issue 15) -----------------------------------------------------------


def _city_of(n: int):
    """安康市 with `n` counties running the zones mechanism, each with two zones, a confirmed
    activity and a finding; the city staff account."""
    codes = ["610922", "610924", "610925", "610926", "610923", "610927"]
    for i in range(n):
        county = CountyFactory(code=codes[i], name=f"测试县{i}")
        zones = [ZoneFactory(county=county, number=k + 1, name=f"{i}-{k}片区") for k in range(2)]
        lead = unit_in_zone(zones[0], lead=True, county=county, name=f"{i}牵头单位")
        member = unit_in_zone(zones[0], county=county, name=f"{i}成员单位")
        unit_in_zone(zones[1], lead=True, county=county, name=f"{i}二片牵头")
        secretary = UserFactory(username=f"sec{i}", county=county)
        UnitPostFactory(user=secretary, unit=member)
        lead_secretary = UserFactory(username=f"lead{i}", county=county)
        UnitPostFactory(user=lead_secretary, unit=lead)
        make_activity(
            unit=member,
            by=secretary,
            date=datetime.date(2026, 10, 15),
            state="confirmed",
            reviewer=lead_secretary,
        )
    return UserFactory(username="city", role=Role.CITY_STAFF)


def _city_page_queries(client, n: int) -> int:
    with transaction.atomic():
        user = _city_of(n)
        client.force_login(user)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("portal:city_dashboard"))
        assert response.status_code == 200
        assert len(response.context["d"].rows) == n
        transaction.set_rollback(True)
    return len(queries)


def test_the_city_dashboard_costs_the_same_queries_for_two_counties_and_four(
    client, db, fixed_today
):
    """Session and user, the counties with their mechanisms (and the nav's count of them), the
    snapshot keys and snapshots, then one statement of every mechanism's counts per county
    (the counties' units and zones counted with the counties). A city of one county has no
    city dashboard: the figures alone are counted at one county below."""
    fixed_today(DAY)
    two = _city_page_queries(client, 2)
    four = _city_page_queries(client, 4)
    assert two == four <= QUERY_BUDGET


def test_the_city_figures_cost_the_same_queries_for_one_county_and_four(db, fixed_today):
    fixed_today(DAY)
    counts = []
    for n in (1, 4):
        with transaction.atomic():
            _city_of(n)
            with CaptureQueriesContext(connection) as queries:
                data = city.city_dashboard(
                    period=city.default_period(DAY), day=DAY, links=lambda county, key: ""
                )
            assert len(data.rows) == n and data.totals[0].figures["zone_months"][0] == n
            transaction.set_rollback(True)
        counts.append(len(queries))
    # the counties with their mechanisms and keys (one query since issue 20's seventh part: the
    # mechanisms were a prefetch of their own; no snapshot to read: no county is self-hosted);
    # then one statement of every mechanism's counts per county, the counties' units and zones
    # with them: the zones, the zone-month states, the mutual checks, the patrol rounds, the
    # findings (issue 20: it was four queries of the zones' figures)
    assert counts[0] == counts[1] == 2


# --- the service teams (issue 18) ------------------------------------------------------------
from tests.teams.conftest import teams  # noqa: E402, F401 - the service teams' fixture
from tests.teams.test_pages import _count, _grow  # noqa: E402


@pytest.mark.parametrize(
    "page", ["teams:index", "teams:team_detail", "teams:scorecards_export"], ids=str
)
def test_the_service_team_list_page_and_scorecards_cost_the_same_at_any_size(
    client,
    county,
    teams,  # noqa: F811 - the fixture imported above
    page,
):
    url = reverse(page, args=[teams.team_a.pk] if page == "teams:team_detail" else [])
    url += "?year=2026"
    small = _count(client, county.staff, url)
    _grow(county, teams, 9)
    assert _count(client, county.staff, url) == small


def test_the_team_page_costs_six_queries_at_both_sizes(budgets):
    """Session, user, the team with its county's policy, the statement of its lists
    (teams.page), the statement of its figures, the unread count (issue 20: 12 before, the
    lists read one queryset each)."""
    small, large = (b["pages"]["team page"] for b in budgets)
    assert small["queries"] == large["queries"] == 6, "\n".join(large["sql"])
