"""The register's import (preview, then confirm), its empty template sheet, the exports of the
register and of a unit's members, and the county's retention period. Thin: the sheet is
people.resources, the import people.importing, the retention people.retention; who may is
people.rules through core.access.

- Import, template, full export, retention period: the county's staff (`people.manage_people`;
  403 for those who read the register, 404 for anyone else). A county's staff import into their
  own county only: another county's units are unknown to the import.
- Exports (masked): whoever reads the register, of the people they read
  (`people_visible_to`); a unit's export for the units whose members they read (404 otherwise:
  another county's unit, another unit for a secretary).
- A full export (ID and phone numbers in full, `?full=1`) is the county staff's only: the
  national system takes the numbers back in full, and a masked sheet does not import. Every
  full export is on the audit trail (PERSONAL_DATA, besides the EXPORT every download gets).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from audit.constants import Event, Outcome
from audit.services import audit_record
from core.access import get_visible_or_404, require, require_page
from core.excel import Sheet, dated_name, download, export
from counties.selectors import county_of, reads_every_county
from zones.models import Unit
from zones.selectors import user_scope

from . import importing, retention
from .forms_import import ImportConfirmForm, RetentionForm, SheetUploadForm
from .importing import SheetError
from .resources import COLUMNS, PersonResource
from .selectors import people_visible_to, unit_members

SHEET_NAME = "党员名册"  # the file's name, as the national system names its sheet
TEMPLATE_NAME = "党员信息导入模板"


def _staff_county(request):
    """The county whose register the staff member manages: 404 for those who do not read the
    register, 403 for those who read but do not manage it."""
    require_page(request.user, "people.read_register")
    require(request.user, "people.manage_people")
    county = county_of(request.user)
    if county is None:
        raise Http404
    return county


def _download(dataset, *, name: str, file_format: str) -> HttpResponse:
    """The register's sheet (a django-import-export dataset) through the one export layer."""
    sheet = Sheet(name, dataset.headers or [], [list(row) for row in dataset])
    return download(
        sheet, name=dated_name(name), file_format="csv" if file_format == "csv" else "xlsx"
    )


def _export(request, people: QuerySet, *, name: str, what: str) -> HttpResponse:
    full = request.GET.get("full") == "1"
    if full:
        require(request.user, "people.manage_people")
        people = people.filter(county_id=request.user.county_id)
    file_format = "csv" if request.GET.get("format") == "csv" else "xlsx"
    dataset = PersonResource(full=full).export_people(people.filter(left_on__isnull=True))
    if full:
        audit_record(
            event=Event.PERSONAL_DATA,
            outcome=Outcome.SUCCESS,
            request=request,
            detail=f"full ID and phone numbers: {what}, {dataset.height} people",
        )
    return _download(dataset, name=name, file_format=file_format)


def _register_units(user) -> QuerySet[Unit]:
    """The units whose members `user` reads: their county's for the committee, every county's
    for city staff, the units they serve for a secretary."""
    if reads_every_county(user):
        return Unit._base_manager.all()
    if user.is_committee:
        return Unit._base_manager.filter(county_id=user.county_id)
    return Unit._base_manager.filter(pk__in=user_scope(user).unit_ids)


@export("member register")
@login_required
@require_http_methods(["GET", "HEAD"])
def register_export(request):
    """The register (people in a unit today) as the national system's sheet, masked."""
    require_page(request.user, "people.read_register")
    return _export(request, people_visible_to(request.user), name=SHEET_NAME, what="register")


@export("unit members")
@login_required
@require_http_methods(["GET", "HEAD"])
def unit_export(request, pk: int):
    """A unit's members today, the same sheet, masked."""
    require_page(request.user, "people.read_register")
    unit = get_visible_or_404(_register_units(request.user), request, pk=pk)
    people = people_visible_to(request.user).filter(pk__in=unit_members(unit).values("pk"))
    return _export(request, people, name=f"{unit.name}{SHEET_NAME}", what=f"unit #{unit.pk}")


@login_required
@require_http_methods(["GET", "HEAD"])
def import_template(request):
    """The empty sheet with the national system's headings, to fill in."""
    _staff_county(request)
    return _download(PersonResource().empty_sheet(), name=TEMPLATE_NAME, file_format="xlsx")


def _preview(request, *, county, form, report=None, token: str = "", status: int = 200):
    return render(
        request,
        "people/import_sheet.html",
        {
            "county": county,
            "form": form,
            "report": report,
            "confirm_form": ImportConfirmForm(initial={"token": token}) if token else None,
            "headings": list(COLUMNS),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def import_sheet(request):
    """Upload the sheet: the preview says what each row would do, or which rows are refused and
    why (nothing is written either way); a clean preview offers the confirmation."""
    county = _staff_county(request)
    if request.method != "POST":
        return _preview(request, county=county, form=SheetUploadForm())
    form = SheetUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _preview(request, county=county, form=form)
    upload = form.cleaned_data["sheet"]
    content = upload.read()
    try:
        dataset = importing.read_sheet(content, file_format=upload.sheet_format)
        report = importing.people_import(
            county=county, dataset=dataset, actor=request.user, commit=False
        )
    except SheetError as exc:
        form.add_error("sheet", str(exc))
        return _preview(request, county=county, form=form)
    token = ""
    if report.ok:
        token = importing.stash(content=content, file_format=upload.sheet_format, user=request.user)
    return _preview(request, county=county, form=SheetUploadForm(), report=report, token=token)


@login_required
@require_POST
@never_cache
def import_confirm(request):
    """Import the previewed sheet: every row or, if the register changed since the preview so
    that a row is refused now, none (the refusals are shown again)."""
    county = _staff_county(request)
    form = ImportConfirmForm(request.POST)
    stashed = importing.unstash(token=form.data.get("token", ""), user=request.user)
    if stashed is None:
        messages.error(request, _("The preview has expired: upload the sheet again."))
        return redirect("people_import:import")
    content, file_format = stashed
    report = importing.people_import(
        county=county,
        dataset=importing.read_sheet(content, file_format=file_format),
        actor=request.user,
        commit=True,
    )
    if not report.committed:
        return _preview(request, county=county, form=SheetUploadForm(), report=report)
    importing.unstash_done(token=form.data["token"], user=request.user)
    audit_record(
        event=Event.ADMIN_ACTION,
        outcome=Outcome.SUCCESS,
        request=request,
        detail=f"member sheet imported into county #{county.pk}: {report.new} new, "
        f"{report.updated} updated, {report.unchanged} unchanged",
    )
    messages.success(
        request,
        _("Imported: %(new)s new, %(updated)s updated, %(unchanged)s unchanged.")
        % {"new": report.new, "updated": report.updated, "unchanged": report.unchanged},
    )
    return redirect("people_import:import")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def retention_period(request):
    """The county's retention period for the personal data of people who left."""
    county = _staff_county(request)
    years = retention.retention_years(county)
    form = RetentionForm(request.POST or None, initial={"years": years})
    if request.method == "POST" and form.is_valid():
        try:
            retention.retention_policy_set(
                county=county, years=form.cleaned_data["years"], actor=request.user
            )
        except ValidationError as exc:
            form.add_error("years", exc.messages)
        else:
            messages.success(request, _("The retention period is saved."))
            return redirect("people_import:retention")
    return render(
        request,
        "people/import_retention.html",
        {
            "county": county,
            "form": form,
            "years": years,
            "default_years": retention.RETENTION_DEFAULT_YEARS,
        },
    )
