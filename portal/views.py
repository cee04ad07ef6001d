from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.constants import Event, Outcome
from audit.services import audit_record
from core.access import get_visible_or_404, may, require, require_page
from core.workdays import years_missing_schedule
from people import views as people_views
from people.selectors import unit_register_columns, unit_register_of
from zones.models import Unit, Zone
from zones.selectors import (
    moves_in_year,
    today,
    units_visible_to,
    zones_overview,
    zones_visible_to,
)

from . import city, city_body, selectors, services
from .dashboard import dashboard_page
from .dashboard import my_work as my_work_for
from .forms import SnapshotImportForm, SnapshotReturnForm
from .health import health


def _get_zone_for_user(request, pk: int) -> Zone:
    return get_visible_or_404(zones_visible_to(request.user), request, pk=pk)


def _get_unit_for_user(request, pk: int) -> Unit:
    return get_visible_or_404(units_visible_to(request.user), request, pk=pk)


@login_required
@require_GET
def home(request):
    """The landing page: the county dashboard for committee staff and leaders, the city
    dashboard for city staff, "my work" for the secretaries."""
    if may(request.user, "portal.open_city_dashboard"):
        return redirect("portal:city_dashboard")
    if may(request.user, "portal.open_dashboard"):
        return dashboard(request)
    return my_work(request)


@login_required
@require_GET
def dashboard(request):
    """The county at a glance. Its body is the same for every committee member: rendered once
    per day, language and data version (core.cache)."""
    if not may(request.user, "portal.open_dashboard"):
        raise Http404
    page = dashboard_page(request.user)
    day = today()
    return render(
        request,
        "portal/dashboard.html",
        {
            "d": page["d"],  # the figures the body shows (for the tests: it is not rendered again)
            "body": page["body"],
            "wishes": page["wishes"],
            "missing_calendar_years": years_missing_schedule([day.year, day.year + 1]),
            "teams_tile": page["teams"],  # issue 18: a county running teams
        },
    )


@login_required
@require_GET
def my_work(request):
    work = my_work_for(request.user)
    selectors.my_work_rows(work)
    # The zones' names and lead units only: the overview's other figures (the guiding leader,
    # the member count) the page does not print.
    zones = (
        zones_overview()
        .filter(pk__in=zones_visible_to(request.user))
        .values("pk", "name", "lead_name")
    )
    return render(request, "portal/my_work.html", {"work": work, "zones": zones})


@login_required
@require_GET
def zone_detail(request, pk: int):
    zone = _get_zone_for_user(request, pk)
    return render(
        request,
        "portal/zone_detail.html",
        {"zone": zone, **selectors.zone_records(request.user, zone)},
    )


@login_required
@require_GET
def unit_detail(request, pk: int):
    # The unit's zone today (the page's "state") comes from its memberships, which the page
    # reads anyway (selectors.unit_records): not four subqueries on them in the unit's query.
    # The register's secretary and member count are read with it (people.selectors).
    unit = get_visible_or_404(
        units_visible_to(request.user).annotate(**unit_register_columns()), request, pk=pk
    )
    context = {
        "unit": unit,
        **selectors.unit_records(request.user, unit),
    }
    context["may_see_phone"] = may(request.user, "zones.see_phone_numbers")
    # The secretary and the member count come from the register when it holds the unit's
    # people (the stated count is shown beside a derived one that differs).
    context.update(unit_register_of(unit))
    # Links to the secretary's page and the unit's members in the register, for who reads them.
    context["may_read_members"] = may(request.user, "people.read_unit_members", unit)
    return render(request, "portal/unit_detail.html", context)


def person_detail(request, pk: int):
    """A person's page of the register (people.views.person_detail: its sign-in, methods, 404
    and rules),
    with the mechanisms' sections of that person scoped to the reader (portal.selectors)."""
    response = people_views.person_detail(request, pk)
    if getattr(response, "context_data", None) is not None:
        response.context_data.update(
            selectors.person_sections(request.user, response.context_data["person"])
        )
        response.template_name = "portal/person_detail.html"
    return response


@login_required
@require_GET
def unit_phone(request, pk: int):
    """The secretary's full phone number, for the committee only; every look is audited
    (personal data: masked everywhere else)."""
    unit = _get_unit_for_user(request, pk)
    require(request.user, "zones.see_phone_numbers")
    audit_record(
        event=Event.PERSONAL_DATA,
        outcome=Outcome.SUCCESS,
        request=request,
        detail=f"phone of unit #{unit.pk} {unit.name}",
    )
    return render(request, "portal/unit_phone.html", {"unit": unit})


@login_required
@require_GET
def moves(request):
    """This year's moves (本年调整记录): reassignments, lead-unit and class changes with their
    reasons, for the committee staff."""
    require_page(request.user, "portal.see_moves")
    this_year = today().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    if not 2000 <= year <= this_year + 1:
        year = this_year
    return render(
        request,
        "portal/moves.html",
        {"moves": moves_in_year(year=year), "year": year, "years": range(this_year, 2019, -1)},
    )


@login_required
@require_GET
def search(request):
    query = request.GET.get("q", "")
    results = selectors.search(request.user, query)
    activities = selectors.activities_found(request.user, query)
    return render(request, "portal/search.html", {"q": query, "activities": activities, **results})


@login_required
@require_GET
def participant_search(request):
    """The ids of the units matching `q`, for the activity form's participant picker (the
    options themselves are on the form; this only says which to show)."""
    require(request.user, "activities.log_activity")
    ids = selectors.participant_ids_matching(request.GET.get("q", ""))
    return JsonResponse({"ids": ids})


@never_cache
@require_GET
def healthz(request):
    """For the load balancer and the on-call: 503 when the database does not answer; 200 with
    status "degraded" when only Redis, the beat or the worker is missing."""
    status, body = health()
    return JsonResponse(body, status=status)


# --- the city's pages (市级概览) ------------------------------------------------------------


@login_required
@require_GET
def city_dashboard(request):
    """Every county × every mechanism for a period (default the current half-year), the
    city's totals pooled. The body is the same for every city reader: rendered once per day,
    period, language and the city's data version (core.cache: any county's write moves it; two
    minutes at most); after a write, the last body "as of" its time for a few seconds while
    the worker renders the current one (portal.city_body)."""
    require_page(request.user, "portal.open_city_dashboard")
    day = today()
    period = city.period_from_key(request.GET.get("period", "")) or city.default_period(day)
    computed: dict = {}
    body, as_of = city_body.body(period, day, into=computed)
    return render(
        request,
        "portal/city_dashboard.html",
        {
            # the figures the body shows when this request computed it (for the tests: it is
            # not rendered again); the body alone is cached, not the figures it was made of
            "d": computed.get("d"),
            "body": body,
            "as_of": as_of,  # a recent body's time, while the worker renders the current one
            "period": period,
            "periods": city.period_choices(day),
            "may_import": may(request.user, "portal.import_snapshots"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def snapshots(request):
    """The snapshots of the self-hosted counties, newest first, and (for city staff) the form
    that imports one. A county's staff reads their own county's, with the reasons the city
    returned them for."""
    require_page(request.user, "portal.read_snapshots")
    may_import = may(request.user, "portal.import_snapshots")
    day = today()
    form = None
    if may_import:
        form = SnapshotImportForm(request.POST or None, request.FILES or None, day=day)
        form.fields["period"].initial = city.default_period(day).key
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            snapshot = services.snapshot_import(
                raw=form.cleaned_data["file"],
                period=form.cleaned_data["period"],
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(
                request,
                _("%(county)s's snapshot of %(period)s is imported.")
                % {"county": snapshot.county.name, "period": snapshot.period},
            )
            return redirect("portal:snapshots")
    return render(
        request,
        "portal/snapshots.html",
        {
            "form": form,
            "snapshots": selectors.snapshots_visible_to(request.user),
            "may_import": may_import,
            "return_form": SnapshotReturnForm() if may_import else None,
        },
    )


@login_required
@require_POST
def snapshot_return(request, pk: int):
    """Return an imported snapshot to its county for correction, with the reason."""
    snapshot = get_visible_or_404(selectors.snapshots_visible_to(request.user), request, pk=pk)
    require(request.user, "portal.import_snapshots")
    form = SnapshotReturnForm(request.POST)
    if form.is_valid():
        try:
            services.snapshot_return(
                snapshot=snapshot,
                reason=form.cleaned_data["reason"],
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The snapshot is returned to the county for correction."))
    else:
        messages.error(request, _("Say what the county is to correct."))
    return redirect("portal:snapshots")
