"""A zone-month is done, waiting or a gap by one rule (activities.selectors.month_state), and
the grid, a report and the reminder run agree on it: a past month whose only activity is
submitted is waiting for the lead unit's confirmation, not a gap."""

from __future__ import annotations

import datetime

import pytest

from activities.constants import ActivityState, CellState
from activities.selectors import zone_month_grid
from notifications.constants import Kind
from notifications.reminders import due_messages
from reports import services as report_services
from tests.activities.factories import make_activity
from tests.factories import UnitPostFactory, UserFactory, ZoneFactory, unit_in_zone

D = datetime.date
OCTOBER = D(2026, 10, 1)
NOVEMBER_2 = D(2026, 11, 2)  # a Monday: October has ended


@pytest.fixture
def three_zones(county, fixed_today):
    """October 2026: zone A confirmed an activity, zone B only submitted one, zone C logged
    nothing. Each zone's lead unit has a secretary to be reminded."""
    fixed_today(NOVEMBER_2)
    zone_c = ZoneFactory(number=3, name="第三片区")
    lead_c = unit_in_zone(zone_c, lead=True, name="县教育局")
    lead_b_secretary = UserFactory(username="lead_b")
    UnitPostFactory(user=lead_b_secretary, unit=county.other_lead_unit)
    lead_c_secretary = UserFactory(username="lead_c")
    UnitPostFactory(user=lead_c_secretary, unit=lead_c)
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=D(2026, 10, 9),
        state=ActivityState.CONFIRMED,
        reviewer=county.lead_secretary,
    )
    make_activity(
        unit=county.other_unit,
        by=county.other_secretary,
        date=D(2026, 10, 12),
        state=ActivityState.SUBMITTED,
    )
    return county, zone_c


def test_the_grid_a_report_and_the_reminders_agree_on_octobers_states(three_zones):
    county, zone_c = three_zones
    zones = [county.zone_a, county.zone_b, zone_c]

    grid = zone_month_grid(year=2026)
    october = {row.zone.pk: row.cells[9].state for row in grid.rows}
    assert october == {
        county.zone_a.pk: CellState.DONE,
        county.zone_b.pk: CellState.WAITING,
        zone_c.pk: CellState.GAP,
    }

    report = report_services.report_request(kind="month", day=OCTOBER, zone=None, by=None)
    assert report_services.report_generate(report_id=report.pk, today=NOVEMBER_2)
    report.refresh_from_db()
    coverage = {row[0]: row[1] for row in report.figures["coverage"]}
    assert coverage == {z.name: october[z.pk] for z in zones}
    assert report.figures["gaps"] == [[zone_c.name, "2026-10"]]
    assert zone_c.name in report.narrative and county.zone_b.name not in report.narrative

    messages = [m for m in due_messages(NOVEMBER_2) if m.subject.startswith("zone:")]
    gaps = {m.subject for m in messages if m.kind == Kind.ZONE_GAP}
    waiting = {m.subject for m in messages if m.kind == Kind.CONFIRMATION_WAITING}
    assert gaps == {f"zone:{zone_c.pk}"}
    assert waiting == {f"zone:{county.zone_b.pk}"}
    lead_b = [m.recipient_id for m in messages if m.subject == f"zone:{county.zone_b.pk}"]
    assert lead_b == [UserFactory._meta.model.objects.get(username="lead_b").pk]
