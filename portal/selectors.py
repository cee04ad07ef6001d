"""Reads for the pages that span the organization: the zone and unit pages and the navigation
bar's search (who may see which zone and unit: zones.selectors)."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery

from activities.models import Activity, HostSlot
from activities.selectors import activities_visible_to, zone_rotation
from core.access import may
from core.aggregates import union_of
from core.display import DateTexts, choice_labels, label_of, pk_url, truncated
from core.models import User
from core.periods import month_label
from core.pinyin import clean_query, initials_pattern
from counties.constants import Mechanism
from counties.mechanisms import reader_runs
from counties.rules import is_city_staff
from counties.scoping import scoped_county_id
from people.selectors import people_visible_to, person_match
from supervision.constants import FindingState
from supervision.models import Finding, MutualCheck
from supervision.selectors import checks_visible_to, findings_visible_to
from teams.models import TrainingEntry
from zones.models import (
    Membership,
    Unit,
    UnitGrade,
    UnitPost,
    Zone,
    ZoneLeadership,
    in_force_on,
)
from zones.selectors import (
    today,
    unit_match,
    units_visible_to,
    user_scope,
    zones_visible_to,
)

from .dashboard import _date_reader
from .models import CountySnapshot


def zone_page(zone: Zone) -> dict:
    """Everything the zone page shows about the organization, in a fixed number of queries."""
    day = today()
    grade = UnitGrade.objects.filter(unit=OuterRef("unit_id"), effective_from__lte=day).order_by(
        "-effective_from"
    )
    # Each read takes only the columns the page prints (issue 20: a full row and its joins'
    # full rows cost Django more to compile and build than the rows cost the database).
    members = list(
        Membership.objects.filter(in_force_on(day), zone=zone)
        .select_related("unit")
        .only(*MEMBERSHIP_COLUMNS, "unit__name")
        .annotate(grade=Subquery(grade.values("grade")[:1]))
        .order_by("-role", "unit__name_pinyin", "pk")
    )
    changes = list(
        Membership.objects.filter(zone=zone)
        .select_related("unit")
        .only(*MEMBERSHIP_COLUMNS, "unit__name")
        .order_by("-effective_from", "-id")[:30]
    )
    leaders: list[Any] = list(
        ZoneLeadership.objects.filter(zone=zone)
        .select_related("leader")
        .only("effective_from", "effective_to", *user_name_columns("leader"))
        .order_by("-effective_from", "-pk")
    )
    return _zone_page_texts(members, changes, leaders)


def _zone_page_texts(members: list[Any], changes: list[Any], leaders: list[Any]) -> dict:
    """The zone page's organization records with the texts they show (zone_page)."""
    day = today()
    dates = DateTexts()
    membership_rows([*members, *changes], dates)
    for row in leaders:
        row.from_text = dates(row.effective_from)
        row.to_text = dates(row.effective_to)
    return {
        "members": members,
        "lead": next((m for m in members if m.role == "lead"), None),
        "leader": next((row.leader for row in leaders if row.holds_on(day)), None),
        "leaderships": leaders,
        "changes": changes,
    }


def zone_records(user, zone: Zone) -> dict:
    """Everything the zone page lists of `zone` (zone_page and zone_sections): for a reader of
    one county in scope read by one statement (`_zone_records_sql`), else by their querysets
    (the definition the statement is held equal to)."""
    county_id = scoped_county_id()
    if county_id is None:
        return {**zone_page(zone), **zone_sections(user, zone)}
    return _zone_records_sql(user, zone, county_id)


# the zone page's statement: each row its part's number, an id, its order in the part, two
# more ids, two dates and four texts
MEMBERS, CHANGES, LEADERS, ROTATION, Z_ACTIVITIES, CHECKS, Z_FINDINGS = range(1, 8)


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


def _findings_rule(scope, zones, units) -> tuple[str, list]:
    """The findings a reader of `scope` may read, as SQL for the statements' finding parts
    (alias f): every one, or the raised findings of the `zones` they read or of their `units`
    (supervision.selectors.findings_visible_to's rule, in the same terms)."""
    if scope.reads_all:
        return "", []
    ors = []
    if zones:
        ors.append(f"f.zone_id IN ({_marks(zones)})")
    if units:
        ors.append(f"f.responsible_unit_id IN ({_marks(units)})")
    return f" AND f.raised_on IS NOT NULL AND ({' OR '.join(ors)})", [*zones, *units]


def _zone_records_sql(user, zone: Zone, county_id: int) -> dict:
    """What `zone_page` and `zone_sections` read, in one hand-written statement (issue 20, as
    `_unit_records_sql`: seven querysets whose building cost more than their SQL). Who may
    read which activity, check and finding stays in Python (`user_scope`, as
    `activities_visible_to`, `checks_visible_to` and `findings_visible_to` use it); every value
    is bound as a parameter and the county filtered in each part. Each part numbers its rows
    in its own order (ROW_NUMBER, so names sort by the database's collation); portable SQL.
    tests/portal/test_zone_records_sql.py holds it equal to the querysets."""
    scope = user_scope(user)
    day = today()
    ops = connection.ops
    on = ops.adapt_datefield_value(day)
    units = sorted(scope.unit_ids)
    readable = sorted(scope.readable_zone_ids)
    parts: list[tuple[str, list]] = [
        (  # the units in the zone today with their class today, the lead first
            f"SELECT {MEMBERS}, m.id,"  # noqa: S608
            " ROW_NUMBER() OVER (ORDER BY m.role DESC, u.name_pinyin, m.id), m.unit_id,"
            " (SELECT g.grade FROM zones_unitgrade g WHERE g.unit_id = m.unit_id"
            " AND g.effective_from <= %s ORDER BY g.effective_from DESC LIMIT 1),"
            f" m.effective_from, m.effective_to, m.role, m.reason, u.name, {_TEXT}"
            " FROM zones_membership m INNER JOIN zones_zone z ON z.id = m.zone_id"
            " INNER JOIN zones_unit u ON u.id = m.unit_id"
            " WHERE z.county_id = %s AND m.zone_id = %s AND m.effective_from <= %s"
            " AND (m.effective_to IS NULL OR m.effective_to > %s)",
            [on, county_id, zone.pk, on, on],
        ),
        (  # its 30 latest membership changes
            f"SELECT {CHANGES}, l.id, l.n, l.unit_id, {_INT}, l.effective_from,"  # noqa: S608
            f" l.effective_to, l.role, l.reason, l.name, {_TEXT} FROM (SELECT m.id,"
            " ROW_NUMBER() OVER (ORDER BY m.effective_from DESC, m.id DESC) AS n, m.unit_id,"
            " m.effective_from, m.effective_to, m.role, m.reason, u.name"
            " FROM zones_membership m INNER JOIN zones_zone z ON z.id = m.zone_id"
            " INNER JOIN zones_unit u ON u.id = m.unit_id"
            " WHERE z.county_id = %s AND m.zone_id = %s) l WHERE l.n <= 30",
            [county_id, zone.pk],
        ),
        (  # its guiding leaders
            f"SELECT {LEADERS}, r.id,"  # noqa: S608
            " ROW_NUMBER() OVER (ORDER BY r.effective_from DESC, r.id DESC), r.leader_id,"
            f" {_INT}, r.effective_from, r.effective_to, {_TEXT}, {_TEXT}, a.username,"
            " a.full_name FROM zones_zoneleadership r"
            " INNER JOIN zones_zone z ON z.id = r.zone_id"
            " INNER JOIN core_user a ON a.id = r.leader_id"
            " WHERE z.county_id = %s AND r.zone_id = %s",
            [county_id, zone.pk],
        ),
        (  # the year's host rotation
            f"SELECT {ROTATION}, s.id, ROW_NUMBER() OVER (ORDER BY s.month, s.id),"  # noqa: S608
            f" s.unit_id, CASE WHEN s.swapped THEN 1 ELSE 0 END, s.month, {_DATE}, {_TEXT},"
            f" {_TEXT}, u.name, {_TEXT} FROM activities_hostslot s"
            " INNER JOIN zones_zone z ON z.id = s.zone_id"
            " INNER JOIN zones_unit u ON u.id = s.unit_id"
            " WHERE z.county_id = %s AND s.zone_id = %s AND s.month BETWEEN %s AND %s",
            [
                county_id,
                zone.pk,
                ops.adapt_datefield_value(datetime.date(day.year, 1, 1)),
                ops.adapt_datefield_value(datetime.date(day.year, 12, 31)),
            ],
        ),
    ]
    if scope.reads_all or units or readable:
        rule, params = "", []
        if not scope.reads_all:
            ors = []
            if readable:
                ors.append(f"a.zone_id IN ({_marks(readable)})")
            if units:
                ors.append(f"a.host_unit_id IN ({_marks(units)})")
                ors.append(
                    "EXISTS(SELECT 1 FROM activities_activity_participants jp"  # noqa: S608
                    f" WHERE jp.activity_id = a.id AND jp.unit_id IN ({_marks(units)}))"
                )
            rule, params = f" AND ({' OR '.join(ors)})", [*readable, *units, *units]
        parts.append(  # the latest 15 activities the reader may read
            (
                f"SELECT {Z_ACTIVITIES}, l.id, l.n, l.host_unit_id, {_INT}, l.date,"  # noqa: S608
                f" {_DATE}, l.form, l.title, l.state, l.name FROM (SELECT a.id,"
                " ROW_NUMBER() OVER (ORDER BY a.date DESC, a.id DESC) AS n, a.host_unit_id,"
                " a.date, a.form, a.title, a.state, h.name FROM activities_activity a"
                " INNER JOIN zones_zone z ON z.id = a.zone_id"
                " INNER JOIN zones_unit h ON h.id = a.host_unit_id"
                f" WHERE z.county_id = %s AND a.zone_id = %s{rule}) l WHERE l.n <= 15",
                [county_id, zone.pk, *params],
            )
        )
    if scope.reads_all or user.is_authenticated:
        rule, params = "", []
        if not scope.reads_all:
            zones = sorted(scope.readable_zone_ids | scope.member_zone_ids)
            ors = ["1 = 0"]
            if zones:
                ors.append(f"c.zone_id IN ({_marks(zones)})")
            if units:
                ors.append(
                    "EXISTS(SELECT 1 FROM supervision_scoresheet sh"  # noqa: S608
                    f" WHERE sh.mutual_check_id = c.id AND (sh.checker_unit_id IN ({_marks(units)})"
                    f" OR sh.checked_unit_id IN ({_marks(units)})))"
                )
            rule, params = f" AND ({' OR '.join(ors)})", [*zones, *units, *units]
        parts.append(  # the latest 8 mutual checks the reader may read
            (
                f"SELECT {CHECKS}, l.id, l.n, l.year, l.quarter, {_DATE}, {_DATE},"  # noqa: S608
                f" l.state, {_TEXT}, {_TEXT}, {_TEXT} FROM (SELECT c.id,"
                " ROW_NUMBER() OVER (ORDER BY c.year DESC, c.quarter DESC, c.id) AS n,"
                " c.year, c.quarter, c.state FROM supervision_mutualcheck c"
                " INNER JOIN zones_zone z ON z.id = c.zone_id"
                f" WHERE z.county_id = %s AND c.zone_id = %s{rule}) l WHERE l.n <= 8",
                [county_id, zone.pk, *params],
            )
        )
    if scope.reads_all or (user.is_authenticated and (units or readable)):
        rule, params = _findings_rule(scope, readable, units)
        parts.append(  # the 20 open findings of the zone the reader may read, nearest first
            (
                f"SELECT {Z_FINDINGS}, l.id, l.n, l.responsible_unit_id,"  # noqa: S608
                " CASE WHEN l.deadline IS NULL THEN NULL"
                " WHEN l.deadline < %s AND NOT l.state = %s THEN 1 ELSE 0 END,"
                f" l.deadline, {_DATE}, l.description, l.state, l.name, {_TEXT}"
                " FROM (SELECT f.id, ROW_NUMBER() OVER (ORDER BY f.deadline, f.id) AS n,"
                " f.responsible_unit_id, f.deadline, f.description, f.state, u.name"
                " FROM supervision_finding f INNER JOIN zones_zone z ON z.id = f.zone_id"
                " INNER JOIN zones_unit u ON u.id = f.responsible_unit_id"
                f" WHERE z.county_id = %s AND f.zone_id = %s AND NOT f.state = %s{rule}) l"
                " WHERE l.n <= 20",
                [
                    on,
                    str(FindingState.CLOSED),
                    county_id,
                    zone.pk,
                    str(FindingState.CLOSED),
                    *params,
                ],
            )
        )
    rows = union_of(parts)
    as_date = _date_reader()
    by_part: dict[int, list] = {}
    for row in rows:
        by_part.setdefault(row[0], []).append(row)

    def part(number):  # a part's rows in its order
        return sorted(by_part.get(number, []), key=lambda r: r[2])

    def membership(r):
        m = Membership(
            pk=r[1],
            unit_id=r[3],
            zone_id=zone.pk,
            effective_from=as_date(r[5]),
            effective_to=as_date(r[6]),
            role=r[7],
            reason=r[8],
        )
        m.unit = Unit(pk=r[3], name=r[9])
        return m

    members = []
    for r in part(MEMBERS):
        m = membership(r)
        m.grade = r[4]
        members.append(m)
    leaders = []
    for r in part(LEADERS):
        row = ZoneLeadership(
            pk=r[1],
            zone_id=zone.pk,
            leader_id=r[3],
            effective_from=as_date(r[5]),
            effective_to=as_date(r[6]),
        )
        row.leader = User(pk=r[3], username=r[9], full_name=r[10])
        leaders.append(row)
    rotation = []
    for r in part(ROTATION):
        slot = HostSlot(pk=r[1], zone_id=zone.pk, unit_id=r[3], swapped=bool(r[4]))
        slot.month = as_date(r[5])
        slot.unit = Unit(pk=r[3], name=r[9])
        slot.month_text = month_label(slot.month)  # type: ignore[attr-defined]
        rotation.append(slot)
    activities = []
    for r in part(Z_ACTIVITIES):
        a = Activity(
            pk=r[1], host_unit_id=r[3], date=as_date(r[5]), form=r[7], title=r[8], state=r[9]
        )
        a.host_unit = Unit(pk=r[3], name=r[10])
        activities.append(a)
    checks = [
        MutualCheck(pk=r[1], zone_id=zone.pk, year=r[3], quarter=r[4], state=r[7])
        for r in part(CHECKS)
    ]
    findings = []
    for r in part(Z_FINDINGS):
        f = Finding(
            pk=r[1],
            responsible_unit_id=r[3],
            deadline=as_date(r[5]),
            description=r[7],
            state=r[8],
        )
        f.is_overdue = None if r[4] is None else bool(r[4])  # type: ignore[attr-defined]
        f.responsible_unit = Unit(pk=r[3], name=r[9])
        findings.append(f)
    return {
        **_zone_page_texts(members, [membership(r) for r in part(CHANGES)], leaders),
        "rotation": rotation,
        "activities": activity_rows(activities),
        "checks": check_rows(checks),
        "findings": finding_rows(findings),
    }


def unit_page(unit: Unit) -> dict:
    """The unit page's organization records, and its `state`: the zone it is in today
    (`zone_id_on`, `zone_name_on`, as zones.selectors.units_with_state names them), read off
    its memberships (the one in force today)."""
    memberships = list(
        unit.memberships.select_related("zone")
        .only(*MEMBERSHIP_COLUMNS, "zone__name")
        .order_by("-effective_from", "-pk")
    )
    grades: list[Any] = list(
        unit.grades.select_related("set_by")
        .only("unit_id", "grade", "effective_from", "reason", *user_name_columns("set_by"))
        .order_by("-effective_from", "-pk")
    )
    posts = list(
        unit.posts.select_related("user")
        .only("unit_id", "kind", *user_name_columns("user"))
        .order_by("kind", "user__full_name", "pk")
    )
    return _unit_page_texts(memberships, grades, posts)


def _unit_page_texts(memberships: list[Any], grades: list[Any], posts: list[Any]) -> dict:
    """The unit page's records with the texts they show, and its `state` (unit_page)."""
    day = today()
    in_force = next((m for m in memberships if m.holds_on(day)), None)
    state = SimpleNamespace(
        zone_id_on=in_force.zone_id if in_force else None,
        zone_name_on=in_force.zone.name if in_force else None,
    )
    dates = DateTexts()
    membership_rows(memberships, dates)
    grade_labels = choice_labels(UnitGrade, "grade")
    for grade in grades:
        grade.grade_label = label_of(grade_labels, grade.grade)
        grade.from_text = dates(grade.effective_from)
    return {"memberships": memberships, "grades": grades, "posts": posts, "state": state}


def unit_records(user, unit: Unit) -> dict:
    """Everything the unit page lists of `unit` (unit_page and unit_sections): for a reader of
    one county in scope read by one statement (`_unit_records_sql`), else by their querysets
    (the definition the statement is held equal to)."""
    county_id = scoped_county_id()
    if county_id is None:
        return {**unit_page(unit), **unit_sections(user, unit)}
    return _unit_records_sql(user, unit, county_id)


# the unit page's statement: each row its part's number, an id, two more ids, two dates and
# four texts
MEMBERSHIPS, GRADES, POSTS, ACTIVITIES, FINDINGS = range(1, 6)
_INT, _DATE, _TEXT = "CAST(NULL AS INTEGER)", "CAST(NULL AS DATE)", "CAST(NULL AS TEXT)"


def _unit_records_sql(user, unit: Unit, county_id: int) -> dict:
    """What `unit_page` and `unit_sections` read, in one hand-written statement (issue 20:
    building and compiling their five querysets cost more than their SQL, each under 0.5 ms;
    the rule of docs/architecture.md). Who may read which activity and finding stays in Python
    (`user_scope`, as `activities_visible_to` and `findings_visible_to` use it), every value is
    bound as a parameter and the county is filtered in each part, since raw SQL bypasses
    django-scopes. Portable SQL (the limited parts are subqueries);
    tests/portal/test_unit_records_sql.py holds it equal to the querysets."""
    scope = user_scope(user)
    day = today()
    ops = connection.ops
    parts: list[tuple[str, list]] = [
        (  # the unit's memberships with their zone's name
            f"SELECT {MEMBERSHIPS}, m.id, m.zone_id, {_INT}, m.effective_from,"  # noqa: S608
            f" m.effective_to, m.role, m.reason, z.name, {_TEXT}"
            " FROM zones_membership m INNER JOIN zones_zone z ON z.id = m.zone_id"
            " WHERE z.county_id = %s AND m.unit_id = %s",
            [county_id, unit.pk],
        ),
        (  # its class history with who set each
            f"SELECT {GRADES}, g.id, g.set_by_id, g.grade, g.effective_from, {_DATE},"  # noqa: S608
            f" {_TEXT}, g.reason, a.username, a.full_name"
            " FROM zones_unitgrade g INNER JOIN zones_unit u ON u.id = g.unit_id"
            " LEFT OUTER JOIN core_user a ON a.id = g.set_by_id"
            " WHERE u.county_id = %s AND g.unit_id = %s",
            [county_id, unit.pk],
        ),
        (  # the accounts serving it, numbered in the database's order of their names
            f"SELECT {POSTS}, p.id, p.user_id,"  # noqa: S608
            " ROW_NUMBER() OVER (ORDER BY p.kind, a.full_name, p.id),"
            f" {_DATE}, {_DATE}, p.kind, {_TEXT}, a.username, a.full_name"
            " FROM zones_unitpost p INNER JOIN zones_unit u ON u.id = p.unit_id"
            " INNER JOIN core_user a ON a.id = p.user_id"
            " WHERE u.county_id = %s AND p.unit_id = %s",
            [county_id, unit.pk],
        ),
    ]
    units = sorted(scope.unit_ids)
    zones = sorted(scope.readable_zone_ids)
    if scope.reads_all or units or zones:
        rule, rule_params = "", []
        if not scope.reads_all:
            ors = []
            if zones:
                ors.append(f"a.zone_id IN ({', '.join(['%s'] * len(zones))})")
            if units:
                marks = ", ".join(["%s"] * len(units))
                ors.append(f"a.host_unit_id IN ({marks})")
                ors.append(
                    "EXISTS(SELECT 1 FROM activities_activity_participants jp"  # noqa: S608
                    f" WHERE jp.activity_id = a.id AND jp.unit_id IN ({marks}))"
                )
            rule, rule_params = f" AND ({' OR '.join(ors)})", [*zones, *units, *units]
        parts.append(  # the latest 15 activities it hosted or joined that the reader may read
            (
                f"SELECT {ACTIVITIES}, l.id, l.host_unit_id, {_INT}, l.date, {_DATE}, l.form,"  # noqa: S608
                " l.title, l.state, l.name FROM (SELECT a.id, a.host_unit_id, a.date, a.form,"
                " a.title, a.state, h.name FROM activities_activity a"
                " INNER JOIN zones_zone z ON z.id = a.zone_id"
                " INNER JOIN zones_unit h ON h.id = a.host_unit_id"
                " WHERE z.county_id = %s AND (a.host_unit_id = %s OR a.id IN"
                " (SELECT p.activity_id FROM activities_activity_participants p"
                f" WHERE p.unit_id = %s)){rule} ORDER BY a.date DESC, a.id DESC LIMIT 15) l",
                [county_id, unit.pk, unit.pk, *rule_params],
            )
        )
    if scope.reads_all or (user.is_authenticated and (units or zones)):
        rule, rule_params = _findings_rule(scope, zones, units)
        parts.append(  # its latest 20 findings the reader may read, with whether each is late
            (
                f"SELECT {FINDINGS}, l.id, l.responsible_unit_id,"  # noqa: S608
                " CASE WHEN l.deadline IS NULL THEN NULL"
                " WHEN l.deadline < %s AND NOT l.state = %s THEN 1 ELSE 0 END,"
                f" l.deadline, l.raised_on, l.description, l.state, l.name, {_TEXT}"
                " FROM (SELECT f.id, f.responsible_unit_id, f.deadline, f.raised_on,"
                " f.description, f.state, u.name FROM supervision_finding f"
                " INNER JOIN zones_unit u ON u.id = f.responsible_unit_id"
                f" WHERE u.county_id = %s AND f.responsible_unit_id = %s{rule}"
                " ORDER BY f.raised_on DESC, f.id DESC LIMIT 20) l",
                [
                    ops.adapt_datefield_value(day),
                    str(FindingState.CLOSED),
                    county_id,
                    unit.pk,
                    *rule_params,
                ],
            )
        )
    rows = union_of(parts)
    as_date = _date_reader()
    by_part: dict[int, list] = {}
    for row in rows:
        by_part.setdefault(row[0], []).append(row)
    get = by_part.get
    memberships = []
    for r in sorted(get(MEMBERSHIPS, []), key=lambda r: (as_date(r[4]), r[1]), reverse=True):
        m = Membership(
            pk=r[1],
            unit_id=unit.pk,
            zone_id=r[2],
            effective_from=as_date(r[4]),
            effective_to=as_date(r[5]),
            role=r[6],
            reason=r[7],
        )
        m.zone = Zone(pk=r[2], name=r[8])
        memberships.append(m)
    grades = []
    for r in sorted(get(GRADES, []), key=lambda r: (as_date(r[4]), r[1]), reverse=True):
        g = UnitGrade(
            pk=r[1],
            unit_id=unit.pk,
            set_by_id=r[2],
            grade=r[3],
            effective_from=as_date(r[4]),
            reason=r[7],
        )
        g.set_by = None if r[2] is None else User(pk=r[2], username=r[8], full_name=r[9])
        grades.append(g)
    posts = []
    for r in sorted(get(POSTS, []), key=lambda r: r[3]):
        post = UnitPost(pk=r[1], unit_id=unit.pk, user_id=r[2], kind=r[6])
        post.user = User(pk=r[2], username=r[8], full_name=r[9])
        posts.append(post)
    activities = []
    for r in sorted(get(ACTIVITIES, []), key=lambda r: (as_date(r[4]), r[1]), reverse=True):
        a = Activity(
            pk=r[1], host_unit_id=r[2], date=as_date(r[4]), form=r[6], title=r[7], state=r[8]
        )
        a.host_unit = Unit(pk=r[2], name=r[9])
        activities.append(a)
    # a finding not yet raised sorts as the database sorts it: first on PostgreSQL, last on SQLite
    unraised = datetime.date.max if connection.features.nulls_order_largest else datetime.date.min
    findings = []
    for r in sorted(
        get(FINDINGS, []), key=lambda r: (as_date(r[5]) or unraised, r[1]), reverse=True
    ):
        f = Finding(
            pk=r[1],
            responsible_unit_id=r[2],
            deadline=as_date(r[4]),
            raised_on=as_date(r[5]),
            description=r[6],
            state=r[7],
        )
        f.is_overdue = None if r[3] is None else bool(r[3])  # type: ignore[attr-defined]
        f.responsible_unit = Unit(pk=r[2], name=r[8])
        findings.append(f)
    return {
        **_unit_page_texts(memberships, grades, posts),
        "activities": activity_rows(activities),
        "findings": finding_rows(findings),
    }


# A membership row's columns on the zone and unit pages (the unit or zone it joins is read by
# name beside it).
MEMBERSHIP_COLUMNS = ("unit_id", "zone_id", "role", "effective_from", "effective_to", "reason")


def user_name_columns(relation: str) -> tuple[str, ...]:
    """The columns an account's name (core.models.User.__str__) reads, through `relation`."""
    return (f"{relation}__full_name", f"{relation}__username")


# The zone and unit pages' rows carry the texts they show, computed once per page
# (core.display, issue 20): their templates printed them through a `date` filter, a
# `{% url %}` and a `get_FOO_display` per cell.


def membership_rows(memberships: list[Any], dates: DateTexts) -> None:
    """A membership's role label and its dates as the `date` filter gives them."""
    roles = choice_labels(Membership, "role")
    for m in memberships:
        m.role_label = label_of(roles, m.role)
        m.from_text = dates(m.effective_from)
        m.to_text = dates(m.effective_to)


def activity_rows(activities: list[Any]) -> list[Any]:
    """portal/includes/activity_list.html's texts: the date, the link, form and state."""
    dates = DateTexts()
    detail = pk_url("activities:detail")
    forms, states = choice_labels(Activity, "form"), choice_labels(Activity, "state")
    for a in activities:
        a.date_text = dates(a.date)
        a.url = detail(a.pk)
        a.form_label = label_of(forms, a.form)
        a.state_label = label_of(states, a.state)
    return activities


def finding_rows(findings: list[Any]) -> list[Any]:
    """portal/includes/finding_list.html's texts: the link, the problem's first 50 characters,
    the deadline and the state."""
    dates = DateTexts()
    detail = pk_url("supervision:finding_detail")
    states = choice_labels(Finding, "state")
    for f in findings:
        f.url = detail(f.pk)
        f.summary = truncated(f.description, 50)
        f.deadline_text = dates(f.deadline)
        f.state_label = label_of(states, f.state)
    return findings


def my_work_rows(work) -> None:
    """my-work's texts (portal.dashboard.MyWork): its hosting months, the drafts' dates, the
    actions' links and the findings' problem, deadline and state."""
    dates = DateTexts()
    edit, submit = pk_url("activities:edit"), pk_url("activities:submit")
    sheet, finding = pk_url("supervision:sheet_detail"), pk_url("supervision:finding_detail")
    states = choice_labels(Finding, "state")
    for slot in work.hosting:
        slot.month_text = month_label(slot.month)
    for a in work.returned:
        a.edit_url = edit(a.pk)
    for a in work.drafts:
        a.date_text = dates(a.date)
        a.submit_url = submit(a.pk)
    for s in work.sheets:
        s.url = sheet(s.pk)
    for f in work.findings:
        f.summary = truncated(f.description, 60)
        f.deadline_text = dates(f.deadline)
        f.state_label = label_of(states, f.state)
        f.url = finding(f.pk)


def listed(rows: QuerySet) -> QuerySet:
    """Activities or findings with only the unit their list names (the host or responsible
    unit) and only the columns portal/includes/activity_list.html and finding_list.html print:
    the visible sets' other joins (zone, sheet, corrected finding) and columns the lists never
    read."""
    if rows.model is Activity:
        related, columns = "host_unit", ACTIVITY_LIST_COLUMNS
    else:
        related, columns = "responsible_unit", FINDING_LIST_COLUMNS
    return rows.select_related(None).select_related(related).only(*columns, f"{related}__name")


ACTIVITY_LIST_COLUMNS: tuple[str, ...] = ("date", "title", "form", "state")
FINDING_LIST_COLUMNS: tuple[str, ...] = ("description", "deadline", "state")


def check_rows(checks: list[Any]) -> list[Any]:
    """The zone page's mutual checks: the link and the state's label."""
    detail = pk_url("supervision:check_detail")
    states = choice_labels(MutualCheck, "state")
    for c in checks:
        c.url = detail(c.pk)
        c.state_label = label_of(states, c.state)
    return checks


def participant_ids_matching(query: str, *, limit: int = 200) -> list[int]:
    """The active units the activity form's participant picker offers for a query, by the
    navigation search's rule; every active unit may join an activity, so not user-scoped."""
    query = clean_query(query)
    if not query:
        return []
    return list(
        Unit.objects.filter(unit_match(query), is_active=True)
        .order_by("name_pinyin")
        .values_list("pk", flat=True)[:limit]
    )


def search(user, query: str, *, limit: int = 10) -> dict:
    """Units, zones and people by Chinese name or pinyin initials as a subsequence ("nyj" finds
    县农业农村局), limited to what the user may see."""
    query = clean_query(query)
    if not query:
        return {"units": [], "zones": [], "people": []}
    zone_text = Q(name__icontains=query) | Q(focus__icontains=query)
    subsequence = initials_pattern(query)
    if subsequence:
        zone_text |= Q(name_initials__regex=subsequence)
    units = list(units_visible_to(user).filter(unit_match(query)).order_by("name_pinyin")[:limit])
    zones = list(zones_visible_to(user).filter(zone_text).order_by("number")[:limit])
    # People of the register the reader may see, by name or pinyin initials only (never by an
    # ID or phone number); the results show names, no number.
    people = list(
        people_visible_to(user)
        .filter(person_match(query), left_on__isnull=True)
        .order_by("name_pinyin", "pk")[:limit]
    )
    return {"units": units, "zones": zones, "people": people}


def zone_sections(user, zone: Zone) -> dict:
    """The zone page's records of the mechanism, each scoped to what `user` may read: the
    year's host rotation, recent activities, mutual checks and open findings."""
    day = today()
    rotation: list[Any] = zone_rotation(zone=zone, year=day.year)
    for slot in rotation:
        slot.month_text = month_label(slot.month)
    return {
        "rotation": rotation,
        "activities": activity_rows(
            list(
                listed(activities_visible_to(user)).filter(zone=zone).order_by("-date", "-pk")[:15]
            )
        ),
        "checks": check_rows(
            list(
                checks_visible_to(user)
                .select_related(None)
                .only("year", "quarter", "state")
                .filter(zone=zone)
                .order_by("-year", "-quarter")[:8]
            )
        ),
        "findings": finding_rows(
            list(
                listed(findings_visible_to(user))
                .filter(zone=zone)
                .exclude(state=FindingState.CLOSED)
                .order_by("deadline", "pk")[:20]
            )
        ),
    }


def unit_sections(user, unit: Unit) -> dict:
    """The unit page's activities (hosted or joined) and findings, scoped to `user`. The joined
    ones are an id subquery of the participants' table (issue 20): an OR across its join with
    DISTINCT joined every activity to every participant row and de-duplicated them all to show
    fifteen."""
    joined = Activity.participants.through.objects.filter(unit_id=unit.pk).values("activity_id")
    return {
        "activities": activity_rows(
            list(
                listed(activities_visible_to(user))
                .filter(Q(host_unit=unit) | Q(pk__in=joined))
                .order_by("-date", "-pk")[:15]
            )
        ),
        "findings": finding_rows(
            list(
                listed(findings_visible_to(user))
                .filter(responsible_unit=unit)
                .order_by("-raised_on", "-pk")[:20]
            )
        ),
    }


def person_sections(user, person) -> dict:
    """The person page's records of the mechanisms their reader's county runs: the trainings
    and contests of the service teams they took part in (teams.TrainingEntry), newest first.
    The page itself (people.views.person_detail) already decided the reader may see them."""
    if not reader_runs(user, Mechanism.TEAMS):
        return {}
    return {
        "trainings": list(
            TrainingEntry.objects.filter(person=person)
            .select_related("training")
            .order_by("-training__held_on", "-pk")[:30]
        ),
        "reads_trainings": may(user, "teams.read_league"),
    }


def activities_found(user, query: str, *, limit: int = 10) -> list:
    query = clean_query(query)
    if not query:
        return []
    match = Q(title__icontains=query)
    subsequence = initials_pattern(query)
    if subsequence:
        match |= Q(title_initials__regex=subsequence)
    return list(activities_visible_to(user).filter(match).order_by("-date")[:limit])


def snapshots_visible_to(user) -> QuerySet:
    """The county snapshots `user` reads, newest first: every county's for city staff, their
    own county's for a person of a self-hosted county, none for anyone else."""
    qs = CountySnapshot.objects.select_related(
        "county", "imported_by", "returned_by", "supersedes"
    ).order_by("-imported_at", "-pk")
    if is_city_staff(user):
        return qs
    if getattr(user, "is_authenticated", False) and user.county_id is not None:
        return qs.filter(county_id=user.county_id)
    return qs.none()
