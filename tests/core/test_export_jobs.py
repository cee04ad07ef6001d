"""Large exports in the worker (core.exportjobs, issue 20): over EXPORT_WORKER_ROWS rows the
export is a job the worker writes, with a page of its progress and a download link that is its
requester's only; up to the threshold the download is streamed at once, as before."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.constants import Event
from audit.models import AuditEvent
from core import exportjobs
from core.exportjobs import BUILDERS, Made, job_run, jobs_sweep
from core.models import ExportJob
from tests.activities.factories import make_activity
from tests.factories import UserFactory
from tests.helpers import file_body

State = ExportJob.State


@pytest.fixture
def three_activities(county):
    return [
        make_activity(
            unit=county.member_unit,
            by=county.secretary,
            date=datetime.date(2026, 10, day),
            title=f"=活动{day}",
        )
        for day in (5, 6, 7)
    ]


@pytest.fixture
def small_threshold(settings):
    settings.EXPORT_WORKER_ROWS = 2
    return settings


def _ask(client, user, name="activities:ledger_export", query=""):
    client.force_login(user)
    return client.get(reverse(name) + query)


def _job_written(client, county, django_capture_on_commit_callbacks) -> ExportJob:
    with django_capture_on_commit_callbacks() as published:
        response = _ask(client, county.staff)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("export_job", args=[job.pk])
    assert len(published) == 1  # the task is published once the job's row is committed
    assert job_run(job.pk)
    job.refresh_from_db()
    return job


def test_an_export_up_to_the_threshold_is_streamed_at_once(client, county, three_activities):
    response = _ask(client, county.staff)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not ExportJob.objects.exists()


def test_a_larger_export_is_written_by_the_worker_with_its_progress_and_link(
    client, county, three_activities, small_threshold, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        _ask(client, county.staff, query="?q=活动")
    job = ExportJob.objects.get()
    assert (job.user, job.export, job.state, job.rows_total) == (
        county.staff,
        "activity ledger",
        State.QUEUED,
        3,
    )
    assert job.query == "q=%E6%B4%BB%E5%8A%A8"
    page = client.get(reverse("export_job", args=[job.pk])).content.decode()
    assert "data-poll" in page and "core/export_job.js" in page and "已写入0行，共3行" in page
    assert job_run(job.pk)
    job.refresh_from_db()
    assert (job.state, job.rows_done) == (State.DONE, 3)
    page = client.get(reverse("export_job", args=[job.pk])).content.decode()
    assert "data-poll" not in page
    assert reverse("export_job_download", args=[job.pk]) in page
    response = client.get(reverse("export_job_download", args=[job.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(file_body(response))).active
    titles = sorted(
        v
        for row in sheet.iter_rows(min_row=2, values_only=True)
        for v in row
        if isinstance(v, str) and "活动" in v and v.endswith(("5", "6", "7"))
    )
    assert titles == ["'=活动5", "'=活动6", "'=活动7"]  # escaped as every export
    assert response["Cache-Control"] == "private, no-store"
    # The download is on record as an export, with the file's Chinese name.
    event = AuditEvent.objects.get(event=Event.EXPORT)
    assert "联建活动台账" in event.detail


def test_the_job_keeps_the_requests_county_scope(client, county, three_activities, small_threshold):
    _ask(client, county.staff)
    job = ExportJob.objects.get()
    assert county.staff.county_id is not None
    assert job.scope == county.staff.county_id  # the worker reads this county only


def test_a_job_delivered_twice_writes_its_file_once(
    client, county, three_activities, small_threshold, django_capture_on_commit_callbacks
):
    job = _job_written(client, county, django_capture_on_commit_callbacks)
    name = job.file.name
    assert not job_run(job.pk)  # the duplicate claims nothing and writes nothing
    job.refresh_from_db()
    assert (job.file.name, job.attempts) == (name, 1)
    assert len(default_storage.listdir(name.rsplit("/", 1)[0])[1]) >= 1


def test_a_run_whose_worker_was_killed_is_claimed_again_after_its_lease(
    client, county, three_activities, small_threshold
):
    _ask(client, county.staff)
    job = ExportJob.objects.get()
    lapsed = timezone.now() - exportjobs.lease() - datetime.timedelta(seconds=5)
    ExportJob.objects.filter(pk=job.pk).update(state=State.RUNNING, claimed_at=lapsed, attempts=1)
    assert job_run(job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts) == (State.DONE, 2)


def test_a_run_under_its_lease_is_left_to_the_worker_that_holds_it(
    client, county, three_activities, small_threshold
):
    _ask(client, county.staff)
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(state=State.RUNNING, claimed_at=timezone.now())
    assert not job_run(job.pk)
    assert exportjobs.job_lease_left(job.pk) > datetime.timedelta(minutes=10)


def test_a_failed_job_shows_its_reason_and_its_requester_may_ask_again(
    client, county, three_activities, small_threshold, monkeypatch
):
    _ask(client, county.staff)
    job = ExportJob.objects.get()
    real = BUILDERS["activity ledger"]

    def broken(user, query, selected=None) -> Made:
        raise RuntimeError("数据库连接中断")

    monkeypatch.setitem(BUILDERS, "activity ledger", broken)
    with pytest.raises(RuntimeError):
        job_run(job.pk)
    job.refresh_from_db()
    assert (job.state, job.error) == (State.FAILED, "数据库连接中断")
    page = client.get(reverse("export_job", args=[job.pk])).content.decode()
    assert "数据库连接中断" in page and 'id="export-retry"' in page
    assert client.get(reverse("export_job_download", args=[job.pk])).status_code == 404
    monkeypatch.setitem(BUILDERS, "activity ledger", real)
    response = client.post(reverse("export_job_retry", args=[job.pk]), follow=True)
    assert "已重新提交导出。" in response.content.decode()
    job.refresh_from_db()
    assert (job.state, job.error, job.attempts) == (State.QUEUED, "", 0)
    assert job_run(job.pk)


def test_asking_again_for_a_job_that_did_not_fail_changes_nothing(
    client, county, three_activities, small_threshold, django_capture_on_commit_callbacks
):
    job = _job_written(client, county, django_capture_on_commit_callbacks)
    response = client.post(reverse("export_job_retry", args=[job.pk]), follow=True)
    assert response.status_code == 200
    assert "只有生成失败的导出才能重新提交。" in response.content.decode()
    job.refresh_from_db()
    assert job.state == State.DONE and job.attempts == 1


@pytest.mark.parametrize("persona", ["other_staff", "secretary", "outsider"])
def test_a_job_and_its_file_are_the_requesters_only(
    client, county, three_activities, small_threshold, django_capture_on_commit_callbacks, persona
):
    job = _job_written(client, county, django_capture_on_commit_callbacks)
    other = UserFactory(username="staff2", role=county.staff.role, is_staff=True)
    user = other if persona == "other_staff" else getattr(county, persona)
    client.force_login(user)
    for name in ("export_job", "export_job_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("export_job_retry", args=[job.pk])).status_code == 404


def test_the_sweep_deletes_a_file_past_its_retention_and_republishes_the_forgotten(
    client, county, three_activities, small_threshold, django_capture_on_commit_callbacks
):
    job = _job_written(client, county, django_capture_on_commit_callbacks)
    name = job.file.name
    assert default_storage.exists(name)
    later = job.finished_at + datetime.timedelta(hours=small_threshold.EXPORT_RETENTION_HOURS + 1)
    forgotten = ExportJob.objects.create(
        user=county.staff, export="activity ledger", title="x", rows_total=3
    )
    ExportJob.objects.filter(pk=forgotten.pk).update(created_at=later - datetime.timedelta(hours=1))
    counts = jobs_sweep(now=later)
    assert counts["expired"] == 1 and counts["republished"] == 1
    assert not default_storage.exists(name)
    job.refresh_from_db()
    assert (job.state, job.file.name, job.selected) == (State.EXPIRED, "", None)
    client.force_login(county.staff)
    assert (
        'id="export-expired"' in client.get(reverse("export_job", args=[job.pk])).content.decode()
    )
    assert client.get(reverse("export_job_download", args=[job.pk])).status_code == 404


def test_the_rectification_ledger_is_written_by_the_worker_too(
    client, county, small_threshold, django_capture_on_commit_callbacks
):
    small_threshold.EXPORT_WORKER_ROWS = -1  # even an empty ledger, to drive the route
    with django_capture_on_commit_callbacks():
        response = _ask(client, county.staff, "supervision:finding_export")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.export == "rectification ledger"
    assert job_run(job.pk)
    response = client.get(reverse("export_job_download", args=[job.pk]))
    assert load_workbook(io.BytesIO(file_body(response))).active.max_row == 1


def test_the_job_page_reads_the_same_at_any_size(
    client, county, three_activities, small_threshold, django_assert_num_queries
):
    _ask(client, county.staff)
    job = ExportJob.objects.get()
    url = reverse("export_job", args=[job.pk])
    client.get(url)
    with django_assert_num_queries(QUERIES):
        client.get(url)
    ExportJob.objects.filter(pk=job.pk).update(rows_total=50_000, rows_done=20_000)
    with django_assert_num_queries(QUERIES):
        assert "已写入20000行，共50000行" in client.get(url).content.decode()


QUERIES = 4


def test_the_audit_trails_selection_is_written_by_the_worker_in_its_order(
    client, county, auditor, small_threshold, django_capture_on_commit_callbacks
):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    from audit import exports
    from audit.constants import Outcome
    from audit.services import audit_record

    exports_chunk = exports.CHUNK
    exports.CHUNK = 2  # the ids read back a few at a time, in the file's order
    try:
        events = [
            audit_record(event=Event.LOGIN, outcome=Outcome.SUCCESS, username=f"user{i}")
            for i in range(5)
        ]
        client.force_login(auditor)
        with django_capture_on_commit_callbacks():
            response = client.post(
                reverse("audit_admin:audit_auditevent_changelist"),
                {"action": "export_csv", ACTION_CHECKBOX_NAME: [e.pk for e in events]},
            )
        job = ExportJob.objects.get()
        assert response.status_code == 302 and job.user == auditor
        page = client.get(response["Location"])  # the administrator may open their own job
        assert page.status_code == 200 and 'id="export-progress"' in page.content.decode()
        assert (job.export, job.rows_total, job.file_format) == ("audit trail CSV", 5, "csv")
        assert job_run(job.pk)
    finally:
        exports.CHUNK = exports_chunk
    response = client.get(reverse("export_job_download", args=[job.pk]))
    lines = file_body(response).decode("utf-8-sig").splitlines()
    assert [line.split(",")[1] for line in lines[1:]] == [f"user{i}" for i in range(5)]
    assert response["Content-Type"].startswith("text/csv")
