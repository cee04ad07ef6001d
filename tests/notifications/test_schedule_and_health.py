"""The beat schedule is installed from code without undoing staff's changes; the portal keeps
answering when Redis is down."""

from __future__ import annotations

import time

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from core.queue import publish
from notifications.schedule import DEFAULT_SCHEDULE
from notifications.tasks import send_email
from tests.notifications import use_broker


def test_install_schedule_creates_every_entry_once(db):
    call_command("install_schedule", verbosity=0)
    call_command("install_schedule", verbosity=0)
    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert names == {e.name for e in DEFAULT_SCHEDULE}
    assert PeriodicTask.objects.count() == len(DEFAULT_SCHEDULE)


def test_reinstalling_keeps_a_time_staff_changed_in_the_admin(db):
    call_command("install_schedule", verbosity=0)
    task = PeriodicTask.objects.get(task="notifications.daily_reminders")
    task.crontab = CrontabSchedule.objects.create(minute="15", hour="7", timezone="Asia/Shanghai")
    task.save()
    call_command("install_schedule", verbosity=0)
    task.refresh_from_db()
    assert (task.crontab.hour, task.crontab.minute) == ("7", "15")
    assert str(task.crontab.timezone) == "Asia/Shanghai"


def test_publishing_to_an_unreachable_broker_fails_fast_and_quietly(settings):
    from config.celery_app import app

    old = app.conf.broker_url, app.conf.broker_transport_options
    use_broker(
        app,
        "redis://127.0.0.1:1/0",
        {"socket_connect_timeout": 1, "socket_timeout": 1, "max_retries": 0},
    )
    try:
        started = time.monotonic()
        assert publish(send_email, 1) is False
        assert time.monotonic() - started < 10
    finally:
        use_broker(app, *old)


def test_healthz_is_degraded_not_down_when_only_redis_is_down(client, db):
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded" and body["checks"]["redis"] == "down"
    assert body["checks"]["database"] == "ok"


def test_healthz_reports_worker_heartbeat_and_beat_tick(client, db):
    from django.utils import timezone

    from notifications.services import heartbeat_beat

    heartbeat_beat("worker")
    call_command("install_schedule", verbosity=0)
    PeriodicTask.objects.update(last_run_at=timezone.now())
    checks = client.get(reverse("healthz")).json()["checks"]
    assert checks["worker"] == "ok" and checks["beat"] == "ok"


def test_pages_answer_with_the_broker_unreachable(client, county):
    from config.celery_app import app

    old = app.conf.broker_url, app.conf.broker_transport_options
    use_broker(
        app,
        "redis://127.0.0.1:1/0",
        {"socket_connect_timeout": 1, "socket_timeout": 1, "max_retries": 0},
    )
    try:
        client.force_login(county.staff)
        assert client.get(reverse("home")).status_code == 200
        assert client.get(reverse("notifications:list")).status_code == 200
    finally:
        use_broker(app, *old)


@pytest.fixture
def redis_url():
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001
        pytest.skip("no Redis at 127.0.0.1:6379 (CI starts one)")
    return url


def test_a_beat_that_just_started_counts_as_ticking(client, db):
    from notifications.services import heartbeat_beat

    assert client.get(reverse("healthz")).json()["checks"]["beat"] == "stale"
    heartbeat_beat("beat")
    heartbeat_beat("worker")
    body = client.get(reverse("healthz")).json()
    assert body["checks"]["beat"] == "ok" and body["status"] == "ok"
