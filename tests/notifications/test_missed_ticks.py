"""A beat tick that Redis was down for, and a reminder fan-out whose worker was killed mid-way,
are made up by the schedule sweep from the ledger of runs (ScheduledRun): the day's reminders
arrive exactly once. Real Redis of our own (stopped and started by the test), real worker
processes, the test database on PostgreSQL."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from activities.models import HostSlot
from core.models import ScheduledRun
from core.periods import month_start
from core.queue import publish
from core.scheduled import slot_run
from notifications.constants import Kind
from notifications.models import Notification
from notifications.schedule import (
    CATCH_UP_JOBS,
    last_due_slot,
    schedule_sweep,
    slots_pending,
)
from notifications.tasks import daily_reminders, sweep_schedule
from tests.faults import (
    app_on_own_redis,
    wait_for,
    worker_starter,
)

LEASE = 4  # seconds, instead of the task's hard time limit and a minute
JOB = "notifications.daily_reminders"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_server(tmp_path):
    with app_on_own_redis(2, tmp_path) as server:
        yield server


@pytest.fixture
def workers(redis_server, tmp_path, settings):
    with worker_starter(redis_server, tmp_path, settings, lease=LEASE) as start:
        yield start


def install_schedule() -> PeriodicTask:
    """The installed schedule, with the daily reminders due at midnight: today's slot is due
    whenever the test runs. The other daily and weekly jobs are switched off: not this test's
    subject."""
    call_command("install_schedule", verbosity=0)
    PeriodicTask.objects.filter(task__in=CATCH_UP_JOBS).exclude(task=JOB).update(enabled=False)
    task = PeriodicTask.objects.get(task=JOB)
    task.crontab = CrontabSchedule.objects.create(minute="0", hour="0", timezone="Asia/Shanghai")
    task.save()
    return task


@pytest.fixture
def schedule(db):
    return install_schedule()


@pytest.fixture
def a_gap(county):
    """Last month zone A's host logged nothing: today's reminders tell its lead unit's secretary
    and its guiding leader (two notifications)."""
    previous = month_start(month_start(timezone.localdate()) - datetime.timedelta(days=1))
    HostSlot.objects.create(zone=county.zone_a, month=previous, unit=county.member_unit)
    return county


def gap_notifications() -> int:
    return Notification.objects.filter(kind=Kind.ZONE_GAP).count()


@pytest.mark.postgres
def test_a_tick_lost_while_redis_was_down_is_made_up_once_redis_is_back(
    a_gap, workers, redis_server
):
    worker = workers()
    install_schedule()
    redis_server.stop()
    # 08:30: beat cannot hand the reminders to the broker.
    assert publish(daily_reminders) is False
    assert gap_notifications() == 0 and not ScheduledRun.objects.exists()

    redis_server.start()
    # Beat's next sweep tick reaches the worker once it has reconnected.
    assert wait_for(lambda: publish(sweep_schedule), timeout=30)
    assert wait_for(lambda: gap_notifications() == 2, timeout=60), worker.output()
    run = ScheduledRun.objects.get(job=JOB)
    assert run.slot == timezone.localdate() and run.finished_at is not None and run.result == 2

    # The same tick again and another sweep change nothing: exactly once.
    assert publish(daily_reminders) and publish(sweep_schedule)
    time.sleep(3)
    assert gap_notifications() == 2
    assert ScheduledRun.objects.get(job=JOB).attempts == 1


@pytest.mark.postgres
def test_a_worker_that_starts_makes_up_the_days_missed_run(a_gap, schedule, workers):
    assert slots_pending() == [(JOB, timezone.localdate())]
    worker = workers()
    assert wait_for(lambda: gap_notifications() == 2, timeout=60), worker.output()
    assert slots_pending() == []


@pytest.mark.postgres
def test_a_fan_out_killed_mid_way_is_finished_by_the_sweep_not_after_the_visibility_timeout(
    a_gap, workers, tmp_path
):
    marker = tmp_path / "slow-fanout"
    lease = 20  # longer than a worker takes to start, so the start-up sweep leaves it alone
    first = workers(lease=lease, FAULT_SLOW_FANOUT=str(marker))
    install_schedule()
    marker.touch()
    assert publish(daily_reminders)
    assert wait_for(lambda: marker.with_suffix(".half").exists(), timeout=60), first.output()
    first.kill()
    assert gap_notifications() == 1  # half the fan-out was written
    run = ScheduledRun.objects.get(job=JOB)
    assert run.finished_at is None

    second = workers(lease=lease)
    # The killed run's message is not handed out again before the one-hour visibility timeout,
    # and the run under way keeps its lease: nothing happens until the lease expires.
    assert slots_pending() == []
    expires = run.started_at + datetime.timedelta(seconds=lease)
    time.sleep(max(0.0, (expires - timezone.now()).total_seconds()) + 1)
    assert gap_notifications() == 1
    # Then the sweep (every five minutes) runs the slot again.
    assert schedule_sweep() == 1
    assert wait_for(
        lambda: ScheduledRun.objects.filter(job=JOB, finished_at__isnull=False).exists(),
        timeout=60,
    ), second.output()
    assert gap_notifications() == 2
    run.refresh_from_db()
    assert run.attempts == 2 and run.result == 1  # only the missing half was new


# The ledger and the due slots, without processes.


def test_a_slot_runs_once_however_often_it_is_asked(db):
    calls = []

    def run(day):
        calls.append(day)
        return 7

    day = datetime.date(2026, 11, 30)
    assert slot_run(job=JOB, slot=day, run=run) == 7
    assert slot_run(job=JOB, slot=day, run=run) is None
    assert calls == [day]
    with pytest.raises(IntegrityError):
        ScheduledRun.objects.create(job=JOB, slot=day)


def test_a_failed_run_is_released_for_the_sweep_and_given_up_after_three_attempts(
    schedule, settings
):
    today = timezone.localdate()

    def broken(day):
        raise RuntimeError("database went away")

    for _attempt in range(3):
        assert slots_pending() == [(JOB, today)]
        with pytest.raises(RuntimeError):
            slot_run(job=JOB, slot=today, run=broken)
    run = ScheduledRun.objects.get()
    assert run.attempts == 3 and "database went away" in run.error
    assert slots_pending() == []


def test_a_run_under_way_is_not_pending_until_its_lease_expires(schedule, settings):
    settings.BACKGROUND_LEASE_SECONDS = 60
    today = timezone.localdate()
    started = timezone.now() - datetime.timedelta(seconds=30)
    ScheduledRun.objects.create(job=JOB, slot=today, started_at=started, attempts=1)
    assert slots_pending() == []
    assert slots_pending(now=started + datetime.timedelta(seconds=61)) == [(JOB, today)]


def test_a_disabled_job_is_not_made_up(schedule):
    PeriodicTask.objects.filter(task=JOB).update(enabled=False)
    assert JOB not in [job for job, _ in slots_pending()]


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Shanghai is UTC+8: 00:29 UTC is 08:29 there, before the 08:30 tick.
        ("2026-12-01T00:29:00+00:00", datetime.date(2026, 11, 30)),
        ("2026-12-01T00:31:00+00:00", datetime.date(2026, 12, 1)),
    ],
)
def test_the_daily_slot_is_today_once_its_time_has_passed_in_shanghai(db, now, expected):
    cron = CrontabSchedule.objects.create(minute="30", hour="8", timezone="Asia/Shanghai")
    assert last_due_slot(cron, datetime.datetime.fromisoformat(now)) == expected


def test_the_weekly_slot_is_the_last_monday(db):
    cron = CrontabSchedule.objects.create(
        minute="0", hour="9", day_of_week="1", timezone="Asia/Shanghai"
    )
    thursday = datetime.datetime.fromisoformat("2026-12-03T12:00:00+08:00")
    assert last_due_slot(cron, thursday) == datetime.date(2026, 11, 30)
    monday_early = datetime.datetime.fromisoformat("2026-11-30T08:00:00+08:00")
    assert last_due_slot(cron, monday_early) == datetime.date(2026, 11, 23)
