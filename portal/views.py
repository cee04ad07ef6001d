from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from zones.selectors import units_served_by, zones_overview


@login_required
def home(request):
    """The landing page: the county's zones with their lead unit and guiding leader, and the
    units the signed-in secretary serves."""
    return render(
        request,
        "portal/home.html",
        {"zones": zones_overview(), "my_units": units_served_by(request.user)},
    )
