"""The county dashboard's tile of the micro-wishes (a county running the mechanism), and the
county roll-up report's micro-wishes sheet and sentence."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from core.periods import QUARTER, period_of
from counties.models import CountyMechanism
from reports.excel import report_workbook
from reports.figures import report_figures
from reports.narrative import draft_narrative
from wishes import services

from .conftest import MONDAY

pytestmark = pytest.mark.django_db

DEC_1 = datetime.date(2026, 12, 1)


def test_the_dashboard_of_a_county_running_the_mechanism_has_its_tile(client, w, county):
    cache.clear()
    client.force_login(county.staff)
    page = client.get(reverse("dashboard"))
    assert page.status_code == 200
    assert page.context["wishes"]["f"].collected == 1
    body = page.content.decode()
    assert 'id="wishes-tile"' in body and "全县累积收集民情民意1条" in body


def test_a_county_not_running_it_has_no_tile(client, county):
    client.force_login(county.staff)
    page = client.get(reverse("dashboard"))
    assert page.context["wishes"] is None and 'id="wishes-tile"' not in page.content.decode()


def test_the_county_report_has_the_micro_wishes_sheet_and_sentence(w, county):
    services.wish_dispatch(wish=w.wish, category=w.roads, by=county.staff, on=MONDAY)
    services.wish_sign(wish=w.wish, by=county.secretary, on=MONDAY)
    services.wish_answer(wish=w.wish, answer="已修复", by=county.secretary, on=MONDAY)
    services.wish_visit(wish=w.wish, satisfaction="satisfied", by=county.staff, on=MONDAY)
    period = period_of(QUARTER, MONDAY)
    c = county.lead_unit.county
    figures = report_figures(period=period, zone=None, county=c, today=DEC_1)
    wishes = figures["wishes"]
    assert (wishes["collected"], wishes["resolved"]) == (1, 1)
    assert wishes["satisfaction"] == [1, 1]
    assert (
        wishes["sentence"]
        == "2026年第四季度，全县累积收集民情民意1条，办结1条，满意率达到100.00%。"
    )
    narrative = draft_narrative(figures, period_label="2026年第四季度")
    assert narrative.endswith(wishes["sentence"])
    book = load_workbook(io.BytesIO(report_workbook(figures, title="报告", narrative=narrative)))
    sheet = book["微心愿"]
    cells = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "100.0% (1 / 1)" in cells and "滔河镇" in cells
    # a zone's report, and a county that did not run the mechanism, have none
    assert report_figures(period=period, zone=county.zone_a, today=DEC_1)["wishes"] is None
    CountyMechanism.objects.filter(mechanism="wishes").delete()
    assert report_figures(period=period, zone=None, county=c, today=DEC_1)["wishes"] is None
