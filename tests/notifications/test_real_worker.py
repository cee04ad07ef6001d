"""A real Celery worker consuming from the real Redis: a notification's email task published
twice (a redelivery) sends one email."""

from __future__ import annotations

import time

import pytest
from django.core import mail

from core.queue import publish
from notifications import services
from notifications.constants import Kind
from notifications.models import Notification, Preference
from notifications.tasks import send_email, worker_heartbeat
from tests.faults import wait_for
from tests.notifications import use_broker

REDIS = "redis://127.0.0.1:6379/15"


@pytest.fixture
def real_worker(transactional_db):
    import redis

    try:
        client = redis.Redis.from_url(REDIS, socket_connect_timeout=1)
        client.ping()
    except Exception:  # noqa: BLE001
        pytest.skip("no Redis at 127.0.0.1:6379 (CI starts one)")
    client.flushdb()
    from celery.contrib.testing.worker import start_worker

    from config.celery_app import app

    old = (app.conf.broker_url, app.conf.broker_transport_options)
    use_broker(app, REDIS, {"visibility_timeout": 3600})
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app
    finally:
        use_broker(app, *old)
        client.flushdb()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_one_email_for_a_task_delivered_twice(real_worker):
    from tests.factories import UserFactory

    user = UserFactory(username="mailme", email="mailme@example.org")
    Preference.objects.create(user=user, kind=Kind.ZONE_GAP, in_app=True, email=True)
    n = services.notification_send(
        recipient=user, kind=Kind.ZONE_GAP, subject="zone:1", period="2026-10", title="片区空档"
    )
    assert publish(send_email, n.pk)
    assert publish(send_email, n.pk)
    assert publish(worker_heartbeat)
    assert wait_for(lambda: Notification.objects.filter(pk=n.pk, emailed_at__isnull=False).exists())
    from notifications.models import Heartbeat

    assert wait_for(lambda: Heartbeat.objects.filter(name="worker").exists())
    time.sleep(0.5)
    assert len(mail.outbox) == 1
