"""The service teams in the county's figures: the dashboard tile, the roll-up report's figures,
its sheet and the committee's sentence; nothing of the teams in a county not running them."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.periods import period_of
from counties.models import CountyMechanism
from reports.excel import report_workbook
from reports.figures import report_figures
from reports.narrative import draft_narrative
from supervision import services as supervision_services
from teams import services
from teams.narrative import sentence
from tests.teams.conftest import TODAY
from zones import services as zone_services
from zones.constants import Grade

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_of_work(county, teams):
    c, t = county, teams
    visit = services.visit_record(
        team=t.team_a,
        unit=c.member_unit,
        visited_on=datetime.date(2026, 3, 2),
        went=[t.captain_person],
        problems=[("台账不全", "general", ""), ("制度未上墙", "general", "")],
        by=t.captain,
    )
    finding = visit.sheet.findings.order_by("pk").first()
    supervision_services.finding_submit(finding=finding, note="已整改", by=c.secretary)
    supervision_services.finding_verify(finding=finding, by=c.staff)
    zone_services.unit_set_grade(
        unit=c.member_unit,
        grade=Grade.FIRST,
        effective_on=datetime.date(2026, 6, 1),
        by=c.staff,
        reason="进位",
    )
    return visit


def test_the_report_counts_the_teams_and_says_so_in_the_committees_voice(county, year_of_work):
    period = period_of("year", TODAY)
    figures = report_figures(period=period, zone=None, today=TODAY, county=county.zone_a.county)
    assert figures["teams"] == {
        "teams": 2,
        "members": 4,
        "guided": 5,
        "visits": 1,
        "raised": 2,
        "rectified": 1,
        "promoted": 1,
        "matters": 0,
    }
    text = draft_narrative(figures, period_label="2026年")
    assert "2支服务队精准对接联系5个党组织，累计下沉开展指导1次" in text
    assert "协助1个“二类”党组织进位提升" in text
    book = load_workbook(io.BytesIO(report_workbook(figures, title="年报", narrative=text)))
    sheet = book["双带服务队"]
    rows = dict(sheet.iter_rows(min_row=2, values_only=True))
    assert rows["双带服务队"] == 2 and rows["联系的党组织"] == 5


def test_a_zone_report_or_a_county_not_running_teams_has_none(county, year_of_work):
    period = period_of("year", TODAY)
    zone_report = report_figures(period=period, zone=county.zone_a, today=TODAY)
    assert zone_report["teams"] is None
    for row in CountyMechanism.objects.filter(mechanism="teams"):
        row.until = datetime.date(2026, 2, 1)
        row.save()  # the county's mechanisms are read afresh
    figures = report_figures(period=period, zone=None, today=TODAY, county=county.zone_a.county)
    assert figures["teams"] is None
    assert "服务队" not in draft_narrative(figures, period_label="2026年")
    assert sentence({}) == ""


def test_the_dashboard_shows_the_teams_tile_to_staff(client, county, year_of_work):
    client.force_login(county.staff)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    tile = response.context["teams_tile"]
    assert (tile["teams"], tile["visits"], tile["rectified"], tile["raised"]) == (2, 1, 1, 2)
    assert 'id="dashboard-teams"' in response.content.decode()
