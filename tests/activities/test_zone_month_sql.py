"""The zone-months' states counted in SQL (activities.selectors.zone_month_state_sql, which the
city dashboard runs for every county's zones at once) are `month_state`'s, as
`zone_month_states` builds them zone by zone in Python: on data where every state is present
(done, waiting, a gap, the open month and a month not yet due), with a draft and a returned
activity that count for neither."""

from __future__ import annotations

import datetime
from collections import Counter

from activities.constants import ActivityState, CellState
from activities.selectors import zone_month_state_counts, zone_month_states
from tests.activities.factories import make_activity
from tests.factories import ZoneFactory, unit_in_zone
from zones.models import Zone

D = datetime.date
NOVEMBER_2 = D(2026, 11, 2)
MONTHS = [D(2026, 9, 1), D(2026, 10, 1), D(2026, 11, 1), D(2026, 12, 1)]


def test_the_sql_counts_each_state_as_month_state_does(county, fixed_today):
    fixed_today(NOVEMBER_2)
    unit_in_zone(ZoneFactory(number=3, name="第三片区"), lead=True, name="县教育局")
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=D(2026, 10, 9),
        state=ActivityState.CONFIRMED,
        reviewer=county.lead_secretary,
    )
    # a confirmed and a submitted one in the same month: done
    for state in (ActivityState.CONFIRMED, ActivityState.SUBMITTED):
        make_activity(
            unit=county.member_unit,
            by=county.secretary,
            date=D(2026, 11, 1),
            state=state,
            reviewer=county.lead_secretary if state == ActivityState.CONFIRMED else None,
        )
    make_activity(
        unit=county.other_unit,
        by=county.other_secretary,
        date=D(2026, 10, 12),
        state=ActivityState.SUBMITTED,
    )
    # neither a draft nor a returned activity counts: zone A's September stays a gap
    for state in (ActivityState.DRAFT, ActivityState.RETURNED):
        make_activity(
            unit=county.member_unit,
            by=county.secretary,
            date=D(2026, 9, 20),
            state=state,
            reviewer=county.lead_secretary,
        )

    county_id = county.zone_a.county_id
    states = zone_month_states(
        months=MONTHS, day=NOVEMBER_2, zone_ids=list(Zone.objects.values_list("pk", flat=True))
    )
    python = Counter(states.values())
    assert set(python) == set(CellState), python  # every state present
    assert zone_month_state_counts(months=MONTHS, day=NOVEMBER_2, county_ids=[county_id]) == {
        county_id: dict(python)
    }


def test_no_months_or_no_counties_count_nothing(county):
    assert (
        zone_month_state_counts(months=[], day=NOVEMBER_2, county_ids=[county.zone_a.county_id])
        == {}
    )
    assert zone_month_state_counts(months=MONTHS, day=NOVEMBER_2, county_ids=[]) == {}
