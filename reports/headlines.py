"""The headline figures of the mechanisms beyond the zones (the classrooms, the micro-wishes,
the service teams) per county for a period, each a pair [numerator, denominator], counted by each
app's own rule in one aggregate over all the counties asked; and the city's totals pooled from
them (Σ numerator / Σ denominator, never an average of rates). The city dashboard (portal.city)
and the city roll-up report (reports.figures.city_figures) read the same."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from core.aggregates import grouped_aggregates, merged_by_key
from core.periods import Period
from counties.constants import Mechanism
from counties.models import County
from education.constants import ATTENDED
from education.models import Attendance as StudyAttendance
from education.models import Meeting as StudyMeeting
from teams.selectors import headline_rows_by_county as team_headline_rows
from teams.selectors import headlines_by_county as team_headlines_by_county
from wishes.selectors import headline_rows_by_county as wish_headline_rows
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


def teams_rows(*, county_ids: list[int], period: Period, day: datetime.date) -> dict:
    """The counts the service teams' figures are made of, as grouped aggregates per county
    (teams.selectors)."""
    return team_headline_rows(county_ids=county_ids, start=period.start, end=min(period.end, day))


def teams_shape(found: dict[int, dict[str, int]]) -> dict:
    """county id → the service teams' figures from their counts per county."""
    return {
        pk: {
            "teams_visited": [f["visited"], f["guided"]],
            "teams_rectified": [f["rectified"], f["raised"]],
        }
        for pk, f in found.items()
    }


def teams_figures(*, counties: list[County], period: Period, day: datetime.date) -> dict:
    """county id → the service teams' figures for `period` up to `day`, counted by the teams
    app's own rule (teams.selectors.headlines_by_county): one query."""
    return teams_shape(
        team_headlines_by_county(
            county_ids=[c.pk for c in counties], start=period.start, end=min(period.end, day)
        )
    )


def wishes_rows(*, county_ids: list[int], period: Period, day: datetime.date) -> dict:
    """The counts the micro-wishes' figures are made of, as a grouped aggregate per county
    (wishes.selectors)."""
    return wish_headline_rows(county_ids=county_ids, start=period.start, end=min(period.end, day))


def wishes_shape(found: dict[int, dict[str, int]]) -> dict:
    """county id → the micro-wishes' figures from their counts per county."""
    return {
        pk: {
            "wishes_resolved": [f["resolved"], f["collected"]],
            "wishes_satisfied": [f["satisfied"], f["evaluated"]],
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
    return wishes_shape({c.pk: found.get(c.pk, empty) for c in counties})


def education_rows(*, county_ids: list[int], period: Period, day: datetime.date) -> dict:
    """The counts the education mechanism's figures are made of, as grouped aggregates per
    county (`grouped_aggregates`): the attendances of the sessions begun in the period up to
    `day` (expected, and those attended), and the party-group meetings held in it (and those
    with a 第一议题 recorded)."""
    until = min(period.end, day)
    return {
        "sessions": StudyAttendance.objects.filter(
            session__county_id__in=county_ids,
            session__starts_at__date__range=(period.start, until),
        )
        .values("session__county_id")
        .annotate(expected=Count("pk"), attended=Count("pk", filter=Q(status__in=ATTENDED))),
        "meetings": StudyMeeting.objects.filter(
            unit__county_id__in=county_ids, held_on__range=(period.start, until)
        )
        .values("unit__county_id")
        .annotate(held=Count("pk"), recorded=Count("pk", filter=Q(first_topic__isnull=False))),
    }


def education_shape(found: dict[int, dict[str, int]]) -> dict:
    """county id → the education mechanism's figures from their counts per county."""
    return {
        pk: {
            "attendance": [f["attended"], f["expected"]],
            "first_topic": [f["recorded"], f["held"]],
        }
        for pk, f in found.items()
    }


def education_figures(*, counties: list[County], period: Period, day: datetime.date) -> dict:
    """county id → the education mechanism's figures for `period` as of `day`: one query
    whatever the number of counties (`education_rows` counted per county)."""
    ids = [c.pk for c in counties]
    parts = education_rows(county_ids=ids, period=period, day=day)
    return education_shape(merged_by_key(grouped_aggregates(parts), parts, ids))


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
# Each mechanism's rows counted per county and the figures made of their counts: what the
# functions above run, for a page that counts every mechanism in one statement (portal.city).
HEADLINE_ROWS = {
    Mechanism.EDUCATION: (education_rows, education_shape),
    Mechanism.WISHES: (wishes_rows, wishes_shape),
    Mechanism.TEAMS: (teams_rows, teams_shape),
}
