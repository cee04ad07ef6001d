from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.access import get_visible_or_404, may, require, require_page
from core.once import submitted_once
from core.uploads import serve_upload

from . import services
from .constants import ReportState
from .document import (
    DOCX_MIME,
    city_document_tables,
    city_issuer,
    city_report_document,
    city_report_title,
    class_move_rows,
    report_date,
    report_document,
    report_title,
)
from .forms import CityReportRequestForm, NarrativeForm, ReportRequestForm
from .models import CityReport, RollupReport
from .selectors import city_reports_visible_to, reports_visible_to


def _get_report_for_user(request, pk: int) -> RollupReport:
    return get_visible_or_404(reports_visible_to(request.user), request, pk=pk)


def _get_changeable_report_for_user(request, pk: int) -> RollupReport:
    report = _get_report_for_user(request, pk)
    require(request.user, "reports.change_reports")
    return report


@login_required
@require_GET
def report_list(request):
    reports = reports_visible_to(request.user)
    kind = request.GET.get("kind")
    if kind:
        reports = reports.filter(kind=kind)
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    form = ReportRequestForm() if may(request.user, "reports.change_reports") else None
    return render(request, "reports/list.html", {"page": page, "form": form})


@login_required
@require_POST
def report_request(request):
    require(request.user, "reports.change_reports")
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("The report request was not valid: %(errors)s") % {"errors": form.errors.as_text()},
        )
        return redirect("reports:list")
    try:
        with submitted_once(request, form) as once:
            if once.repeated:  # a double tap asks for one report, not two versions
                return once.redirect()
            report = services.report_request(
                kind=form.cleaned_data["kind"],
                day=form.cleaned_data["day"],
                zone=form.cleaned_data["zone"],
                by=request.user,
            )
            messages.success(request, _("The report is being generated."))
            return once.answer(redirect("reports:detail", pk=report.pk))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reports:list")


@login_required
@require_GET
def report_detail(request, pk: int):
    report = _get_report_for_user(request, pk)
    can_change = may(request.user, "reports.change_reports")
    form = _narrative_form(request, report, COUNTY)
    figures = report.figures or {}
    counted_to = figures.get("counted_to")
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "form": form,
            "can_change": can_change,
            "issuer": settings.REPORTS_ISSUER,
            "title": report_title(report),
            "report_day": report_date(report),
            "counted_to": datetime.date.fromisoformat(counted_to) if counted_to else None,
            "class_moves": class_move_rows(figures),
        },
    )


@login_required
@require_GET
def report_status(request, pk: int):
    """Polled by the report page while it is being generated."""
    report = _get_report_for_user(request, pk)
    return JsonResponse({"state": report.state, "progress": report.progress})


@dataclass(frozen=True)
class Flow:
    """The shape a county report and a city report share from generation on: the access
    helper that finds it for the reader (404 otherwise), the rule that lets them edit and
    file it (403 otherwise), and its page. One pair of views (narrative, file) serves both."""

    get: Callable[[HttpRequest, int], RollupReport | CityReport]
    change: str
    detail: str


def _flow_report(request, pk: int, flow: Flow):
    report = flow.get(request, pk)
    require(request.user, flow.change)
    return report


@login_required
@require_POST
def report_narrative(request, pk: int, flow: Flow | None = None):
    """Save the narrative staff edited (a generated report not filed yet)."""
    flow = flow or COUNTY
    report = _flow_report(request, pk, flow)
    form = NarrativeForm(request.POST)
    if form.is_valid():
        try:
            services.report_narrative_save(
                report=report, narrative=form.cleaned_data["narrative"], by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The narrative was saved."))
    else:
        messages.error(request, _("The narrative cannot be empty."))
    return redirect(flow.detail, pk=report.pk)


@login_required
@require_POST
def report_file(request, pk: int, flow: Flow | None = None):
    """File the report: its narrative is final, a correction is a new version."""
    flow = flow or COUNTY
    report = _flow_report(request, pk, flow)
    if report.state == ReportState.FILED:
        return redirect(flow.detail, pk=report.pk)
    try:
        services.report_file(report=report, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The report was filed."))
    return redirect(flow.detail, pk=report.pk)


def _narrative_form(request, report, flow: Flow) -> NarrativeForm | None:
    """The narrative's form, for those who may change the report while it is editable."""
    if report.is_editable and may(request.user, flow.change):
        return NarrativeForm(initial={"narrative": report.narrative})
    return None


@login_required
@require_GET
def report_document_download(request, pk: int):
    """The report as a Word document laid out as an official document (公文); who may download
    the Excel file may download this."""
    report = _get_report_for_user(request, pk)
    if report.state not in (ReportState.READY, ReportState.FILED):
        raise Http404
    response = HttpResponse(report_document(report), content_type=DOCX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{report}.docx')}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def report_download(request, pk: int):
    report = _get_report_for_user(request, pk)
    if not report.excel:
        raise Http404
    return serve_upload(
        report.excel,
        download_name=f"{report}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# --- city reports: city staff only (404 for everyone else) ---------------------------------------


def _city_report_for_user(request, pk: int) -> CityReport:
    require_page(request.user, "reports.read_city_reports")
    return get_visible_or_404(city_reports_visible_to(request.user), request, pk=pk)


@login_required
@require_GET
def city_report_list(request):
    require_page(request.user, "reports.read_city_reports")
    reports = city_reports_visible_to(request.user)
    kind = request.GET.get("kind")
    if kind:
        reports = reports.filter(kind=kind)
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    form = CityReportRequestForm() if may(request.user, "reports.request_city_reports") else None
    return render(request, "reports/city_list.html", {"page": page, "form": form})


@login_required
@require_POST
def city_report_request(request):
    require_page(request.user, "reports.request_city_reports")
    form = CityReportRequestForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("The report request was not valid: %(errors)s") % {"errors": form.errors.as_text()},
        )
        return redirect("reports:city_list")
    try:
        with submitted_once(request, form) as once:
            if once.repeated:  # a double tap asks for one report, not two versions
                return once.redirect()
            report = services.city_report_request(
                kind=form.cleaned_data["kind"], day=form.cleaned_data["day"], by=request.user
            )
            messages.success(request, _("The report is being generated."))
            return once.answer(redirect("reports:city_detail", pk=report.pk))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reports:city_list")


@login_required
@require_GET
def city_report_detail(request, pk: int):
    report = _city_report_for_user(request, pk)
    figures = report.figures or {}
    counted_to = figures.get("counted_to")
    ready = report.state in (ReportState.READY, ReportState.FILED)
    return render(
        request,
        "reports/city_detail.html",
        {
            "report": report,
            "form": _narrative_form(request, report, CITY),
            "title": city_report_title(report),
            "issuer": city_issuer(report.city),
            "report_day": report_date(report),
            "counted_to": datetime.date.fromisoformat(counted_to) if counted_to else None,
            "tables": city_document_tables(figures) if ready else [],
        },
    )


@login_required
@require_GET
def city_report_status(request, pk: int):
    """Polled by the city report's page while it is being generated."""
    report = _city_report_for_user(request, pk)
    return JsonResponse({"state": report.state, "progress": report.progress})


@login_required
@require_GET
def city_report_download(request, pk: int):
    report = _city_report_for_user(request, pk)
    if not report.excel:
        raise Http404
    return serve_upload(
        report.excel,
        download_name=f"{report}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
@require_GET
def city_report_document_download(request, pk: int):
    """The city report as the city's official document (.docx)."""
    report = _city_report_for_user(request, pk)
    if report.state not in (ReportState.READY, ReportState.FILED):
        raise Http404
    response = HttpResponse(city_report_document(report), content_type=DOCX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{report}.docx')}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


COUNTY = Flow(get=_get_report_for_user, change="reports.change_reports", detail="reports:detail")
CITY = Flow(
    get=_city_report_for_user, change="reports.change_city_reports", detail="reports:city_detail"
)
