"""Pages and actions of the joint activities module. Thin: one access helper, one form, one
service call, a redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import get_visible_or_404, may, require, require_page
from core.cache import cache_key, cached
from core.excel import export
from core.exportjobs import offer
from core.once import submitted_once
from core.uploads import serve_upload
from zones.models import Unit, Zone
from zones.selectors import today

from . import selectors, services
from .constants import ActivityState
from .filters import ActivityFilter
from .forms import (
    ActivityCreateForm,
    ActivityEditForm,
    OutcomeFormSet,
    ReturnForm,
    RotationOrderForm,
    SwapForm,
    outcomes_from,
)
from .models import Activity, Attachment, Outcome

PAGE_SIZE = 50


def _get_activity_for_user(request, pk: int) -> Activity:
    """The activity if the user may see it; 404 otherwise (never a hint that it exists)."""
    return get_visible_or_404(selectors.activities_visible_to(request.user), request, pk=pk)


def _error(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# ---------------------------------------------------------------------------------------------
# Lists


@login_required
@require_GET
def my_activities(request):
    """My unit's activities (本单位活动)."""
    return render(
        request,
        "activities/list.html",
        {
            "title": _("My unit's activities"),
            "page": _page(request, selectors.activities_of_my_units(request.user)),
            "may_create": may(request.user, "activities.log_activity"),
            "show_queue": may(request.user, "activities.open_review_queue"),
        },
    )


@login_required
@require_GET
def zone_activities(request):
    """The activities of my zone(s) (本片区活动), filterable by zone, month and state; the
    compliance grid's cells link here."""
    filterset = ActivityFilter(
        request.GET or None, queryset=selectors.activities_visible_to(request.user)
    )
    return render(
        request,
        "activities/list.html",
        {
            "title": _("Activities of my zone"),
            "filter": filterset,
            "filter_fields": [filterset.form[n] for n in ("zone", "month", "form", "state")],
            "page": _page(request, filterset.qs),
            "query": _query_without_page(request),
            "show_queue": may(request.user, "activities.open_review_queue"),
        },
    )


@login_required
@require_GET
def review_queue(request):
    """The lead unit's queue: submitted activities waiting for confirmation (待确认)."""
    require_page(request.user, "activities.open_review_queue")
    return render(
        request,
        "activities/list.html",
        {
            "title": _("Waiting for confirmation"),
            "page": _page(request, selectors.review_queue(request.user)),
            "queue": True,
        },
    )


# ---------------------------------------------------------------------------------------------
# One activity


@login_required
@require_GET
def activity_detail(request, pk: int):
    # One read of the visible activity with its zone, host unit and related rows (issue 20):
    # reading it again by key for the prefetches dropped the zone and unit, two more queries.
    activity = get_visible_or_404(
        selectors.activity_detail(selectors.activities_visible_to(request.user)), request, pk=pk
    )
    user = request.user
    return render(
        request,
        "activities/detail.html",
        {
            "activity": activity,
            "photos": [a for a in activity.attachments.all() if a.is_image],
            "documents": [a for a in activity.attachments.all() if not a.is_image],
            "may_edit": may(user, "activities.edit_activity", activity),
            "may_submit": may(user, "activities.submit_activity", activity)
            and activity.is_editable_state,
            "may_review": may(user, "activities.review_activity", activity)
            and activity.state == ActivityState.SUBMITTED,
            "return_form": ReturnForm(),
        },
    )


def _activity_initial(activity: Activity) -> dict:
    return {
        "host_unit": activity.host_unit_id,
        "date": activity.date,
        "form": activity.form,
        "tags": activity.tag_values,
        "title": activity.title,
        "place": activity.place,
        "participant_count": activity.participant_count,
        "summary": activity.summary,
        "participants": list(activity.participants.values_list("pk", flat=True)),
    }


def _render_form(request, form, formset, activity=None):
    return render(
        request,
        "activities/form.html",
        {"form": form, "formset": formset, "activity": activity},
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request):
    host_units = selectors.units_user_may_host(request.user)
    require(request.user, "activities.log_activity")
    form = ActivityCreateForm(request.POST or None, request.FILES or None, host_units=host_units)
    formset = OutcomeFormSet(request.POST or None, prefix="outcomes")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            with submitted_once(request, form) as once:
                if once.repeated:
                    return once.redirect()
                activity = services.activity_create(
                    by=request.user,
                    participants=form.cleaned_data["participants"],
                    outcomes=outcomes_from(formset),
                    files=form.files_to_save(),
                    **form.activity_fields(),
                )
                messages.success(request, _("The activity was saved as a draft."))
                return once.answer(redirect("activities:detail", pk=activity.pk))
        except ValidationError as exc:
            form.add_error(None, exc)
    return _render_form(request, form, formset)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int):
    activity = _get_activity_for_user(request, pk)
    require(request.user, "activities.edit_activity", activity)
    # Staff correcting an activity of a unit that has since been dissolved still see it.
    host_units = selectors.units_user_may_host(request.user) | Unit.objects.filter(
        pk=activity.host_unit_id
    )
    form = ActivityEditForm(
        request.POST or None,
        request.FILES or None,
        host_units=host_units,
        initial=_activity_initial(activity),
    )
    formset = OutcomeFormSet(
        request.POST or None,
        prefix="outcomes",
        initial=[
            {"description": o.description, "quantity": o.quantity, "measure": o.measure}
            for o in Outcome.objects.filter(activity=activity)
        ],
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.activity_update(
                activity=activity,
                by=request.user,
                participants=form.cleaned_data["participants"],
                outcomes=outcomes_from(formset),
                files=form.files_to_save(),
                **form.activity_fields(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The activity was saved."))
            return redirect("activities:detail", pk=activity.pk)
    return _render_form(request, form, formset, activity)


@login_required
@require_POST
def activity_submit(request, pk: int):
    activity = _get_activity_for_user(request, pk)
    require(request.user, "activities.submit_activity", activity)
    if activity.state == ActivityState.SUBMITTED:  # a double click: nothing more to do
        return redirect("activities:detail", pk=pk)
    try:
        services.activity_submit(activity=activity, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The activity was submitted for confirmation."))
    return redirect("activities:detail", pk=pk)


@login_required
@require_POST
def activity_confirm(request, pk: int):
    activity = _get_activity_for_user(request, pk)
    require(request.user, "activities.review_activity", activity)
    if activity.state == ActivityState.CONFIRMED:  # a double click
        return redirect("activities:detail", pk=pk)
    try:
        services.activity_confirm(activity=activity, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The activity was confirmed."))
    return redirect("activities:detail", pk=pk)


@login_required
@require_POST
def activity_return(request, pk: int):
    activity = _get_activity_for_user(request, pk)
    require(request.user, "activities.review_activity", activity)
    if activity.state == ActivityState.RETURNED:  # a double click
        return redirect("activities:detail", pk=pk)
    form = ReturnForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the activity is returned."))
        services.activity_return(
            activity=activity, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The activity was returned to its unit."))
    return redirect("activities:detail", pk=pk)


@login_required
@require_GET
def attachment_file(request, pk: int, attachment_pk: int):
    """A photo or sheet, only for those who may see its activity."""
    activity = _get_activity_for_user(request, pk)
    attachment = get_object_or_404(Attachment, activity=activity, pk=attachment_pk)
    return serve_upload(
        attachment.file, download_name=attachment.original_name, mime=attachment.mime
    )


# ---------------------------------------------------------------------------------------------
# The compliance grid (月月有活动)


def _year(request) -> int:
    raw = request.GET.get("year") or str(today().year)
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise Http404
    return int(raw)


# What the grid and the ledger read (core.cache): a finding's update leaves them cached.
GRID_AREAS = ("activities", "zones")


@login_required
@require_GET
def grid(request):
    """Ten zones at a time (a county's worth), optionally those matching a name, number or
    pinyin initials: at city scale the whole grid would be 200 zones × 12 months of cells. The
    figures and the page's body are cached until a record they are computed from changes
    (core.cache); the body is the same for everyone who may read the grid."""
    year = _year(request)
    body = cached(
        cache_key("grid:body", year, today(), translation.get_language(), request.GET.urlencode()),
        lambda: _grid_body(request, year),
        areas=GRID_AREAS,
    )
    return render(
        request,
        "activities/grid.html",
        {
            "body": body,
            "year": year,
        },
    )


def _grid_body(request, year: int) -> str:
    q = request.GET.get("q", "").strip()[:100]
    number = request.GET.get("page", "")
    number = number if number.isdigit() and len(number) < 6 else "1"
    figures = cached(
        cache_key("grid", year, today(), translation.get_language(), q, number),
        lambda: selectors.grid_page(year=year, query=q, page=number),
        areas=GRID_AREAS,
    )
    page = Paginator(range(figures["count"]), selectors.GRID_ZONES_PER_PAGE).get_page(
        figures["number"]
    )
    return render_to_string(
        "activities/_grid_body.html",
        {
            "grid": figures["grid"],
            "form_totals": figures["form_totals"],
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
            "q": q,
            "query": _query_without(request, "page"),
            "year_query": _query_without(request, "page", "year"),
            "previous_year": year - 1,
            "next_year": year + 1,
        },
    )


def _query_without(request, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


# ---------------------------------------------------------------------------------------------
# The ledger (联建活动台账), staff only


def _staff_only(request) -> None:
    require_page(request.user, "activities.read_ledger")


LEDGER_PAGE_SIZE = 25  # the whole ledger is one export away
LEDGER_FIELDS = ["zone", "month_from", "month_to", "form", "tag", "state", "unit", "chain"]


class CachedCountPaginator(Paginator):
    """A paginator whose count (a COUNT over every activity the filters keep) comes from the
    cache while no record changes (core.cache): paging through the ledger counts once."""

    def __init__(self, *args, count_key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        return cached(self.count_key, self.object_list.count, areas=GRID_AREAS)


def _zone_choices() -> list[tuple[str, str]]:
    return [("", "---------")] + [
        (str(pk), name) for pk, name in Zone.objects.order_by("number").values_list("pk", "name")
    ]


def _ledger_filter(request) -> ActivityFilter:
    """The ledger's filters; the zone select's options come from the cache (a city has 200
    zones, and they change seldom)."""
    filterset = ActivityFilter(request.GET or None, queryset=selectors.ledger_queryset())
    filterset.form.fields["zone"].widget.choices = cached(
        "ledger:zone-choices", _zone_choices, areas=("zones",)
    )
    return filterset


@login_required
@require_GET
def ledger(request):
    """The ledger's body is rendered once per filter, page, language and data version (it is
    the same for every staff member): reloading it all day costs a cache read."""
    _staff_only(request)
    body = cached(
        cache_key("ledger:page", request.GET.urlencode(), translation.get_language()),
        lambda: _ledger_body(request),
        areas=GRID_AREAS,
    )
    return render(request, "activities/ledger.html", {"body": body})


def _ledger_body(request) -> str:
    filterset = _ledger_filter(request)
    if filterset.form.is_bound and not filterset.form.is_valid():
        for name in filterset.form.errors:
            if name in filterset.form.fields:
                widget = filterset.form.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid"
    return render_to_string(
        "activities/_ledger_body.html",
        {
            "filter": filterset,
            "filter_fields": [filterset.form[n] for n in LEDGER_FIELDS],
            "page": CachedCountPaginator(
                filterset.qs.only(*LEDGER_ROW_FIELDS),
                LEDGER_PAGE_SIZE,
                count_key=cache_key("ledger:count", _query_without_page(request)),
            ).get_page(request.GET.get("page")),
            "query": _query_without_page(request),
        },
    )


# What a ledger row shows (activities_tags.ledger_rows): only these columns are read.
LEDGER_ROW_FIELDS = (
    "pk",
    "date",
    "month",
    "form",
    "tags",
    "title",
    "participant_count",
    "state",
    "zone__name",
    "host_unit__name",
    "host_unit__short_name",
)


@export("activity ledger")
@login_required
@require_GET
def ledger_export(request):
    _staff_only(request)
    # Streamed at once up to EXPORT_WORKER_ROWS rows, else written by the worker (issue 20).
    return offer(request, "activity ledger")


# ---------------------------------------------------------------------------------------------
# Host rotation (轮值)


def _may_plan(request, zone: Zone) -> bool:
    return may(request.user, "activities.plan_rotation", zone)


@login_required
@require_GET
def rotation(request, zone_pk: int):
    zone = get_object_or_404(Zone, pk=zone_pk)
    return _rotation_page(request, zone, year=_year(request), swap_form=SwapForm())


def _rotation_page(request, zone: Zone, *, year: int, swap_form: SwapForm):
    may_plan = _may_plan(request, zone)
    members = Unit.objects.filter(
        memberships__zone=zone, memberships__effective_to__isnull=True
    ).order_by("name")
    order = dict(zone.rotation_order.values_list("unit_id", "position"))
    units = sorted(members, key=lambda u: (order.get(u.pk, 10**9), u.name))
    return render(
        request,
        "activities/rotation.html",
        {
            "zone": zone,
            "year": year,
            "slots": selectors.zone_rotation(zone=zone, year=year),
            "may_plan": may_plan,
            "order_form": RotationOrderForm(units=units) if may_plan else None,
            "swap_form": swap_form if may_plan else None,
            "previous_year": year - 1,
            "next_year": year + 1,
        },
    )


def _rotation_url(zone: Zone, year: int | None = None) -> str:
    url = reverse("activities:rotation", args=[zone.pk])
    return f"{url}?year={year}" if year else url


@login_required
@require_POST
def rotation_order(request, zone_pk: int):
    zone = get_object_or_404(Zone, pk=zone_pk)
    require(request.user, "activities.plan_rotation", zone)
    units = Unit.objects.filter(memberships__zone=zone, memberships__effective_to__isnull=True)
    form = RotationOrderForm(request.POST, units=units)
    if form.is_valid():
        try:
            services.rotation_set_order(
                zone=zone, unit_ids=form.ordered_unit_ids(), by=request.user
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(
                request, _("The rotation order was saved; later months were replanned.")
            )
    else:
        messages.error(request, _("Give every unit a position."))
    return redirect(_rotation_url(zone))


@login_required
@require_POST
def rotation_swap(request, zone_pk: int):
    zone = get_object_or_404(Zone, pk=zone_pk)
    require(request.user, "activities.plan_rotation", zone)
    form = SwapForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose two months."))
        return _rotation_page(request, zone, year=today().year, swap_form=form)
    year = form.cleaned_data["first"].year
    try:
        services.rotation_swap(
            zone=zone,
            first=form.cleaned_data["first"],
            second=form.cleaned_data["second"],
            by=request.user,
        )
    except ValidationError as exc:
        # The page comes back with the two months as typed, to correct one of them.
        _error(request, exc)
        return _rotation_page(request, zone, year=year, swap_form=form)
    messages.success(request, _("The two months were swapped."))
    return redirect(_rotation_url(zone, year))


@login_required
@require_POST
def rotation_generate(request):
    """Staff: generate next year's rotation for every zone."""
    require(request.user, "activities.generate_rotation")
    year = today().year + 1
    count = services.rotation_generate_next_year(year=year)
    messages.success(
        request,
        _("The rotation of %(year)d was generated (%(count)d months planned).")
        % {"year": year, "count": count},
    )
    return redirect(f"{reverse('activities:grid')}?year={year}")
