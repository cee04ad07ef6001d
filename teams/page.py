"""What the team page (`teams:team_detail`) lists of one team, read by one hand-written
statement (issue 20): the organizations it guides and guided, its members of the year and of
today, the year's reminder talks, its latest visits and contacts, the small practical matters
to confirm and the county's active units for the assign form. Nine querysets of a few rows
each cost Django more to build, compile and turn into rows than their SQL costs the database
(docs/architecture.md's rule: the querysets, `team_page_querysets`, stay the definition;
tests/teams/test_team_page_records.py holds the statement equal to them). Every value is a
bound parameter and every part filters the active county scope itself, as raw SQL bypasses
django-scopes (teams.figures_sql.scope_sql)."""

# ruff: noqa: S608 - table and column names are the code's own; every value is a parameter

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Q
from django.utils import dateformat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from core.aggregates import union_of
from core.display import DateTexts, choice_labels, label_of, number_text, pk_url
from people.models import Person
from zones.models import Unit, in_force_on

from .constants import TeamRole
from .figures_sql import dates, on_day_sql, scope_sql
from .models import Assignment, Contact, GuidanceVisit, MicroMatter, ReminderTalk, TeamMember

# how many of the latest visits and contacts the page lists
VISITS_SHOWN = 30
CONTACTS_SHOWN = 20
HISTORY_SHOWN = 20


class VisitRow(NamedTuple):
    """A guidance visit as the page lists it."""

    pk: int
    unit_id: int
    unit_name: str
    visited_on: datetime.date


class ContactRow(NamedTuple):
    """A contact as the page lists it."""

    pk: int
    unit_id: int
    unit_name: str
    contacted_on: datetime.date
    way: str
    what: str


class MatterRow(NamedTuple):
    """A small practical matter to confirm as the page lists it (pk: the team's row)."""

    pk: int
    person_name: str
    done_on: datetime.date
    description: str


@dataclass(frozen=True)
class Asked:
    """What the page lists for its reader (teams.views.team_detail decides): the closed
    assignments too (`history`); the visits of these organizations only (`unit_ids`; None:
    every one); the members of `year` and their reminder talks (`year_members`); today's
    members by themselves (`today_members`: when the year's do not give them); the contacts
    and the matters to confirm (`insider_lists`); the county's active units (`units`)."""

    year: int
    day: datetime.date
    history: bool
    unit_ids: frozenset | None
    year_members: bool
    today_members: bool
    insider_lists: bool
    units: bool


def split_assignments(rows: list, *, day: datetime.date, history: bool) -> tuple[list, list]:
    """The organizations guided on `day` (in the rows' order: by name) and, when `history`,
    the last `HISTORY_SHOWN` assignments closed (latest end first)."""
    closed = [a for a in rows if a.effective_to is not None] if history else []
    closed.sort(key=lambda a: a.effective_to, reverse=True)
    return [a for a in rows if a.holds_on(day)], closed[:HISTORY_SHOWN]


def team_page_querysets(team, asked: Asked) -> dict:
    """The team page's lists by their querysets: the definition `team_page_records`' statement
    is held equal to. Each read takes only the columns the page shows."""
    day, year = asked.day, asked.year
    rows = (
        Assignment.objects.filter(team=team)
        .select_related("unit")
        .only("team_id", "effective_from", "effective_to", "unit__name")
        .order_by("unit__name_pinyin", "pk")
    )
    if asked.history:
        rows = rows.filter(in_force_on(day) | Q(effective_to__isnull=False))
    else:
        rows = rows.filter(in_force_on(day))
    out: dict = {"assignments": list(rows)}
    members = (
        TeamMember.objects.filter(team=team)
        .select_related("person")
        .only(*MEMBER_FIELDS, "person__name", "person__user")
        .order_by("role", "person__name_pinyin", "pk")
    )
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    out["year_members"] = (
        list(
            members.filter(
                Q(effective_to__isnull=True) | Q(effective_to__gt=first), effective_from__lte=last
            )
        )
        if asked.year_members
        else None
    )
    out["today_members"] = list(members.filter(in_force_on(day))) if asked.today_members else None
    out["talks"] = (
        list(
            ReminderTalk.objects.filter(year=year, team=team)
            .only("person_id", "team_id", "year", "held_on", "outcome")
            .order_by("-held_on", "-pk")
        )
        if asked.year_members
        else None
    )
    visits = GuidanceVisit.objects.filter(team=team)
    if asked.unit_ids is not None:
        visits = visits.filter(unit_id__in=asked.unit_ids)
    out["visits"] = [
        VisitRow(v.pk, v.unit_id, v.unit.name, v.visited_on)
        for v in visits.select_related("unit")
        .only("visited_on", "unit__name")
        .order_by("-visited_on", "-pk")[:VISITS_SHOWN]
    ]
    out["contacts"] = out["matters"] = None
    if asked.insider_lists:
        out["contacts"] = [
            ContactRow(c.pk, c.unit_id, c.unit.name, c.contacted_on, c.way, c.what)
            for c in Contact.objects.filter(team=team)
            .select_related("unit")
            .only("contacted_on", "way", "what", "unit__name")
            .order_by("-contacted_on", "-pk")[:CONTACTS_SHOWN]
        ]
        out["matters"] = [
            MatterRow(m.pk, m.matter.person.name, m.matter.done_on, m.matter.description)
            for m in MicroMatter.objects.filter(team=team, matter__confirmed_at__isnull=True)
            .select_related("matter__person")
            .only("matter__done_on", "matter__description", "matter__person__name")
            .order_by("-matter__done_on", "-pk")
        ]
    out["units"] = (
        list(
            Unit.objects.filter(is_active=True)
            .order_by("name_pinyin", "pk")
            .values_list("pk", "name")
        )
        if asked.units
        else None
    )
    return out


# what the scorecards and the team page read of a membership
MEMBER_FIELDS = ("team_id", "person_id", "role", "effective_from", "effective_to")

# the statement's parts: each row its part's number, an id, two more ids, its order in the
# part, two dates and three texts
ASSIGNMENTS, YEAR_MEMBERS, TODAY_MEMBERS, TALKS, VISITS, CONTACTS, MATTERS, UNITS = range(1, 9)
_INT, _DATE, _TEXT = "CAST(NULL AS INTEGER)", "CAST(NULL AS DATE)", "CAST(NULL AS TEXT)"


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


def _parts(team, asked: Asked) -> list[tuple[str, list]]:
    """The statement's parts, each (its SQL, its parameters)."""
    day, year = asked.day, asked.year
    teams, team_params = scope_sql("t.county_id")
    # a row of the team (alias x), the team in scope
    of_team = f"INNER JOIN teams_team t ON t.id = x.team_id WHERE {teams} AND x.team_id = %s"
    mine = [*team_params, team.pk]
    in_force = on_day_sql("x")
    held = f"({in_force} OR x.effective_to IS NOT NULL)" if asked.history else in_force
    parts = [
        (  # the organizations guided today (and before), numbered by their names
            f"SELECT {ASSIGNMENTS}, x.id, x.unit_id, {_INT},"
            " ROW_NUMBER() OVER (ORDER BY u.name_pinyin, x.id), x.effective_from,"
            f" x.effective_to, u.name, {_TEXT}, {_TEXT} FROM teams_assignment x"
            f" INNER JOIN zones_unit u ON u.id = x.unit_id {of_team} AND {held}",
            [*mine, *dates(day, day)],
        )
    ]
    members = (
        "SELECT {part}, x.id, x.person_id, p.user_id,"
        " ROW_NUMBER() OVER (ORDER BY x.role, p.name_pinyin, x.id), x.effective_from,"
        f" x.effective_to, x.role, p.name, {_TEXT} FROM teams_teammember x"
        f" INNER JOIN people_person p ON p.id = x.person_id {of_team} AND {{held}}"
    )
    if asked.year_members:
        first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        overlaps = "x.effective_from <= %s AND (x.effective_to IS NULL OR x.effective_to > %s)"
        parts.append(
            (members.format(part=YEAR_MEMBERS, held=overlaps), [*mine, *dates(last, first)])
        )
        parts.append(
            (
                f"SELECT {TALKS}, x.id, x.person_id, {_INT}, {_INT}, x.held_on, {_DATE},"
                f" x.outcome, {_TEXT}, {_TEXT} FROM teams_remindertalk x {of_team}"
                " AND x.year = %s",
                [*mine, year],
            )
        )
    if asked.today_members:
        parts.append((members.format(part=TODAY_MEMBERS, held=in_force), [*mine, *dates(day, day)]))
    if asked.unit_ids is None:
        visited, visited_params = "", []
    elif asked.unit_ids:
        ids = sorted(asked.unit_ids)
        visited, visited_params = f" AND x.unit_id IN ({_marks(ids)})", ids
    else:
        visited, visited_params = " AND 1 = 0", []
    parts.append(
        (  # the latest visits (of the reader's organizations)
            f"SELECT {VISITS}, l.id, l.unit_id, {_INT}, {_INT}, l.visited_on, {_DATE}, l.name,"
            f" {_TEXT}, {_TEXT} FROM (SELECT x.id, x.unit_id, x.visited_on, u.name"
            " FROM teams_guidancevisit x INNER JOIN zones_unit u ON u.id = x.unit_id"
            f" {of_team}{visited} ORDER BY x.visited_on DESC, x.id DESC LIMIT {VISITS_SHOWN}) l",
            [*mine, *visited_params],
        )
    )
    if asked.insider_lists:
        parts.append(
            (
                f"SELECT {CONTACTS}, l.id, l.unit_id, {_INT}, {_INT}, l.contacted_on, {_DATE},"
                " l.name, l.way, l.what FROM (SELECT x.id, x.unit_id, x.contacted_on, x.way,"
                " x.what, u.name FROM teams_contact x"
                f" INNER JOIN zones_unit u ON u.id = x.unit_id {of_team}"
                f" ORDER BY x.contacted_on DESC, x.id DESC LIMIT {CONTACTS_SHOWN}) l",
                mine,
            )
        )
        parts.append(
            (
                f"SELECT {MATTERS}, x.id, x.matter_id, pm.person_id, {_INT}, pm.done_on,"
                f" {_DATE}, p.name, pm.description, {_TEXT} FROM teams_micromatter x"
                " INNER JOIN people_practicalmatter pm ON pm.id = x.matter_id"
                f" INNER JOIN people_person p ON p.id = pm.person_id {of_team}"
                " AND pm.confirmed_at IS NULL",
                mine,
            )
        )
    if asked.units:
        units, unit_params = scope_sql("u.county_id")
        parts.append(
            (  # the county's active units, numbered by their names
                f"SELECT {UNITS}, u.id, {_INT}, {_INT},"
                f" ROW_NUMBER() OVER (ORDER BY u.name_pinyin, u.id), {_DATE}, {_DATE}, u.name,"
                f" {_TEXT}, {_TEXT} FROM zones_unit u WHERE {units} AND u.is_active = %s",
                [*unit_params, True],
            )
        )
    return parts


def _as_date(value):
    """A raw cursor's date as a date: PostgreSQL's driver gives one, SQLite's the ISO text."""
    return (
        value
        if value is None or isinstance(value, datetime.date)
        else datetime.date.fromisoformat(value)
    )


def team_page_records(team, asked: Asked) -> dict:
    """What the page lists (the keys of `team_page_querysets`: the same rows in the same
    order, with the columns the page shows), in one statement."""
    by_part: dict[int, list] = {}
    for row in union_of(_parts(team, asked)):
        by_part.setdefault(row[0], []).append(row)
    get = by_part.get
    as_date = _as_date

    def numbered(part: int) -> list:
        """The part's rows in the order the database numbered them."""
        return sorted(get(part, []), key=lambda r: r[4])

    def newest(part: int) -> list:
        """The part's rows latest first, the later recorded first on a day."""
        return sorted(get(part, []), key=lambda r: (as_date(r[5]), r[1]), reverse=True)

    def members(part: int) -> list[TeamMember]:
        found = []
        for r in numbered(part):
            m = TeamMember(
                pk=r[1],
                team_id=team.pk,
                person_id=r[2],
                role=r[7],
                effective_from=as_date(r[5]),
                effective_to=as_date(r[6]),
            )
            m.person = Person(pk=r[2], name=r[8], user_id=r[3])
            m.team = team
            found.append(m)
        return found

    assignments = []
    for r in numbered(ASSIGNMENTS):
        a = Assignment(
            pk=r[1],
            team_id=team.pk,
            unit_id=r[2],
            effective_from=as_date(r[5]),
            effective_to=as_date(r[6]),
        )
        a.unit = Unit(pk=r[2], name=r[7])
        assignments.append(a)
    out: dict = {
        "assignments": assignments,
        "year_members": members(YEAR_MEMBERS) if asked.year_members else None,
        "today_members": members(TODAY_MEMBERS) if asked.today_members else None,
        "talks": None,
        "visits": [VisitRow(r[1], r[2], r[7], as_date(r[5])) for r in newest(VISITS)],
        "contacts": None,
        "matters": None,
        "units": [(r[1], r[7]) for r in numbered(UNITS)] if asked.units else None,
    }
    if asked.year_members:
        out["talks"] = [
            ReminderTalk(
                pk=r[1],
                person_id=r[2],
                team_id=team.pk,
                year=asked.year,
                held_on=as_date(r[5]),
                outcome=r[7],
            )
            for r in newest(TALKS)
        ]
    if asked.insider_lists:
        out["contacts"] = [
            ContactRow(r[1], r[2], r[7], as_date(r[5]), r[8], r[9]) for r in newest(CONTACTS)
        ]
        out["matters"] = [MatterRow(r[1], r[7], as_date(r[5]), r[8]) for r in newest(MATTERS)]
    return out


# --- the page's repeated rows, written in Python ------------------------------------------
# Each writer gives, byte for byte, what templates/teams/team_detail.html's loop it replaced
# gave (tests/teams/test_team_page_records.py draws the page both ways): under cProfile the
# loops' per-row tags, filters and translations were the largest part of the page's render.


def members_html(members) -> SafeString:
    """Today's members, the captain badged (the list-inline of #team-members)."""
    captain = f' <span class="badge text-bg-primary">{escape(gettext("Captain"))}</span>'
    return mark_safe(  # noqa: S308 - every text escaped
        "".join(
            f'<li class="list-inline-item">{escape(m.person.name)}'
            f"{captain if m.role == TeamRole.CAPTAIN else ''}</li>"
            for m in members
        )
    )


def assignments_html(assignments, dates: DateTexts) -> SafeString:
    """The organizations guided, each since its day (#team-units), or that there is none."""
    if not assignments:
        return mark_safe(f"<li>{escape(gettext('None.'))}</li>")  # noqa: S308
    since = gettext("since %(day)s")
    return mark_safe(  # noqa: S308 - every text escaped (the phrase is the catalogue's)
        "".join(
            f'<li>{escape(a.unit.name)} <span class="text-muted small">'
            f"{since % {'day': escape(dates(a.effective_from))}}</span></li>"
            for a in assignments
        )
    )


def history_html(history, dates: DateTexts) -> SafeString:
    """The organizations guided before, each with its period."""
    return mark_safe(  # noqa: S308 - every text escaped
        "".join(
            f"<li>{escape(a.unit.name)} · {escape(dates(a.effective_from))} –"
            f" {escape(dates(a.effective_to))}</li>"
            for a in history
        )
    )


def visits_html(visits: list[VisitRow], dates: DateTexts) -> SafeString:
    """The latest visits, each linked to its page (#team-visits), or that there is none."""
    if not visits:
        return mark_safe(f"<li>{escape(gettext('No visits yet.'))}</li>")  # noqa: S308
    url = pk_url("teams:visit_detail")
    return mark_safe(  # noqa: S308 - every text escaped
        "".join(
            f'<li><a href="{escape(url(v.pk))}">{escape(dates(v.visited_on))} ·'
            f" {escape(v.unit_name)}</a></li>"
            for v in visits
        )
    )


def contacts_html(contacts: list[ContactRow], dates: DateTexts) -> SafeString:
    """The latest contacts (#team-contacts), or that there is none."""
    if not contacts:
        return mark_safe(  # noqa: S308
            f"<li>{escape(gettext('No contacts logged yet.'))}</li>"
        )
    ways = choice_labels(Contact, "way")
    return mark_safe(  # noqa: S308 - every text escaped
        "".join(
            f"<li>{escape(dates(c.contacted_on))} · {escape(c.unit_name)} ·"
            f" {escape(label_of(ways, c.way))} · {escape(c.what)}</li>"
            for c in contacts
        )
    )


def matters_html(
    matters: list[MatterRow], dates: DateTexts, *, confirms: bool, csrf_input: str
) -> SafeString:
    """The small practical matters to confirm (#team-matters), each with its confirm button
    when the reader `confirms`."""
    url = pk_url("teams:matter_confirm")
    button = escape(gettext("Confirm"))
    parts = []
    for m in matters:
        form = (
            f'<form method="post" action="{escape(url(m.pk))}" class="d-inline">{csrf_input}'
            f'<button class="btn btn-sm btn-outline-success">{button}</button></form>'
            if confirms
            else ""
        )
        parts.append(
            f"<li>{escape(dates(m.done_on))} · {escape(m.person_name)} ·"
            f" {escape(m.description)}\n  {form}</li>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every text escaped


def member_rows_html(
    cards, dates: DateTexts, *, talk_form: dict | None, csrf_input: str
) -> SafeString:
    """The members' scorecards' rows (#member-cards' tbody): a member under the threshold
    badged, their talks of the year, and (`talk_form`: its `url`, `year` and `held_on` day,
    for staff) the form recording one while none is held."""
    number = number_text()
    due = escape(gettext("Reminder talk due"))
    held = escape(gettext("Talk held"))
    form_head = form_tail = ""
    if talk_form is not None:
        form_head = (
            f'<form method="post" action="{escape(talk_form["url"])}'
            f'?year={escape(number(talk_form["year"]))}" class="d-flex gap-1 mt-1">{csrf_input}'
            '<input type="hidden" name="person" value="'
        )
        form_tail = (
            '"><input type="date" name="held_on" class="form-control form-control-sm"'
            f' value="{escape(dateformat.format(talk_form["held_on"], "Y-m-d"))}"'
            f' aria-label="{escape(gettext("Held on"))}"><input name="outcome" maxlength="300"'
            ' class="form-control form-control-sm"'
            f' placeholder="{escape(gettext("Outcome"))}"><button class="btn btn-sm'
            f' btn-outline-secondary text-nowrap">{escape(gettext("Record the talk"))}</button>'
            "</form>"
        )
    parts = []
    for c in cards:
        figures = "".join(
            f"<td>{escape(number(n))}</td>"
            for n in (c.visits, c.raised, c.rectified, c.matters, c.trainings, c.prizes, c.score)
        )
        talks = "".join(
            f'<div class="small">{held} {escape(dates(t.held_on))}: {escape(t.outcome)}</div>'
            for t in c.talks
        )
        form = (
            f"{form_head}{escape(number(c.member.person_id))}{form_tail}"
            if talk_form is not None and c.flagged and not c.talks
            else ""
        )
        badge = f'<span class="badge text-bg-warning">{due}</span>' if c.flagged else ""
        flagged = ' class="table-warning"' if c.flagged else ""
        parts.append(
            f"\n  <tr{flagged}><td>{escape(c.member.person.name)}</td>{figures}"
            f"\n    <td>{badge}\n      {talks}\n      {form}\n    </td></tr>\n  "
        )
    return mark_safe("".join(parts))  # noqa: S308 - every text escaped
