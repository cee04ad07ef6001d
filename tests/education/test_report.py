"""The six classrooms in the county's roll-up report: its figures (none for a county that does
not run education, or a zone's report), its sheets and its sentence."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.periods import period_of
from education import services
from education.constants import SessionKind
from reports.excel import report_workbook
from reports.figures import report_figures
from reports.narrative import draft_narrative

from .conftest import make_session

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 28)


def _world(edu, county):
    session = make_session(edu, county, day=datetime.date(2026, 10, 12))
    services.roster_mark(
        session=session,
        marks={a.pk: ("present", 0) for a in session.attendances.all()},
        by=county.staff,
    )
    make_session(edu, county, day=datetime.date(2026, 10, 14), kind=SessionKind.SEMINAR)
    services.meeting_record(
        unit=county.member_unit,
        held_on=datetime.date(2026, 10, 9),
        title="10月党组会",
        by=county.staff,
        first_topic={"topic": "学习", "summary": "交流"},
    )
    account = county.staff
    community = services.community_save(county=edu.county, name="东城社区", accounts=[account])
    registration = services.registration_create(
        unit=county.member_unit,
        person=edu.member,
        community=community,
        registered_on=datetime.date(2026, 9, 1),
        by=county.secretary,
    )
    service = services.service_log(
        registration=registration,
        done_on=datetime.date(2026, 10, 20),
        description="政策宣讲",
        hours=Decimal(3),
        by=county.secretary,
        practical_matter=True,
    )
    services.community_confirm(
        community=community,
        by=account,
        registration_ids=[registration.pk],
        service_ids=[service.pk],
    )


def test_the_county_report_carries_member_education(edu, county, monkeypatch):
    _world(edu, county)
    period = period_of("month", datetime.date(2026, 10, 1))
    figures = report_figures(period=period, zone=None, today=TODAY, county=edu.county)
    f = figures["education"]
    assert f["sessions"] == 3  # two sessions and the 第一议题
    assert (f["first_topic_recorded"], f["meetings_held"]) == (1, 1)
    assert (f["registered_units"], f["registered_members"], f["services"]) == (1, 1, 1)
    assert f["service_hours"] == "3.0" and f["practical_matters"] == 1
    assert ["县司法局", 1, 1, "3.0", 1] in f["by_unit"]

    narrative = draft_narrative(figures, period_label="2026年10月")
    assert "集中学习1场次" in narrative and "研讨1场次" in narrative
    assert "1个机关党组织、1名在职党员到社区报到" in narrative

    book = load_workbook(io.BytesIO(report_workbook(figures, title="t", narrative=narrative)))
    assert "党员教育" in book.sheetnames
    values = [c.value for row in book["党员教育"].iter_rows() for c in row]
    assert "到社区报到的机关单位" in values


def test_no_education_in_a_zones_report_or_a_county_not_running_it(edu, county):
    period = period_of("month", datetime.date(2026, 10, 1))
    zone = report_figures(period=period, zone=county.zone_a, today=TODAY)
    assert zone["education"] is None
    edu.county.mechanisms.filter(mechanism="education").update(since=datetime.date(2026, 12, 1))
    later = report_figures(period=period, zone=None, today=TODAY, county=edu.county)
    assert later["education"] is None
    book = load_workbook(io.BytesIO(report_workbook(later, title="t", narrative="")))
    assert "党员教育" not in book.sheetnames
