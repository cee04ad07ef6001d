"""The compliance grid (月月有活动): zones × months, each cell done / waiting / open / gap /
future, in a fixed number of queries."""

from __future__ import annotations

import datetime

from django.urls import reverse

from activities import services
from activities.constants import CellState
from activities.selectors import zone_month_grid
from tests.activities.factories import grow, make_activity


def cell(grid, zone, month):
    row = next(r for r in grid.rows if r.zone == zone)
    return row.cells[month - 1]


def test_the_grid_shows_each_state(county):
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=datetime.date(2026, 3, 10),
        state="confirmed",
        reviewer=county.lead_secretary,
    )
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=datetime.date(2026, 4, 10),
        state="submitted",
    )
    # Drafts and returned activities do not count: April of zone B stays a gap.
    make_activity(
        unit=county.other_unit, by=county.other_secretary, date=datetime.date(2026, 4, 10)
    )
    make_activity(
        unit=county.other_unit,
        by=county.other_secretary,
        date=datetime.date(2026, 4, 11),
        state="returned",
    )
    grid = zone_month_grid(year=2026)
    assert cell(grid, county.zone_a, 3).state == CellState.DONE
    assert cell(grid, county.zone_a, 4).state == CellState.WAITING
    assert cell(grid, county.zone_a, 5).state == CellState.GAP
    assert cell(grid, county.zone_b, 4).state == CellState.GAP
    assert cell(grid, county.zone_a, 11).state == CellState.OPEN
    assert cell(grid, county.zone_a, 12).state == CellState.FUTURE
    row_a = grid.rows[0]
    assert (row_a.done, row_a.activities) == (1, 1)
    assert dict((v, n) for v, _label, n in grid.form_totals)["theme_party_day"] == 1


def test_a_confirmed_activity_beats_a_waiting_one_in_the_same_month(county):
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=datetime.date(2026, 11, 2),
        state="submitted",
    )
    assert cell(zone_month_grid(year=2026), county.zone_a, 11).state == CellState.WAITING
    make_activity(
        unit=county.lead_unit,
        by=county.lead_secretary,
        date=datetime.date(2026, 11, 3),
        state="confirmed",
    )
    assert cell(zone_month_grid(year=2026), county.zone_a, 11).state == CellState.DONE


def test_each_cell_shows_the_host_and_links_to_its_activities(client, county):
    services.rotation_generate_year(zone=county.zone_a, year=2026)
    activity = make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=datetime.date(2026, 3, 10),
        state="submitted",
    )
    client.force_login(county.leader)
    page = client.get(reverse("activities:grid"), {"year": 2026}).content.decode()
    link = f"{reverse('activities:zone')}?zone={county.zone_a.pk}&amp;month=2026-03"
    assert link in page
    assert county.lead_unit.short_name in page
    listing = client.get(reverse("activities:zone"), {"zone": county.zone_a.pk, "month": "2026-03"})
    assert activity.title in listing.content.decode()
    other_month = client.get(
        reverse("activities:zone"), {"zone": county.zone_a.pk, "month": "2026-04"}
    )
    assert activity.title not in other_month.content.decode()


def test_the_grid_costs_the_same_queries_at_any_size(client, county, django_assert_num_queries):
    client.force_login(county.staff)
    url = reverse("activities:grid")
    # session, user, zones, host slots of the page's zones, one aggregate of their
    # activities, the form totals of the year, and the navbar's unread-notifications count
    with django_assert_num_queries(7):
        assert client.get(url, {"year": 2026}).status_code == 200
    grow(county, zones=4, per_zone=8)
    with django_assert_num_queries(7):  # the new records invalidated the cached figures
        response = client.get(url, {"year": 2026})
    assert response.content.decode().count('class="grid-cell') == 6 * 12
    with django_assert_num_queries(3):  # nothing changed: the figures come from the cache
        again = client.get(url, {"year": 2026})
    assert again.content.decode().count('class="grid-cell') == 6 * 12
