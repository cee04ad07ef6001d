"""A worker killed with SIGKILL while it builds a report (its pool child alone, or the whole
worker): the report does not stay "generating 60 %" for good. Its generation holds a lease;
once the lease expires the redelivered task or the sweep claims it again and finishes it, with
its figures computed once and never half-written. Real Redis of our own, real worker processes,
the test database on PostgreSQL."""

from __future__ import annotations

import datetime
import io
import time

import openpyxl
import pytest
from django.utils import timezone

from activities.constants import ActivityState
from core.periods import previous_month
from reports import services
from reports.constants import ReportState
from reports.models import RollupReport
from tests.activities.factories import make_activity
from tests.faults import (
    app_on_own_redis,
    wait_for,
    worker_starter,
)

LEASE = 4  # seconds, instead of the task's hard time limit and a minute


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
def two_activities(county):
    day = last_month() + datetime.timedelta(days=9)
    for _ in range(2):
        make_activity(
            unit=county.member_unit,
            by=county.secretary,
            date=day,
            state=ActivityState.CONFIRMED,
            reviewer=county.lead_secretary,
        )
    return county


def state(report) -> tuple[str, int]:
    return tuple(RollupReport.objects.filter(pk=report.pk).values_list("state", "progress").get())


def assert_finished_once(report, attempts: int) -> None:
    report.refresh_from_db()
    assert report.state == ReportState.READY and report.progress == 100
    assert report.attempts == attempts
    assert report.figures["activities"] == 2
    assert report.narrative
    with report.excel.open("rb") as f:
        assert openpyxl.load_workbook(io.BytesIO(f.read())).sheetnames


pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.postgres
def test_a_report_whose_pool_child_is_killed_is_finished_by_the_redelivered_task(
    two_activities, workers, tmp_path
):
    marker = tmp_path / "slow-report"
    marker.touch()
    worker = workers(FAULT_SLOW_REPORT=str(marker))
    report = services.report_request(kind="month", day=last_month(), by=two_activities.staff)
    assert wait_for(lambda: state(report) == (ReportState.GENERATING, 60)), worker.output()

    worker.kill_pool_child()

    # The message comes back at once (acks late, rejected on worker lost); the task waits out
    # the lease of the run that died and then generates the report itself.
    assert wait_for(lambda: state(report)[0] == ReportState.READY, timeout=60), worker.output()
    assert_finished_once(report, attempts=2)


@pytest.mark.postgres
def test_a_report_whose_whole_worker_is_killed_is_finished_by_the_sweep(
    two_activities, workers, tmp_path
):
    marker = tmp_path / "slow-report"
    marker.touch()
    first = workers(FAULT_SLOW_REPORT=str(marker))
    report = services.report_request(kind="month", day=last_month(), by=two_activities.staff)
    assert wait_for(lambda: state(report) == (ReportState.GENERATING, 60)), first.output()

    first.kill()
    second = workers()
    # Nothing comes back by itself before the broker's one-hour visibility timeout.
    time.sleep(LEASE + 1)
    assert state(report) == (ReportState.GENERATING, 60)

    assert services.reports_sweep() == 1
    assert wait_for(lambda: state(report)[0] == ReportState.READY, timeout=60), second.output()
    assert_finished_once(report, attempts=2)
    assert services.reports_sweep() == 0


# The lease itself, without processes.


def generating_since(report, seconds: float, attempts: int = 1) -> None:
    RollupReport.objects.filter(pk=report.pk).update(
        state=ReportState.GENERATING,
        progress=60,
        claimed_at=timezone.now() - datetime.timedelta(seconds=seconds),
        attempts=attempts,
    )


def test_a_generation_under_way_is_not_claimed_twice(two_activities, settings):
    settings.BACKGROUND_LEASE_SECONDS = 60
    report = services.report_request(kind="month", day=last_month())
    generating_since(report, seconds=10)
    assert services.report_generate(report_id=report.pk) is False
    assert services.reports_sweep(older_than=datetime.timedelta(0)) == 0
    assert 49 <= services.report_lease_left(report_id=report.pk).total_seconds() <= 50
    assert state(report) == (ReportState.GENERATING, 60)


def test_a_generation_whose_lease_expired_is_claimed_again_and_finished(two_activities, settings):
    settings.BACKGROUND_LEASE_SECONDS = 60
    report = services.report_request(kind="month", day=last_month())
    generating_since(report, seconds=61)
    assert services.report_generate(report_id=report.pk) is True
    assert_finished_once(report, attempts=2)
    assert services.report_lease_left(report_id=report.pk) is None


def test_a_run_that_lost_its_claim_writes_nothing(two_activities, settings, monkeypatch):
    """A run still going when another took its claim over discards its result: one writer."""
    settings.BACKGROUND_LEASE_SECONDS = 60
    report = services.report_request(kind="month", day=last_month())
    draft = services.draft_narrative

    def overtaken(*args, **kwargs):
        RollupReport.objects.filter(pk=report.pk).update(claimed_at=timezone.now())
        return draft(*args, **kwargs)

    monkeypatch.setattr(services, "draft_narrative", overtaken)
    assert services.report_generate(report_id=report.pk) is False
    report.refresh_from_db()
    assert report.state == ReportState.GENERATING and report.figures == {} and not report.excel


def test_a_report_interrupted_three_times_is_marked_failed_with_the_reason(
    two_activities, settings
):
    settings.BACKGROUND_LEASE_SECONDS = 60
    report = services.report_request(kind="month", day=last_month())
    generating_since(report, seconds=61, attempts=services.MAX_ATTEMPTS)
    assert services.report_generate(report_id=report.pk) is False
    assert services.reports_sweep() == 0
    report.refresh_from_db()
    assert report.state == ReportState.FAILED
    assert "3" in report.error
    # Staff may still generate it again by hand: a failed report is claimable.
    assert services.report_generate(report_id=report.pk) is True
