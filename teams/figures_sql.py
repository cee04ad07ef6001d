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


# A pre-filter of one team's rows (the team page): the rows of the units the team guided on
# their day, or of its members on their day, read from the team's own assignments or
# memberships (a semi-join the planner drives from the team, not a look-up per row of the
# county). It keeps every row the look-ups above may credit to the team; the caller still
# counts only the rows credited to it (`only_team`).
_GUIDED_BY = (
    " AND {row} IN (SELECT gx.id FROM teams_assignment ga INNER JOIN {table} gx"
    " ON gx.{unit} = ga.unit_id AND gx.{day} >= ga.effective_from"
    " AND (ga.effective_to IS NULL OR ga.effective_to > gx.{day}) WHERE ga.team_id = %s)"
)


def _guided_by(team_id: int | None, row: str, table: str, unit: str, day: str):
    """The rows (`row`: their id) of `table` whose unit (`unit`) `team_id` guided on their day
    (`day`): a condition and its parameters, none when `team_id` is None."""
    if team_id is None:
        return "", []
    return _GUIDED_BY.format(row=row, table=table, unit=unit, day=day), [team_id]


def _members_matters(team_id: int) -> tuple[str, list]:
    """The ids of the matters logged for `team_id`, or done by its members on their day."""
    return (
        "SELECT gt.matter_id FROM teams_micromatter gt WHERE gt.team_id = %s UNION"
        " SELECT gp.id FROM teams_teammember gm INNER JOIN people_practicalmatter gp"
        " ON gp.person_id = gm.person_id AND gp.done_on >= gm.effective_from"
        " AND (gm.effective_to IS NULL OR gm.effective_to > gp.done_on) WHERE gm.team_id = %s",
        [team_id, team_id],
    )


def _members_entries(team_id: int | None) -> tuple[str, list]:
    """The training entries of `team_id`'s members on the day held: a condition on `e`."""
    if team_id is None:
        return "", []
    return (
        " AND e.id IN (SELECT ge.id FROM teams_teammember gm INNER JOIN teams_trainingentry ge"
        " ON ge.person_id = gm.person_id INNER JOIN teams_training gh ON gh.id = ge.training_id"
        " AND gh.held_on >= gm.effective_from"
        " AND (gm.effective_to IS NULL OR gm.effective_to > gh.held_on) WHERE gm.team_id = %s)",
        [team_id],
    )


def only_team(rows: tuple[str, list], team_id: int) -> tuple[str, list]:
    """The rows of a row source credited to `team_id` (k)."""
    sql, params = rows
    return f"SELECT s.* FROM ({sql}) s WHERE s.k = %s", [*params, team_id]


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


def rows_visits(first, last, team_id: int | None = None) -> tuple[str, list]:
    """The guidance visits of `first` … `last` (k: their team; `team_id`'s alone, if given)."""
    where, params = scope_sql("t.county_id")
    of_team, team_params = ("", []) if team_id is None else (" AND v.team_id = %s", [team_id])
    return (
        "SELECT v.team_id AS k, v.id AS r FROM teams_guidancevisit v"
        f" INNER JOIN teams_team t ON t.id = v.team_id WHERE {where}"
        f" AND v.visited_on BETWEEN %s AND %s{of_team}",
        [*params, *dates(first, last), *team_params],
    )


def rows_in_force(table: str, day, team_id: int | None = None) -> tuple[str, list]:
    """The assignments or memberships (`table`) in force on `day` (k: their team; `team_id`'s
    alone, if given)."""
    where, params = scope_sql("t.county_id")
    of_team, team_params = ("", []) if team_id is None else (" AND x.team_id = %s", [team_id])
    return (
        f"SELECT x.team_id AS k, x.id AS r FROM {table} x"
        f" INNER JOIN teams_team t ON t.id = x.team_id WHERE {where} AND {on_day_sql('x')}"
        + of_team,
        [*params, *dates(day, day), *team_params],
    )


def rows_promoted(first, last, team_id: int | None = None) -> tuple[str, list]:
    """`grade_changes()` moved up (to a better class) in `first` … `last`, credited to the team
    guiding the unit that day (k; with `team_id`, only the units it guided that day)."""
    where, params = scope_sql("u.county_id")
    guided, guided_params = _guided_by(
        team_id, "g.id", "zones_unitgrade", "unit_id", "effective_from"
    )
    previous = (
        "(SELECT p.grade FROM zones_unitgrade p WHERE p.unit_id = g.unit_id"
        " AND p.effective_from < g.effective_from ORDER BY p.effective_from DESC LIMIT 1)"
    )
    team = _TEAM_ON_UNIT.format(unit="c.unit_id", day="c.effective_from")
    return (
        f"SELECT {team} AS k, c.id AS r FROM (SELECT g.id, g.unit_id, g.effective_from, g.grade,"
        f" {previous} AS previous_grade FROM zones_unitgrade g"
        f" INNER JOIN zones_unit u ON u.id = g.unit_id WHERE {where}"
        f" AND g.effective_from BETWEEN %s AND %s{guided}) c WHERE c.grade < c.previous_grade",
        [*params, *dates(first, last), *guided_params],
    )


def rows_matters(first, last, team_id: int | None = None) -> tuple[str, list]:
    """`credited_matters()` done in `first` … `last` (k: the team credited, p: the person; with
    `team_id`, only those logged for it, or else of its members that day)."""
    where, params = scope_sql("p.county_id")
    team = _TEAM_OF_PERSON.format(person="pm.person_id", day="pm.done_on")
    categories = list(PRACTICAL_CATEGORIES)
    mine, mine_params = "", []
    if team_id is not None:
        ids, mine_params = _members_matters(team_id)
        mine = f" AND pm.id IN ({ids})"
    return (
        f"SELECT COALESCE(mm.team_id, {team}) AS k, pm.id AS r, pm.person_id AS p"
        " FROM people_practicalmatter pm"
        " INNER JOIN people_person p ON p.id = pm.person_id"
        " LEFT OUTER JOIN teams_micromatter mm ON mm.matter_id = pm.id"
        f" WHERE {where} AND pm.confirmed_at IS NOT NULL"
        f" AND pm.category IN ({', '.join(['%s'] * len(categories))})"
        f" AND pm.done_on BETWEEN %s AND %s{mine}",
        [*params, *categories, *dates(first, last), *mine_params],
    )


def team_rows(
    *, year: int, day: datetime.date, team_id: int | None = None
) -> dict[str, tuple[str, list]]:
    """The rows each team figure of `year` counts (k: the team credited, r: the row), as SQL:
    what `_team_figure_sets` states with querysets. With `team_id` (the team page), the rows
    credited to that team alone: each look-up of the credited team runs only on the rows of
    the units it guided, or of its members, on their day (the county's other teams' rows are
    neither looked up nor counted)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    units, unit_params = scope_sql("u.county_id")
    zones, zone_params = scope_sql("z.county_id")
    held, held_params = scope_sql("tr.county_id")
    span = dates(first, last)
    of_person, of_person_params = _members_entries(team_id)
    entries = (
        "SELECT {team} AS k, e.id AS r FROM teams_trainingentry e"
        " INNER JOIN teams_training tr ON tr.id = e.training_id WHERE {held}"
        " AND tr.held_on BETWEEN %s AND %s{of_person}"
    ).format(
        team=_TEAM_OF_PERSON.format(person="e.person_id", day="tr.held_on"),
        held=held,
        of_person=of_person,
    )
    entry_params = [*held_params, *span, *of_person_params]
    of_visit, of_visit_params = ("", []) if team_id is None else (" AND v.team_id = %s", [team_id])
    guidance = (
        "SELECT v.team_id AS k, f.id AS r FROM supervision_finding f"
        " INNER JOIN zones_unit u ON u.id = f.responsible_unit_id"
        f" INNER JOIN teams_guidancevisit v ON v.sheet_id = f.sheet_id WHERE {units}"
        f" AND f.raised_on BETWEEN %s AND %s AND f.source = %s{of_visit}"
    )
    guidance_params = [*unit_params, *span, Source.GUIDANCE.value, *of_visit_params]
    activity_team = _TEAM_ON_UNIT.format(unit="x.host_unit_id", day="x.date")
    hosted, hosted_params = _guided_by(
        team_id, "x.id", "activities_activity", "host_unit_id", "date"
    )
    brand_team = _TEAM_ON_UNIT.format(unit="b.unit_id", day="b.recognized_on")
    branded, branded_params = _guided_by(team_id, "b.id", "teams_brand", "unit_id", "recognized_on")
    closed_team = _TEAM_ON_UNIT.format(unit="f.responsible_unit_id", day="f.closed_on")
    closed, closed_params = _guided_by(
        team_id, "f.id", "supervision_finding", "responsible_unit_id", "closed_on"
    )
    rows = {
        "visits": rows_visits(first, last, team_id),
        "activities": (
            f"SELECT {activity_team} AS k, x.id AS r FROM activities_activity x"
            f" INNER JOIN zones_zone z ON z.id = x.zone_id WHERE {zones}"
            f" AND x.date BETWEEN %s AND %s AND x.state = %s{hosted}",
            [*zone_params, *span, ActivityState.CONFIRMED.value, *hosted_params],
        ),
        "brands": (
            f"SELECT {brand_team} AS k, b.id AS r FROM teams_brand b"
            f" INNER JOIN zones_unit u ON u.id = b.unit_id WHERE {units}"
            f" AND b.recognized_on BETWEEN %s AND %s{branded}",
            [*unit_params, *span, *branded_params],
        ),
        "trainings": (entries, entry_params),
        "prizes": (entries + " AND e.prize <> %s", [*entry_params, Prize.NONE.value]),
        "raised": (guidance, guidance_params),
        # `overdue(day)`: past its deadline and not closed
        "overdue": (
            guidance + " AND f.deadline < %s AND f.state <> %s",
            [*guidance_params, *dates(day), FindingState.CLOSED.value],
        ),
        "rectified": (
            f"SELECT {closed_team} AS k, f.id AS r FROM supervision_finding f"
            f" INNER JOIN zones_unit u ON u.id = f.responsible_unit_id WHERE {units}"
            f" AND f.closed_on BETWEEN %s AND %s AND f.state = %s{closed}",
            [*unit_params, *span, FindingState.CLOSED.value, *closed_params],
        ),
        "promoted": rows_promoted(first, last, team_id),
        "matters": rows_matters(first, last, team_id),
        "units": rows_in_force("teams_assignment", day, team_id),
        "members": rows_in_force("teams_teammember", day, team_id),
    }
    if team_id is None:
        return rows
    # the visits, the problems their sheets raised, the assignments and memberships are the
    # team's own rows (k is their team) already
    return {
        name: source if name in _OWN_ROWS else only_team(source, team_id)
        for name, source in rows.items()
    }


_OWN_ROWS = {"visits", "raised", "overdue", "units", "members"}


def member_rows(*, year: int, team_id: int, person_ids: list[int]) -> dict[str, tuple[str, list]]:
    """The rows each member figure of `year` on the team `team_id` counts (k1: the team, k2:
    the member who went or did it; k1 alone, the person, for the trainings and prizes; r: the
    row), as SQL: what `teams.selectors._member_figure_sets` states with querysets for one team
    (`person_ids`: its members of the year). A visit, and a problem it raised, count for each
    member who went on it."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    span = dates(first, last)
    teams, team_params = scope_sql("t.county_id")
    units, unit_params = scope_sql("u.county_id")
    held, held_params = scope_sql("tr.county_id")
    findings = (
        "SELECT v.team_id AS k1, w.person_id AS k2, f.id AS r FROM supervision_finding f"
        " INNER JOIN zones_unit u ON u.id = f.responsible_unit_id"
        " INNER JOIN teams_guidancevisit v ON v.sheet_id = f.sheet_id"
        " INNER JOIN teams_guidancevisit_went w ON w.guidancevisit_id = v.id"
        f" WHERE {units} AND v.team_id = %s"
    )
    matters, matter_params = rows_matters(first, last, team_id)
    people = ", ".join(["%s"] * len(person_ids)) if person_ids else None
    entries = (
        "SELECT e.person_id AS k1, CAST(NULL AS INTEGER) AS k2, e.id AS r"
        " FROM teams_trainingentry e INNER JOIN teams_training tr ON tr.id = e.training_id"
        f" WHERE {held} AND tr.held_on BETWEEN %s AND %s"
        + (f" AND e.person_id IN ({people})" if people else " AND 1 = 0")
    )
    entry_params = [*held_params, *span, *person_ids]
    return {
        "visits": (
            "SELECT v.team_id AS k1, w.person_id AS k2, v.id AS r FROM teams_guidancevisit v"
            " INNER JOIN teams_team t ON t.id = v.team_id"
            " INNER JOIN teams_guidancevisit_went w ON w.guidancevisit_id = v.id"
            f" WHERE {teams} AND v.team_id = %s AND v.visited_on BETWEEN %s AND %s",
            [*team_params, team_id, *span],
        ),
        "raised": (
            findings + " AND f.raised_on BETWEEN %s AND %s AND f.source = %s",
            [*unit_params, team_id, *span, Source.GUIDANCE.value],
        ),
        "rectified": (
            findings + " AND f.closed_on BETWEEN %s AND %s AND f.state = %s",
            [*unit_params, team_id, *span, FindingState.CLOSED.value],
        ),
        "matters": (
            f"SELECT s.k AS k1, s.p AS k2, s.r AS r FROM ({matters}) s WHERE s.k = %s",
            [*matter_params, team_id],
        ),
        "trainings": (entries, entry_params),
        "prizes": (entries + " AND e.prize <> %s", [*entry_params, Prize.NONE.value]),
    }


MEMBER_TWO_KEYS = {"visits", "raised", "rectified", "matters"}


def _counted_parts(rows: dict[str, tuple[str, list]], *, at: int, keys: str, group: str):
    """Each row source counted by `keys` (two columns k1, k2), as parts of a UNION ALL (f: the
    figure's index)."""
    parts, params = [], []
    for i, (sql, sub_params) in enumerate(rows.values(), start=at):
        # the SQL is the code's own; every value is a bound parameter
        parts.append(
            f"SELECT {i} AS f, {keys}, COUNT(DISTINCT s.r) AS n FROM ({sql}) s GROUP BY {group}"
        )
        params.extend(sub_params)
    return parts, params


def member_parts(rows: dict[str, tuple[str, list]], *, at: int = 0):
    """Each member row source counted by its two keys (the team and the person)."""
    return _counted_parts(rows, at=at, keys="s.k1 AS k1, s.k2 AS k2", group="s.k1, s.k2")


def grouped_parts(rows: dict[str, tuple[str, list]], *, at: int = 0):
    """Each row source counted by its team."""
    return _counted_parts(rows, at=at, keys="s.k AS k1, CAST(NULL AS INTEGER) AS k2", group="s.k")


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
