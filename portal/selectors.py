"""Reads for the pages that span the organization: the zone and unit pages and the navigation
bar's search (who may see which zone and unit: zones.selectors)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from activities.models import Activity
from activities.selectors import activities_visible_to, zone_rotation
from core.access import may
from core.display import DateTexts, choice_labels, label_of, pk_url, truncated
from core.periods import month_label
from core.pinyin import clean_query, initials_pattern
from counties.constants import Mechanism
from counties.mechanisms import reader_runs
from counties.rules import is_city_staff
from people.selectors import people_visible_to, person_match
from supervision.constants import FindingState
from supervision.models import Finding, MutualCheck
from supervision.selectors import checks_visible_to, findings_visible_to
from teams.models import TrainingEntry
from zones.models import Membership, Unit, UnitGrade, Zone, ZoneLeadership, in_force_on
from zones.selectors import (
    today,
    unit_match,
    units_visible_to,
    zones_visible_to,
)

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
        .order_by("-role", "unit__name_pinyin")
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
        .order_by("-effective_from")
    )
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


def unit_page(unit: Unit) -> dict:
    """The unit page's organization records, and its `state`: the zone it is in today
    (`zone_id_on`, `zone_name_on`, as zones.selectors.units_with_state names them), read off
    its memberships (the one in force today)."""
    memberships = list(
        unit.memberships.select_related("zone")
        .only(*MEMBERSHIP_COLUMNS, "zone__name")
        .order_by("-effective_from")
    )
    grades: list[Any] = list(
        unit.grades.select_related("set_by")
        .only("unit_id", "grade", "effective_from", "reason", *user_name_columns("set_by"))
        .order_by("-effective_from")
    )
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
    return {
        "memberships": memberships,
        "grades": grades,
        "posts": list(
            unit.posts.select_related("user")
            .only("unit_id", "kind", *user_name_columns("user"))
            .order_by("kind", "user__full_name")
        ),
        "state": state,
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
