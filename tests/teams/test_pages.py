"""The service teams' pages, per persona (404 for what one may not see, 403 for what one may
see but not change), a county that does not run them, and the query counts of the team list,
the team page and its scorecards, equal at small and large data."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from counties.constants import Mechanism
from counties.models import CountyMechanism
from supervision.models import Finding
from teams import services
from teams.models import GuidanceVisit, Rotation
from tests.factories import UserFactory, unit_in_zone
from tests.teams.conftest import START, pooled


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_each_persona_reads_what_is_theirs(client, county, teams):
    team_a = reverse("teams:team_detail", args=[teams.team_a.pk])
    cases = [
        (county.staff, reverse("teams:index"), 200),
        (teams.captain, reverse("teams:index"), 200),
        (county.secretary, reverse("teams:index"), 200),  # team A guides the member unit
        (county.other_secretary, reverse("teams:index"), 200),  # team B guides their unit
        (county.lead_secretary, reverse("teams:index"), 404),  # no team, no guided unit
        (county.staff, team_a, 200),
        (teams.captain, team_a, 200),
        (teams.member, team_a, 200),
        (county.secretary, team_a, 200),
        (county.other_secretary, team_a, 404),
        (teams.captain_b, team_a, 404),
        (county.staff, reverse("teams:rotation"), 200),
        (teams.captain, reverse("teams:rotation"), 404),
        (county.staff, reverse("teams:visit_create", args=[teams.team_a.pk]), 200),
        (teams.captain, reverse("teams:visit_create", args=[teams.team_a.pk]), 200),
        (teams.member, reverse("teams:visit_create", args=[teams.team_a.pk]), 403),
        (county.secretary, reverse("teams:visit_create", args=[teams.team_a.pk]), 403),
        (teams.captain_b, reverse("teams:visit_create", args=[teams.team_a.pk]), 404),
    ]
    got = [(u.username, url, _get(client, u, url).status_code) for u, url, _s in cases]
    assert got == [(u.username, url, s) for u, url, s in cases]


def test_a_county_not_running_the_teams_gets_404(client, county, teams):
    CountyMechanism.objects.filter(mechanism=Mechanism.TEAMS).delete()
    assert _get(client, county.staff, reverse("teams:index")).status_code == 404


def test_the_captain_records_a_visit_with_a_finding_on_the_page(client, county, teams):
    client.force_login(teams.captain)
    response = client.post(
        reverse("teams:visit_create", args=[teams.team_a.pk]),
        {
            "unit": county.member_unit.pk,
            "visited_on": "2026-11-27",
            "went": [teams.captain_person.pk, teams.member_person.pk],
            "looked": "查看了阵地",
            "problem": "党员教育台账不全",
            "severity": "general",
        },
    )
    visit = GuidanceVisit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("teams:visit_detail", args=[visit.pk])
    finding = Finding.objects.get()
    assert finding.description == "党员教育台账不全"
    # the secretary reads the visit and answers the finding on the supervision pages
    client.force_login(county.secretary)
    assert client.get(reverse("teams:visit_detail", args=[visit.pk])).status_code == 200
    start = client.post(reverse("supervision:finding_action", args=[finding.pk, "start"]))
    assert start.status_code == 302
    finding.refresh_from_db()
    assert finding.state == "in_progress"


def test_a_visit_of_a_day_to_come_is_refused_on_the_page(client, county, teams):
    client.force_login(teams.captain)
    response = client.post(
        reverse("teams:visit_create", args=[teams.team_a.pk]),
        {
            "unit": county.member_unit.pk,
            "visited_on": "2026-12-05",
            "went": [teams.captain_person.pk],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "下沉指导结束后方可记录。" in page, page[page.find("<main") :][:1500]
    assert not GuidanceVisit.objects.exists()


def test_staff_propose_and_confirm_the_rotation_on_the_page(client, county, teams):
    client.force_login(county.staff)
    url = reverse("teams:rotation")
    response = client.post(f"{url}?year=2027", {"effective_on": "2027-01-01"})
    assert response.status_code == 302
    rotation = Rotation.objects.get(year=2027)
    page = client.get(f"{url}?year=2027").content.decode()
    assert "rotation-diff" in page
    client.post(reverse("teams:rotation_confirm", args=[rotation.pk]))
    rotation.refresh_from_db()
    assert rotation.state == "confirmed"
    # a captain may not confirm
    client.force_login(teams.captain)
    assert client.post(reverse("teams:rotation_confirm", args=[rotation.pk])).status_code == 404


def _grow(county, teams, n: int):
    """n more organizations guided, visited, with findings and a brand; a team more per 3, its
    member at a training."""
    training = services.training_record(
        kind="class", title=f"培训{n}", held_on=START, by=county.staff
    )
    for i in range(n):
        unit = unit_in_zone(county.zone_a if i % 2 else county.zone_b, name=f"县单位{i}")
        team = teams.team_a if i % 2 else teams.team_b
        services.assign(team=team, unit=unit, on=START, by=county.staff)
        services.visit_record(
            team=team,
            unit=unit,
            visited_on=datetime.date(2026, 11, 2),
            went=[services.team_members_on(team, START).first().person],
            problems=[("问题", "general", "")],
            by=county.staff,
        )
        services.brand_record(unit=unit, name=f"品牌{i}", recognized_on=START, by=county.staff)
    for i in range(n // 3):
        grade_unit = unit_in_zone(county.zone_a, grade=1, name=f"县一类单位{i}")
        member = pooled(county.member_unit_2, f"队员{i}")
        captain = pooled(grade_unit, f"带队{i}", user=UserFactory(username=f"cap{i}"))
        services.team_create(
            name=f"服务队{i}",
            anchor_unit=grade_unit,
            captain=captain,
            members=[member],
            formed_on=START,
            by=county.staff,
        )
        services.training_entry_add(training=training, person=member, by=county.staff)


def _count(client, user, url) -> int:
    client.force_login(user)
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["staff", "captain"])
def test_the_team_list_and_page_cost_the_same_queries_at_any_size(client, county, teams, persona):
    user = county.staff if persona == "staff" else teams.captain
    urls = [reverse("teams:index"), reverse("teams:team_detail", args=[teams.team_a.pk])]
    small = [_count(client, user, url) for url in urls]
    _grow(county, teams, 9)
    large = [_count(client, user, url) for url in urls]
    assert small == large
    assert max(small) <= 40  # twelve grouped figures of the league, five of the members


@pytest.mark.parametrize(
    "language, heading", [("zh-hans", "双带服务队 · 2026年"), ("en", "Service teams · 2026<")]
)
def test_the_league_names_its_year_as_the_committee_writes_it(
    client, county, teams, language, heading
):
    client.force_login(county.staff)
    page = client.get(reverse("teams:index"), {"year": 2026}, HTTP_ACCEPT_LANGUAGE=language)
    assert heading in page.content.decode()
