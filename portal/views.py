from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from zones.selectors import units_served_by, zones_overview

from .health import health


@login_required
def home(request):
    """The landing page: the county's zones with their lead unit and guiding leader, and the
    units the signed-in secretary serves."""
    return render(
        request,
        "portal/home.html",
        {"zones": zones_overview(), "my_units": units_served_by(request.user)},
    )


@never_cache
@require_GET
def healthz(request):
    """For the load balancer and the on-call: 503 when the database does not answer; 200 with
    status "degraded" when only Redis, the beat or the worker is missing."""
    status, body = health()
    return JsonResponse(body, status=status)
