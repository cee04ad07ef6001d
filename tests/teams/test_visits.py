"""Guidance visits by 四看三听两提: a supervision checklist's sheet, the problems raised as
supervision findings (deadline in working days) that the organization's secretary answers and
staff verify through the existing rectification flow; refusals change nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.workdays import add_workdays
from supervision import services as supervision_services
from supervision.constants import FindingState, Source
from supervision.models import Finding, ScoreSheet
from teams import services
from teams.models import GuidanceVisit
from teams.selectors import league, units_not_visited

DAY = datetime.date(2026, 11, 20)


def _visit(county, teams, **kwargs):
    fields = dict(
        team=teams.team_a,
        unit=county.member_unit,
        visited_on=DAY,
        went=[teams.captain_person, teams.member_person],
        problems=[("三会一课记录不全", "general", "按月补齐")],
        looked="查看了阵地和台账",
        heard_secretary="书记汇报了全年工作",
        by=teams.captain,
    )
    fields.update(kwargs)
    return services.visit_record(**fields)


def test_a_visit_raises_its_problems_as_findings_with_working_day_deadlines(county, teams):
    visit = _visit(county, teams)
    assert visit.sheet.source == Source.GUIDANCE
    assert visit.sheet.lines.exists()  # the checklist's criteria, copied
    finding = Finding.objects.get(sheet=visit.sheet)
    assert finding.source == Source.GUIDANCE
    assert finding.responsible_unit == county.member_unit
    assert finding.zone == county.zone_a
    assert finding.raised_on == DAY
    assert finding.deadline == add_workdays(DAY, finding.workdays_allowed)
    assert set(visit.went.all()) == {teams.captain_person, teams.member_person}


def test_the_secretary_answers_and_staff_verify_through_supervision(county, teams):
    visit = _visit(county, teams)
    finding = visit.sheet.findings.get()
    supervision_services.finding_start(finding=finding, by=county.secretary)
    supervision_services.finding_submit(finding=finding, note="已整改", by=county.secretary)
    supervision_services.finding_verify(finding=finding, by=county.staff)
    assert Finding.objects.get(pk=finding.pk).state == FindingState.CLOSED
    (card,) = league(year=2026, policy=services.policy_for(None), teams=[teams.team_a])
    assert (card.visits, card.raised, card.rectified) == (1, 1, 1)


def test_another_problem_is_raised_on_the_visits_day(county, teams):
    visit = _visit(county, teams, problems=[])
    finding = services.visit_add_finding(
        visit=visit, description="阵地标识缺失", severity="major", by=teams.captain
    )
    assert finding.raised_on == DAY and finding.severity == "major"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"visited_on": datetime.date(2026, 12, 1)}, "once it has taken place"),
        ({"went": []}, "Tick the members"),
        ({"problems": [("", "general", "")]}, "Describe the problem"),
        ({"problems": [("x", "fatal", "")]}, "not a severity"),
    ],
)
def test_a_bad_visit_is_refused_and_changes_nothing(county, teams, change, message):
    sheets = ScoreSheet.objects.count()
    with pytest.raises(ValidationError, match=message):
        _visit(county, teams, **change)
    assert GuidanceVisit.objects.count() == 0
    assert ScoreSheet.objects.count() == sheets
    assert Finding.objects.count() == 0


def test_a_visit_of_an_organization_the_team_did_not_guide_that_day_is_refused(county, teams):
    with pytest.raises(ValidationError, match="did not guide"):
        _visit(county, teams, unit=county.other_unit)
    with pytest.raises(ValidationError, match="did not guide"):
        _visit(county, teams, visited_on=datetime.date(2025, 12, 1))
    assert GuidanceVisit.objects.count() == 0


def test_who_went_was_on_the_team_that_day(county, teams):
    outsider = services.team_members_on(teams.team_b, DAY).first().person
    with pytest.raises(ValidationError, match="not on the team"):
        _visit(county, teams, went=[teams.captain_person, outsider])


def test_a_guidance_sheet_takes_no_scores_on_the_supervision_pages(county, teams):
    visit = _visit(county, teams)
    assert not supervision_services.sheet_is_fillable(visit.sheet)


def test_contact_reminders_name_the_organizations_not_visited_in_time(county, teams):
    policy = services.policy_for(county.zone_a.county_id)
    policy.visit_every_days = 30
    _visit(county, teams, problems=[])
    late = {(a.team.name, a.unit.name) for a in units_not_visited(policy=policy)}
    assert ("第一服务队", county.member_unit.name) not in late  # visited on 20 November
    assert ("第一服务队", "县卫健局") in late  # never visited
    assert ("第二服务队", county.other_unit.name) in late
