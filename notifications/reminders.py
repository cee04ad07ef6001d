"""Who must be reminded of what today (the weekly digest: `notifications.digest`).

Each rule is a function of the day that returns messages; `reminders_run` writes them through
`notifications_send`, whose unique key (recipient, kind, subject, period) makes a second run on
the same day, or the next day inside the same window, a no-op. Windows are counted in working
days from `core.workdays`, since a crontab cannot express 调休 — which is why the task runs daily
rather than on fixed dates. Recipients are looked up in bulk: the cost does not grow per item.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from activities.constants import COUNTED_STATES, ActivityState, CellState, EventAction
from activities.models import Activity, ActivityEvent, HostSlot
from activities.selectors import zone_month_states
from core.constants import Role
from core.periods import (
    month_end,
    month_label,
    month_start,
    next_month,
    previous_month,
    quarter_bounds,
    quarter_of,
)
from counties.calendar import add_workdays, is_workday, workdays_between
from counties.constants import Mechanism
from counties.scoping import implied_county_id, in_scope
from counties.selectors import counties_running, mechanisms_run_by
from education.models import Meeting as StudyMeeting
from education.models import Session as StudySession
from supervision.constants import CheckState, FindingState, RoundState, SheetState
from supervision.models import Finding, PatrolTeam, ScoreSheet
from supervision.selectors import with_overdue
from zones.constants import MembershipRole
from zones.models import Membership, Unit, UnitPost, Zone, ZoneLeadership, in_force_on

from . import education_reminders
from .constants import Kind
from .models import ReminderSettings
from .services import Message, notifications_send


class Recipients:
    """Who to tell, looked up once per run: a unit's secretaries and officers, a zone's lead-unit
    secretaries and guiding leader, the committee staff."""

    def __init__(self, day: datetime.date):
        self.by_unit: dict[int, list[int]] = defaultdict(list)
        for user_id, unit_id in UnitPost.objects.filter(user__is_active=True).values_list(
            "user_id", "unit_id"
        ):
            self.by_unit[unit_id].append(user_id)
        self.lead_of_zone = dict(
            Membership.objects.filter(in_force_on(day), role=MembershipRole.LEAD).values_list(
                "zone_id", "unit_id"
            )
        )
        self.leader_of_zone = dict(
            ZoneLeadership.objects.filter(in_force_on(day)).values_list("zone_id", "leader_id")
        )
        self.staff = list(
            get_user_model()
            .objects.filter(in_scope(), role=Role.STAFF, is_active=True)
            .values_list("pk", flat=True)
        )

    def unit(self, unit_id: int) -> list[int]:
        return self.by_unit.get(unit_id, [])

    def zone_lead(self, zone_id: int) -> list[int]:
        return self.unit(self.lead_of_zone.get(zone_id, 0))

    def zone_leader(self, zone_id: int) -> list[int]:
        leader = self.leader_of_zone.get(zone_id)
        return [leader] if leader else []


def _messages(users, kind, subject, period, title, body="", url=""):
    return [Message(u, kind, subject, period, title, body, url) for u in dict.fromkeys(users)]


def _week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def host_rules(day: datetime.date, settings: ReminderSettings, who: Recipients) -> list[Message]:
    out: list[Message] = []
    # Hosting next month: within the last N working days before the month begins.
    upcoming = next_month(day)
    if add_workdays(day, settings.host_days_before_month) >= upcoming:
        for slot in HostSlot.objects.filter(month=upcoming).select_related("zone", "unit"):
            out += _messages(
                who.unit(slot.unit_id),
                Kind.HOST_UPCOMING,
                f"zone:{slot.zone_id}",
                f"{upcoming:%Y-%m}",
                _("%(unit)s hosts %(zone)s's joint activity in %(month)s")
                % {"unit": slot.unit.name, "zone": slot.zone.name, "month": month_label(upcoming)},
                _("Plan the month's joint activity with the zone's member units."),
                reverse("activities:create"),
            )
    # The month's last working days and nothing logged yet.
    this_month = month_start(day)
    last = month_end(day)
    if is_workday(day) and workdays_between(day, last) < settings.host_last_days_of_month:
        logged = set(
            Activity.objects.filter(month=this_month, state__in=COUNTED_STATES).values_list(
                "zone_id", flat=True
            )
        )
        for slot in (
            HostSlot.objects.filter(month=this_month)
            .exclude(zone_id__in=logged)
            .select_related("zone", "unit")
        ):
            out += _messages(
                who.unit(slot.unit_id),
                Kind.HOST_NOTHING_LOGGED,
                f"zone:{slot.zone_id}",
                f"{this_month:%Y-%m}",
                _("No joint activity of %(zone)s is logged for %(month)s yet")
                % {"zone": slot.zone.name, "month": month_label(this_month)},
                _("As this month's host unit, log the activity before the month ends."),
                reverse("activities:create"),
            )
    # Last month, by the grid's rule (activities.selectors.month_state), for every zone: a gap
    # escalates to the lead unit and the guiding leader; a month whose activity is submitted
    # but not confirmed is no gap — the lead unit is asked to confirm it.
    previous = previous_month(day)
    names = dict(Zone.objects.values_list("pk", "name"))
    states = zone_month_states(months=[previous], day=day, zone_ids=list(names))
    hosts = dict(HostSlot.objects.filter(month=previous).values_list("zone_id", "unit__name"))
    for (zone_id, _month), state in sorted(states.items()):
        values = {"zone": names[zone_id], "month": month_label(previous)}
        if state == CellState.GAP:
            out += _messages(
                who.zone_lead(zone_id) + who.zone_leader(zone_id),
                Kind.ZONE_GAP,
                f"zone:{zone_id}",
                f"{previous:%Y-%m}",
                _("%(zone)s has no confirmed joint activity for %(month)s") % values,
                _("Host unit: %(unit)s.") % {"unit": hosts[zone_id]} if zone_id in hosts else "",
                reverse("activities:grid"),
            )
        elif state == CellState.WAITING:
            out += _messages(
                who.zone_lead(zone_id),
                Kind.CONFIRMATION_WAITING,
                f"zone:{zone_id}",
                f"{previous:%Y-%m}",
                _("The joint activity of %(zone)s for %(month)s waits for your confirmation")
                % values,
                "",
                reverse("activities:queue"),
            )
    return out


def confirmation_rules(
    day: datetime.date, settings: ReminderSettings, who: Recipients
) -> list[Message]:
    """Activities waiting for the lead unit longer than N working days; again each week."""
    out: list[Message] = []
    submitted = (
        ActivityEvent.objects.filter(
            action=EventAction.SUBMITTED, activity__state=ActivityState.SUBMITTED
        )
        .values("activity_id")
        .annotate(at=Max("at"))
    )
    waiting = {row["activity_id"]: row["at"] for row in submitted}
    activities = Activity.objects.filter(pk__in=waiting).select_related("zone")
    for activity in activities:
        since = waiting[activity.pk].date()
        if workdays_between(since, day) < settings.confirmation_wait_days:
            continue
        out += _messages(
            who.zone_lead(activity.zone_id),
            Kind.CONFIRMATION_WAITING,
            f"activity:{activity.pk}",
            _week(day),
            _("“%(title)s” has waited for confirmation since %(since)s")
            % {"title": activity.title, "since": since},
            "",
            reverse("activities:detail", args=[activity.pk]),
        )
    return out


def supervision_rules(
    day: datetime.date, settings: ReminderSettings, who: Recipients
) -> list[Message]:
    out: list[Message] = []
    teams = PatrolTeam.objects.filter(round__state=RoundState.PUBLISHED).select_related(
        "round", "visited_zone"
    )
    members = defaultdict(list)
    for team_id, user_id in PatrolTeam.members.through.objects.filter(
        patrolteam__in=teams
    ).values_list("patrolteam_id", "user_id"):
        members[team_id].append(user_id)
    open_sheets = set(
        ScoreSheet.objects.filter(team__in=teams, state=SheetState.OPEN).values_list(
            "team_id", flat=True
        )
    )
    # A team's assignment is announced when the plan is published, and a check's or a round's
    # results when they are released (notifications.announcements), never by this daily run.
    for team in teams:
        people = [team.leader_id, *members[team.pk]]
        if team.visit_date and day < team.visit_date <= add_workdays(
            day, settings.visit_days_before
        ):
            out += _messages(
                people + who.zone_lead(team.visited_zone_id),
                Kind.CHECK_VISIT_SOON,
                f"team:{team.pk}",
                team.visit_date.isoformat(),
                _("Patrol visit to %(zone)s on %(date)s")
                % {"zone": team.visited_zone.name, "date": team.visit_date},
                "",
                reverse("supervision:team_detail", args=[team.pk]),
            )
        if team.visit_date and team.visit_date < day and team.pk in open_sheets:
            out += _messages(
                people,
                Kind.CHECK_SHEETS_OPEN,
                f"team:{team.pk}",
                _week(day),
                _("Score sheets of the visit to %(zone)s are still open")
                % {"zone": team.visited_zone.name},
                "",
                reverse("supervision:team_detail", args=[team.pk]),
            )
    # Quarterly mutual checks: each checker unit is told whom it checks once the check opens
    # (and its pairing may have been adjusted), for recent checks only, not years of history.
    recent = timezone.now() - datetime.timedelta(days=14)
    for sheet in ScoreSheet.objects.filter(
        mutual_check__state=CheckState.DRAFT,
        mutual_check__created_at__gte=recent,
        state=SheetState.OPEN,
    ).select_related("mutual_check__zone", "checked_unit"):
        check = sheet.mutual_check
        out += _messages(
            who.unit(sheet.checker_unit_id),
            Kind.CHECK_PUBLISHED,
            f"sheet:{sheet.pk}",
            "assigned",
            _("Mutual check %(period)s: your unit checks %(unit)s")
            % {"period": check.period_label, "unit": sheet.checked_unit.name},
            "",
            reverse("supervision:sheet_detail", args=[sheet.pk]),
        )
    # Mutual-check sheets still open after their quarter ended.
    quarter_start = quarter_bounds(day.year, quarter_of(day))[0]
    for sheet in ScoreSheet.objects.filter(
        mutual_check__isnull=False, state=SheetState.OPEN
    ).select_related("mutual_check", "checked_unit"):
        check = sheet.mutual_check
        if quarter_bounds(check.year, check.quarter)[0] >= quarter_start:
            continue
        out += _messages(
            who.unit(sheet.checker_unit_id),
            Kind.CHECK_SHEETS_OPEN,
            f"sheet:{sheet.pk}",
            _week(day),
            _("Your score sheet for %(unit)s is still open") % {"unit": sheet.checked_unit.name},
            "",
            reverse("supervision:sheet_detail", args=[sheet.pk]),
        )
    return out


def finding_rules(day: datetime.date, settings: ReminderSettings, who: Recipients) -> list[Message]:
    out: list[Message] = []
    horizon = add_workdays(day, settings.finding_days_before_deadline)
    findings = with_overdue(
        Finding.objects.filter(
            raised_on__isnull=False, deadline__isnull=False, deadline__lte=horizon
        )
        .exclude(state=FindingState.CLOSED)
        .select_related("responsible_unit"),
        day,
    )
    for f in findings:
        url = reverse("supervision:finding_detail", args=[f.pk])
        unit = who.unit(f.responsible_unit_id)
        name = f.responsible_unit.name
        if f.is_overdue:
            # Overdue: the unit, its lead unit and the staff, again each week while overdue.
            out += _messages(
                unit + who.zone_lead(f.zone_id) + who.staff,
                Kind.FINDING_OVERDUE,
                f"finding:{f.pk}",
                _week(day),
                _("Rectification overdue since %(date)s (%(unit)s): %(text)s")
                % {"date": f.deadline, "unit": name, "text": str(f)},
                "",
                url,
            )
        elif f.deadline > day:
            out += _messages(
                unit,
                Kind.FINDING_DUE_SOON,
                f"finding:{f.pk}",
                f.deadline.isoformat(),
                _("Rectification due on %(date)s: %(text)s") % {"date": f.deadline, "text": str(f)},
                "",
                url,
            )
        elif f.deadline == day:
            out += _messages(
                unit,
                Kind.FINDING_DUE_TODAY,
                f"finding:{f.pk}",
                f.deadline.isoformat(),
                _("Rectification due today: %(text)s") % {"text": str(f)},
                "",
                url,
            )
    return out


def education_rules(
    day: datetime.date, settings: ReminderSettings, who: Recipients
) -> list[Message]:
    """六大课堂 (issue 19): a session tomorrow, to those expected who sign in and to the
    organizing units' secretaries; in the month's last five working days, a unit of a county
    running education with no 第一议题 recorded this month, to its secretaries."""
    out: list[Message] = []
    tomorrow = day + datetime.timedelta(days=1)
    sessions = StudySession.objects.filter(starts_at__date=tomorrow).prefetch_related(
        "units", "attendances__person"
    )
    for session in sessions:
        users = [a.person.user_id for a in session.attendances.all() if a.person.user_id]
        for unit in session.units.all():
            users += who.unit(unit.pk)
        out += _messages(
            users,
            Kind.STUDY_TOMORROW,
            f"study_session:{session.pk}",
            tomorrow.isoformat(),
            _("Study session tomorrow: %(topic)s") % {"topic": session.topic},
            "",
            reverse("education:session", args=[session.pk]),
        )
    if add_workdays(day, 5) > month_end(day):
        month = month_start(day)
        recorded = set(
            StudyMeeting.objects.filter(
                held_on__gte=month, held_on__lte=day, first_topic__isnull=False
            ).values_list("unit_id", flat=True)
        )
        units = Unit.objects.filter(
            county__in=counties_running(Mechanism.EDUCATION, day=day), posts__isnull=False
        ).distinct()
        for unit in units:
            if unit.pk in recorded:
                continue
            out += _messages(
                who.unit(unit.pk),
                Kind.FIRST_TOPIC_MISSING,
                f"first_topic:{unit.pk}",
                month.strftime("%Y-%m"),
                _("No first agenda item (第一议题) recorded this month for %(unit)s")
                % {"unit": unit.name},
                "",
                reverse("education:unit", args=[unit.pk]),
            )
    out += education_reminders.pace_messages(day, who.unit)
    out += education_reminders.absence_messages(day, who.unit)
    out += education_reminders.reregistration_messages(day, who.unit)
    out += education_reminders.service_feedback_messages(day, who.unit)
    return out


def wishes_rules(day: datetime.date, settings: ReminderSettings, who: Recipients) -> list[Message]:
    """群众微心愿 (issue 17): notifications.wish_reminders (which builds on this module)."""
    from .wish_reminders import wish_rules

    return wish_rules(day, who)


def teams_rules(day: datetime.date, settings: ReminderSettings, who: Recipients) -> list[Message]:
    """双带服务队 (issue 18): the county's contact rule, to the captains
    (notifications.team_reminders)."""
    from .team_reminders import team_contact_messages

    return team_contact_messages(day=day)


# The rules of each mechanism. A county's pass runs those of the mechanisms it runs (each rule
# once): a county running only the classrooms (平利县) gets theirs, a county running the service
# teams (紫阳县) the rectification reminders of its guidance visits' findings.
RULES_BY_MECHANISM = {
    Mechanism.ZONES: (host_rules, confirmation_rules, supervision_rules, finding_rules),
    Mechanism.TEAMS: (finding_rules, teams_rules),
    Mechanism.EDUCATION: (education_rules,),
    Mechanism.WISHES: (wishes_rules,),
}


def rules_for(county_id: int | None, day: datetime.date) -> list:
    """The rules of the county's mechanisms on `day`; every rule when no one county is known
    (a job over every county, a county-less test database)."""
    running = (
        set(RULES_BY_MECHANISM) if county_id is None else mechanisms_run_by(county_id, day=day)
    )
    out: list = []
    for mechanism, rules in RULES_BY_MECHANISM.items():
        if mechanism in running:
            out += [rule for rule in rules if rule not in out]
    return out


def due_messages(day: datetime.date) -> list[Message]:
    """Today's reminders of the county in scope (the task's pass over each county), with that
    county's lead times and working days, of the mechanisms it runs."""
    county_id = implied_county_id()
    settings = ReminderSettings.for_county(county_id)
    who = Recipients(day)
    with translation.override("zh-hans"):
        return [m for rule in rules_for(county_id, day) for m in rule(day, settings, who)]


def reminders_run(*, day: datetime.date) -> int:
    """Write today's reminders; returns how many notifications are new."""
    return len(notifications_send(due_messages(day)))
