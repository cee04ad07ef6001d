"""The service teams' figures as hand-written SQL (issue 20), run by teams.selectors: the
team figures of a year per team (the league table, the team page) and the county's headline
(the dashboard's tile, the roll-up reports, the digest). Twelve querysets with correlated
subqueries cost Django more to build and compile, and PostgreSQL more to plan, than the page's
whole floor. Each row source is the SQL of the queryset rule it stands for (named in its
docstring: teams.selectors._team_figure_sets states them with querysets), filtered by the
active county scope explicitly, as raw SQL bypasses django-scopes;
tests/teams/test_figures_sql.py compares every figure with the querysets' counts."""

# ruff: noqa: S608 - table and column names are the code's own; every value is a parameter

from __future__ import annotations

import datetime

from django.db import connection
from django_scopes import ScopeError, get_scope

from activities.constants import ActivityState
from people.constants import PRACTICAL_CATEGORIES
from supervision.constants import FindingState, Source

from .constants import Prize

# `_team_on`: the team assigned to the unit on the day (the latest start first).
_TEAM_ON_UNIT = (
    "(SELECT a.team_id FROM teams_assignment a WHERE a.unit_id = {unit}"
    " AND a.effective_from <= {day} AND (a.effective_to IS NULL OR a.effective_to > {day})"
    " ORDER BY a.effective_from DESC LIMIT 1)"
)
# `_team_of_person`: the team the person was on on the day (TeamMember's own order).
_TEAM_OF_PERSON = (
    "(SELECT m.team_id FROM teams_teammember m INNER JOIN teams_team mt ON mt.id = m.team_id"
    " WHERE m.person_id = {person} AND m.effective_from <= {day}"
    " AND (m.effective_to IS NULL OR m.effective_to > {day})"
    " ORDER BY mt.name ASC, m.role ASC, m.effective_from DESC LIMIT 1)"
)


def scope_sql(column: str) -> tuple[str, list]:
    """The active county scope as a condition on `column` (a county id): the scope's county or
    counties, or every county (city staff, a system job, scopes disabled). Without a scope it
    raises, as the scoped managers do."""
    current = get_scope()
    if not current.get("_enabled", True):
        return "1 = 1", []
    if "county" not in current:
        raise ScopeError("A scope on dimension(s) county needs to be active for this query.")
    value = current["county"]
    if value is None:
        return "1 = 1", []
    if isinstance(value, (list, tuple)):
        if not value:
            return "1 = 0", []
        return f"{column} IN ({', '.join(['%s'] * len(value))})", list(value)
    return f"{column} = %s", [value]


def dates(*days: datetime.date) -> list:
    return [connection.ops.adapt_datefield_value(d) for d in days]


def on_day_sql(alias: str) -> str:
    """`in_force_on(day)` of an assignment or membership `alias`, the day a parameter."""
    return (
        f"{alias}.effective_from <= %s AND ({alias}.effective_to IS NULL"
        f" OR {alias}.effective_to > %s)"
    )


def rows_visits(first, last) -> tuple[str, list]:
    """The guidance visits of `first` … `last` (k: their team)."""
    where, params = scope_sql("t.county_id")
    return (
        "SELECT v.team_id AS k, v.id AS r FROM teams_guidancevisit v"
        f" INNER JOIN teams_team t ON t.id = v.team_id WHERE {where}"
        " AND v.visited_on BETWEEN %s AND %s",
        [*params, *dates(first, last)],
    )


def rows_in_force(table: str, day) -> tuple[str, list]:
    """The assignments or memberships (`table`) in force on `day` (k: their team)."""
    where, params = scope_sql("t.county_id")
    return (
        f"SELECT x.team_id AS k, x.id AS r FROM {table} x"
        f" INNER JOIN teams_team t ON t.id = x.team_id WHERE {where} AND {on_day_sql('x')}",
        [*params, *dates(day, day)],
    )


_PREVIOUS_GRADE = (
    "(SELECT p.grade FROM zones_unitgrade p WHERE p.unit_id = g.unit_id"
    " AND p.effective_from < g.effective_from ORDER BY p.effective_from DESC LIMIT 1)"
)


def rows_promoted(first, last) -> tuple[str, list]:
    """`grade_changes()` moved up (to a better class) in `first` … `last`, credited to the team
    guiding the unit that day (k)."""
    where, params = scope_sql("u.county_id")
    team = _TEAM_ON_UNIT.format(unit="c.unit_id", day="c.effective_from")
    return (
        f"SELECT {team} AS k, c.id AS r FROM (SELECT g.id, g.unit_id, g.effective_from, g.grade,"
        f" {_PREVIOUS_GRADE} AS previous_grade FROM zones_unitgrade g"
        f" INNER JOIN zones_unit u ON u.id = g.unit_id WHERE {where}"
        " AND g.effective_from BETWEEN %s AND %s) c WHERE c.grade < c.previous_grade",
        [*params, *dates(first, last)],
    )


def rows_matters(first, last, team_id: int | None = None) -> tuple[str, list]:
    """`credited_matters()` done in `first` … `last` (k: the team credited, p: the person; with
    `team_id`, only those logged for it, or else of its members that day: the rows it may be
    credited for, a semi-join driven from the team's own rows). Without `team_id`, for a
    county scope on PostgreSQL, the matters are read per person of the scope (a LATERAL join
    through the person index, the subquery fenced by OFFSET 0 so the planner does not pull it
    up into a hash join again): the county's people drive it, not a scan of every county's
    matters hashed against them (EXPLAIN ANALYZE at s20: 1.4 -> 0.8 ms). SQLite has no
    LATERAL: the portable form, the same rows."""
    where, params = scope_sql("p.county_id")
    team = _TEAM_OF_PERSON.format(person="pm.person_id", day="pm.done_on")
    categories = list(PRACTICAL_CATEGORIES)
    mine, mine_params = "", []
    if team_id is not None:
        mine = (
            " AND pm.id IN (SELECT gt.matter_id FROM teams_micromatter gt WHERE gt.team_id = %s"
            " UNION SELECT gp.id FROM teams_teammember gm INNER JOIN people_practicalmatter gp"
            " ON gp.person_id = gm.person_id AND gp.done_on >= gm.effective_from"
            " AND (gm.effective_to IS NULL OR gm.effective_to > gp.done_on)"
            " WHERE gm.team_id = %s)"
        )
        mine_params = [team_id, team_id]
    done = (
        "{x}.confirmed_at IS NOT NULL"
        f" AND {{x}}.category IN ({', '.join(['%s'] * len(categories))})"
        " AND {x}.done_on BETWEEN %s AND %s"
    )
    done_params = [*categories, *dates(first, last)]
    if connection.vendor == "postgresql" and params and team_id is None:
        return (
            f"SELECT COALESCE(pm.logged, {team}) AS k, pm.id AS r, pm.person_id AS p"
            " FROM people_person p CROSS JOIN LATERAL (SELECT x.id, x.person_id, x.done_on,"
            " lm.team_id AS logged FROM people_practicalmatter x LEFT OUTER JOIN"
            " teams_micromatter lm ON lm.matter_id = x.id WHERE x.person_id = p.id"
            f" AND {done.format(x='x')} OFFSET 0) pm WHERE {where}",
            [*done_params, *params],
        )
    head = f"SELECT COALESCE(mm.team_id, {team}) AS k, pm.id AS r, pm.person_id AS p"
    return (
        f"{head} FROM people_practicalmatter pm"
        " INNER JOIN people_person p ON p.id = pm.person_id"
        " LEFT OUTER JOIN teams_micromatter mm ON mm.matter_id = pm.id"
        f" WHERE {where} AND {done.format(x='pm')}{mine}",
        [*params, *done_params, *mine_params],
    )


# A source of a statement of several figures (the league's, the team page's): its SQL
# (columns k1, k2: the keys; r: the row; and any flags its figures read), the parameters, and
# its figures, each the condition on the source's columns of the rows it counts (None: every
# row).
PageSource = tuple[str, list, dict[str, str | None]]

_NO_KEY = "CAST(NULL AS INTEGER)"


def league_sources(*, year: int, day: datetime.date) -> list[PageSource]:
    """The league table's figures of `year` per team (k1: the team credited, r: the row), as
    SQL: what `_team_figure_sets` states with querysets (every team). Sources that read the
    same rows give several figures, in one pass: the training entries, and of them the prizes;
    the guidance problems raised, and of them those overdue on `day`."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    units, unit_params = scope_sql("u.county_id")
    zones, zone_params = scope_sql("z.county_id")
    held, held_params = scope_sql("tr.county_id")
    span = dates(first, last)
    entry_team = _TEAM_OF_PERSON.format(person="e.person_id", day="tr.held_on")
    activity_team = _TEAM_ON_UNIT.format(unit="x.host_unit_id", day="x.date")
    brand_team = _TEAM_ON_UNIT.format(unit="b.unit_id", day="b.recognized_on")
    closed_team = _TEAM_ON_UNIT.format(unit="f.responsible_unit_id", day="f.closed_on")
    # `overdue(day)`: past its deadline and not closed
    overdue = "f.deadline < %s AND f.state <> %s"
    overdue_params = [*dates(day), FindingState.CLOSED.value]

    def keyed(rows: tuple[str, list], figure: str) -> PageSource:
        sql, params = rows
        return (
            f"SELECT s.k AS k1, {_NO_KEY} AS k2, s.r AS r FROM ({sql}) s",
            params,
            {figure: None},
        )

    return [
        keyed(rows_visits(first, last), "visits"),
        (
            f"SELECT {activity_team} AS k1, {_NO_KEY} AS k2, x.id AS r FROM activities_activity x"
            f" INNER JOIN zones_zone z ON z.id = x.zone_id WHERE {zones}"
            " AND x.date BETWEEN %s AND %s AND x.state = %s",
            [*zone_params, *span, ActivityState.CONFIRMED.value],
            {"activities": None},
        ),
        (
            f"SELECT {brand_team} AS k1, {_NO_KEY} AS k2, b.id AS r FROM teams_brand b"
            f" INNER JOIN zones_unit u ON u.id = b.unit_id WHERE {units}"
            " AND b.recognized_on BETWEEN %s AND %s",
            [*unit_params, *span],
            {"brands": None},
        ),
        (
            f"SELECT {entry_team} AS k1, {_NO_KEY} AS k2, e.id AS r,"
            " CASE WHEN e.prize <> %s THEN 1 ELSE 0 END AS prized FROM teams_trainingentry e"
            f" INNER JOIN teams_training tr ON tr.id = e.training_id WHERE {held}"
            " AND tr.held_on BETWEEN %s AND %s",
            [Prize.NONE.value, *held_params, *span],
            {"trainings": None, "prizes": "s.prized = 1"},
        ),
        (
            f"SELECT v.team_id AS k1, {_NO_KEY} AS k2, f.id AS r,"
            f" CASE WHEN {overdue} THEN 1 ELSE 0 END AS overdue FROM supervision_finding f"
            " INNER JOIN zones_unit u ON u.id = f.responsible_unit_id"
            f" INNER JOIN teams_guidancevisit v ON v.sheet_id = f.sheet_id WHERE {units}"
            " AND f.raised_on BETWEEN %s AND %s AND f.source = %s",
            [*overdue_params, *unit_params, *span, Source.GUIDANCE.value],
            {"raised": None, "overdue": "s.overdue = 1"},
        ),
        (
            # the state hidden from the (state, deadline) index: the statement runs prepared,
            # and its generic plan, estimating the closed day's range at 0.5% of the rows,
            # read every closed finding of the city by their state (6,343 at s20) instead of
            # the county's units' own findings by the unit's index, as a custom plan does
            f"SELECT {closed_team} AS k1, {_NO_KEY} AS k2, f.id AS r FROM supervision_finding f"
            f" INNER JOIN zones_unit u ON u.id = f.responsible_unit_id WHERE {units}"
            " AND f.closed_on BETWEEN %s AND %s AND f.state || '' = %s",
            [*unit_params, *span, FindingState.CLOSED.value],
            {"rectified": None},
        ),
        keyed(rows_promoted(first, last), "promoted"),
        keyed(rows_matters(first, last), "matters"),
        keyed(rows_in_force("teams_assignment", day), "units"),
        keyed(rows_in_force("teams_teammember", day), "members"),
    ]


def _guided(table: str, alias: str, unit: str, day: str) -> str:
    """`table` (as `alias`) joined to the assignments `ga` of its rows' units in force on the
    rows' day (`day`): the rows a team may be credited for, read from the team's own
    assignments (the planner drives it from them; one pass, no look-up per row of the county)."""
    return (
        f"teams_assignment ga INNER JOIN {table} {alias} ON {alias}.{unit} = ga.unit_id"
        f" AND {alias}.{day} >= ga.effective_from"
        f" AND (ga.effective_to IS NULL OR ga.effective_to > {alias}.{day})"
    )


def team_page_sources(*, year: int, team_id: int, person_ids: list[int]) -> list[PageSource]:
    """The team page's figures of `year` for the team `team_id` (`person_ids`: its members of
    the year), as SQL: the team's, what `_team_figure_sets` states for the figures the page
    shows (its card: no overdue, units or members, which the league table shows), and its
    members', what `_member_figure_sets` states for one team (k1: the team, k2: the member
    who went or did it; k1 alone, the person, for the trainings and prizes). Sources that read
    the same rows give several figures: the problems raised and rectified of the members'
    visits; a member's trainings and prizes, and of them those credited to the team
    (`team:trainings`, `team:prizes` per person: the team's figures are their sums, each entry
    being one person's, as the team's matters are the sum of its members' matters). Each
    credited-team look-up runs on the rows of the team's own units or members on their day."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    span = dates(first, last)
    teams, team_params = scope_sql("t.county_id")
    units, unit_params = scope_sql("u.county_id")
    zones, zone_params = scope_sql("z.county_id")
    held, held_params = scope_sql("tr.county_id")
    # each credited row is the team's when the unit's team of the day is the assignment's
    credited = " AND {team} = ga.team_id"
    activity_team = _TEAM_ON_UNIT.format(unit="x.host_unit_id", day="x.date")
    brand_team = _TEAM_ON_UNIT.format(unit="b.unit_id", day="b.recognized_on")
    closed_team = _TEAM_ON_UNIT.format(unit="f.responsible_unit_id", day="f.closed_on")
    grade_team = _TEAM_ON_UNIT.format(unit="g.unit_id", day="g.effective_from")
    of_team = f"SELECT ga.team_id AS k1, {_NO_KEY} AS k2"
    visits_of_team = (
        " INNER JOIN zones_unit u ON u.id = f.responsible_unit_id"
        " INNER JOIN teams_guidancevisit v ON v.sheet_id = f.sheet_id"
    )
    raised = "f.raised_on BETWEEN %s AND %s AND f.source = %s"
    raised_params = [*span, Source.GUIDANCE.value]
    closed = "f.closed_on BETWEEN %s AND %s AND f.state = %s"
    closed_params = [*span, FindingState.CLOSED.value]
    matters, matter_params = rows_matters(first, last, team_id)
    team_of_entry = _TEAM_OF_PERSON.format(person="e.person_id", day="tr.held_on")
    people = ", ".join(["%s"] * len(person_ids)) if person_ids else None
    prized = "e.prize <> %s"
    return [
        (
            f"SELECT v.team_id AS k1, {_NO_KEY} AS k2, v.id AS r FROM teams_guidancevisit v"
            f" INNER JOIN teams_team t ON t.id = v.team_id WHERE {teams}"
            " AND v.visited_on BETWEEN %s AND %s AND v.team_id = %s",
            [*team_params, *span, team_id],
            {"team:visits": None},
        ),
        (
            f"{of_team}, x.id AS r FROM {_guided('activities_activity', 'x', 'host_unit_id', 'date')}"
            f" INNER JOIN zones_zone z ON z.id = x.zone_id WHERE ga.team_id = %s AND {zones}"
            " AND x.date BETWEEN %s AND %s AND x.state = %s" + credited.format(team=activity_team),
            [team_id, *zone_params, *span, ActivityState.CONFIRMED.value],
            {"team:activities": None},
        ),
        (
            f"{of_team}, b.id AS r FROM {_guided('teams_brand', 'b', 'unit_id', 'recognized_on')}"
            f" INNER JOIN zones_unit u ON u.id = b.unit_id WHERE ga.team_id = %s AND {units}"
            " AND b.recognized_on BETWEEN %s AND %s" + credited.format(team=brand_team),
            [team_id, *unit_params, *span],
            {"team:brands": None},
        ),
        (
            f"SELECT v.team_id AS k1, {_NO_KEY} AS k2, f.id AS r FROM supervision_finding f"
            f"{visits_of_team} WHERE {units} AND v.team_id = %s AND {raised}",
            [*unit_params, team_id, *raised_params],
            {"team:raised": None},
        ),
        (
            f"{of_team}, f.id AS r"
            f" FROM {_guided('supervision_finding', 'f', 'responsible_unit_id', 'closed_on')}"
            f" INNER JOIN zones_unit u ON u.id = f.responsible_unit_id WHERE ga.team_id = %s"
            f" AND {units} AND {closed}" + credited.format(team=closed_team),
            [team_id, *unit_params, *closed_params],
            {"team:rectified": None},
        ),
        (
            # `grade_changes()` moved up: a better class than the one before
            f"{of_team}, g.id AS r"
            f" FROM {_guided('zones_unitgrade', 'g', 'unit_id', 'effective_from')}"
            f" INNER JOIN zones_unit u ON u.id = g.unit_id WHERE ga.team_id = %s AND {units}"
            f" AND g.effective_from BETWEEN %s AND %s AND g.grade < {_PREVIOUS_GRADE}"
            + credited.format(team=grade_team),
            [team_id, *unit_params, *span],
            {"team:promoted": None},
        ),
        (
            "SELECT v.team_id AS k1, w.person_id AS k2, v.id AS r FROM teams_guidancevisit v"
            " INNER JOIN teams_team t ON t.id = v.team_id"
            " INNER JOIN teams_guidancevisit_went w ON w.guidancevisit_id = v.id"
            f" WHERE {teams} AND v.team_id = %s AND v.visited_on BETWEEN %s AND %s",
            [*team_params, team_id, *span],
            {"visits": None},
        ),
        (
            # a visit's problem counts for each member who went on it
            "SELECT v.team_id AS k1, w.person_id AS k2, f.id AS r,"
            f" CASE WHEN {raised} THEN 1 ELSE 0 END AS raised,"
            f" CASE WHEN {closed} THEN 1 ELSE 0 END AS closed FROM supervision_finding f"
            f"{visits_of_team} INNER JOIN teams_guidancevisit_went w"
            f" ON w.guidancevisit_id = v.id WHERE {units} AND v.team_id = %s"
            f" AND ({raised} OR {closed})",
            [
                *raised_params,
                *closed_params,
                *unit_params,
                team_id,
                *raised_params,
                *closed_params,
            ],
            {"raised": "s.raised = 1", "rectified": "s.closed = 1"},
        ),
        (
            f"SELECT s.k AS k1, s.p AS k2, s.r AS r FROM ({matters}) s WHERE s.k = %s",
            [*matter_params, team_id],
            {"matters": None},
        ),
        (
            f"SELECT e.person_id AS k1, {_NO_KEY} AS k2, e.id AS r,"
            f" CASE WHEN {prized} THEN 1 ELSE 0 END AS prized,"
            f" CASE WHEN {team_of_entry} = %s THEN 1 ELSE 0 END AS mine"
            " FROM teams_trainingentry e INNER JOIN teams_training tr ON tr.id = e.training_id"
            f" WHERE {held} AND tr.held_on BETWEEN %s AND %s"
            + (f" AND e.person_id IN ({people})" if people else " AND 1 = 0"),
            [Prize.NONE.value, team_id, *held_params, *span, *person_ids],
            {
                "trainings": None,
                "prizes": "s.prized = 1",
                "team:trainings": "s.mine = 1",
                "team:prizes": "s.mine = 1 AND s.prized = 1",
            },
        ),
    ]


MEMBER_TWO_KEYS = {"visits", "raised", "rectified", "matters"}


def page_parts(sources: list[PageSource]) -> tuple[list[tuple[str, ...]], list[str], list]:
    """Each source counted by its keys, its figures side by side (n0 …, padded with NULLs to
    the widest source): the figures' names per part, the parts of a UNION ALL (f: the part's
    index) and their parameters, for `core.aggregates.run_grouped`."""
    width = max((len(figures) for _sql, _params, figures in sources), default=1)
    names, parts, params = [], [], []
    for i, (sql, sub_params, figures) in enumerate(sources):
        counts = [
            "COUNT(DISTINCT s.r)"
            if where is None
            else f"COUNT(DISTINCT CASE WHEN {where} THEN s.r END)"
            for where in figures.values()
        ]
        counts += [_NO_KEY] * (width - len(counts))
        columns = ", ".join(f"{count} AS n{j}" for j, count in enumerate(counts))
        # the SQL is the code's own; every value is a bound parameter
        parts.append(
            f"SELECT {i} AS f, s.k1 AS k1, s.k2 AS k2, {columns} FROM ({sql}) s GROUP BY s.k1, s.k2"
        )
        names.append(tuple(figures))
        params.extend(sub_params)
    return names, parts, params


def headline_parts(*, start: datetime.date, end: datetime.date) -> list[tuple[str, list]]:
    """The county headline's eight counts (teams.selectors.county_headline), each a scalar
    SELECT with its parameters."""
    teams, team_params = scope_sql("t.county_id")
    units, unit_params = scope_sql("u.county_id")
    guidance = (
        "SELECT COUNT(*) FROM supervision_finding f"
        " INNER JOIN zones_unit u ON u.id = f.responsible_unit_id"
        f" WHERE {units} AND f.corrects_id IS NULL AND f.source = %s"
    )
    guidance_params = [*unit_params, Source.GUIDANCE.value]
    parts = [
        (
            "SELECT COUNT(DISTINCT x.team_id) FROM teams_teammember x INNER JOIN teams_team t"
            f" ON t.id = x.team_id WHERE {teams} AND {on_day_sql('x')}",
            [*team_params, *dates(end, end)],
        ),
        (
            "SELECT COUNT(DISTINCT x.person_id) FROM teams_teammember x INNER JOIN teams_team t"
            f" ON t.id = x.team_id WHERE {teams} AND {on_day_sql('x')}",
            [*team_params, *dates(end, end)],
        ),
        counted(rows_in_force("teams_assignment", end)),
        counted(rows_visits(start, end)),
        (guidance + " AND f.raised_on BETWEEN %s AND %s", [*guidance_params, *dates(start, end)]),
        (
            guidance + " AND f.state = %s AND f.closed_on BETWEEN %s AND %s",
            [*guidance_params, FindingState.CLOSED.value, *dates(start, end)],
        ),
        counted(rows_promoted(start, end), credited=True),
        counted(rows_matters(start, end), credited=True),
    ]
    return parts


def counted(rows: tuple[str, list], *, credited: bool = False) -> tuple[str, list]:
    """The rows of a row source counted (those credited to a team, when `credited`)."""
    sql, params = rows
    where = " WHERE s.k IS NOT NULL" if credited else ""
    return f"SELECT COUNT(*) FROM ({sql}) s{where}", params
