"""Reads of the joint activities module, scoped to the user who asks."""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from core.periods import month_start, year_months
from core.pinyin import clean_query, initials_pattern
from core.text import bracketed
from zones.models import Unit, Zone
from zones.selectors import today, units_with_state, user_scope

from .constants import COUNTED_STATES, ActivityForm, ActivityState, CellState
from .models import Activity, HostSlot, Outcome
from .rules import confirmable_by


def activities_visible_to(user) -> QuerySet[Activity]:
    """Activities the user may read: staff all; lead-unit secretaries and guiding leaders
    their zones'; secretaries their units' own and those their units took part in."""
    scope = user_scope(user)
    base = Activity.objects.select_related("zone", "host_unit")
    if scope.reads_all:
        return base
    if not (scope.unit_ids or scope.readable_zone_ids):
        return base.none()
    joined = Activity.participants.through.objects.filter(
        activity_id=OuterRef("pk"), unit_id__in=scope.unit_ids
    )
    return base.filter(
        Q(zone_id__in=scope.readable_zone_ids) | Q(host_unit_id__in=scope.unit_ids) | Exists(joined)
    )


def activities_of_my_units(user) -> QuerySet[Activity]:
    scope = user_scope(user)
    return Activity.objects.select_related("zone", "host_unit").filter(
        host_unit_id__in=scope.unit_ids
    )


def review_queue(user) -> QuerySet[Activity]:
    """Submitted activities waiting for this user's confirmation, oldest first: those
    `activities.rules.may_confirm` lets them confirm (its queryset twin `confirmable_by`)."""
    return (
        Activity.objects.select_related("zone", "host_unit")
        .filter(confirmable_by(user), state=ActivityState.SUBMITTED)
        .order_by("updated_at", "pk")
    )


def activity_detail(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    return queryset.prefetch_related("participants", "outcomes", "attachments", "events__actor")


def units_user_may_host(user) -> QuerySet[Unit]:
    """The units the user may log activities for: their own; staff any active unit."""
    scope = user_scope(user)
    units = Unit.objects.filter(is_active=True)
    return units if scope.is_staff else units.filter(pk__in=scope.unit_ids)


@dataclass(frozen=True)
class ParticipantGroup:
    label: str
    units: list[tuple[int, str]]
    partner: bool = False


def participant_groups() -> list[ParticipantGroup]:
    """The activity form's participant picker, in one query: the active county organs grouped
    by their zone today (in zone order), those in no zone, then the partner organizations from
    outside the county organs (链上联建) as their own group, each unit named by its kind."""
    # Annotated with each unit's zone today (units_with_state), which the stubs cannot see.
    units: Any = (
        units_with_state().filter(is_active=True).only("pk", "name", "kind").order_by("name_pinyin")
    )
    zones: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
    loose, partner_rows = [], []
    for unit in units:
        if unit.is_partner:
            partner_rows.append((unit.pk, unit.name + bracketed(unit.get_kind_display())))
        elif unit.zone_number_on is None:
            loose.append((unit.pk, unit.name))
        else:
            zones[(unit.zone_number_on, unit.zone_name_on)].append((unit.pk, unit.name))
    groups = [ParticipantGroup(name, rows) for (_n, name), rows in sorted(zones.items())]
    if loose:
        groups.append(ParticipantGroup(_("Not in a zone"), loose))
    if partner_rows:
        groups.append(
            ParticipantGroup(
                _("Partner organizations (chain joint building)"), partner_rows, partner=True
            )
        )
    return groups


# ---------------------------------------------------------------------------------------------
# The compliance grid (月月有活动)


@dataclass
class Cell:
    month: datetime.date
    state: str
    host: str = ""
    confirmed: int = 0
    submitted: int = 0
    # Resolved once per grid, not per cell: a city-scale grid has thousands of cells.
    label: str = ""
    key: str = ""

    @property
    def css(self) -> str:
        return CELL_CSS[self.state]


CELL_CSS: dict[str, str] = {
    CellState.DONE: "table-success",
    CellState.WAITING: "table-warning",
    CellState.OPEN: "table-info",
    CellState.GAP: "table-danger",
    CellState.FUTURE: "table-light",
}


@dataclass
class GridRow:
    zone: Zone
    cells: list[Cell]
    done: int = 0
    activities: int = 0
    by_form: dict = field(default_factory=dict)


@dataclass
class Grid:
    year: int
    months: list[datetime.date]
    rows: list[GridRow]
    form_totals: list[tuple[str, str, int]]  # (value, label, confirmed activities in the year)
    state_totals: dict


def month_state(
    month: datetime.date, *, opening: datetime.date, confirmed: int, submitted: int
) -> CellState:
    """The one rule of 月月有活动 for a zone-month, asked by the grid, the dashboard, the reports
    (and so their narrative) and the reminders. `opening` is the first day of the current
    month. A confirmed activity makes the month done; a submitted one, not yet confirmed, makes
    it waiting (the lead unit is to confirm it) — never a gap, even once the month has ended;
    with neither, the current month is open, an ended one a gap, a later one not yet due."""
    if confirmed:
        return CellState.DONE
    if submitted:
        return CellState.WAITING
    if month == opening:
        return CellState.OPEN
    if month < opening:
        return CellState.GAP
    return CellState.FUTURE


def zone_month_states(
    *, months: list[datetime.date], day: datetime.date, zone_ids=None
) -> dict[tuple[int, datetime.date], CellState]:
    """The `month_state` of every zone-month of `months` (first days), for the zones given
    (None: every zone), as of `day`: one aggregate of the counted activities (and the zones'
    ids when none are given) however much data there is."""
    if zone_ids is None:
        zone_ids = list(Zone.objects.values_list("pk", flat=True))
    activities = Activity.objects.filter(
        month__in=months, state__in=COUNTED_STATES, zone_id__in=zone_ids
    )
    counts: dict = defaultdict(dict)
    for zone_id, month, state, n in (
        activities.values_list("zone_id", "month", "state").annotate(n=Count("pk")).order_by()
    ):
        counts[(zone_id, month)][state] = n
    opening = month_start(day)
    # a zone-month with no counted activity is in its month's state (a city has thousands)
    empty = {m: month_state(m, opening=opening, confirmed=0, submitted=0) for m in months}
    states = {}
    for zone_id in zone_ids:
        for month in months:
            c = counts.get((zone_id, month))
            states[(zone_id, month)] = (
                month_state(
                    month,
                    opening=opening,
                    confirmed=c.get(ActivityState.CONFIRMED, 0),
                    submitted=c.get(ActivityState.SUBMITTED, 0),
                )
                if c
                else empty[month]
            )
    return states


# The states as numbers in SQL (`zone_month_state_sql`): their order in `CellState`.
STATE_NUMBERS = {state: i for i, state in enumerate(CellState)}


def zone_month_state_sql(
    *, months: list[datetime.date], day: datetime.date, county_ids: list[int]
) -> tuple[str, list]:
    """`month_state` of every zone-month of `months` of the counties' zones, as of `day`,
    counted in SQL (issue 20: a city has thousands of zone-months, each built in Python by
    `zone_month_states`): a statement of (k1: the county, k2: the state's number in
    `STATE_NUMBERS`, n: its zone-months), portable SQL. The CASE is `month_state`'s rule in
    its order; tests/activities/test_zone_month_sql.py holds it equal to `zone_month_states`
    on data with every state. Raw SQL bypasses django-scopes: it filters the counties given.
    No rows when there are no months or counties."""
    if not months or not county_ids:
        return "SELECT 0 AS k1, 0 AS k2, 0 AS n WHERE 1 = 0", []
    opening = month_start(day)
    # the months as a derived table, one SELECT per month (VALUES names its columns per vendor)
    month_rows = " UNION ALL ".join(["SELECT %s AS month"] * len(months))
    counties = ", ".join(["%s"] * len(county_ids))
    month_list = ", ".join(["%s"] * len(months))
    n = STATE_NUMBERS
    # the table and column names and the states' numbers are the code's own; values are params
    sql = (
        "SELECT z.county_id AS k1, CASE"  # noqa: S608
        f" WHEN COALESCE(a.confirmed, 0) > 0 THEN {n[CellState.DONE]}"
        f" WHEN COALESCE(a.submitted, 0) > 0 THEN {n[CellState.WAITING]}"
        f" WHEN m.month = %s THEN {n[CellState.OPEN]}"
        f" WHEN m.month < %s THEN {n[CellState.GAP]}"
        f" ELSE {n[CellState.FUTURE]} END AS k2, COUNT(*) AS n"
        f" FROM zones_zone z CROSS JOIN ({month_rows}) m"
        " LEFT OUTER JOIN (SELECT x.zone_id, x.month,"
        " SUM(CASE WHEN x.state = %s THEN 1 ELSE 0 END) AS confirmed,"
        " SUM(CASE WHEN x.state = %s THEN 1 ELSE 0 END) AS submitted"
        " FROM activities_activity x INNER JOIN zones_zone xz ON xz.id = x.zone_id"
        f" WHERE xz.county_id IN ({counties}) AND x.month IN ({month_list})"
        " AND x.state IN (%s, %s) GROUP BY x.zone_id, x.month) a"
        " ON a.zone_id = z.id AND a.month = m.month"
        f" WHERE z.county_id IN ({counties}) GROUP BY z.county_id, k2"
    )
    days = [connection.ops.adapt_datefield_value(m) for m in months]
    opening_value = connection.ops.adapt_datefield_value(opening)
    params = [
        opening_value,
        opening_value,
        *days,
        ActivityState.CONFIRMED.value,
        ActivityState.SUBMITTED.value,
        *county_ids,
        *days,
        *[s.value for s in COUNTED_STATES],
        *county_ids,
    ]
    return sql, params


def zone_month_state_counts(
    *, months: list[datetime.date], day: datetime.date, county_ids: list[int]
) -> dict[int, dict[CellState, int]]:
    """county id → {state: zone-months} of `months` as of `day`: `zone_month_state_sql` run
    by itself (the city dashboard runs it within its one statement of figures)."""
    sql, params = zone_month_state_sql(months=months, day=day, county_ids=county_ids)
    states = list(CellState)
    found: dict[int, dict[CellState, int]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for county_id, state, n in cursor.fetchall():
            found[county_id][states[state]] = n
    return dict(found)


def grid_zones(query: str = "") -> QuerySet[Zone]:
    """The zones of the compliance grid, by number: all, or those whose name or pinyin
    initials match `query` (as the navigation search matches them)."""
    zones = Zone.objects.order_by("number")
    query = clean_query(query)
    if not query:
        return zones
    text = Q(name__icontains=query)
    subsequence = initials_pattern(query)
    if subsequence:
        text |= Q(name_initials__regex=subsequence)
    if query.isdigit():
        text |= Q(number=int(query))
    return zones.filter(text)


def year_form_totals(*, year: int, zone_ids=None) -> list[tuple[str, str, int]]:
    """Confirmed activities of `year` by form, of the zones given (None: every zone)."""
    activities = Activity.objects.filter(month__year=year, state=ActivityState.CONFIRMED)
    if zone_ids is not None:
        activities = activities.filter(zone_id__in=zone_ids)
    totals = dict(activities.values_list("form").annotate(n=Count("pk")).order_by())
    return [(f.value, str(f.label), totals.get(f.value, 0)) for f in ActivityForm]


def zone_month_grid(*, year: int, zones: list[Zone] | None = None) -> Grid:
    """Zones × months of `year` with each month's host and state, in three queries however
    much data there is: the zones, the host slots, and one aggregate over activities grouped
    by zone, month, form and state (drafts and returned ones do not count). With `zones` (a
    page of the grid) only those rows, in two queries."""
    opening = month_start(today())
    slots = HostSlot.objects.filter(month__year=year)
    activities = Activity.objects.filter(month__year=year, state__in=COUNTED_STATES)
    if zones is None:
        zones = list(Zone.objects.order_by("number"))
    else:
        ids = [zone.pk for zone in zones]
        slots = slots.filter(zone_id__in=ids)
        activities = activities.filter(zone_id__in=ids)
    return grid_of(
        year=year,
        opening=opening,
        zones=zones,
        slots=slots.values_list("zone_id", "month", "unit__name", "unit__short_name"),
        counts=activities.values_list("zone_id", "month", "form", "state")
        .annotate(n=Count("pk"))
        .order_by(),
    )


def grid_of(*, year: int, opening: datetime.date, zones, slots, counts) -> Grid:
    """The grid of `zones` from its rows, whoever read them: `slots` (zone id, month, host
    unit's name, its short name) and `counts` (zone id, month, form, state, activities) are
    `zone_month_grid`'s two querysets' rows, or those of a statement held equal to them
    (portal.dashboard's, one county's dashboard in one round trip)."""
    months = year_months(year)
    hosts = {(zone_id, month): short or name for zone_id, month, name, short in slots}
    counted: dict = defaultdict(lambda: {ActivityState.CONFIRMED: 0, ActivityState.SUBMITTED: 0})
    by_form: dict = defaultdict(lambda: defaultdict(int))
    form_totals: dict = defaultdict(int)
    for zone_id, month, form, state, n in counts:
        counted[(zone_id, month)][state] += n
        if state == ActivityState.CONFIRMED:
            by_form[zone_id][form] += n
            form_totals[form] += n
    labels = {state: str(state.label) for state in CellState}
    keys = {month: f"{month:%Y-%m}" for month in months}
    rows = []
    state_totals: dict = defaultdict(int)
    for zone in zones:
        cells = []
        for month in months:
            c = counted.get((zone.pk, month), {})
            confirmed = c.get(ActivityState.CONFIRMED, 0)
            submitted = c.get(ActivityState.SUBMITTED, 0)
            state = month_state(month, opening=opening, confirmed=confirmed, submitted=submitted)
            state_totals[state] += 1
            cells.append(
                Cell(
                    month,
                    state,
                    hosts.get((zone.pk, month), ""),
                    confirmed,
                    submitted,
                    label=labels[state],
                    key=keys[month],
                )
            )
        rows.append(
            GridRow(
                zone=zone,
                cells=cells,
                done=sum(1 for c in cells if c.state == CellState.DONE),
                activities=sum(c.confirmed for c in cells),
                by_form=dict(by_form[zone.pk]),
            )
        )
    return Grid(
        year=year,
        months=months,
        rows=rows,
        form_totals=[(f.value, str(f.label), form_totals.get(f.value, 0)) for f in ActivityForm],
        state_totals=dict(state_totals),
    )


GRID_ZONES_PER_PAGE = 10


def grid_page(*, year: int, query: str = "", page="1") -> dict:
    """One page of the compliance grid (ten zones) and the form totals of every zone the
    query keeps, in four queries: the zones, their host slots, the activity aggregate and the
    form totals. Plain data, so it can be cached."""
    zones = list(grid_zones(query).only("pk", "number", "name"))
    paginator = Paginator(zones, GRID_ZONES_PER_PAGE)
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "number": current.number,
        "grid": zone_month_grid(year=year, zones=list(current.object_list)),
        "form_totals": year_form_totals(
            year=year, zone_ids=[zone.pk for zone in zones] if query else None
        ),
    }


def zone_rotation(*, zone: Zone, year: int) -> list[HostSlot]:
    """The zone's host slots of a year by month, with only what the rotation and zone pages
    print (the month, the host unit's name, whether swapped by hand): not each host's full
    unit row (issue 20)."""
    return list(
        HostSlot.objects.filter(zone=zone, month__year=year)
        .select_related("unit")
        .only("zone_id", "month", "swapped", "unit__name")
        .order_by("month")
    )


def ledger_queryset() -> QuerySet[Activity]:
    """Every activity for the staff ledger (联建活动台账), newest first. The month (the
    date's first day, set with it) leads the ordering so PostgreSQL walks the month index
    instead of sorting every activity for each page."""
    return Activity.objects.select_related("zone", "host_unit").order_by("-month", "-date", "-pk")


# The export reads the ledger this many activities at a time (issue 20: a whole ledger's
# instances at once cost a web worker 200 MB).
EXPORT_CHUNK = 1000


class LedgerExportRow(NamedTuple):
    """One activity of the ledger's export: its own columns (LEDGER_EXPORT_FIELDS, in order),
    its participating units' names by name, and its outcomes' texts in the order entered."""

    values: tuple
    participants: list[str]
    outcomes: list[str]


LEDGER_EXPORT_FIELDS = (
    "pk",
    "zone__name",
    "month",
    "date",
    "host_unit__name",
    "form",
    "tags",
    "title",
    "place",
    "participant_count",
    "summary",
    "state",
)


def ledger_export_rows(activities: QuerySet[Activity]) -> Iterator[LedgerExportRow]:
    """The (filtered) ledger's activities with what its export writes, as plain values (issue
    20: no model instance or prefetch per row), read EXPORT_CHUNK activities at a time with
    their participating units and outcomes in one query each per chunk."""
    rows = activities.values_list(*LEDGER_EXPORT_FIELDS).iterator(chunk_size=EXPORT_CHUNK)
    through = Activity.participants.through
    while chunk := list(itertools.islice(rows, EXPORT_CHUNK)):
        ids = [row[0] for row in chunk]
        names: dict[int, list[str]] = defaultdict(list)
        for activity_id, name in (
            through.objects.filter(activity_id__in=ids)
            .order_by("unit__name")
            .values_list("activity_id", "unit__name")
        ):
            names[activity_id].append(name)
        outcomes: dict[int, list[str]] = defaultdict(list)
        for activity_id, description, quantity, measure in (
            Outcome.objects.filter(activity_id__in=ids)
            .order_by("pk")
            .values_list("activity_id", "description", "quantity", "measure")
        ):
            outcomes[activity_id].append(Outcome.text_of(description, quantity, measure))
        for row in chunk:
            yield LedgerExportRow(row, names.get(row[0], []), outcomes.get(row[0], []))


def move_consequences(*, unit: Unit, from_zone: Zone | None, to_zone: Zone, effective_on, **kw):
    """What a move of `unit` dated in the past leaves behind (asked before it is confirmed,
    zones.signals.move_consequences): its activities and host months from that day to now stay
    with the zone it leaves — they are never rewritten — and the future host months of both
    zones are replanned."""

    def month(day) -> str:
        return formats.date_format(day, "YEAR_MONTH_FORMAT")

    lines: list[str] = []
    this_month = month_start(today())
    if from_zone is not None:
        stays = list(
            Activity.objects.filter(
                host_unit=unit, zone=from_zone, date__gte=effective_on
            ).order_by("date", "pk")
        )
        if stays:
            shown = _("; ").join(
                _("%(title)s (%(date)s)")
                % {"title": a.title, "date": formats.date_format(a.date, "DATE_FORMAT")}
                for a in stays[:10]
            )
            more = len(stays) - 10
            lines.append(
                _("%(count)d activities of %(unit)s from that day stay with %(zone)s: %(list)s")
                % {"count": len(stays), "unit": unit, "zone": from_zone, "list": shown}
                + (_(" and %(more)d more.") % {"more": more} if more > 0 else "")
            )
        hosted = HostSlot.objects.filter(
            zone=from_zone,
            unit=unit,
            month__gte=month_start(effective_on),
            month__lte=this_month,
        ).order_by("month")
        if hosted:
            lines.append(
                _("Host months of %(unit)s that stay with %(zone)s: %(months)s.")
                % {
                    "unit": unit,
                    "zone": from_zone,
                    "months": ", ".join(month(s.month) for s in hosted),
                }
            )
    for zone in [z for z in (from_zone, to_zone) if z is not None]:
        future = list(
            HostSlot.objects.filter(zone=zone, month__gt=this_month)
            .order_by("month")
            .values_list("month", flat=True)
        )
        if future:
            lines.append(
                _("The future host months of %(zone)s are replanned: %(months)s.")
                % {"zone": zone, "months": ", ".join(month(m) for m in future)}
            )
    return lines
