"""The weekly digest (每周简报) of a county to its staff, on the county's digest weekday: a
sentence for each mechanism the county runs, counted by that mechanism's own figures (the zones'
gaps, overdue rectifications and activities waiting; the service teams' visits, problems and
lapses of the contact rule; the classrooms' sessions, members on pace and 第一议题; the
micro-wishes' collected, resolved, overdue and not yet dispatched). A county running only the
classrooms (平利县) or only the micro-wishes (岚皋县) gets its digest as a county running the zones
does. Run by `notifications.weekly_digest` once per county running any mechanism."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from activities.constants import ActivityState, CellState
from activities.models import Activity
from activities.selectors import zone_month_states
from core.periods import previous_month
from core.workdays import years_missing_schedule
from counties.constants import Mechanism
from counties.scoping import implied_county_id
from counties.selectors import mechanisms_run_by
from education.selectors import county_figures as education_county_figures
from supervision.constants import Source
from supervision.models import Finding
from supervision.selectors import overdue
from teams.selectors import contact_lapses, county_headline
from teams.services import policy_for
from wishes.models import Wish
from wishes.selectors import figures as wish_figures

from .constants import Kind
from .models import ReminderSettings
from .reminders import Recipients, _messages, _week
from .services import Message, notifications_send


def zones_lines(day: datetime.date, county_id: int | None) -> list[str]:
    """月月有活动、季季有自检: last month's gaps, the overdue rectifications, the activities
    waiting for confirmation."""
    gaps = sum(
        1
        for state in zone_month_states(months=[previous_month(day)], day=day).values()
        if state == CellState.GAP
    )
    overdue_findings = Finding.objects.filter(overdue(day), raised_on__isnull=False).count()
    waiting = Activity.objects.filter(state=ActivityState.SUBMITTED).count()
    return [
        _(
            "Gaps last month: %(gaps)d. Overdue rectifications: %(overdue)d. Activities waiting for confirmation: %(waiting)d."
        )
        % {"gaps": gaps, "overdue": overdue_findings, "waiting": waiting}
    ]


def teams_lines(day: datetime.date, county_id: int | None) -> list[str]:
    """双带服务队: this year's guidance visits and problems (teams.selectors.county_headline),
    the guidance rectifications overdue, the organizations past the contact rule."""
    year = county_headline(start=datetime.date(day.year, 1, 1), end=day)
    late = Finding.objects.filter(
        overdue(day), source=Source.GUIDANCE, raised_on__isnull=False
    ).count()
    lapses = len(contact_lapses(policy=policy_for(county_id), day=day))
    return [
        _(
            "Service teams this year: %(visits)d guidance visits, %(rectified)d of %(raised)d problems rectified, %(late)d overdue; organizations not visited in time: %(lapses)d."
        )
        % {
            "visits": year["visits"],
            "rectified": year["rectified"],
            "raised": year["raised"],
            "late": late,
            "lapses": lapses,
        }
    ]


def education_lines(day: datetime.date, county_id: int | None) -> list[str]:
    """六大课堂: this year's sessions, the members on pace for their study hours, the party-group
    meetings with their 第一议题 recorded (education.selectors.county_figures)."""
    f = education_county_figures(day.year, county_id=county_id, day=day)
    return [
        _(
            "Six classrooms this year: %(sessions)d sessions; %(on_pace)d of %(members)d members on pace for their study hours; 第一议题 recorded at %(recorded)d of %(held)d party-group meetings."
        )
        % {
            "sessions": f["sessions"],
            "on_pace": f["on_pace"],
            "members": f["members"],
            "recorded": f["first_topic_recorded"],
            "held": f["meetings_held"],
        }
    ]


def wishes_lines(day: datetime.date, county_id: int | None) -> list[str]:
    """群众微心愿: this year's wishes collected and resolved, those past their deadline and those
    not yet dispatched (wishes.selectors.figures, one aggregate)."""
    f = wish_figures(Wish.objects.all(), start=datetime.date(day.year, 1, 1), end=day, day=day)
    return [
        _(
            "Micro-wishes this year: %(resolved)d of %(collected)d resolved; %(overdue)d past their deadline, %(unassigned)d not yet dispatched."
        )
        % {
            "resolved": f.resolved,
            "collected": f.collected,
            "overdue": f.overdue,
            "unassigned": f.unassigned,
        }
    ]


# Each mechanism's sentences, in the order the digest gives them.
DIGEST_BY_MECHANISM = {
    Mechanism.ZONES: zones_lines,
    Mechanism.TEAMS: teams_lines,
    Mechanism.EDUCATION: education_lines,
    Mechanism.WISHES: wishes_lines,
}


def digest_messages(day: datetime.date) -> list[Message]:
    """The weekly digest of the county in scope, to its staff, on its digest weekday: the
    sentences of the mechanisms it runs (every mechanism's where no one county is known)."""
    county_id = implied_county_id()
    settings = ReminderSettings.for_county(county_id)
    if day.weekday() != settings.digest_weekday:
        return []
    running = (
        set(DIGEST_BY_MECHANISM) if county_id is None else mechanisms_run_by(county_id, day=day)
    )
    who = Recipients(day)
    missing = years_missing_schedule([day.year, day.year + 1])
    with translation.override("zh-hans"):
        body = " ".join(
            line
            for mechanism, lines in DIGEST_BY_MECHANISM.items()
            if mechanism in running
            for line in lines(day, county_id)
        )
        if missing:
            body += _(" The working-day calendar is missing for %(years)s.") % {
                "years": ", ".join(str(y) for y in missing)
            }
        title = _("Weekly digest, week %(week)s") % {"week": _week(day)}
    return _messages(
        who.staff, Kind.WEEKLY_DIGEST, "county", _week(day), title, body.strip(), reverse("home")
    )


def digest_run(*, day: datetime.date) -> int:
    return len(notifications_send(digest_messages(day)))
