"""The county dashboard and the secretaries' "my work": reads across zones, activities and
supervision, in a fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime
import html
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import ExtractMonth
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from activities.constants import COUNTED_STATES, ActivityForm, ActivityState, AttachmentKind
from activities.models import Activity, Attachment, HostSlot
from activities.selectors import grid_of, review_queue, zone_month_grid
from core.access import may
from core.aggregates import grouped_counts, union_of
from core.cache import cache_key, cached_many, county_in_scope
from core.display import DateTexts, pk_url
from core.periods import month_start, next_month
from counties.constants import Mechanism
from counties.mechanisms import reader_runs
from counties.scoping import scoped_county_id
from supervision.constants import CheckState, FindingState, RoundState, SheetState
from supervision.models import Finding, MutualCheck, PatrolRound, ScoreSheet
from supervision.selectors import rectification_rate, sheets_to_fill, with_overdue
from teams.figures_sql import headline_parts
from teams.narrative import dashboard_tile as team_tile
from wishes.constants import State as WishState
from wishes.selectors import _figure_conditions as wish_figure_conditions
from wishes.selectors import _figures_of as wish_figures_of
from wishes.selectors import dashboard_tile as wish_tile
from wishes.selectors import narrative as wish_narrative
from zones.constants import Grade
from zones.models import Unit, UnitGrade, Zone
from zones.selectors import grade_changes, moved_up, today, user_scope

DASHBOARD_ZONES = 10
# The data areas the county dashboard's cached figures and body read (core.cache).
DASHBOARD_AREAS = ("activities", "supervision", "zones")
QUARTERS = (1, 2, 3, 4)
MONTHS = range(1, 13)


@dataclass
class GridSummary:
    """What the dashboard shows of the compliance grid: the months, the count of cells in each
    state, and the mini-grid's rows (at most DASHBOARD_ZONES zones: the template renders their
    cells once per data version, with the dashboard's body). A row is plain data, (zone pk,
    zone name, [(css, host, label) per month], the zone page's URL, the cells' markup): the figures are unpickled on every cached view,
    and model instances and dataclasses would cost a few tenths of a millisecond there."""

    year: int
    months: list
    state_totals: dict
    mini_grid: list[tuple[int, str, list[tuple[str, str, str]], str, str]]
    zones_total: int = 0
    zones_shown: int = 0


@dataclass
class Dashboard:
    year: int
    grid: GridSummary
    checks_by_quarter: list[int]
    checks_expected: int
    rounds: list[dict]
    by_form: list[tuple[str, str, int]]
    by_month: list[int]
    ranking: list[tuple[str, int, int, int]]
    findings: dict
    grades: list[tuple[int, str, int]]
    moves_up: int
    moves_down: int
    recent: list


def dashboard_page(user) -> dict:
    """The county dashboard's parts: this year's 月月有活动、季季有自检、半年有督导 at a glance
    ("d", the figures, and "body", rendered from them) and the tiles of the mechanisms the
    reader's county runs ("wishes", "teams": None where it runs none), each from the cache
    while no record it is computed from has changed (core.cache: five minutes at most), each
    keyed by the data areas it reads, so a micro-wish's or a team's write leaves the body
    cached. Every committee member reads the whole county, so the keys' scope is the county;
    the day and the language are in them because the figures (elapsed months, overdue
    findings, labels) depend on them. The parts are read from the cache together and, on a
    miss of the body, the missing tiles are read by its statement (`_county_dashboard`)."""
    day = today()
    language = translation.get_language()
    entries: dict[str, tuple[str, tuple[str, ...]]] = {
        "body": (cache_key("dashboard:body", day, language), DASHBOARD_AREAS)
    }
    # 群众微心愿 (issue 17): a county running the micro-wishes; 双带 (issue 18): the teams
    wishes = reader_runs(user, Mechanism.WISHES)
    teams = getattr(user, "county_id", None) is not None and reader_runs(user, Mechanism.TEAMS)
    if wishes:
        entries["wishes"] = (cache_key("dashboard:wishes", day, language), ("wishes",))
    if teams:
        entries["teams"] = (cache_key("dashboard:teams", day), ("teams", "supervision", "zones"))

    def compute(missing: set) -> dict:
        found: dict = {}
        if "body" in missing:
            tiles = {name: None for name in ("wishes", "teams") if name in missing}
            data = _county_dashboard(day=day, year=day.year, tiles=tiles)
            found["body"] = (data, render_body(data))
            found.update(tiles)
        if "wishes" in missing and found.get("wishes") is None:
            found["wishes"] = wish_tile(day=day)
        if "teams" in missing and found.get("teams") is None:
            found["teams"] = team_tile(user, day)
        return found

    values = cached_many(entries, compute)
    data, body = values["body"]
    return {"d": data, "body": body, "wishes": values.get("wishes"), "teams": values.get("teams")}


def render_body(data: Dashboard) -> str:
    """The dashboard's body rendered from its figures, with its charts' data."""
    charts = {
        "byForm": {
            "labels": [label for _v, label, _n in data.by_form],
            "values": [n for *_x, n in data.by_form],
        },
        "byMonth": {
            "labels": [_("%(m)d月") % {"m": m} for m in range(1, 13)],
            "values": data.by_month,
        },
        "ranking": {
            "labels": [name for name, *_r in reversed(data.ranking)],
            "values": [done for _n, _pk, done, _e in reversed(data.ranking)],
        },
        "grades": [{"name": label, "value": n} for _v, label, n in data.grades],
    }
    return render_to_string("portal/_dashboard_body.html", {"d": data, "charts": charts})


def _county_dashboard(
    *, day: datetime.date, year: int, statement: bool = True, tiles: dict | None = None
) -> Dashboard:
    """The figures of `year` as of `day`. Given a dict as `tiles` (names of `TILES` as keys),
    the one county's statement reads those mechanisms' tiles too and puts them in it; a tile
    left out (the querysets read the figures) is the caller's to read."""
    county = county_in_scope()
    # A county's figures in one hand-written statement (issue 20: Django's building of the
    # grid's three querysets, the counts' seven, the rounds' and the recent activities' was
    # most of the page, and each query a round trip); across counties (or with `statement`
    # False) the querysets, which stay the definition (tests/portal/test_dashboard_aggregates.py
    # holds the two equal).
    if statement and isinstance(county, int):
        read = _dashboard_sql(county, year=year, day=day, tiles=tiles or {})
        if tiles is not None:
            tiles.update(read["tiles"])
        grid, counts, rounds, recent_rows = (
            grid_of(year=year, opening=month_start(day), **read["grid"]),
            read["counts"],
            read["rounds"],
            read["recent"],
        )
    else:
        grid = zone_month_grid(year=year)  # zones, host slots, activity aggregate
        counts = grouped_counts(_count_figures(year=year, day=day))
        rounds = list(
            PatrolRound.objects.filter(year=year)
            .values_list("pk", "half", "state")
            .order_by("half")
        )
        recent_rows = _recent_queryset()
    elapsed = {m for m in grid.months if m <= month_start(day)}
    ranking = sorted(
        (
            (
                row.zone.name,
                row.zone.pk,
                sum(1 for c in row.cells if c.state == "done" and c.month in elapsed),
                len(elapsed),
            )
            for row in grid.rows
        ),
        key=lambda r: (-r[2], r[0]),
    )
    # A county fits on the dashboard whole; beyond DASHBOARD_ZONES zones (a city) the mini-grid
    # and the ranking show the zones with the fewest months covered, the ones to chase, and the
    # compliance grid has them all.
    if len(ranking) > DASHBOARD_ZONES:
        ranking = ranking[-DASHBOARD_ZONES:]
        chased = {pk for _name, pk, _done, _elapsed in ranking}
        shown_rows = [row for row in grid.rows if row.zone.pk in chased]
    else:
        shown_rows = grid.rows
    figures = {name: counts[name].get(1, 0) for name in ("raised", "open", "overdue", "rectified")}
    figures["rate"] = rectification_rate(raised=figures["raised"], rectified=figures["rectified"])
    # The six latest confirmed activities as the tiles print them, each with its first photo.
    activity_url, dates = pk_url("activities:detail"), DateTexts()
    recent = [
        {
            "pk": pk,
            "url": activity_url(pk),
            "title": title,
            "zone": zone,
            "date": date,
            "date_text": dates(date),
            "photo": photo,
        }
        for pk, title, zone, date, photo in recent_rows
    ]
    zone_url, escaped = pk_url("zone_detail"), {}
    return Dashboard(
        year=year,
        grid=GridSummary(
            year=grid.year,
            months=grid.months,
            state_totals=grid.state_totals,
            mini_grid=[
                (
                    row.zone.pk,
                    row.zone.name,
                    [(c.css, c.host, c.label) for c in row.cells],
                    zone_url(row.zone.pk),
                    _mini_cells(row.cells, escaped),
                )
                for row in shown_rows
            ],
            zones_total=len(grid.rows),
            zones_shown=len(shown_rows),
        ),
        checks_by_quarter=[counts["checks"].get(q, 0) for q in QUARTERS],
        checks_expected=len(grid.rows),
        rounds=[
            {"half": half, "held": state in (RoundState.PUBLISHED, RoundState.CLOSED), "pk": pk}
            for pk, half, state in rounds
        ],
        by_form=[
            (f.value, str(f.label), next((t[2] for t in grid.form_totals if t[0] == f.value), 0))
            for f in ActivityForm
        ],
        by_month=[counts["months"].get(m, 0) for m in MONTHS],
        ranking=ranking,
        findings=figures,
        grades=[(g.value, str(g.label), counts["grades"].get(g.value, 0)) for g in Grade],
        moves_up=sum(
            n for (grade, before), n in counts["moves"].items() if moved_up(grade, before)
        ),
        moves_down=sum(
            n for (grade, before), n in counts["moves"].items() if not moved_up(grade, before)
        ),
        recent=recent,
    )


def _count_figures(*, year: int, day: datetime.date) -> dict:
    """The dashboard's counts as `grouped_counts` figures: the definition of each."""
    latest = UnitGrade.objects.filter(unit=OuterRef("pk"), effective_from__lte=day).order_by(
        "-effective_from"
    )
    # The figures that are counts, each a grouped count and all of them in one query (UNION
    # ALL): plain GROUP BYs cost Django far less to build than one FILTER term per quarter,
    # month and class (issue 20).
    findings = Finding.objects.filter(raised_on__isnull=False, corrects__isnull=True)
    raised = findings.filter(raised_on__year=year)
    return {
        "checks": (
            MutualCheck.objects.filter(year=year, state=CheckState.PUBLISHED),
            "quarter",
        ),
        "months": (
            Activity.objects.filter(date__year=year, state=ActivityState.CONFIRMED).annotate(
                m=ExtractMonth("date")
            ),
            "m",
        ),
        # the findings' four figures, each counted whole (keyed by a constant)
        "open": (_whole(findings.exclude(state=FindingState.CLOSED)), "k"),
        "overdue": (_whole(with_overdue(findings, day).filter(is_overdue=True)), "k"),
        "raised": (_whole(raised), "k"),
        "rectified": (_whole(raised.filter(state=FindingState.CLOSED)), "k"),
        # each unit's class in force (a subquery per unit), counted per class
        "grades": (
            Unit.objects.filter(is_active=True, kind="organ").annotate(
                g=Subquery(latest.values("grade")[:1])
            ),
            "g",
        ),
        # the year's class moves, per (class, previous class)
        "moves": (
            grade_changes().filter(effective_from__year=year),
            ("grade", "previous_grade"),
        ),
    }


COUNT_NAMES = ["checks", "months", "open", "overdue", "raised", "rectified", "grades", "moves"]


def _counts_sql(county_id: int, *, year: int, day: datetime.date) -> dict[str, dict]:
    """`grouped_counts(_count_figures(...))` for the one county given, as one hand-written
    statement (docs/architecture.md's rule: every value a parameter, the county filtered here,
    as raw SQL bypasses django-scopes; each row source the SQL of the queryset it stands for:
    a check's and an activity's county is its zone's, a finding's its responsible unit's)."""
    parts = _counts_parts(county_id, year=year, day=day, pad="")
    return _read_counts(union_of(parts))


def _read_counts(rows) -> dict[str, dict]:
    """The counts' rows (figure, key, second key, count) as `grouped_counts` gives them."""
    out: dict[str, dict] = {name: {} for name in COUNT_NAMES}
    for f, key, second, n in rows:
        if key is None:
            continue
        if second is None:
            out[COUNT_NAMES[f]][int(key)] = n
        else:
            out[COUNT_NAMES[f]][(int(key), int(second))] = n
    return out


def _counts_parts(county_id: int, *, year: int, day: datetime.date, pad: str) -> list:
    """The counts' UNION ALL parts (sql, params): figure, key, second key, count, then `pad`
    (the columns a wider statement adds)."""
    ops = connection.ops
    first, last, on_day = (
        ops.adapt_datefield_value(d)
        for d in (datetime.date(year, 1, 1), datetime.date(year, 12, 31), day)
    )
    month, month_params = ops.date_extract_sql("month", "a.date", ())
    findings = (
        "SELECT {f}, 1, CAST(NULL AS INTEGER), COUNT(*) FROM supervision_finding x"
        " INNER JOIN zones_unit u ON u.id = x.responsible_unit_id"
        " WHERE u.county_id = %s AND x.corrects_id IS NULL AND x.raised_on IS NOT NULL AND {rule}"
    )
    raised = "x.raised_on BETWEEN %s AND %s"
    parts = [
        (  # checks: published mutual checks of the year, per quarter
            "SELECT 0, c.quarter, CAST(NULL AS INTEGER), COUNT(*) FROM supervision_mutualcheck c"
            " INNER JOIN zones_zone z ON z.id = c.zone_id"
            " WHERE z.county_id = %s AND c.state = %s AND c.year = %s GROUP BY 2",
            [county_id, str(CheckState.PUBLISHED), year],
        ),
        (  # months: confirmed activities of the year, per month of their date
            # {month}: Django's SQL for the date's month. The month column (the date's first
            # day, set with it) bounded too: the same rows, and the (zone, month, state) index
            # serves them (at s20 the date alone scanned every year of each zone's activities).
            f"SELECT 1, {month}, CAST(NULL AS INTEGER), COUNT(*)"  # noqa: S608
            " FROM activities_activity a INNER JOIN zones_zone z ON z.id = a.zone_id"
            " WHERE z.county_id = %s AND a.month BETWEEN %s AND %s"
            " AND a.date BETWEEN %s AND %s AND a.state = %s GROUP BY 2",
            [*month_params, county_id, first, last, first, last, str(ActivityState.CONFIRMED)],
        ),
        (  # open: not closed
            findings.format(f=2, rule="x.state <> %s"),
            [county_id, str(FindingState.CLOSED)],
        ),
        (  # overdue (supervision.selectors.overdue): past the deadline and not closed
            findings.format(f=3, rule="x.deadline < %s AND x.state <> %s"),
            [county_id, on_day, str(FindingState.CLOSED)],
        ),
        (findings.format(f=4, rule=raised), [county_id, first, last]),  # raised in the year
        (  # rectified: raised in the year and closed
            findings.format(f=5, rule=f"{raised} AND x.state = %s"),
            [county_id, first, last, str(FindingState.CLOSED)],
        ),
        (  # grades: each active organ unit's class in force on the day (the latest from)
            "SELECT 6, (SELECT g.grade FROM zones_unitgrade g WHERE g.unit_id = u.id"
            " AND g.effective_from <= %s ORDER BY g.effective_from DESC LIMIT 1),"
            " CAST(NULL AS INTEGER), COUNT(*) FROM zones_unit u"
            " WHERE u.county_id = %s AND u.is_active AND u.kind = %s GROUP BY 2",
            [on_day, county_id, "organ"],
        ),
        (  # moves (zones.selectors.grade_changes): the year's class entries that changed the
            # unit's class, per (class, previous class: the unit's entry just before)
            "SELECT 7, m.grade, m.previous, COUNT(*) FROM (SELECT g.grade,"
            " (SELECT p.grade FROM zones_unitgrade p WHERE p.unit_id = g.unit_id"
            " AND p.effective_from < g.effective_from ORDER BY p.effective_from DESC LIMIT 1)"
            " AS previous FROM zones_unitgrade g INNER JOIN zones_unit u ON u.id = g.unit_id"
            " WHERE u.county_id = %s AND g.effective_from BETWEEN %s AND %s) m"
            " WHERE m.previous IS NOT NULL AND m.previous <> m.grade GROUP BY 2, 3",
            [county_id, first, last],
        ),
    ]
    # each part's first COUNT(*) is its last column (the grades' and moves' subqueries come
    # before it or count nothing)
    return [(sql.replace("COUNT(*)", f"COUNT(*){pad}", 1), params) for sql, params in parts]


# The dashboard's statement's columns after the figure: two integer keys, a count, a date and
# three texts; each part fills those it has and pads the rest with typed NULLs.
_INT, _DATE, _TEXT = "CAST(NULL AS INTEGER)", "CAST(NULL AS DATE)", "CAST(NULL AS TEXT)"
ZONES, SLOTS, ACTIVITIES, ROUNDS, RECENT = 10, 11, 12, 13, 14
# the mechanisms' tiles read with them (`_tile_parts`): each row a figure's number and count
TEAMS_TILE, WISHES_TILE = 15, 16
TILES = {"teams": TEAMS_TILE, "wishes": WISHES_TILE}
# teams.selectors.county_headline's figures, in the order of teams.figures_sql.headline_parts
TEAMS_HEADLINE = (
    "teams",
    "members",
    "guided",
    "visits",
    "raised",
    "rectified",
    "promoted",
    "matters",
)


def _tile_parts(county_id: int, *, day: datetime.date, tiles) -> list[tuple[str, list]]:
    """The dashboard's tiles of the mechanisms (`tiles`: some of `TILES`) as parts of its
    statement (issue 20: each tile was a query of its own, ~2 ms of Django and round trips):
    the service teams' headline of the year (`teams.narrative.dashboard_tile`), its eight
    counts each `teams.figures_sql.headline_parts`' own scalar SELECT (the county in scope,
    which is `county_id`'s); the micro-wishes' figures (`wishes.selectors.dashboard_tile`:
    `county_figures_sql`'s CASE counts of the conditions `wishes.selectors` states, over its
    rows, the wishes received this year and not merged), the one row of counts turned into a
    row per figure. tests/portal/test_dashboard_aggregates.py holds both equal to the tiles."""
    ops = connection.ops
    start = datetime.date(day.year, 1, 1)
    pad = f"{_DATE}, {_TEXT}, {_TEXT}, {_TEXT}"
    parts: list[tuple[str, list]] = []
    if "teams" in tiles:
        for i, (sql, params) in enumerate(headline_parts(start=start, end=day)):
            parts.append((f"SELECT {TEAMS_TILE}, {i}, {_INT}, ({sql}), {pad}", params))  # noqa: S608
    if "wishes" in tiles:
        conditions = wish_figure_conditions(day)
        counts = ", ".join(
            f"COUNT(CASE WHEN {condition} THEN 1 END) AS c{i}"
            for i, (_name, condition, _values) in enumerate(conditions)
        )
        which = " ".join(f"WHEN {i} THEN s.c{i}" for i in range(len(conditions)))
        numbers = " UNION ALL ".join(f"SELECT {i} AS i" for i in range(len(conditions)))
        parts.append(
            (
                f"SELECT {WISHES_TILE}, v.i, {_INT}, CASE v.i {which} END, {pad}"  # noqa: S608
                f" FROM (SELECT {counts} FROM wishes_wish w"
                " WHERE w.county_id = %s AND w.received_on BETWEEN %s AND %s AND w.state <> %s) s"
                f" CROSS JOIN ({numbers}) v",
                [
                    *(value for _name, _condition, values in conditions for value in values),
                    county_id,
                    ops.adapt_datefield_value(start),
                    ops.adapt_datefield_value(day),
                    str(WishState.MERGED),
                ],
            )
        )
    return parts


def _read_tiles(by_part: dict, *, day: datetime.date, tiles) -> dict:
    """The tiles' rows of the statement as `teams.narrative.dashboard_tile` and
    `wishes.selectors.dashboard_tile` give them."""
    out: dict = {}
    if "teams" in tiles:
        counts = {int(r[1]): int(r[3] or 0) for r in by_part.get(TEAMS_TILE, [])}
        out["teams"] = {name: counts.get(i, 0) for i, name in enumerate(TEAMS_HEADLINE)}
        out["teams"]["year"] = day.year
    if "wishes" in tiles:
        names = [name for name, _condition, _values in wish_figure_conditions(day)]
        counts = {int(r[1]): int(r[3] or 0) for r in by_part.get(WISHES_TILE, [])}
        figures = wish_figures_of({name: counts.get(i, 0) for i, name in enumerate(names)})
        out["wishes"] = {
            "f": figures,
            "sentence": wish_narrative(figures, year=day.year),
            "year": day.year,
        }
    return out


def _recent_part(county_id: int) -> tuple[str, list]:
    """The statement's part of the six latest confirmed activities, each with its first photo
    (the lowest id), looked up for those six only. On PostgreSQL the latest six of each of the
    county's zones (a LATERAL look-up through the zone's index), then the latest six of those:
    the county's zones drive it, not a scan of every county's confirmed activities hashed
    against them (EXPLAIN ANALYZE at s20: 11,339 activities read, and the photo looked up for
    each of the county's 525 before the sort; issue 20, eighth part). SQLite has no LATERAL:
    the portable form, the same rows."""
    state = str(ActivityState.CONFIRMED)
    if connection.vendor == "postgresql":
        latest = (
            " FROM zones_zone z CROSS JOIN LATERAL (SELECT a.id, a.date, a.title"
            " FROM activities_activity a WHERE a.zone_id = z.id AND a.state = %s"
            " ORDER BY a.date DESC, a.id DESC LIMIT 6) a WHERE z.county_id = %s",
            [state, county_id],
        )
    else:
        latest = (
            " FROM activities_activity a INNER JOIN zones_zone z ON z.id = a.zone_id"
            " WHERE a.state = %s AND z.county_id = %s",
            [state, county_id],
        )
    return (
        f"SELECT {RECENT}, l.id, (SELECT MIN(p.id) FROM activities_attachment p"  # noqa: S608
        f" WHERE p.activity_id = l.id AND p.kind = %s), {_INT}, l.date, l.title, l.zone_name,"
        f" {_TEXT} FROM (SELECT a.id, a.date, a.title, z.name AS zone_name{latest[0]}"
        " ORDER BY a.date DESC, a.id DESC LIMIT 6) l",
        [str(AttachmentKind.PHOTO), *latest[1]],
    )


# The dashboard's statements, per process: the SQL and its parameters are a function of the
# code and the inputs (the county, the year, the day, the tiles asked), never of the rows, so a
# dashboard computed again after a write runs the statement it ran before without writing its
# parts again (as the city's figures are kept, portal.city._STATEMENTS). Bounded: a day has a
# handful of counties and tiles asked per process.
_STATEMENTS: dict[tuple, tuple[str, list]] = {}
STATEMENTS_KEPT = 32


def _dashboard_parts(county_id: int, *, year: int, day: datetime.date, tiles) -> list:
    """`_dashboard_sql`'s parts (sql, params), written."""
    ops = connection.ops
    first, last = (
        ops.adapt_datefield_value(d)
        for d in (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    )
    parts = _counts_parts(
        county_id, year=year, day=day, pad=f", {_DATE}, {_TEXT}, {_TEXT}, {_TEXT}"
    )
    parts += [
        (  # the zones, as zone_month_grid reads them (ordered below, by number)
            f"SELECT {ZONES}, z.id, z.number, {_INT}, {_DATE}, z.name, {_TEXT}, {_TEXT}"  # noqa: S608
            " FROM zones_zone z WHERE z.county_id = %s",
            [county_id],
        ),
        (  # the host slots of the year's months, with their host unit's names
            f"SELECT {SLOTS}, s.zone_id, {_INT}, {_INT}, s.month, u.name, u.short_name, {_TEXT}"  # noqa: S608
            " FROM activities_hostslot s INNER JOIN zones_zone z ON z.id = s.zone_id"
            " INNER JOIN zones_unit u ON u.id = s.unit_id"
            " WHERE z.county_id = %s AND s.month BETWEEN %s AND %s",
            [county_id, first, last],
        ),
        (  # the counted (submitted, confirmed) activities of the year's months
            f"SELECT {ACTIVITIES}, a.zone_id, {_INT}, COUNT(*), a.month, a.form, a.state, {_TEXT}"  # noqa: S608
            " FROM activities_activity a INNER JOIN zones_zone z ON z.id = a.zone_id"
            " WHERE z.county_id = %s AND a.month BETWEEN %s AND %s AND a.state IN (%s, %s)"
            " GROUP BY a.zone_id, a.month, a.form, a.state",
            [county_id, first, last, *(str(s) for s in COUNTED_STATES)],
        ),
        (  # the year's patrol rounds
            f"SELECT {ROUNDS}, r.id, r.half, {_INT}, {_DATE}, r.state, {_TEXT}, {_TEXT}"  # noqa: S608
            " FROM supervision_patrolround r WHERE r.county_id = %s AND r.year = %s",
            [county_id, year],
        ),
        _recent_part(county_id),
    ]
    parts += _tile_parts(county_id, day=day, tiles=tiles)
    return parts


def _dashboard_sql(county_id: int, *, year: int, day: datetime.date, tiles=()) -> dict:
    """What `_county_dashboard` reads for the one county given, in one hand-written statement
    (the rule of docs/architecture.md as for `_counts_parts`, the county filtered in each
    part): the counts; `zone_month_grid`'s three querysets (the zones by number, the year's
    host slots with their units' names, the counted activities per zone, month, form and
    state), as `activities.selectors.grid_of` takes them; the year's patrol rounds; the six
    latest confirmed activities, each with its first photo; the mechanisms' `tiles` asked
    (`_tile_parts`). Every part is plain enough for SQLite (the latest six a subquery, as a
    compound's parts cannot be ordered or limited). Written once per process and inputs
    (`_STATEMENTS`)."""
    key = (connection.alias, county_id, year, day, tuple(sorted(tiles)))
    statement = _STATEMENTS.get(key)
    if statement is None:
        if len(_STATEMENTS) >= STATEMENTS_KEPT:
            _STATEMENTS.clear()
        parts = _dashboard_parts(county_id, year=year, day=day, tiles=tiles)
        statement = _STATEMENTS[key] = (
            " UNION ALL ".join(sql for sql, _params in parts),
            [value for _sql, params in parts for value in params],
        )
    rows = union_of([statement])
    as_date = _date_reader()
    by_part: dict[int, list] = {}
    for row in rows:
        # the first column of keys is numeric on PostgreSQL (the counts' months): ids as ints
        if row[0] >= ZONES:
            row = (row[0], int(row[1]), *row[2:])
        by_part.setdefault(row[0], []).append(row)
    zones = sorted(by_part.get(ZONES, []), key=lambda r: r[2])
    return {
        "counts": _read_counts(r[:4] for r in rows if r[0] < ZONES),
        "grid": {
            "zones": [Zone(pk=r[1], number=r[2], name=r[5]) for r in zones],
            "slots": [(r[1], as_date(r[4]), r[5], r[6]) for r in by_part.get(SLOTS, [])],
            "counts": [
                (r[1], as_date(r[4]), r[5], r[6], r[3]) for r in by_part.get(ACTIVITIES, [])
            ],
        },
        "rounds": sorted(((r[1], r[2], r[5]) for r in by_part.get(ROUNDS, [])), key=lambda r: r[1]),
        "recent": sorted(
            ((r[1], r[5], r[6], as_date(r[4]), r[2]) for r in by_part.get(RECENT, [])),
            key=lambda r: (r[3], r[0]),
            reverse=True,
        ),
        "tiles": _read_tiles(by_part, day=day, tiles=tiles),
    }


def _date_reader():
    """A raw cursor's date as a date: PostgreSQL's driver gives one, SQLite's the ISO text."""
    convert = datetime.date.fromisoformat
    return lambda value: (
        value if value is None or isinstance(value, datetime.date) else convert(value)
    )


def _recent_queryset() -> list[tuple]:
    """The six latest confirmed activities (pk, title, zone's name, date, first photo's pk),
    with the photo as a subquery: the definition `_dashboard_sql` is held equal to."""
    first_photo = Attachment.objects.filter(
        activity=OuterRef("pk"), kind=AttachmentKind.PHOTO
    ).order_by("pk")
    return list(
        Activity.objects.filter(state=ActivityState.CONFIRMED)
        .annotate(photo=Subquery(first_photo.values("pk")[:1]))
        .order_by("-date", "-pk")
        .values_list("pk", "title", "zone__name", "date", "photo")[:6]
    )


def _mini_cells(cells, escaped: dict | None = None) -> SafeString:
    """A mini-grid row's month cells as the body prints them, written once in Python (a dozen
    per zone, each three template lookups): the state's class, the host and the label in the
    title, escaped as the template escaped them (tests/portal/test_dashboard.py compares).
    Each text is escaped once across the rows (`escaped`), with the standard library's escape
    that Django's wraps: the lazy-aware wrapper was most of this function's time at three
    calls a cell (five classes and labels, a host unit per month)."""
    escaped = {} if escaped is None else escaped

    def e(text) -> str:
        out = escaped.get(text)
        if out is None:
            out = escaped[text] = html.escape(str(text))
        return out

    return mark_safe(  # noqa: S308 (every value escaped)
        "".join(f'<td class="{e(c.css)}" title="{e(c.host)} · {e(c.label)}"></td>' for c in cells)
    )


def _whole(rows: QuerySet) -> QuerySet:
    """`rows` keyed by the constant 1, for `grouped_counts`: one count of them all (a row of 0
    when there are none: Django leaves a constant out of GROUP BY)."""
    return rows.annotate(k=Value(1, output_field=IntegerField()))


@dataclass
class MyWork:
    units: list
    hosting: list
    returned: list
    drafts: list
    to_review: int
    sheets: list
    findings: list


def my_work(user) -> MyWork:
    """What is due for the units the user serves, each with its one-tap action: for a reader of
    one county in scope read by one statement (`_my_work_sql`), else by its querysets
    (`_my_work_querysets`, the definition the statement is held equal to)."""
    county_id = scoped_county_id()
    if county_id is None:
        return _my_work_querysets(user)
    return _my_work_sql(user, county_id)


def _my_work_querysets(user) -> MyWork:
    """The definition of my work's reads, one queryset each."""
    scope = user_scope(user)
    day = today()
    this_month = month_start(day)
    following = next_month(day)
    # Each read takes only the columns portal/my_work.html prints (issue 20: full rows and
    # joins the page never reads cost Django more to compile and build than the database).
    units = list(
        Unit.objects.filter(pk__in=scope.unit_ids).only("name").order_by("name_pinyin", "pk")
    )
    # Each slot says whether its zone's activity of the month is logged (submitted or
    # confirmed), read with the slot (issue 20: a query fewer).
    logged = Activity.objects.filter(
        zone_id=OuterRef("zone_id"),
        month=OuterRef("month"),
        state__in=[ActivityState.SUBMITTED, ActivityState.CONFIRMED],
    )
    hosting = list(
        HostSlot.objects.filter(unit_id__in=scope.unit_ids, month__in=[this_month, following])
        .select_related("zone")
        .only("zone_id", "month", "zone__name")
        .annotate(logged=Exists(logged))
        .order_by("month", "pk")
    )
    for slot in hosting:
        slot.is_current = slot.month == this_month
    mine = (
        Activity.objects.filter(host_unit_id__in=scope.unit_ids)
        .only("title", "date", "return_reason")
        .order_by("-date", "-pk")
    )
    returned = list(mine.filter(state=ActivityState.RETURNED)[:20])
    drafts = list(mine.filter(state=ActivityState.DRAFT)[:20])
    # Those the user may confirm (activities.rules.may_confirm, staff included); no query for
    # one who confirms nothing.
    to_review = review_queue(user).count() if may(user, "activities.open_review_queue") else 0
    # The page names each sheet's checked unit only: the overview's other joins (the check, the
    # team, its round and zones) cost the planner more than the rows.
    sheets = list(
        sheets_to_fill(user)
        .select_related(None)
        .select_related("checked_unit")
        .only("checked_unit__name")[:20]
    )
    findings = list(
        with_overdue(
            Finding.objects.filter(responsible_unit_id__in=scope.unit_ids, raised_on__isnull=False)
            .exclude(state=FindingState.CLOSED)
            .only("description", "deadline", "state")
        ).order_by("deadline", "pk")[:30]
    )
    return MyWork(units, hosting, returned, drafts, to_review, sheets, findings)


# my work's statement: each row its part's number, then two ids, a date, two texts and a flag.
UNITS, HOSTING, RETURNED, DRAFTS, TO_REVIEW, SHEETS, FINDINGS = range(1, 8)


def _my_work_sql(user, county_id: int) -> MyWork:
    """What `_my_work_querysets` reads, in one hand-written statement (issue 20: building and
    compiling its seven querysets was ~7 ms of a page whose SQL ran in 1; the rule of
    docs/architecture.md): the rules stay in Python — the reader's units, the zones they
    confirm for (`activities.rules.confirmable_by`'s scope) and who opens the review queue —
    and every value is bound as a parameter, the county filtered in each part, since raw SQL
    bypasses django-scopes. The open sheets are `supervision.selectors.sheets_to_fill`'s two
    kinds, each its own part. Portable SQL (SQLite runs it too: the ordered and limited parts
    are subqueries, as a compound's parts cannot be ordered or limited);
    tests/portal/test_my_work_sql.py holds it equal to the querysets."""
    scope = user_scope(user)
    ops = connection.ops
    day = today()
    this_month = month_start(day)
    months = [ops.adapt_datefield_value(m) for m in (this_month, next_month(day))]
    units = sorted(scope.unit_ids)
    marks = ", ".join(["%s"] * len(units))
    parts: list[tuple[str, list]] = []
    if units:
        parts += [
            (  # the reader's units (ordered below, by their pinyin)
                f"SELECT {UNITS}, u.id, {_INT}, {_DATE}, u.name, u.name_pinyin, 0"  # noqa: S608
                f" FROM zones_unit u WHERE u.county_id = %s AND u.id IN ({marks})",
                [county_id, *units],
            ),
            (  # the months they host, each with whether its activity is logged
                f"SELECT {HOSTING}, s.id, s.zone_id, s.month, z.name, {_TEXT},"  # noqa: S608
                " CASE WHEN EXISTS(SELECT 1 FROM activities_activity a"
                " WHERE a.zone_id = s.zone_id AND a.month = s.month AND a.state IN (%s, %s))"
                " THEN 1 ELSE 0 END"
                " FROM activities_hostslot s INNER JOIN zones_zone z ON z.id = s.zone_id"
                f" WHERE z.county_id = %s AND s.unit_id IN ({marks}) AND s.month IN (%s, %s)",
                [
                    str(ActivityState.SUBMITTED),
                    str(ActivityState.CONFIRMED),
                    county_id,
                    *units,
                    *months,
                ],
            ),
        ]
        for part, state in ((RETURNED, ActivityState.RETURNED), (DRAFTS, ActivityState.DRAFT)):
            parts.append(  # their returned activities and their drafts, the latest 20 each
                (
                    f"SELECT {part}, l.id, {_INT}, l.date, l.title, l.return_reason, 0"  # noqa: S608
                    " FROM (SELECT a.id, a.date, a.title, a.return_reason"
                    " FROM activities_activity a INNER JOIN zones_zone z ON z.id = a.zone_id"
                    f" WHERE z.county_id = %s AND a.host_unit_id IN ({marks}) AND a.state = %s"
                    " ORDER BY a.date DESC, a.id DESC LIMIT 20) l",
                    [county_id, *units, str(state)],
                )
            )
    if may(user, "activities.open_review_queue"):
        led = sorted(scope.led_zone_ids)
        if scope.is_staff or led:
            zones = "" if scope.is_staff else f" AND a.zone_id IN ({', '.join(['%s'] * len(led))})"
            parts.append(  # the submitted activities they may confirm
                (
                    f"SELECT {TO_REVIEW}, COUNT(*), {_INT}, {_DATE}, {_TEXT}, {_TEXT}, 0"  # noqa: S608
                    " FROM activities_activity a INNER JOIN zones_zone z ON z.id = a.zone_id"
                    f" WHERE z.county_id = %s AND a.state = %s{zones}",
                    [county_id, str(ActivityState.SUBMITTED), *([] if scope.is_staff else led)],
                )
            )
    sheet = (
        f"SELECT {SHEETS}, l.id, l.checked_unit_id, {_DATE}, l.name, {_TEXT}, 0 FROM"  # noqa: S608
        " (SELECT sh.id, sh.checked_unit_id, cu.name FROM supervision_scoresheet sh"
        " INNER JOIN zones_unit cu ON cu.id = sh.checked_unit_id"
        " WHERE cu.county_id = %s AND sh.state = %s AND {kind} ORDER BY sh.id LIMIT 20) l"
    )
    if units:
        parts.append(  # the open sheets of a draft mutual check their unit checks with
            (
                sheet.format(
                    kind=f"sh.checker_unit_id IN ({marks}) AND sh.mutual_check_id IN"  # noqa: S608
                    " (SELECT m.id FROM supervision_mutualcheck m WHERE m.state = %s)"
                ),
                [county_id, str(SheetState.OPEN), *units, str(CheckState.DRAFT)],
            )
        )
    parts.append(  # the open sheets of a published round's team they lead or serve on
        (
            sheet.format(
                kind="sh.team_id IN (SELECT t.id FROM supervision_patrolteam t"
                " INNER JOIN supervision_patrolround r ON r.id = t.round_id"
                " WHERE r.county_id = %s AND r.state = %s AND (t.leader_id = %s OR t.id IN"
                " (SELECT tm.patrolteam_id FROM supervision_patrolteam_members tm"
                " WHERE tm.user_id = %s)))"
            ),
            [
                county_id,
                str(SheetState.OPEN),
                county_id,
                str(RoundState.PUBLISHED),
                user.pk,
                user.pk,
            ],
        )
    )
    if units:
        parts.append(  # the raised findings of their units not closed, by deadline, 30
            (
                f"SELECT {FINDINGS}, l.id, {_INT}, l.deadline, l.description, l.state,"  # noqa: S608
                " CASE WHEN l.deadline < %s AND NOT l.state = %s THEN 1 ELSE 0 END"
                " FROM (SELECT f.id, f.deadline, f.description, f.state"
                " FROM supervision_finding f INNER JOIN zones_unit u ON u.id = f.responsible_unit_id"
                f" WHERE u.county_id = %s AND f.responsible_unit_id IN ({marks})"
                " AND f.raised_on IS NOT NULL AND NOT f.state = %s"
                " ORDER BY f.deadline, f.id LIMIT 30) l",
                [
                    ops.adapt_datefield_value(day),
                    str(FindingState.CLOSED),
                    county_id,
                    *units,
                    str(FindingState.CLOSED),
                ],
            )
        )
    rows = union_of(parts)
    as_date = _date_reader()
    by_part: dict[int, list] = {}
    for row in rows:
        by_part.setdefault(row[0], []).append(row)
    get = by_part.get

    def latest(part):  # the activities of a part, the latest first
        found = [
            Activity(pk=r[1], date=as_date(r[3]), title=r[4], return_reason=r[5])
            for r in get(part, [])
        ]
        return sorted(found, key=lambda a: (a.date, a.pk), reverse=True)

    hosting = []
    for r in sorted(get(HOSTING, []), key=lambda r: (as_date(r[3]), r[1])):
        slot = HostSlot(pk=r[1], zone_id=r[2], month=as_date(r[3]))
        slot.zone = Zone(pk=r[2], name=r[4])
        slot.logged = bool(r[6])
        slot.is_current = slot.month == this_month
        hosting.append(slot)
    sheets = []
    for r in sorted({r[1]: r for r in get(SHEETS, [])}.values(), key=lambda r: r[1])[:20]:
        sheet_ = ScoreSheet(pk=r[1], checked_unit_id=r[2])
        sheet_.checked_unit = Unit(pk=r[2], name=r[4])
        sheets.append(sheet_)
    # a missing deadline sorts as the database sorts it: last on PostgreSQL, first on SQLite
    late = datetime.date.max if connection.features.nulls_order_largest else datetime.date.min
    findings = []
    for r in sorted(get(FINDINGS, []), key=lambda r: (as_date(r[3]) or late, r[1])):
        finding = Finding(pk=r[1], deadline=as_date(r[3]), description=r[4], state=r[5])
        # unknown (NULL) without a deadline, as the queryset's comparison gives it
        finding.is_overdue = None if finding.deadline is None else bool(r[6])
        findings.append(finding)
    return MyWork(
        units=[
            Unit(pk=r[1], name=r[4]) for r in sorted(get(UNITS, []), key=lambda r: (r[5], r[1]))
        ],
        hosting=hosting,
        returned=latest(RETURNED),
        drafts=latest(DRAFTS),
        to_review=sum(int(r[1]) for r in get(TO_REVIEW, [])),
        sheets=sheets,
        findings=findings,
    )
