"""Bad input never ends in a server error: control characters are taken out of text on its way in
(one rule, every model), every Excel export copes with those stored before, and a control
character in a query parameter is a 400 on every page."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from import_export.formats.base_formats import XLSX
from openpyxl import load_workbook

from activities.models import Activity
from core.excel import Sheet, safe_cell, xlsx_bytes
from core.text import without_control_characters
from tests.activities.factories import form_data, make_activity
from tests.factories import CountyFactory
from tests.helpers import file_body
from zones.models import Unit
from zones.resources import UnitResource

# What PostgreSQL can hold (it refuses NUL outright) and openpyxl cannot write.
TITLE = "主题党日\x0b学习\x01党章\x1f"


def test_control_characters_are_taken_out_and_line_breaks_kept():
    assert without_control_characters("甲\x0b乙\x01丙\t丁\n戊\r\n") == "甲\n乙丙\t丁\n戊\r\n"
    assert without_control_characters("甲\x0c乙\x7f", multiline=False) == "甲 乙"


def test_an_activity_title_typed_with_control_characters_is_saved_without_them(client, county):
    client.force_login(county.secretary)
    response = client.post(
        reverse("activities:create"),
        form_data(county, title="主题党日\x0b学习党章", summary="第一段\x0b第二段\x01"),
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.title == "主题党日 学习党章"  # one line: the break became a space
    assert activity.summary == "第一段\n第二段"  # several lines: the break stays a break


def test_a_unit_renamed_in_the_admin_is_saved_without_control_characters(db):
    unit = Unit.objects.create(county=CountyFactory(), name="县\x0b司法局\x08")
    unit.refresh_from_db()
    assert unit.name == "县 司法局"


def test_the_activity_ledger_exports_control_characters_stored_before(client, county):
    activity = make_activity(unit=county.member_unit, by=county.secretary)
    # Stored before the rule (an update bypasses save), as the 500 had it.
    Activity.objects.filter(pk=activity.pk).update(title=TITLE, summary="=1+1\x0b")
    client.force_login(county.staff)
    response = client.get(reverse("activities:ledger_export"))
    assert response.status_code == 200
    row = list(load_workbook(io.BytesIO(file_body(response))).active.values)[1]
    assert row[7] == "主题党日\n学习党章" and row[10] == "'=1+1\n"


def test_the_rectification_ledger_exports_control_characters_stored_before(client, county, finding):
    type(finding).objects.filter(pk=finding.pk).update(description=TITLE)
    client.force_login(county.staff)
    response = client.get(reverse("supervision:finding_export"))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(file_body(response))).active.values)
    assert rows[1][4] == "主题党日\n学习党章"


def test_the_export_layer_cleans_every_cell():
    content = xlsx_bytes([Sheet("表", ["名称\x01"], [[TITLE], [3]])])
    sheet = load_workbook(io.BytesIO(content)).active
    assert list(sheet.values) == [("名称",), ("主题党日\n学习党章",), (3,)]
    assert safe_cell("\x01=SUM(A1)") == "'=SUM(A1)"


def test_the_unit_list_exports_a_name_stored_with_control_characters(county):
    """The admin's 导出 (django-import-export) writes what UnitResource gives it."""
    Unit.objects.filter(pk=county.member_unit.pk).update(name="县司法局\x0b")
    dataset = UnitResource().export()
    content = XLSX().export_data(dataset)
    names = [r[0] for r in load_workbook(io.BytesIO(content)).active.values]
    assert "县司法局\n" in names


# --- query parameters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/reports/?kind=%00",
        "/admin/zones/unit/?kind__exact=%00",
        "/activities/ledger/?q=%0b",
        "/search/?q=a%1fb",
        "/reports/?kind=\x7f",
    ],
)
def test_staff_get_a_400_for_a_control_character_in_a_query_parameter(client, county, url):
    client.force_login(county.staff)
    response = client.get(url)
    assert response.status_code == 400
    text = response.content.decode()
    assert "控制字符" in text and 'id="error-home"' in text


def test_the_auditor_gets_a_400_for_a_nul_in_the_audit_trails_filter(client, auditor):
    client.force_login(auditor)
    response = client.get("/audit-admin/audit/auditevent/?event__exact=%00")
    assert response.status_code == 400 and "控制字符" in response.content.decode()


def test_someone_not_signed_in_gets_a_400_for_a_nul_in_a_parameter_name(client, db):
    response = client.get("/accounts/login/?next%00=/")
    assert response.status_code == 400


def test_ordinary_query_parameters_still_pass(client, county):
    client.force_login(county.staff)
    assert client.get("/reports/?kind=month&page=1").status_code == 200
    assert client.get("/search/?q=%E5%8F%B8%E6%B3%95+100%25").status_code == 200
