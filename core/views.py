from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means the database does not answer
        return "down"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """Liveness for the load balancer and the on-call: 200 while the database answers."""
    checks = {"database": _database_state()}
    healthy = checks["database"] == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "down", "checks": checks}, status=200 if healthy else 503
    )
