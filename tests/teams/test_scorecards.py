"""Scorecards of a year on a hand-computed example, the reminder-talk flag and its record."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from supervision import services as supervision_services
from teams import services
from teams.selectors import league, member_cards
from zones import services as zone_services


def test_the_scorecards_of_a_hand_computed_year(county, teams, fixed_today):
    c, a = county, teams
    policy = services.policy_for(c.zone_a.county_id)
    policy.weight_visit, policy.weight_rectified = 2, 3
    policy.weight_promoted, policy.weight_matter, policy.threshold = 10, 1, 8
    policy.save()
    # two visits of team A: the captain went on both, the member on the first; the first
    # raised two problems (one rectified), the second none
    fixed_today(datetime.date(2026, 5, 6))
    v1 = services.visit_record(
        team=a.team_a,
        unit=c.member_unit,
        visited_on=datetime.date(2026, 5, 6),
        went=[a.captain_person, a.member_person],
        problems=[("问题一", "general", ""), ("问题二", "major", "")],
        by=a.captain,
    )
    services.visit_record(
        team=a.team_a,
        unit=a.extra_units[1],
        visited_on=datetime.date(2026, 5, 6),
        went=[a.captain_person],
        by=a.captain,
    )
    first = v1.sheet.findings.order_by("pk").first()
    supervision_services.finding_submit(finding=first, note="已改", by=c.secretary)
    supervision_services.finding_verify(finding=first, by=c.staff)
    # the member unit moves up (second → first class) while team A guides it
    zone_services.unit_set_grade(
        unit=c.member_unit,
        grade=1,
        effective_on=datetime.date(2026, 6, 1),
        by=c.staff,
        reason="进位",
    )
    # the member's matter, confirmed by the captain; one not confirmed does not count
    fixed_today(datetime.date(2026, 6, 15))
    matter = services.matter_log(
        person=a.member_person,
        by=a.member,
        description="帮助销售滞销农产品",
        category="sales",
        done_on=datetime.date(2026, 5, 10),
        hours=3,
        people_served=5,
    )
    services.matter_confirm(matter=matter, by=a.captain)
    services.matter_log(
        person=a.member_person,
        by=a.member,
        description="维修线路",
        category="repair",
        done_on=datetime.date(2026, 5, 11),
    )
    fixed_today(datetime.date(2026, 11, 28))
    (card,) = league(year=2026, policy=policy, teams=[a.team_a])
    # team: 2 visits × 2 + 1 rectified × 3 + 1 moved up × 10 + 1 matter × 1 = 18
    assert (card.visits, card.raised, card.rectified, card.promoted, card.matters) == (
        2,
        2,
        1,
        1,
        1,
    )
    assert card.score == 18
    assert card.rate == 50
    cards = {m.member.person.name: m for m in member_cards(team=a.team_a, year=2026, policy=policy)}
    captain, member = cards["王队长"], cards["赵队员"]
    # captain: 2 visits × 2 + 1 rectified × 3 = 7 < 8: flagged; member: 1 × 2 + 1 × 3 + 1 = 6
    assert (captain.visits, captain.raised, captain.rectified, captain.score) == (2, 2, 1, 7)
    assert (member.visits, member.rectified, member.matters, member.score) == (1, 1, 1, 6)
    assert captain.flagged and member.flagged
    policy.threshold = 7
    cards = {m.member.person.name: m for m in member_cards(team=a.team_a, year=2026, policy=policy)}
    assert not cards["王队长"].flagged and cards["赵队员"].flagged


def test_a_reminder_talk_is_recorded_with_its_day_and_outcome(county, teams):
    talk = services.talk_record(
        person=teams.member_person,
        team=teams.team_a,
        year=2026,
        held_on=datetime.date(2026, 11, 27),
        outcome="已谈话，明确改进措施",
        by=county.staff,
    )
    (card,) = [
        m
        for m in member_cards(team=teams.team_a, year=2026, policy=services.policy_for(None))
        if m.member.person_id == teams.member_person.pk
    ]
    assert card.talks == [talk]
    with pytest.raises(ValidationError, match="concluded"):
        services.talk_record(
            person=teams.member_person,
            team=teams.team_a,
            year=2026,
            held_on=datetime.date(2026, 11, 27),
            outcome=" ",
            by=county.staff,
        )


def test_a_matter_is_confirmed_once_and_logged_only_by_someone_on_a_team(county, teams):
    matter = services.matter_log(
        person=teams.member_person,
        by=teams.member,
        description="安装路灯",
        category="facility",
        done_on=datetime.date(2026, 11, 2),
    )
    services.matter_confirm(matter=matter, by=teams.captain)
    with pytest.raises(ValidationError, match="already confirmed"):
        services.matter_confirm(matter=matter, by=teams.captain)
    from tests.teams.conftest import pooled

    stranger = pooled(county.member_unit_2, "郑某")
    with pytest.raises(ValidationError, match="not on a team"):
        services.matter_log(
            person=stranger,
            by=county.staff,
            description="x",
            category="other",
            done_on=datetime.date(2026, 11, 2),
        )
