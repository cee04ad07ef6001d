"""Redis that hangs instead of refusing (SIGSTOP stands for a full disk or a network partition):
pages do not wait a timeout per cache or broker call. After one timeout the circuit breaker
(core.breaker) skips Redis for a few seconds; pages are served without the cache and work to
enqueue waits in the database's outbox, which is sent once Redis thaws. Our own redis-server,
frozen and thawed by the test (never the shared one)."""

from __future__ import annotations

import datetime
import statistics
import time

import pytest
from django.core import mail
from django.urls import reverse

from core import cache as portal_cache
from core.breaker import broker_breaker, cache_breaker
from notifications import services as notification_services
from notifications.constants import Kind
from notifications.models import Notification, Preference
from reports.constants import ReportState
from reports.models import RollupReport
from tests.factories import UserFactory
from tests.faults import own_redis, point_app_at, restore_app, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = ["home", "activities:grid", "notifications:list", "reports:list"]
# The production timeouts (config/settings/base.py): 1 s per cache call, 2 s per publish.
CACHE_TIMEOUT, BROKER_TIMEOUT = 1, 2


@pytest.fixture
def redis_server(tmp_path, settings):
    server = own_redis(0, tmp_path)
    in_memory = settings.CACHES
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url(1),
            "KEY_PREFIX": "portal",
            "OPTIONS": {
                "socket_connect_timeout": CACHE_TIMEOUT,
                "socket_timeout": CACHE_TIMEOUT,
            },
        }
    }
    old = point_app_at(server.url(0))
    yield server
    settings.CACHES = in_memory  # before the server goes: the cache is cleared after each test
    restore_app(old)
    server.stop()


def load_pages(client) -> float:
    started = time.monotonic()
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    return time.monotonic() - started


def test_pages_stay_fast_while_redis_hangs_and_use_the_cache_again_after(
    client, county, redis_server
):
    client.force_login(county.staff)
    load_pages(client)  # fills the cache
    usual = statistics.median(load_pages(client) for _ in range(5))
    assert portal_cache.data_version() is not None

    redis_server.freeze()
    # The first load pays one cache timeout, not one per call, then Redis is skipped.
    first = load_pages(client)
    assert first < usual + CACHE_TIMEOUT + 1.5, (first, usual)
    assert cache_breaker.current_state == "open"
    frozen = [load_pages(client) for _ in range(5)]
    # Within twice the usual time (and a little slack for a busy machine), instead of a
    # timeout on every page.
    assert statistics.median(frozen) < 2 * usual + 0.25, (frozen, usual)
    assert max(frozen) < usual + CACHE_TIMEOUT + 1.5, (frozen, usual)

    # After the breaker's spell one request probes Redis again: still frozen, one timeout more.
    cache_breaker.reset_timeout = 0.5
    time.sleep(0.6)
    assert load_pages(client) < usual + CACHE_TIMEOUT + 1.5
    assert cache_breaker.current_state == "open"

    redis_server.thaw()
    time.sleep(0.6)
    load_pages(client)
    assert cache_breaker.current_state == "closed"
    assert portal_cache.data_version() is not None


def test_work_enqueued_while_redis_hangs_waits_in_the_outbox_and_is_sent_after_it_thaws(
    client, county, redis_server
):
    from celery.contrib.testing.worker import start_worker

    from config.celery_app import app
    from reports import services as report_services

    user = UserFactory(username="mailme", email="mailme@example.org")
    Preference.objects.create(user=user, kind=Kind.ZONE_GAP, in_app=True, email=True)
    client.force_login(county.staff)
    redis_server.freeze()

    started = time.monotonic()
    for month in ("2026-09", "2026-10", "2026-11"):
        notification_services.notification_send(
            recipient=user, kind=Kind.ZONE_GAP, subject="zone:1", period=month, title="片区空档"
        )
    response = client.post(
        reverse("reports:request"), {"kind": "month", "day": "2026-10-01", "zone": ""}
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    # One publish waited its timeout; the three after it were skipped at once.
    assert elapsed < BROKER_TIMEOUT + 3, elapsed
    assert broker_breaker.current_state == "open"
    assert Notification.objects.filter(emailed_at__isnull=True, email_wanted=True).count() == 3
    assert RollupReport.objects.get().state == ReportState.REQUESTED
    assert mail.outbox == []

    redis_server.thaw()
    broker_breaker.reset_timeout = 0.5
    time.sleep(0.6)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert notification_services.outbox_sweep(older_than=datetime.timedelta(0)) == 3
        assert report_services.reports_sweep(older_than=datetime.timedelta(0)) == 1
        assert wait_for(
            lambda: (
                not Notification.objects.filter(emailed_at__isnull=True).exists()
                and RollupReport.objects.filter(state=ReportState.READY).exists()
            )
        )
    assert len(mail.outbox) == 3
