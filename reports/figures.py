"""The figures the work committee writes about, for one period, for the county or one zone.

Every figure is counted in the database (aggregations), so the cost does not grow with the number
of activities or findings. Labels are resolved in the report's language when the report is
generated and stored with the figures, so a report reads the same forever.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Count, Q

from activities.constants import ActivityForm, ActivityState, CellState, JointTag
from activities.models import Activity
from activities.selectors import zone_month_states
from core.periods import Period, half_of, quarter_of
from supervision.constants import CheckState, FindingState, RoundState
from supervision.models import Finding, MutualCheck, PatrolRound
from supervision.selectors import overdue, rectification_rate
from zones.models import Membership, Zone, in_force_on
from zones.selectors import grade_changes, moved_up


def _zones(zone: Zone | None) -> list[Zone]:
    return [zone] if zone else list(Zone.objects.order_by("number"))


def counted_to(period: Period, today: datetime.date) -> datetime.date:
    """The last day a report counts: the period's end once it has closed, else the day it is
    generated (a running year's report counts to that day and says so)."""
    return min(period.end, today)


def activity_figures(period: Period, zone: Zone | None, today: datetime.date) -> dict:
    until = counted_to(period, today)
    confirmed = Activity.objects.filter(state=ActivityState.CONFIRMED)
    if zone:
        confirmed = confirmed.filter(zone=zone)
    in_period = confirmed.filter(date__range=(period.start, until))
    by_form = dict(in_period.values_list("form").annotate(n=Count("id")).order_by())
    to_date = dict(
        confirmed.filter(date__lte=until).values_list("form").annotate(n=Count("id")).order_by()
    )
    tags = Counter()
    for value in in_period.values_list("tags", flat=True):
        tags.update(t for t in (value or "").split(",") if t)
    by_zone = {
        number: n
        for number, n in in_period.values_list("zone__number").annotate(n=Count("id")).order_by()
    }
    return {
        "activities": sum(by_form.values()),
        "by_form": [[str(label), by_form.get(value, 0)] for value, label in ActivityForm.choices],
        "by_tag": [[str(label), tags.get(value, 0)] for value, label in JointTag.choices],
        "by_zone": [[z.name, by_zone.get(z.number, 0)] for z in _zones(zone)],
        "activities_to_date": sum(to_date.values()),
        "by_form_to_date": [
            [str(label), to_date.get(value, 0)] for value, label in ActivityForm.choices
        ],
    }


def coverage_figures(period: Period, zone: Zone | None, today: datetime.date) -> dict:
    """月月有活动: the state of each zone-month of the period that has begun, by the grid's one
    rule (activities.selectors.month_state): done, waiting for confirmation, open (the current
    month) or a gap."""
    months = [m for m in period.months() if m <= today]
    zones = _zones(zone)
    states = zone_month_states(months=months, day=today, zone_ids=[z.pk for z in zones])
    rows, gaps = [], []
    for z in zones:
        cells = []
        for month in months:
            state = str(states[(z.pk, month)])
            cells.append(state)
            if state == CellState.GAP:
                gaps.append([z.name, f"{month:%Y-%m}"])
        rows.append([z.name, *cells])
    zone_months = len(rows) * len(months)
    done = sum(row.count(CellState.DONE) for row in rows)
    return {
        "months": [f"{m:%Y-%m}" for m in months],
        "coverage": rows,
        "zone_months": zone_months,
        "zone_months_covered": done,
        "gaps": gaps,
    }


def supervision_figures(period: Period, zone: Zone | None, today: datetime.date) -> dict:
    checks = MutualCheck.objects.filter(
        state=CheckState.PUBLISHED,
        year__gte=period.start.year,
        year__lte=period.end.year,
    )
    quarters = {(m.year, quarter_of(m)) for m in period.months()}
    check_rows = checks.filter(**({"zone": zone} if zone else {})).values_list("year", "quarter")
    checks_held = sum(1 for yq in check_rows if yq in quarters)
    halves = {(m.year, half_of(m)) for m in period.months()}
    round_rows = PatrolRound.objects.filter(
        state__in=[RoundState.PUBLISHED, RoundState.CLOSED],
        year__gte=period.start.year,
        year__lte=period.end.year,
    ).values_list("year", "half")
    rounds_held = sum(1 for yh in round_rows if yh in halves)
    if period.kind == "month":
        # A month holds no whole quarter or half-year: count what was published in it.
        in_month = {"published_at__date__range": (period.start, period.end)}
        checks_held = MutualCheck.objects.filter(
            state=CheckState.PUBLISHED, **in_month, **({"zone": zone} if zone else {})
        ).count()
        rounds_held = PatrolRound.objects.filter(
            state__in=[RoundState.PUBLISHED, RoundState.CLOSED], **in_month
        ).count()

    # A correction is a new finding pointing at the one it corrects; count each problem once.
    findings = Finding.objects.filter(corrects__isnull=True).filter(
        **({"zone": zone} if zone else {})
    )
    until = counted_to(period, today)
    raised = findings.filter(raised_on__range=(period.start, until))
    counts = raised.aggregate(
        raised=Count("id"),
        rectified=Count("id", filter=Q(state=FindingState.CLOSED)),
        overdue=Count("id", filter=overdue(today)),
    )
    rate = rectification_rate(raised=counts["raised"], rectified=counts["rectified"])
    closed_in_period = findings.filter(closed_on__range=(period.start, until)).count()
    return {
        "checks_held": checks_held,
        "checks_expected": len(quarters) * len(_zones(zone)) if period.kind != "month" else 0,
        "rounds_held": rounds_held,
        "findings_raised": counts["raised"],
        "findings_rectified": counts["rectified"],
        "findings_overdue": counts["overdue"],
        "findings_closed_in_period": closed_in_period,
        "rectification_rate": str(rate) if rate is not None else None,
    }


def class_figures(period: Period, zone: Zone | None) -> dict:
    """Units whose class changed in the period (争先进位), with the class before."""
    rows = grade_changes().filter(effective_from__range=(period.start, period.end))
    if zone:
        members = Membership.objects.filter(in_force_on(period.end), zone=zone).values("unit_id")
        rows = rows.filter(unit_id__in=members)
    moves = [
        {
            "unit": row.unit.name,
            "from": row.previous_grade,
            "to": row.grade,
            "on": row.effective_from.isoformat(),
            "reason": row.reason,
            "up": moved_up(row.grade, row.previous_grade),
        }
        for row in rows.select_related("unit").order_by("effective_from", "unit__name_pinyin")
    ]
    return {
        "class_moves": moves,
        "moved_up": sum(1 for m in moves if m["up"]),
        "moved_down": sum(1 for m in moves if not m["up"]),
    }


def report_figures(*, period: Period, zone: Zone | None, today: datetime.date) -> dict:
    return {
        "period": {
            "kind": period.kind,
            "key": period.key,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "zone": zone.name if zone else None,
        "as_of": today.isoformat(),
        # The day the counts run to, and whether the period had closed by then.
        "counted_to": counted_to(period, today).isoformat(),
        "closed": period.end < today,
        **activity_figures(period, zone, today),
        **coverage_figures(period, zone, today),
        **supervision_figures(period, zone, today),
        **class_figures(period, zone),
    }
