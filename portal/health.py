"""The state of the parts the portal runs on, for /healthz."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone

BEAT_STALE = datetime.timedelta(minutes=15)
WORKER_STALE = datetime.timedelta(minutes=5)


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means the database does not answer
        return "down"
    return "ok"


def redis_state() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
    except Exception:  # noqa: BLE001
        return "down"
    return "ok"


def _age(moment) -> str | None:
    return moment.isoformat() if moment else None


def background_state() -> dict:
    """Last beat tick (django-celery-beat's last run) and last worker heartbeat."""
    from django.db.models import Max
    from django_celery_beat.models import PeriodicTask

    from notifications.models import Heartbeat

    now = timezone.now()
    last_run = PeriodicTask.objects.aggregate(at=Max("last_run_at"))["at"]
    beats = dict(Heartbeat.objects.filter(name__in=["worker", "beat"]).values_list("name", "at"))
    worker = beats.get("worker")
    last_tick = max((t for t in (last_run, beats.get("beat")) if t), default=None)
    return {
        "beat_last_tick": _age(last_tick),
        "beat": "ok" if last_tick and now - last_tick < BEAT_STALE else "stale",
        "worker_last_heartbeat": _age(worker),
        "worker": "ok" if worker and now - worker < WORKER_STALE else "stale",
    }


def health() -> tuple[int, dict]:
    checks: dict = {"database": database_state(), "redis": redis_state()}
    if checks["database"] != "ok":
        return 503, {"status": "down", "checks": checks}
    checks.update(background_state())
    # Without REDIS_URL the filesystem broker is in use: "not configured" is not a fault.
    degraded = checks["redis"] == "down" or checks["beat"] != "ok" or checks["worker"] != "ok"
    return 200, {"status": "degraded" if degraded else "ok", "checks": checks}
