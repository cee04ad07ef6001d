"""Importing the places (town → village → group) from the county's Excel sheet: all or nothing,
each bad row named with its line and reason, preview then confirm in the admin."""

from __future__ import annotations

import io

import openpyxl
import tablib
from django.urls import reverse

from wishes.models import Group, Town, Village
from wishes.resources import PlaceResource


def _county(county):
    return county.lead_unit.county


def test_a_sheet_creates_towns_villages_and_groups_once(county):
    data = tablib.Dataset(
        ["城关镇", "东坡村", "一组"],
        ["城关镇", "东坡村", "二组"],
        ["民主镇", "德胜村", "一组"],
        headers=["镇", "村", "组"],
    )
    result = PlaceResource(county=_county(county)).import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Town.objects.count() == 2 and Village.objects.count() == 2
    assert Group.objects.filter(village__name="东坡村").count() == 2
    again = PlaceResource(county=_county(county)).import_data(data, dry_run=False)
    assert again.totals["skip"] == 3 and Group.objects.count() == 3  # nothing twice


def test_english_headings_and_a_town_the_county_has(county, w):
    data = tablib.Dataset([" 滔河镇 ", "同心村", "三组"], headers=["town", "village", "group"])
    PlaceResource(county=_county(county)).import_data(data, dry_run=False)
    assert Town.objects.count() == 1 and w.village.groups.count() == 3


def test_one_bad_row_imports_nothing_and_names_each_bad_row(county):
    data = tablib.Dataset(
        ["城关镇", "东坡村", "一组"],
        ["城关镇", "", "二组"],
        ["民主镇", "德胜村", "组" * 61],
        headers=["镇", "村", "组"],
    )
    result = PlaceResource(county=_county(county)).import_data(data, dry_run=False)
    assert result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [2, 3]
    assert "empty" in str(result.invalid_rows[0].error_dict)
    assert "longer than 60" in str(result.invalid_rows[1].error_dict)
    assert not Town.objects.exists() and not Group.objects.exists()


def _workbook(*rows) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["镇", "村", "组"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "places.xlsx"
    return buffer


def test_staff_preview_then_confirm_the_import_in_the_admin(client, county):
    client.force_login(county.staff)
    response = client.post(
        reverse("admin:wishes_group_import"),
        {"import_file": _workbook(["城关镇", "东坡村", "一组"]), "format": "1"},
    )
    assert response.status_code == 200
    confirm = response.context["confirm_form"]
    assert confirm is not None, response.context["form"].errors
    assert not Group.objects.exists()  # a preview writes nothing
    response = client.post(reverse("admin:wishes_group_process_import"), confirm.initial)
    assert response.status_code == 302
    group = Group.objects.get()
    assert group.village.town.county == _county(county)


def test_a_sheet_with_a_bad_row_cannot_be_confirmed(client, county):
    client.force_login(county.staff)
    response = client.post(
        reverse("admin:wishes_group_import"),
        {
            "import_file": _workbook(["城关镇", "东坡村", "一组"], ["", "东坡村", "二组"]),
            "format": "1",
        },
    )
    assert response.status_code == 200 and response.context.get("confirm_form") is None
    assert not Group.objects.exists() and not Town.objects.exists()
