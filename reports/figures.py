"""The figures the work committee writes about, for one period, for a county or one zone, and the
city's roll-up of its counties (`city_figures`).

Every figure is counted in the database (aggregations), so the cost does not grow with the number
of activities or findings. Labels are resolved in the report's language when the report is
generated and stored with the figures, so a report reads the same forever.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Count, Q, QuerySet

from activities.constants import ActivityForm, ActivityState, CellState, JointTag
from activities.models import Activity
from activities.selectors import zone_month_states
from core.periods import Period, half_of, quarter_of
from counties.constants import Mechanism
from counties.models import County
from counties.scoping import county_scope
from education import report as education_report
from supervision.constants import CheckState, FindingState, RoundState
from supervision.models import Finding, MutualCheck, PatrolRound
from supervision.selectors import overdue, rectification_rate
from teams.narrative import report_figures as team_report_figures
from zones.models import Membership, Zone, in_force_on
from zones.selectors import grade_changes, moved_up

from .headlines import HEADLINES, pooled


def _zones(zone: Zone | None, county: County | None = None) -> list[Zone]:
    if zone:
        return [zone]
    return list(_in(Zone.objects.order_by("number"), "county", county))


def _in(qs: QuerySet, path: str, county: County | None) -> QuerySet:
    """`qs` narrowed to `county` through `path` (the county's figures only, whatever scope the
    caller runs in); unchanged when no county is named (the active scope decides)."""
    return qs.filter(**{path: county}) if county is not None else qs


def counted_to(period: Period, today: datetime.date) -> datetime.date:
    """The last day a report counts: the period's end once it has closed, else the day it is
    generated (a running year's report counts to that day and says so)."""
    return min(period.end, today)


def activity_figures(
    period: Period, zone: Zone | None, today: datetime.date, county: County | None = None
) -> dict:
    until = counted_to(period, today)
    confirmed = _in(Activity.objects.filter(state=ActivityState.CONFIRMED), "zone__county", county)
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
        "by_zone": [[z.name, by_zone.get(z.number, 0)] for z in _zones(zone, county)],
        "activities_to_date": sum(to_date.values()),
        "by_form_to_date": [
            [str(label), to_date.get(value, 0)] for value, label in ActivityForm.choices
        ],
    }


def coverage_figures(
    period: Period, zone: Zone | None, today: datetime.date, county: County | None = None
) -> dict:
    """月月有活动: the state of each zone-month of the period that has begun, by the grid's one
    rule (activities.selectors.month_state): done, waiting for confirmation, open (the current
    month) or a gap."""
    months = [m for m in period.months() if m <= today]
    zones = _zones(zone, county)
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


def supervision_figures(
    period: Period, zone: Zone | None, today: datetime.date, county: County | None = None
) -> dict:
    checks = _in(MutualCheck.objects, "zone__county", county).filter(
        state=CheckState.PUBLISHED,
        year__gte=period.start.year,
        year__lte=period.end.year,
    )
    quarters = {(m.year, quarter_of(m)) for m in period.months()}
    check_rows = checks.filter(**({"zone": zone} if zone else {})).values_list("year", "quarter")
    checks_held = sum(1 for yq in check_rows if yq in quarters)
    halves = {(m.year, half_of(m)) for m in period.months()}
    rounds = _in(PatrolRound.objects, "county", county)
    round_rows = rounds.filter(
        state__in=[RoundState.PUBLISHED, RoundState.CLOSED],
        year__gte=period.start.year,
        year__lte=period.end.year,
    ).values_list("year", "half")
    rounds_held = sum(1 for yh in round_rows if yh in halves)
    if period.kind == "month":
        # A month holds no whole quarter or half-year: count what was published in it.
        in_month = {"published_at__date__range": (period.start, period.end)}
        checks_held = checks.filter(
            state=CheckState.PUBLISHED, **in_month, **({"zone": zone} if zone else {})
        ).count()
        rounds_held = rounds.filter(
            state__in=[RoundState.PUBLISHED, RoundState.CLOSED], **in_month
        ).count()

    # A correction is a new finding pointing at the one it corrects; count each problem once.
    findings = (
        _in(Finding.objects, "zone__county", county)
        .filter(corrects__isnull=True)
        .filter(**({"zone": zone} if zone else {}))
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
        "checks_expected": (
            len(quarters) * len(_zones(zone, county)) if period.kind != "month" else 0
        ),
        "rounds_held": rounds_held,
        "findings_raised": counts["raised"],
        "findings_rectified": counts["rectified"],
        "findings_overdue": counts["overdue"],
        "findings_closed_in_period": closed_in_period,
        "rectification_rate": str(rate) if rate is not None else None,
    }


def class_figures(period: Period, zone: Zone | None, county: County | None = None) -> dict:
    """Units whose class changed in the period (争先进位), with the class before."""
    rows = _in(grade_changes(), "unit__county", county)
    rows = rows.filter(effective_from__range=(period.start, period.end))
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


def report_figures(
    *, period: Period, zone: Zone | None, today: datetime.date, county: County | None = None
) -> dict:
    """The figures of a county report (`county`, or the county of `zone`'s report)."""
    county = county if county is not None or zone is None else zone.county
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
        **activity_figures(period, zone, today, county),
        **coverage_figures(period, zone, today, county),
        **supervision_figures(period, zone, today, county),
        **class_figures(period, zone, county),
        **education_report.figures(
            period=period, zone=zone, county=county, counted_to=counted_to(period, today)
        ),
        **wish_figures(period, zone, today, county),
        # the service teams of a county running them (issue 18): None otherwise
        "teams": team_report_figures(
            county_id=county.pk if county is not None and zone is None else None,
            start=period.start,
            end=counted_to(period, today),
        ),
    }


def wish_figures(
    period: Period, zone: Zone | None, today: datetime.date, county: County | None
) -> dict:
    """群众微心愿 (issue 17): a county report's figures of the micro-wishes (the wishes app counts
    them, as its figures page does), when the county ran the mechanism in the period; None for a
    zone's report and for a county that did not."""
    from django.utils import translation

    from counties.scoping import implied_county_id
    from wishes.selectors import report_figures as wishes_report_figures

    if zone is not None:
        return {"wishes": None}
    county = county or County.objects.filter(pk=implied_county_id()).first()
    if county is None or not ran_during(county, Mechanism.WISHES, period, today):
        return {"wishes": None}
    with translation.override("zh-hans"):
        label = period.label
    return {
        "wishes": wishes_report_figures(
            county=county, start=period.start, end=counted_to(period, today), day=today, label=label
        )
    }


# --- the city's roll-up of its counties --------------------------------------------------------

# The mechanisms whose figures a city report carries: the zones always (its county reports'
# figures), the others (their headline figures, reports.headlines) where a county of the city ran
# them in the period, each with its table, sheet and paragraph. A county that does not run one
# shows "未开展" (never a zero) in its place.
CITY_MECHANISMS = (Mechanism.ZONES, Mechanism.TEAMS, Mechanism.EDUCATION, Mechanism.WISHES)

# The counts of the zones mechanism the city adds up over the counties that run it; its rates are
# pooled from these sums (Σ numerator / Σ denominator), never averaged over the counties.
ZONES_SUMMED = (
    "activities",
    "activities_to_date",
    "zone_months",
    "zone_months_covered",
    "checks_held",
    "checks_expected",
    "rounds_held",
    "findings_raised",
    "findings_rectified",
    "findings_overdue",
    "findings_closed_in_period",
    "moved_up",
    "moved_down",
)


def pooled_rate(numerator: int, denominator: int) -> str | None:
    """numerator / denominator as a percentage to one decimal, as the reports store a rate (the
    rectification rate's rule, supervision.selectors.rectification_rate); None without a
    denominator."""
    rate = rectification_rate(raised=denominator, rectified=numerator)
    return str(rate) if rate is not None else None


def ran_during(county: County, mechanism: str, period: Period, today: datetime.date) -> bool:
    """Whether `county` ran `mechanism` on any day the report counts (reads the prefetched
    `mechanisms`)."""
    until = counted_to(period, today)
    return any(
        row.mechanism == mechanism
        and row.since <= until
        and (row.until is None or row.until > period.start)
        for row in county.mechanisms.all()
    )


def zones_totals(per_county: list[dict]) -> dict:
    """The city's figures of the zones mechanism from its counties' (the county reports' own
    figures): sums, and the rates pooled from the sums."""
    totals = {key: sum(f[key] for f in per_county) for key in ZONES_SUMMED}
    totals["coverage_rate"] = pooled_rate(totals["zone_months_covered"], totals["zone_months"])
    totals["rectification_rate"] = pooled_rate(
        totals["findings_rectified"], totals["findings_raised"]
    )
    for key in ("by_form", "by_form_to_date", "by_tag"):
        summed: Counter = Counter()
        for f in per_county:
            summed.update(dict(f[key]))
        labels = [label for label, _n in per_county[0][key]] if per_county else []
        totals[key] = [[label, summed.get(label, 0)] for label in labels]
    totals["counties"] = len(per_county)
    return totals


def city_figures(*, city, period: Period, today: datetime.date) -> dict:
    """The city report's figures: for each county of `city`, the figures of each mechanism it
    ran in the period — for the zones mechanism exactly its county report's figures — or None
    where it did not; and the city's totals pooled over the counties that ran it."""
    counties = list(city.counties.prefetch_related("mechanisms").order_by("code"))
    rows = []
    for county in counties:
        row = {
            "name": county.name,
            "code": county.code,
            "runs": [
                [m, str(label)]
                for m, label in Mechanism.choices
                if ran_during(county, m, period, today)
            ],
        }
        ran = {m for m, _label in row["runs"]}
        with county_scope(county):  # the county's records only, as its own report reads them
            row[Mechanism.ZONES] = (
                report_figures(period=period, zone=None, today=today, county=county)
                if Mechanism.ZONES in ran
                else None
            )
        rows.append(row)
    zones = [row[Mechanism.ZONES] for row in rows if row[Mechanism.ZONES] is not None]
    # The other mechanisms: their headline figures (reports.headlines, as the city dashboard
    # counts them) for the counties that ran them, None for the others; totals pooled.
    totals = {Mechanism.ZONES: zones_totals(zones) if zones else None}
    for mechanism, (keys, count) in HEADLINES.items():
        ran = [
            c
            for c, row in zip(counties, rows, strict=True)
            if ran_during(c, mechanism, period, today)
        ]
        if not ran:  # carried only where a county of the city ran it in the period
            continue
        found = count(counties=ran, period=period, day=counted_to(period, today))
        for county, row in zip(counties, rows, strict=True):
            mine = found.get(county.pk, {})
            row[mechanism] = {k: mine.get(k, [0, 0]) for k in keys} if county in ran else None
        totals[mechanism] = pooled([row[mechanism] for row in rows if row[mechanism] is not None])
    return {
        "period": {
            "kind": period.kind,
            "key": period.key,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "city": city.name,
        "as_of": today.isoformat(),
        "counted_to": counted_to(period, today).isoformat(),
        "closed": period.end < today,
        "mechanisms": [[m, str(Mechanism(m).label)] for m in CITY_MECHANISMS if m in totals],
        "counties": rows,
        "totals": totals,
    }
