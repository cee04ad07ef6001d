"""The headline figures of the mechanisms beyond the zones (the classrooms, the micro-wishes,
the service teams) per county for a period, each a pair [numerator, denominator], counted by each
app's own rule in one aggregate over all the counties asked; and the city's totals pooled from
them (Σ numerator / Σ denominator, never an average of rates). The city dashboard (portal.city)
and the city roll-up report (reports.figures.city_figures) read the same."""

from __future__ import annotations

import datetime

from django.db.models import Count, OuterRef
from django.utils.translation import gettext_lazy as _

from core.aggregates import per_outer
from core.periods import Period
from counties.constants import Mechanism
from counties.models import County
from education.constants import ATTENDED
from education.models import Attendance as StudyAttendance
from education.models import Meeting as StudyMeeting
from teams.selectors import headlines_by_county as team_headlines_by_county
from wishes.selectors import headlines_by_county

HEADLINE_LABELS: dict = {}

# 六大课堂 (issue 19): the education mechanism's headline figures, each a pair too.
EDUCATION_FIGURES = ("attendance", "first_topic")
HEADLINE_LABELS.update(
    {
        "attendance": _("Attended / expected at study sessions"),  # 出勤率
        "first_topic": _("第一议题 recorded / party-group meetings"),  # 第一议题落实率
    }
)
# 群众微心愿 (issue 17): the micro-wishes' headline figures (办结率, 满意率), each a pair.
WISHES_FIGURES = ("wishes_resolved", "wishes_satisfied")
HEADLINE_LABELS.update(
    {
        "wishes_resolved": _("Wishes resolved / collected"),  # 办结率
        "wishes_satisfied": _("Satisfied / evaluated return visits"),  # 满意率
    }
)
# 双带服务队 (issue 18): the service teams' headline figures, each a pair.
TEAMS_FIGURES = ("teams_visited", "teams_rectified")
HEADLINE_LABELS.update(
    {
        "teams_visited": _("Organizations visited / guided"),  # 下沉指导覆盖
        "teams_rectified": _("Guidance problems rectified / raised"),  # 问题整改
    }
)


def teams_figures(*, counties: list[County], period: Period, day: datetime.date) -> dict:
    """county id → the service teams' figures for `period` up to `day`, counted by the teams
    app's own rule (teams.selectors.headlines_by_county): three aggregates."""
    found = team_headlines_by_county(
        county_ids=[c.pk for c in counties], start=period.start, end=min(period.end, day)
    )
    return {
        pk: {
            "teams_visited": [f["visited"], f["guided"]],
            "teams_rectified": [f["rectified"], f["raised"]],
        }
        for pk, f in found.items()
    }


def wishes_figures(*, counties: list[County], period: Period, day: datetime.date) -> dict:
    """county id → the micro-wishes' figures for the wishes received in `period` up to `day`,
    counted as the county's own figures page counts them (wishes.selectors): one aggregate."""
    found = headlines_by_county(
        county_ids=[c.pk for c in counties], start=period.start, end=min(period.end, day)
    )
    empty = {"collected": 0, "resolved": 0, "evaluated": 0, "satisfied": 0}
    return {
        county.pk: {
            "wishes_resolved": [
                found.get(county.pk, empty)["resolved"],
                found.get(county.pk, empty)["collected"],
            ],
            "wishes_satisfied": [
                found.get(county.pk, empty)["satisfied"],
                found.get(county.pk, empty)["evaluated"],
            ],
        }
        for county in counties
    }


def education_figures(*, counties: list[County], period: Period, day: datetime.date) -> dict:
    """county id → the education mechanism's figures for `period` as of `day`: one query
    whatever the number of counties (attendances of the sessions begun in the
    period, and the party-group meetings held in it with a 第一议题 recorded)."""
    ids = [c.pk for c in counties]
    until = min(period.end, day)
    sessions = StudyAttendance.objects.filter(
        session__county=OuterRef("pk"), session__starts_at__date__range=(period.start, until)
    )
    meetings = StudyMeeting.objects.filter(
        unit__county=OuterRef("pk"), held_on__range=(period.start, until)
    )
    # the attendances and the meetings, one aggregate each per county, in one query
    found = {
        row["pk"]: row
        for row in County.objects.filter(pk__in=ids)
        .annotate(
            expected=per_outer(sessions, "session__county", Count("pk")),
            attended=per_outer(
                sessions.filter(status__in=ATTENDED), "session__county", Count("pk")
            ),
            held=per_outer(meetings, "unit__county", Count("pk")),
            recorded=per_outer(
                meetings.filter(first_topic__isnull=False), "unit__county", Count("pk")
            ),
        )
        .values("pk", "expected", "attended", "held", "recorded")
        .order_by()
    }
    return {
        county.pk: {
            "attendance": [
                found.get(county.pk, {}).get("attended", 0),
                found.get(county.pk, {}).get("expected", 0),
            ],
            "first_topic": [
                found.get(county.pk, {}).get("recorded", 0),
                found.get(county.pk, {}).get("held", 0),
            ],
        }
        for county in counties
    }


def pooled(figure_sets: list[dict]) -> dict | None:
    """The city's figures of one mechanism: Σ numerator / Σ denominator of every county that
    ran it, never an average of the counties' rates. None when no county ran it."""
    if not figure_sets:
        return None
    total: dict[str, list[int]] = {}
    for figures in figure_sets:
        for key, (numerator, denominator) in figures.items():
            row = total.setdefault(key, [0, 0])
            row[0] += numerator
            row[1] += denominator
    return total


# Each mechanism's figures in the order the pages show them, and the function that counts them.
HEADLINES = {
    Mechanism.TEAMS: (TEAMS_FIGURES, teams_figures),
    Mechanism.EDUCATION: (EDUCATION_FIGURES, education_figures),
    Mechanism.WISHES: (WISHES_FIGURES, wishes_figures),
}
