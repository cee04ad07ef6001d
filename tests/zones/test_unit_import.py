"""Importing units from the county's Excel list: all or nothing, with row-level errors."""

from __future__ import annotations

import io

import openpyxl
import tablib
from django.urls import reverse

from zones.models import Unit
from zones.resources import UnitResource

HEADERS = ["name", "short_name", "kind", "org_type", "work_category", "member_count"]


def dataset(rows):
    return tablib.Dataset(*rows, headers=HEADERS)


def test_import_accepts_chinese_labels_and_creates_units(db):
    result = UnitResource().import_data(
        dataset(
            [
                ["县审计局", "审计局", "县直机关", "党支部", "经济与发展", 23],
                ["中池镇机关党支部", "中池镇", "镇", "党总支", "other", 15],
            ]
        ),
        dry_run=False,
    )
    assert not result.has_errors() and not result.has_validation_errors()
    audit = Unit.objects.get(name="县审计局")
    assert (audit.kind, audit.org_type, audit.work_category, audit.member_count) == (
        "organ",
        "branch",
        "economy",
        23,
    )
    assert Unit.objects.get(name="中池镇机关党支部").kind == "town"


def test_one_bad_row_imports_nothing_and_names_the_row(db):
    result = UnitResource().import_data(
        dataset(
            [
                ["县审计局", "审计局", "县直机关", "党支部", "经济与发展", 23],
                ["县统计局", "统计局", "外星机关", "党支部", "经济与发展", 12],
                ["县商务局", "商务局", "县直机关", "党支部", "经济与发展", "很多"],
            ]
        ),
        dry_run=False,
        raise_errors=False,
    )
    assert result.has_validation_errors()
    bad_rows = [row.number for row in result.invalid_rows]
    assert bad_rows == [2, 3]
    assert "外星机关" in str(result.invalid_rows[0].error_dict)
    assert Unit.objects.count() == 0


def test_staff_imports_an_excel_file_through_the_admin(client, county):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    sheet.append(["县审计局", "审计局", "县直机关", "党支部", "经济与发展", 23])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "units.xlsx"
    client.force_login(county.staff)
    response = client.post(
        reverse("admin:zones_unit_import"), {"import_file": buffer, "format": "1"}
    )
    assert response.status_code == 200
    confirm = response.context["confirm_form"]
    assert confirm is not None, response.context["form"].errors
    response = client.post(reverse("admin:zones_unit_process_import"), confirm.initial)
    assert response.status_code == 302
    assert Unit.objects.filter(name="县审计局").exists()


def test_an_excel_file_with_a_bad_row_cannot_be_confirmed(client, county):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    sheet.append(["县审计局", "审计局", "县直机关", "党支部", "经济与发展", 23])
    sheet.append(["县统计局", "统计局", "外星机关", "党支部", "经济与发展", 12])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "units.xlsx"
    client.force_login(county.staff)
    count = Unit.objects.count()
    response = client.post(
        reverse("admin:zones_unit_import"), {"import_file": buffer, "format": "1"}
    )
    assert response.status_code == 200
    assert response.context.get("confirm_form") is None
    assert "外星机关" in response.content.decode()
    assert Unit.objects.count() == count
