"""Pages of the supervision module. Each object view starts with one access helper: 404 for
what the user may not see, 403 for what they may see but not change."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import get_visible_or_404, may, require
from core.excel import export
from core.exportjobs import offer
from core.once import submitted_once
from core.periods import half_of, previous_half
from core.uploads import serve_upload
from zones.selectors import today

from . import services
from .constants import CheckState, FindingState, Half, RoundState
from .exports import ledger_findings
from .forms import (
    CheckCreateForm,
    ClassConfirmForm,
    EvidenceForm,
    FindingForm,
    FindingNoteForm,
    FindingSubmitForm,
    PairingForm,
    PlanForm,
    RoundOpenForm,
    VisitForm,
)
from .models import FindingEvidence, ScoreSheet, SheetEvidence
from .rules import zones_organized_by
from .selectors import (
    checks_visible_to,
    class_movements,
    class_review,
    class_review_units,
    finding_workdays_left,
    findings_visible_to,
    ledger_page,
    round_teams,
    rounds_visible_to,
    sheets_to_fill,
    sheets_visible_to,
    teams_visible_to,
)

LEDGER_PAGE_SIZE = 50


def _error(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- access helpers -------------------------------------------------------------------------


def _get_check_for_user(request, pk):
    return get_visible_or_404(checks_visible_to(request.user), request, pk=pk)


def _get_sheet_for_user(request, pk) -> ScoreSheet:
    return get_visible_or_404(sheets_visible_to(request.user), request, pk=pk)


def _get_round_for_user(request, pk):
    return get_visible_or_404(rounds_visible_to(request.user), request, pk=pk)


def _get_team_for_user(request, pk):
    return get_visible_or_404(teams_visible_to(request.user), request, pk=pk)


# What each finding action asks of the person (core.access; the rules in supervision/rules.py).
FINDING_ACTION_RULES = {
    "start": "supervision.answer_finding",
    "submit": "supervision.answer_finding",
    "verify": "supervision.verify_finding",
    "return": "supervision.verify_finding",
    "correct": "supervision.correct_finding",
}


def _get_finding_for_user(request, pk):
    return get_visible_or_404(findings_visible_to(request.user), request, pk=pk)


# --- overview -------------------------------------------------------------------------------


@login_required
@require_GET
def index(request):
    return render(
        request,
        "supervision/index.html",
        {
            "to_fill": sheets_to_fill(request.user)[:50],
            "checks": checks_visible_to(request.user)[:12],
            "rounds": rounds_visible_to(request.user)[:6],
            "can_organize": may(request.user, "supervision.create_check"),
        },
    )


# --- quarterly mutual checks ----------------------------------------------------------------


@login_required
@require_GET
def check_list(request):
    checks = checks_visible_to(request.user)
    return render(request, "supervision/check_list.html", {"checks": checks[:200]})


@login_required
@require_http_methods(["GET", "POST"])
def check_create(request):
    require(request.user, "supervision.create_check")
    form = CheckCreateForm(request.POST or None, zones=zones_organized_by(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            with submitted_once(request, form) as once:
                if once.repeated:
                    return once.redirect()
                check = services.mutual_check_create(
                    zone=form.cleaned_data["zone"],
                    year=form.cleaned_data["year"],
                    quarter=form.cleaned_data["quarter"],
                    by=request.user,
                )
                messages.success(request, _("The mutual check is open with a proposed pairing."))
                return once.answer(redirect("supervision:check_detail", pk=check.pk))
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "supervision/check_form.html", {"form": form})


@login_required
@require_GET
def check_detail(request, pk):
    check = _get_check_for_user(request, pk)
    visible = set(
        sheets_visible_to(request.user).filter(mutual_check=check).values_list("pk", flat=True)
    )
    sheets = check.sheets.select_related("checker_unit", "checked_unit").order_by(
        "checker_unit__name"
    )
    return render(
        request,
        "supervision/check_detail.html",
        {
            "check": check,
            "sheets": sheets,
            "visible_sheets": visible,
            "can_organize": may(request.user, "supervision.organize_check", check),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def check_pairing(request, pk):
    check = _get_check_for_user(request, pk)
    require(request.user, "supervision.organize_check", check)
    sheets = list(check.sheets.select_related("checker_unit").order_by("checker_unit__name"))
    units = sorted((s.checker_unit for s in sheets), key=lambda u: u.name)
    form = PairingForm(request.POST or None, sheets=sheets, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            services.mutual_check_set_pairing(check=check, pairing=form.pairing(), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The pairing is saved."))
            return redirect("supervision:check_detail", pk=check.pk)
    return render(request, "supervision/check_pairing.html", {"check": check, "form": form})


@login_required
@require_POST
def check_publish(request, pk):
    check = _get_check_for_user(request, pk)
    require(request.user, "supervision.organize_check", check)
    if check.state != CheckState.PUBLISHED:
        try:
            services.mutual_check_publish(check=check, by=request.user)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("The results are published."))
    return redirect("supervision:check_detail", pk=check.pk)


# --- score sheets ---------------------------------------------------------------------------


def _typed_scores(request, sheet: ScoreSheet) -> dict[int, tuple[str, str]]:
    """The scores and notes the sheet page posted, for the lines it posted. The page is one
    form: saving, submitting, recording a finding and attaching evidence all post the scores,
    so none of them loses what the checker typed."""
    return {
        line_id: (
            request.POST.get(f"score_{line_id}", ""),
            request.POST.get(f"note_{line_id}", ""),
        )
        for line_id in sheet.lines.values_list("pk", flat=True)
        if f"score_{line_id}" in request.POST or f"note_{line_id}" in request.POST
    }


def _sheet_page(request, sheet: ScoreSheet, *, finding_form=None, evidence_form=None):
    """The sheet page; after a refusal, with what was typed (scores, notes, the finding) kept."""
    fillable = may(request.user, "supervision.fill_sheet", sheet) and services.sheet_is_fillable(
        sheet
    )
    lines = list(sheet.lines.order_by("position"))
    posted = request.POST if request.method == "POST" else {}
    for line in lines:
        line.typed_score = posted.get(f"score_{line.pk}", line.score)
        line.typed_note = posted.get(f"note_{line.pk}", line.note)
    return render(
        request,
        "supervision/sheet_detail.html",
        {
            "sheet": sheet,
            "lines": lines,
            "fillable": fillable,
            "findings": sheet.findings.order_by("pk"),
            "evidence": sheet.evidence.all(),
            # Not `required` in the browser: the finding's fields share the page's one form
            # with "Save", which must work with no finding typed.
            "finding_form": finding_form or FindingForm(use_required_attribute=False),
            "evidence_form": evidence_form or EvidenceForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sheet_detail(request, pk):
    sheet = _get_sheet_for_user(request, pk)
    if request.method == "POST":
        require(request.user, "supervision.fill_sheet", sheet)
        try:
            services.sheet_save_scores(
                sheet=sheet, scores=_typed_scores(request, sheet), by=request.user
            )
            if "submit" in request.POST:
                services.sheet_submit(sheet=sheet, by=request.user)
                messages.success(request, _("The sheet is submitted and locked."))
            else:
                messages.success(request, _("The scores are saved."))
        except ValidationError as exc:
            _error(request, exc)
            return _sheet_page(request, sheet)  # the page again, with the scores as typed
        return redirect("supervision:sheet_detail", pk=sheet.pk)
    return _sheet_page(request, sheet)


@login_required
@require_POST
def sheet_add_finding(request, pk):
    sheet = _get_sheet_for_user(request, pk)
    require(request.user, "supervision.fill_sheet", sheet)
    form = FindingForm(request.POST, use_required_attribute=False)
    if form.is_valid():
        try:
            with submitted_once(request, form) as once:
                if once.repeated:
                    return once.redirect()
                services.finding_record(
                    sheet=sheet,
                    scores=_typed_scores(request, sheet),
                    by=request.user,
                    **form.cleaned_data,
                )
                messages.success(request, _("The scores are saved and the finding is recorded."))
                return once.answer(
                    redirect(f"{reverse('supervision:sheet_detail', args=[sheet.pk])}#findings")
                )
        except ValidationError as exc:
            _error(request, exc)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return _sheet_page(request, sheet, finding_form=form)


@login_required
@require_POST
def sheet_add_evidence(request, pk):
    sheet = _get_sheet_for_user(request, pk)
    require(request.user, "supervision.fill_sheet", sheet)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid() and form.cleaned_data["files"]:
        try:
            with submitted_once(request, form) as once:
                if once.repeated:
                    return once.redirect()
                services.sheet_add_evidence(
                    sheet=sheet,
                    files=form.cleaned_data["files"],
                    scores=_typed_scores(request, sheet),
                    by=request.user,
                )
                messages.success(request, _("The evidence is attached."))
                return once.answer(
                    redirect(f"{reverse('supervision:sheet_detail', args=[sheet.pk])}#evidence")
                )
        except ValidationError as exc:
            _error(request, exc)
    elif form.is_valid():
        messages.error(request, _("Choose at least one photo or PDF file."))
    else:  # a file refused by the field: its own message
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return _sheet_page(request, sheet)


@login_required
@require_GET
def sheet_evidence_file(request, pk):
    evidence = get_object_or_404(SheetEvidence.objects.select_related("sheet"), pk=pk)
    _get_sheet_for_user(request, evidence.sheet_id)
    return serve_upload(evidence.file, download_name=evidence.original_name, mime=evidence.mime)


# --- half-year patrol rounds ----------------------------------------------------------------


@login_required
@require_GET
def round_list(request):
    return render(
        request,
        "supervision/round_list.html",
        {
            "rounds": rounds_visible_to(request.user),
            "manages_rounds": may(request.user, "supervision.manage_rounds"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    require(request.user, "supervision.manage_rounds")
    form = RoundOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with submitted_once(request, form) as once:
                if once.repeated:
                    return once.redirect()
                round_ = services.patrol_round_open(by=request.user, **form.cleaned_data)
                messages.success(request, _("The round is open with a proposed plan."))
                return once.answer(redirect("supervision:round_detail", pk=round_.pk))
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "supervision/round_form.html", {"form": form})


@login_required
@require_GET
def round_detail(request, pk):
    round_ = _get_round_for_user(request, pk)
    return render(
        request,
        "supervision/round_detail.html",
        {
            "round": round_,
            "teams": round_teams(round_),
            "manages_rounds": may(request.user, "supervision.manage_rounds"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_plan(request, pk):
    round_ = _get_round_for_user(request, pk)
    require(request.user, "supervision.manage_rounds")
    teams = list(round_.teams.select_related("visited_zone").order_by("visited_zone__number"))
    zones = [t.visited_zone for t in teams]
    form = PlanForm(request.POST or None, teams=teams, zones=zones)
    if request.method == "POST" and form.is_valid():
        try:
            notes = services.patrol_round_set_plan(
                round_=round_, visitors=form.visitors(), leaders=form.leaders(), by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The plan is saved."))
            for note in notes:
                messages.warning(request, note)
            return redirect("supervision:round_detail", pk=round_.pk)
    return render(request, "supervision/round_plan.html", {"round": round_, "form": form})


@login_required
@require_POST
def round_publish(request, pk):
    round_ = _get_round_for_user(request, pk)
    require(request.user, "supervision.manage_rounds")
    if round_.state == RoundState.DRAFT:
        try:
            services.patrol_round_publish(round_=round_, by=request.user)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("The plan is published; the teams see their assignments."))
    return redirect("supervision:round_detail", pk=round_.pk)


@login_required
@require_POST
def round_close(request, pk):
    round_ = _get_round_for_user(request, pk)
    require(request.user, "supervision.manage_rounds")
    if round_.state != RoundState.CLOSED:
        try:
            services.patrol_round_close(round_=round_, by=request.user)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("The round's results are released."))
    return redirect("supervision:round_detail", pk=round_.pk)


@login_required
@require_http_methods(["GET", "POST"])
def team_detail(request, pk):
    team = _get_team_for_user(request, pk)
    may_record = may(request.user, "supervision.record_visit", team)
    form = VisitForm(
        request.POST or None,
        initial={
            "visit_date": team.visit_date,
            "heard_secretary": team.heard_secretary,
            "heard_members": team.heard_members,
            "heard_recipients": team.heard_recipients,
        },
    )
    if request.method == "POST":
        require(request.user, "supervision.record_visit", team)
        if form.is_valid():
            try:
                services.patrol_team_record_visit(team=team, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The visit record is saved."))
                return redirect("supervision:team_detail", pk=team.pk)
    visible = set(sheets_visible_to(request.user).filter(team=team).values_list("pk", flat=True))
    return render(
        request,
        "supervision/team_detail.html",
        {
            "team": team,
            "members": team.members.all(),
            "sheets": team.sheets.select_related("checked_unit").order_by("checked_unit__name"),
            "visible_sheets": visible,
            "form": form,
            "may_record": may_record and team.round.state == RoundState.PUBLISHED,
        },
    )


# --- findings and the rectification ledger --------------------------------------------------


def _ledger(request):
    # The rectification ledger (整改台账) lists findings handed over for rectification; those of a
    # check still in progress are seen on its score sheets until the results are released.
    # Most urgent first: overdue and nearest deadlines at the top. One definition with its
    # export's, which the worker runs too (exports.ledger_findings).
    return ledger_findings(request.user, request.GET)


@login_required
@require_GET
def finding_list(request):
    filterset = _ledger(request)
    page = ledger_page(filterset.qs, request.GET.get("page"), LEDGER_PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "supervision/finding_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


@export("rectification ledger")
@login_required
@require_GET
def finding_export(request):
    # Streamed at once up to EXPORT_WORKER_ROWS rows, else written by the worker (issue 20).
    return offer(request, "rectification ledger")


@login_required
@require_GET
def finding_detail(request, pk):
    finding = _get_finding_for_user(request, pk)
    workdays_left = finding_workdays_left(finding)
    events = list(finding.events.select_related("by"))
    # The submission awaiting verification, or the one that was verified.
    submission = None
    if finding.state in (FindingState.SUBMITTED, FindingState.CLOSED):
        submission = next(
            (e for e in reversed(events) if e.to_state == FindingState.SUBMITTED), None
        )
    return render(
        request,
        "supervision/finding_detail.html",
        {
            "finding": finding,
            "workdays_left": workdays_left,
            "workdays_left_abs": abs(workdays_left or 0),
            "events": events,
            "submission": submission,
            "evidence": finding.evidence.all(),
            "corrections": finding.corrections.all(),
            "can_answer": may(request.user, "supervision.answer_finding", finding)
            and finding.state != FindingState.CLOSED,
            "can_verify": may(request.user, "supervision.verify_finding", finding)
            and finding.state == FindingState.SUBMITTED,
            "can_correct": may(request.user, "supervision.correct_finding", finding)
            and finding.state == FindingState.CLOSED,
            "submit_form": FindingSubmitForm(),
            "note_form": FindingNoteForm(),
            "correct_form": FindingForm(initial={"severity": finding.severity}),
        },
    )


@login_required
@require_POST
def finding_action(request, pk, action):
    finding = _get_finding_for_user(request, pk)
    rule = FINDING_ACTION_RULES.get(action)
    if rule is None:
        raise Http404
    require(request.user, rule, finding)
    target = finding
    try:
        if action == "start":
            services.finding_start(finding=finding, by=request.user)
        elif action == "submit":
            form = FindingSubmitForm(request.POST, request.FILES)
            if not form.is_valid():  # e.g. an empty file: refused, not silently dropped
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            with submitted_once(request, form) as once:
                if once.repeated:  # the same evidence sent twice: attached once
                    return once.redirect()
                services.finding_submit(
                    finding=finding,
                    note=form.cleaned_data.get("note", ""),
                    files=form.cleaned_data.get("files", []),
                    by=request.user,
                )
                once.answer(redirect("supervision:finding_detail", pk=finding.pk))
        elif action in ("verify", "return"):
            form = FindingNoteForm(request.POST)
            if not form.is_valid():  # e.g. a NUL character, which the database cannot store
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            if action == "verify":
                services.finding_verify(
                    finding=finding, note=form.cleaned_data["note"], by=request.user
                )
            else:
                services.finding_return(
                    finding=finding, reason=form.cleaned_data["note"], by=request.user
                )
        else:
            form = FindingForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Describe the problem."))
            with submitted_once(request, form) as once:
                if once.repeated:
                    return once.redirect()
                target = services.finding_correct(
                    finding=finding, by=request.user, **form.cleaned_data
                )
                once.answer(redirect("supervision:finding_detail", pk=target.pk))
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect("supervision:finding_detail", pk=target.pk)


@login_required
@require_GET
def finding_evidence_file(request, pk):
    evidence = get_object_or_404(FindingEvidence, pk=pk)
    _get_finding_for_user(request, evidence.finding_id)
    return serve_upload(evidence.file, download_name=evidence.original_name, mime=evidence.mime)


# --- class review ---------------------------------------------------------------------------


def _review_period(request) -> tuple[int, int]:
    day = today()
    default_year, default_half = previous_half(day.year, half_of(day))
    try:
        year = int(request.GET.get("year") or default_year)
        half = int(request.GET.get("half") or default_half)
    except ValueError as exc:
        raise Http404 from exc
    if half not in (1, 2) or not 2000 <= year <= 2100:
        raise Http404
    return year, half


CLASS_REVIEW_PAGE_SIZE = 50


@login_required
@require_GET
def class_review_page(request):
    if not may(request.user, "supervision.review_classes"):
        raise Http404
    year, half = _review_period(request)
    # A page of units at a time (issue 20): a city's 1,800 rows of forms were 2.2 MB of HTML.
    page = Paginator(class_review_units(year=year, half=half), CLASS_REVIEW_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "supervision/class_review.html",
        {
            "rows": class_review(year=year, half=half, units=page.object_list),
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
            "query": urlencode({"year": year, "half": half}),
            "year": year,
            "half": half,
            "halves": Half.choices,
            "today": today(),
        },
    )


@login_required
@require_POST
def class_review_confirm(request):
    require(request.user, "supervision.review_classes")
    form = ClassConfirmForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        data = form.cleaned_data
        try:
            services.class_review_confirm(
                unit=data["unit"],
                grade=data["grade"],
                suggested=data["suggested"],
                effective_on=data["effective_on"],
                reason=data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(
                request, _("The class of %(unit)s is recorded.") % {"unit": data["unit"]}
            )
    back = {"year": request.POST.get("year", ""), "half": request.POST.get("half", "")}
    page = request.POST.get("page", "")
    if page.isdigit() and len(page) < 6:
        back["page"] = page  # back to the page the unit was confirmed on
    return redirect(f"{reverse('supervision:class_review')}?{urlencode(back)}")


@login_required
@require_GET
def class_movement_list(request):
    if not may(request.user, "supervision.read_class_movements"):
        raise Http404
    page = Paginator(class_movements(), 100).get_page(request.GET.get("page"))
    return render(request, "supervision/class_movements.html", {"page": page})
