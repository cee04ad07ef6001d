from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from zones.models import Unit, Zone
from zones.selectors import units_served_by, zones_overview

from . import selectors
from .health import health


def _get_zone_for_user(request, pk: int) -> Zone:
    try:
        return selectors.zones_visible_to(request.user).get(pk=pk)
    except Zone.DoesNotExist:
        raise Http404 from None


def _get_unit_for_user(request, pk: int) -> Unit:
    try:
        return selectors.units_visible_to(request.user).get(pk=pk)
    except Unit.DoesNotExist:
        raise Http404 from None


@login_required
def home(request):
    """The landing page: the county's zones with their lead unit and guiding leader, and the
    units the signed-in secretary serves."""
    return render(
        request,
        "portal/home.html",
        {
            "zones": zones_overview().filter(pk__in=selectors.zones_visible_to(request.user)),
            "my_units": units_served_by(request.user),
        },
    )


@login_required
def zone_detail(request, pk: int):
    zone = _get_zone_for_user(request, pk)
    return render(request, "portal/zone_detail.html", {"zone": zone, **selectors.zone_page(zone)})


@login_required
def unit_detail(request, pk: int):
    unit = _get_unit_for_user(request, pk)
    context = {"unit": unit, **selectors.unit_page(unit)}
    context["show_phone"] = request.user.is_committee
    return render(request, "portal/unit_detail.html", context)


@login_required
def search(request):
    query = request.GET.get("q", "")
    results = selectors.search(request.user, query)
    return render(request, "portal/search.html", {"q": query, **results})


@never_cache
@require_GET
def healthz(request):
    """For the load balancer and the on-call: 503 when the database does not answer; 200 with
    status "degraded" when only Redis, the beat or the worker is missing."""
    status, body = health()
    return JsonResponse(body, status=status)
