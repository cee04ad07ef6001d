"""No export the portal offers hands a spreadsheet a formula. A text somebody typed
(`=HYPERLINK(...)` in an activity's title, a finding, a unit's secretary, an audit event, a reason
for a move or a class change) is written into every Excel and CSV export as text with a leading
quote (core.excel.safe_cell, the one rule), never as a formula Excel would run; and a unit
workbook the portal exported imports back unchanged."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from openpyxl import load_workbook

from activities.constants import ActivityState
from audit.constants import Event, Outcome
from audit.models import AuditEvent
from audit.services import audit_record
from core.excel import FORMULA_STARTS
from reports import services as report_services
from supervision.models import Finding
from tests.activities.factories import make_activity
from zones import services as zone_services
from zones.constants import Grade
from zones.models import Membership, Unit
from zones.resources import UnitResource

EVIL = '=HYPERLINK("http://evil.example","x")'
TODAY = datetime.date(2026, 11, 28)


@pytest.fixture
def typed_in(county, finding, fixed_today):
    """The formula typed into a text field that each export writes."""
    fixed_today(TODAY)
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=datetime.date(2026, 10, 9),
        state=ActivityState.CONFIRMED,
        reviewer=county.lead_secretary,
        title=EVIL,
        summary="+cmd|' /C calc'!A0",
    )
    Finding.objects.filter(pk=finding.pk).update(description=EVIL, suggestion="@SUM(A1)")
    Unit.objects.filter(pk=county.member_unit.pk).update(secretary_name=EVIL, location="-1+2")
    zone_services.unit_set_grade(
        unit=county.member_unit_2, grade=Grade.FIRST, effective_on=TODAY.replace(day=1), reason=EVIL
    )
    zone_services.unit_reassign(
        unit=county.other_unit, zone=county.zone_a, effective_on=TODAY, reason=EVIL, by=county.staff
    )
    audit_record(event=Event.LOGIN, outcome=Outcome.FAILURE, username="x", detail=EVIL)
    return county


def activity_ledger(client, county, auditor):
    client.force_login(county.staff)
    return client.get(reverse("activities:ledger_export"))


def rectification_ledger(client, county, auditor):
    client.force_login(county.staff)
    return client.get(reverse("supervision:finding_export"))


def report_workbook(client, county, auditor):
    report = report_services.report_request(kind="month", day=TODAY, by=county.staff)
    assert report_services.report_generate(report_id=report.pk, today=TODAY)
    client.force_login(county.staff)
    return client.get(reverse("reports:download", args=[report.pk]))


def audit_csv(client, county, auditor):
    client.force_login(auditor)
    return client.post(
        reverse("audit_admin:audit_auditevent_changelist"),
        {
            "action": "export_csv",
            ACTION_CHECKBOX_NAME: list(AuditEvent.objects.values_list("pk", flat=True)),
        },
    )


def history_csv(client, county, auditor):
    client.force_login(auditor)
    return client.post(
        reverse("audit_admin:audit_historicalmembership_changelist"),
        {
            "action": "export_csv",
            ACTION_CHECKBOX_NAME: list(Membership.history.values_list("history_id", flat=True)),
        },
    )


def _unit_export(client, county, file_format: str):
    client.force_login(county.staff)
    formats = [f().get_title() for f in admin.site.get_model_admin(Unit).get_export_formats()]
    fields = {f"unitresource_{name}": "on" for name in UnitResource().get_export_order()}
    return client.post(
        reverse("admin:zones_unit_export"),
        {"format": formats.index(file_format), "resource": "0", **fields},
    )


def unit_workbook(client, county, auditor):
    return _unit_export(client, county, "xlsx")


def unit_csv(client, county, auditor):
    return _unit_export(client, county, "csv")


def _register_person(county):
    from people import services as people_services
    from tests.people.factories import person_in

    person = person_in(county.member_unit, name="王芳")
    people_services.person_update(person=person, actor=county.staff, job_title=EVIL)


def register_workbook(client, county, auditor):
    _register_person(county)
    client.force_login(county.staff)
    return client.get(reverse("people_import:export"), {"full": "1"})


def unit_members_csv(client, county, auditor):
    _register_person(county)
    client.force_login(county.staff)
    return client.get(
        reverse("people_import:unit_export", args=[county.member_unit.pk]), {"format": "csv"}
    )


EXPORTS = [
    register_workbook,
    unit_members_csv,
    activity_ledger,
    rectification_ledger,
    report_workbook,
    audit_csv,
    history_csv,
    unit_workbook,
    unit_csv,
]


def cells(response) -> list:
    """Every cell of the download: (formula?, value) for a workbook, (False, field) for a CSV."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("text/csv"):
        rows = csv.reader(io.StringIO(body.decode("utf-8-sig")))
        return [(False, field) for row in rows for field in row]
    book = load_workbook(io.BytesIO(body))
    return [
        (cell.data_type == "f", cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
    ]


@pytest.mark.parametrize("export", EXPORTS, ids=lambda e: e.__name__)
def test_no_export_hands_a_spreadsheet_a_formula(client, typed_in, auditor, export):
    response = export(client, typed_in, auditor)
    assert response.status_code == 200
    written = cells(response)
    assert not [value for formula, value in written if formula]
    texts = [value for _formula, value in written if isinstance(value, str)]
    assert not [t for t in texts if t.startswith(FORMULA_STARTS)]
    # The typed text is there, quoted, rather than dropped.
    assert [t for t in texts if "HYPERLINK" in t]
    assert all(t.startswith("'=") for t in texts if t.lstrip("'").startswith("=HYPERLINK"))


def test_an_exported_unit_workbook_imports_back_unchanged(client, county):
    Unit.objects.filter(pk=county.member_unit.pk).update(name=EVIL, secretary_name="+86 123")
    before = list(Unit.objects.order_by("pk").values())
    response = _unit_export(client, county, "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "'" + EVIL in [c.value for c in sheet["A"]]
    buffer = io.BytesIO(response.content)
    buffer.name = "units.xlsx"
    formats = [f().get_title() for f in admin.site.get_model_admin(Unit).get_import_formats()]
    response = client.post(
        reverse("admin:zones_unit_import"),
        {"import_file": buffer, "format": formats.index("xlsx")},
    )
    confirm = response.context["confirm_form"]
    assert confirm is not None, response.context["form"].errors
    response = client.post(reverse("admin:zones_unit_process_import"), confirm.initial)
    assert response.status_code == 302
    assert list(Unit.objects.order_by("pk").values()) == before


def test_the_unit_workbook_keeps_numbers_numbers(client, county):
    """The library's own formula guard (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT) would write every
    cell as text; the portal's rule quotes only formula-like text."""
    Unit.objects.filter(pk=county.member_unit.pk).update(member_count=23)
    sheet = load_workbook(io.BytesIO(_unit_export(client, county, "xlsx").content)).active
    counts = {row[0].value: row[6] for row in sheet.iter_rows(min_row=2)}
    assert counts[county.member_unit.name].value == 23
    assert counts[county.member_unit.name].data_type == "n"
