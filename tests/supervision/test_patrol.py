"""Half-year cross-zone patrols: the plan, who adjusts and publishes it, who fills the teams'
sheets and records the visit, and the round page's query count."""

from __future__ import annotations

import datetime
import random

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from supervision import services
from supervision.constants import RoundState, SheetState
from supervision.models import PatrolRound, PatrolTeam
from tests.factories import UnitPostFactory, UserFactory, ZoneFactory, unit_in_zone
from tests.helpers import supervision_url as url
from tests.supervision.conftest import fill


def test_proposed_plan_sends_each_zone_to_another_with_a_leader_and_secretaries(
    county, patrol_round
):
    teams = list(patrol_round.teams.all())
    assert {t.visited_zone_id for t in teams} == {county.zone_a.pk, county.zone_b.pk}
    for team in teams:
        assert team.from_zone_id != team.visited_zone_id
        assert team.leader.role == "leader"
        members = set(team.members.all())
        assert members
        member_units = {p.unit.pk for m in members for p in m.unit_posts.all()}
        assert member_units <= set(team.from_zone.memberships.values_list("unit_id", flat=True))
    # Two zones can only supervise each other: the plan says so.
    with translation.override("en"):
        assert patrol_round.plan_note


def test_staff_open_a_round_from_the_page_and_others_cannot(client, county, today):
    client.force_login(county.leader)
    assert client.get(url("round_create")).status_code == 403
    client.force_login(county.staff)
    response = client.post(url("round_create"), {"year": 2026, "half": 2})
    assert response.status_code == 302 and PatrolRound.objects.count() == 1


def test_a_second_round_for_the_same_half_is_refused(county, patrol_round):
    with translation.override("en"), pytest.raises(ValidationError):
        services.patrol_round_open(year=2026, half=2, by=county.staff)
    assert PatrolRound.objects.count() == 1


def test_draft_plan_is_hidden_from_team_members_and_leaders(client, county, patrol_round):
    for user in (county.leader, county.secretary):
        client.force_login(user)
        assert client.get(url("round_detail", patrol_round.pk)).status_code == 404


def test_leader_sees_a_published_round_but_cannot_adjust_it(client, county, patrol_round):
    services.patrol_round_publish(round_=patrol_round, by=county.staff)
    client.force_login(county.leader)
    assert client.get(url("round_detail", patrol_round.pk)).status_code == 200
    assert client.get(url("round_plan", patrol_round.pk)).status_code == 403
    assert client.post(url("round_close", patrol_round.pk)).status_code == 403
    assert PatrolRound.objects.get().state == RoundState.PUBLISHED


def test_plan_where_a_zone_visits_itself_is_refused_and_nothing_changes(
    client, county, patrol_round
):
    client.force_login(county.staff)
    before = set(patrol_round.teams.values_list("visited_zone_id", "from_zone_id"))
    data = {}
    for team in patrol_round.teams.all():
        data[f"from_{team.visited_zone_id}"] = team.visited_zone_id
        data[f"leader_{team.visited_zone_id}"] = county.leader.pk
    response = client.post(url("round_plan", patrol_round.pk), data)
    assert response.status_code == 200
    assert set(patrol_round.teams.values_list("visited_zone_id", "from_zone_id")) == before


def test_publishing_creates_a_sheet_per_unit_of_the_visited_zone(county, patrol_round):
    services.patrol_round_publish(round_=patrol_round, by=county.staff)
    team_a = patrol_round.teams.get(visited_zone=county.zone_a)
    assert set(team_a.sheets.values_list("checked_unit_id", flat=True)) == {
        county.lead_unit.pk,
        county.member_unit.pk,
        county.member_unit_2.pk,
    }


def test_team_members_fill_their_teams_sheets_and_the_visited_zone_cannot(
    client, county, patrol_round
):
    services.patrol_round_publish(round_=patrol_round, by=county.staff)
    team_b = patrol_round.teams.get(visited_zone=county.zone_b)  # staffed by zone A
    sheet = team_b.sheets.first()
    member = team_b.members.first()
    client.force_login(member)
    data = {f"score_{line.pk}": str(line.max_score) for line in sheet.lines.all()}
    assert client.post(url("sheet_detail", sheet.pk), {**data, "submit": "1"}).status_code == 302
    assert sheet.__class__.objects.get(pk=sheet.pk).state == SheetState.SUBMITTED
    client.force_login(county.other_secretary)  # a unit of zone B, the visited zone
    assert client.get(url("sheet_detail", team_b.sheets.last().pk)).status_code == 404


def test_team_records_the_visit_and_three_listens(client, county, patrol_round):
    services.patrol_round_publish(round_=patrol_round, by=county.staff)
    team = patrol_round.teams.get(visited_zone=county.zone_b)
    client.force_login(team.members.first())
    client.post(
        url("team_detail", team.pk),
        {
            "visit_date": "2026-11-20",
            "heard_secretary": "书记汇报",
            "heard_members": "党员意见",
            "heard_recipients": "服务对象诉求",
        },
    )
    team.refresh_from_db()
    assert (
        team.visit_date == datetime.date(2026, 11, 20) and team.heard_recipients == "服务对象诉求"
    )


def test_a_visit_date_in_the_future_is_refused(client, county, patrol_round):
    services.patrol_round_publish(round_=patrol_round, by=county.staff)
    team = patrol_round.teams.get(visited_zone=county.zone_b)
    client.force_login(county.staff)
    client.post(url("team_detail", team.pk), {"visit_date": "2026-12-20"})
    assert PatrolTeam.objects.get(pk=team.pk).visit_date is None


def test_a_leader_not_on_the_team_cannot_record_the_visit(client, county, patrol_round):
    services.patrol_round_publish(round_=patrol_round, by=county.staff)
    other_leader = UserFactory(username="leader2", role="leader")
    team = patrol_round.teams.get(visited_zone=county.zone_b)
    client.force_login(other_leader)
    assert client.get(url("team_detail", team.pk)).status_code == 200
    assert client.post(url("team_detail", team.pk), {"visit_date": "2026-11-20"}).status_code == 403


def test_closing_raises_the_findings_and_shows_the_checked_unit_its_sheet(
    client, county, patrol_round
):
    services.patrol_round_publish(round_=patrol_round, by=county.staff)
    sheet = patrol_round.teams.get(visited_zone=county.zone_a).sheets.get(
        checked_unit=county.member_unit
    )
    services.finding_record(
        sheet=sheet, description="阵地标识不规范", severity="major", by=county.leader
    )
    client.force_login(county.secretary)
    assert client.get(url("sheet_detail", sheet.pk)).status_code == 404
    for team in patrol_round.teams.all():
        for s in team.sheets.all():
            fill(s, county.staff)
    services.patrol_round_close(round_=patrol_round, by=county.staff)
    assert client.get(url("sheet_detail", sheet.pk)).status_code == 200
    assert sheet.findings.get().deadline is not None


def add_zone_with_units(number: int, units: int):
    zone = ZoneFactory(number=number)
    lead = unit_in_zone(zone, lead=True)
    UnitPostFactory(unit=lead)
    for _ in range(units - 1):
        UnitPostFactory(unit=unit_in_zone(zone))
    return zone


def test_round_page_query_count_does_not_grow_with_zones(client, county, today):
    def measure():
        PatrolRound.objects.all().delete()
        round_ = services.patrol_round_open(
            year=2026, half=2, by=county.staff, rng=random.Random(1)
        )
        services.patrol_round_publish(round_=round_, by=county.staff)
        client.force_login(county.staff)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("round_detail", round_.pk)).status_code == 200
        return len(ctx.captured_queries)

    small = measure()
    for n in range(3, 9):
        add_zone_with_units(n, 4)
    # session, user, the round, the user's scope (unit posts, guided zones), the teams with
    # zones, leader and sheet counts, their members (prefetch), and the staff check's
    # second scope read: 8, equal for 2 and 8 zones.
    assert small == 8
    assert measure() == small
