"""A city report built by a real worker (real Redis of our own, real worker processes, the test
database on PostgreSQL), as a county report is: requested, generated in the background with
each county's figures, and finished once even when the worker's pool child is killed mid-way."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from activities.constants import ActivityState
from core.constants import Role
from core.periods import previous_month
from reports import services
from reports.constants import ReportState
from reports.models import CityReport
from tests.activities.factories import make_activity
from tests.factories import CountyFactory, UnitPostFactory, UserFactory, ZoneFactory, unit_in_zone
from tests.faults import app_on_own_redis, wait_for, worker_starter

LEASE = 4  # seconds

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broker(tmp_path):
    with app_on_own_redis(1, tmp_path) as server:
        yield server


@pytest.fixture
def workers(broker, tmp_path, settings):
    with worker_starter(broker, tmp_path, settings, lease=LEASE) as start:
        yield start


def last_month() -> datetime.date:
    return previous_month(timezone.localdate())


@pytest.fixture
def two_counties(county):
    """Last month: 石泉县 confirms 2 activities, 紫阳县 (one zone) 1; 平利县 runs nothing."""
    day = last_month() + datetime.timedelta(days=9)
    for _ in range(2):
        make_activity(
            unit=county.member_unit,
            by=county.secretary,
            date=day,
            state=ActivityState.CONFIRMED,
            reviewer=county.lead_secretary,
        )
    ziyang = CountyFactory(code="610924", name="紫阳县", short_name="紫阳")
    zone = ZoneFactory(county=ziyang, number=1, name="紫阳第1片区")
    lead, member = (
        unit_in_zone(zone, lead=True, county=ziyang, name="紫阳牵头单位"),
        unit_in_zone(zone, county=ziyang, name="紫阳成员单位"),
    )
    lead_secretary = UserFactory(username="zy_lead", county=ziyang)
    UnitPostFactory(user=lead_secretary, unit=lead)
    secretary = UserFactory(username="zy_sec", county=ziyang)
    UnitPostFactory(user=secretary, unit=member)
    make_activity(
        unit=member, by=secretary, date=day, state=ActivityState.CONFIRMED, reviewer=lead_secretary
    )
    CountyFactory(code="610926", name="平利县", short_name="平利", mechanisms=[])
    return UserFactory(username="city", role=Role.CITY_STAFF)


def state(report) -> tuple[str, int]:
    return tuple(CityReport.objects.filter(pk=report.pk).values_list("state", "progress").get())


def assert_built(report, attempts: int) -> None:
    report.refresh_from_db()
    assert report.state == ReportState.READY and report.attempts == attempts
    activities = {
        c["name"]: (c["zones"] or {}).get("activities") for c in report.figures["counties"]
    }
    assert activities == {"石泉县": 2, "紫阳县": 1, "平利县": None}
    assert report.figures["totals"]["zones"]["activities"] == 3
    assert "石泉县片区联建累计开展联建活动2次" in report.narrative
    with report.excel.open("rb") as f:
        assert openpyxl.load_workbook(io.BytesIO(f.read())).sheetnames == [
            "全市",
            "石泉县",
            "紫阳县",
            "平利县",
        ]


@pytest.mark.postgres
def test_the_worker_builds_a_requested_city_report(two_counties, workers):
    worker = workers()
    report = services.city_report_request(kind="month", day=last_month(), by=two_counties)
    assert wait_for(lambda: state(report)[0] == ReportState.READY, timeout=60), worker.output()
    assert_built(report, attempts=1)


@pytest.mark.postgres
def test_a_city_report_whose_pool_child_is_killed_is_finished_once(two_counties, workers, tmp_path):
    marker = tmp_path / "slow-report"
    marker.touch()
    worker = workers(FAULT_SLOW_REPORT=str(marker))
    report = services.city_report_request(kind="month", day=last_month(), by=two_counties)
    assert wait_for(lambda: state(report) == (ReportState.GENERATING, 60)), worker.output()

    worker.kill_pool_child()

    assert wait_for(lambda: state(report)[0] == ReportState.READY, timeout=60), worker.output()
    assert_built(report, attempts=2)
