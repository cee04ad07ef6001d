"""A large export's job on a real worker (issue 20): a worker whose pool child is killed with
SIGKILL while it writes the file does not leave the job "being written" for good; the
redelivered task waits out the lease and writes the file, once. Real Redis of our own, real
worker processes, the test database on PostgreSQL."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook

from core import exportjobs
from core.models import ExportJob
from tests.activities.factories import make_activity
from tests.faults import app_on_own_redis, wait_for, worker_starter

LEASE = 4  # seconds, instead of the task's hard time limit and a minute

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broker(tmp_path):
    with app_on_own_redis(3, tmp_path) as server:
        yield server


@pytest.fixture
def workers(broker, tmp_path, settings):
    with worker_starter(broker, tmp_path, settings, lease=LEASE) as start:
        yield start


def _state(job) -> tuple[str, int]:
    return tuple(ExportJob.objects.filter(pk=job.pk).values_list("state", "attempts").get())


@pytest.mark.postgres
def test_an_export_whose_pool_child_is_killed_is_written_by_the_redelivered_task(
    county, workers, tmp_path
):
    for day in (5, 6, 7):
        make_activity(
            unit=county.member_unit, by=county.secretary, date=datetime.date(2026, 10, day)
        )
    marker = tmp_path / "slow-export"
    marker.touch()
    worker = workers(FAULT_SLOW_EXPORT=str(marker))
    job = exportjobs.job_request(
        user=county.staff,
        export="activity ledger",
        title="联建活动台账",
        file_format="xlsx",
        scope=county.staff.county_id,
        rows=3,
    )
    assert wait_for(lambda: _state(job) == ("running", 1)), worker.output()

    worker.kill_pool_child()

    assert wait_for(lambda: _state(job)[0] == "done", timeout=60), worker.output()
    job.refresh_from_db()
    assert job.attempts == 2 and job.rows_done == 3
    with job.file.open("rb") as f:
        assert load_workbook(io.BytesIO(f.read())).active.max_row == 4
