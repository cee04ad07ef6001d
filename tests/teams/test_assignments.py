"""Teams and assignments over time: "一类+" anchors, the pool, reassignment that keeps history,
and results credited to the team that guided the organization on their date."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from supervision import services as supervision_services
from teams import services
from teams.models import Assignment, Team, TeamMember
from teams.selectors import league
from tests.factories import unit_in_zone
from tests.teams.conftest import START, pooled
from zones import services as zone_services


def test_reassign_and_reassign_back_keep_the_history(county, teams):
    unit = county.member_unit
    services.assign(team=teams.team_b, unit=unit, on=datetime.date(2026, 4, 1), by=county.staff)
    services.assign(team=teams.team_a, unit=unit, on=datetime.date(2026, 8, 1), by=county.staff)
    rows = list(
        Assignment.objects.filter(unit=unit)
        .order_by("effective_from")
        .values_list("team__name", "effective_from", "effective_to")
    )
    assert rows == [
        ("第一服务队", START, datetime.date(2026, 4, 1)),
        ("第二服务队", datetime.date(2026, 4, 1), datetime.date(2026, 8, 1)),
        ("第一服务队", datetime.date(2026, 8, 1), None),
    ]
    assert services.team_on(unit, datetime.date(2026, 3, 31)) == teams.team_a
    assert services.team_on(unit, datetime.date(2026, 4, 1)) == teams.team_b
    assert services.team_on(unit, datetime.date(2026, 7, 31)) == teams.team_b
    assert services.team_on(unit, datetime.date(2026, 8, 1)) == teams.team_a


def _closed_finding(county, teams, *, raised, closed, fixed_today):
    """A guidance finding on the member unit raised and closed on the days given."""
    fixed_today(raised)
    visit = services.visit_record(
        team=services.team_on(county.member_unit, raised),
        unit=county.member_unit,
        visited_on=raised,
        went=[teams.captain_person]
        if services.team_on(county.member_unit, raised) == teams.team_a
        else [m.person for m in services.team_members_on(teams.team_b, raised)][:1],
        problems=[("台账不全", "general", "")],
        by=county.staff,
    )
    finding = visit.sheet.findings.get()
    fixed_today(closed)
    supervision_services.finding_submit(finding=finding, note="已补齐", by=county.secretary)
    supervision_services.finding_verify(finding=finding, by=county.staff)
    return finding


def test_a_rectification_counts_for_the_team_of_its_closing_day(county, teams, fixed_today):
    services.assign(
        team=teams.team_b, unit=county.member_unit, on=datetime.date(2026, 6, 1), by=county.staff
    )
    # raised by team A in March, closed in March: team A's; raised by team A, closed in July
    # under team B: team B's rectification (team A raised it)
    _closed_finding(
        county,
        teams,
        raised=datetime.date(2026, 3, 2),
        closed=datetime.date(2026, 3, 10),
        fixed_today=fixed_today,
    )
    _closed_finding(
        county,
        teams,
        raised=datetime.date(2026, 5, 6),
        closed=datetime.date(2026, 7, 1),
        fixed_today=fixed_today,
    )
    fixed_today(datetime.date(2026, 11, 28))
    cards = {c.team.name: c for c in league(year=2026, policy=services.policy_for(None))}
    assert (cards["第一服务队"].raised, cards["第一服务队"].rectified) == (2, 1)
    assert (cards["第二服务队"].raised, cards["第二服务队"].rectified) == (0, 1)


def test_a_class_move_up_counts_for_the_team_of_its_day(county, teams):
    unit = county.member_unit  # second class since the fixture's grading
    services.assign(team=teams.team_b, unit=unit, on=datetime.date(2026, 6, 1), by=county.staff)
    zone_services.unit_set_grade(
        unit=unit, grade=1, effective_on=datetime.date(2026, 7, 1), by=county.staff, reason="进位"
    )
    cards = {c.team.name: c for c in league(year=2026, policy=services.policy_for(None))}
    assert cards["第二服务队"].promoted == 1
    assert cards["第一服务队"].promoted == 0


def test_a_team_is_anchored_by_a_first_class_organization(county, teams):
    person = pooled(county.member_unit_2, "孙队长", user=county.leader)
    with pytest.raises(ValidationError, match="一类"):
        services.team_create(
            name="第三服务队",
            anchor_unit=county.member_unit,  # second class
            captain=person,
            members=[],
            formed_on=START,
            by=county.staff,
        )
    assert not Team.objects.filter(name="第三服务队").exists()


def test_members_come_from_the_pool_and_a_captain_has_an_account(county, teams):
    outsider = pooled(county.member_unit_2, "周某")
    outsider.cadre_profile.available = False
    outsider.cadre_profile.save()
    with pytest.raises(ValidationError, match="cadre pool"):
        services.team_member_add(
            team=teams.team_a, person=outsider, role="member", on=START, by=county.staff
        )
    no_account = pooled(county.member_unit_2, "吴某")
    with pytest.raises(ValidationError, match="account"):
        services.team_member_add(
            team=teams.team_a, person=no_account, role="captain", on=START, by=county.staff
        )
    with pytest.raises(ValidationError, match="already on a team"):
        services.team_member_add(
            team=teams.team_b, person=teams.member_person, role="member", on=START, by=county.staff
        )
    assert TeamMember.objects.filter(team=teams.team_a).count() == 2


def test_no_member_guides_their_own_unit(county, teams):
    # team A's member works in the other lead unit
    with pytest.raises(ValidationError, match="own unit"):
        services.assign(team=teams.team_a, unit=county.other_lead_unit, on=START, by=county.staff)
    assert not Assignment.objects.filter(unit=county.other_lead_unit).exists()


def test_reassigning_refuses_the_same_team_and_a_day_not_after_the_start(county, teams):
    with pytest.raises(ValidationError, match="already guided"):
        services.assign(team=teams.team_a, unit=county.member_unit, on=START, by=county.staff)
    with pytest.raises(ValidationError, match="began on"):
        services.assign(team=teams.team_b, unit=county.member_unit, on=START, by=county.staff)
    assert Assignment.objects.filter(unit=county.member_unit).count() == 1


def test_a_member_leaves_mid_year_and_the_history_keeps_them(county, teams):
    member = TeamMember.objects.get(person=teams.member_person)
    services.team_member_leave(member=member, on=datetime.date(2026, 6, 30), by=county.staff)
    day_before = services.team_members_on(teams.team_a, datetime.date(2026, 6, 29))
    after = services.team_members_on(teams.team_a, datetime.date(2026, 7, 1))
    assert teams.member_person in [m.person for m in day_before]
    assert teams.member_person not in [m.person for m in after]
    with pytest.raises(ValidationError, match="already left"):
        services.team_member_leave(member=member, on=datetime.date(2026, 7, 30), by=county.staff)


def test_an_organization_has_one_open_team(county, teams):
    unit = unit_in_zone(county.zone_a, name="县统计局")
    services.assign(team=teams.team_a, unit=unit, on=START, by=county.staff)
    with pytest.raises(Exception):  # noqa: B017 - the database's own constraint
        Assignment.objects.create(team=teams.team_b, unit=unit, effective_from=START)
