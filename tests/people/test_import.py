"""The import of the national system's member sheet: all or nothing, each refused row named with
its line and reason, a preview that writes nothing, updates matched by ID number; the empty
template; the exports, masked unless a county's staff asks for the full sheet (audited); who may."""

from __future__ import annotations

import datetime
import io
import re

import pytest
import tablib
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from audit.constants import Event
from audit.models import AuditEvent
from core.constants import Role
from people import services
from people.constants import Category, Education, Sex
from people.importing import people_import, read_sheet
from people.masking import mask_id, mask_phone
from people.models import Membership, Person
from people.resources import COLUMNS
from tests.factories import CountyFactory, UnitFactory, UserFactory
from tests.people.factories import id_number, person_in

pytestmark = pytest.mark.django_db

BORN = datetime.date(1985, 3, 14)


@pytest.fixture(autouse=True)
def _in_english():
    """The messages are asserted in their source language (pages choose their own)."""
    with translation.override("en"):
        yield


HEADINGS = list(COLUMNS)


def row(unit, *, name="王芳", number=None, born=BORN, **cells) -> list:
    values = {
        "姓名": name,
        "性别": "女",
        "公民身份号码": number or id_number(region="610922", born=born),
        "民族": "汉族",
        "出生日期": born,
        "学历": "大学本科",
        "人员类别": "正式党员",
        "入党日期": "2010-07-01",
        "转正日期": "2011.07.01",
        "工作岗位": "科员",
        "联系电话": "13912345678",
        "所在党支部": unit.name,
        **cells,
    }
    return [values[h] for h in HEADINGS]


def sheet(*rows, headings=HEADINGS) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=headings)


def xlsx(*rows, headings=HEADINGS) -> io.BytesIO:
    buffer = io.BytesIO(sheet(*rows, headings=headings).export("xlsx"))
    buffer.name = "党员.xlsx"
    return buffer


def run(county, dataset, *, commit=True):
    return people_import(
        county=county.member_unit.county, dataset=dataset, actor=county.staff, commit=commit
    )


def snapshot():
    return (
        list(Person.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
    )


# --- the import ------------------------------------------------------------------------------


def test_a_clean_sheet_registers_everyone_with_the_sheets_words(county):
    report = run(county, sheet(row(county.member_unit), row(county.member_unit_2, name="李强")))
    assert report.committed and report.new == 2
    person = Person.objects.get(name="王芳")
    assert (person.sex, person.education, person.category) == (
        Sex.FEMALE,
        Education.BACHELOR,
        Category.FULL,
    )
    assert person.ethnicity == "01"
    assert person.joined_on == datetime.date(2010, 7, 1)
    assert person.full_member_on == datetime.date(2011, 7, 1)
    assert person.mobile == "13912345678"
    assert Membership.objects.get(person=person).unit == county.member_unit


@pytest.mark.parametrize(
    "cells, reason",
    [
        ({"公民身份号码": "61092219850314001"}, "18 characters"),
        ({"出生日期": datetime.date(1985, 3, 15)}, "does not agree with the ID number"),
        ({"所在党支部": "县不存在局"}, "县不存在局 is not a unit of"),
        ({"姓名": ""}, "姓名 is empty"),
        ({"入党日期": "七月一日"}, "入党日期"),
        ({"学历": "大学"}, "学历"),
        ({"人员类别": "预备党员"}, "probationary member has no full-membership date"),
    ],
    ids=["shape", "birth", "unit", "name", "date", "choice", "service"],
)
def test_a_bad_row_imports_nothing_and_is_named_with_its_line(county, cells, reason):
    before = snapshot()
    report = run(
        county, sheet(row(county.member_unit, name="李强"), row(county.member_unit, **cells))
    )
    assert not report.committed
    assert [p.line for p in report.problems] == [3]
    assert reason in " ".join(report.problems[0].messages)
    assert snapshot() == before


def test_a_wrong_check_digit_is_refused_without_repeating_the_number(county):
    number = id_number(born=BORN)
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    report = run(county, sheet(row(county.member_unit, number=wrong)))
    (problem,) = report.problems
    assert problem.line == 2
    assert "check digit" in " ".join(problem.messages)
    assert wrong not in " ".join(problem.messages)
    assert not Person.objects.exists()


def test_a_number_twice_in_the_sheet_names_both_lines(county):
    number = id_number(born=BORN)
    report = run(
        county,
        sheet(row(county.member_unit, number=number), row(county.member_unit_2, number=number)),
    )
    (problem,) = report.problems
    assert problem.line == 3
    assert "line 2" in problem.messages[0]
    assert not Person.objects.exists()


def test_a_person_of_another_unit_is_not_moved_without_a_transfer(county):
    number = id_number(born=BORN)
    person_in(county.member_unit_2, name="王芳", id_number=number, date_of_birth=BORN)
    before = snapshot()
    report = run(county, sheet(row(county.member_unit, number=number)))
    (problem,) = report.problems
    assert "belongs to 县财政局" in problem.messages[0] and "transfer" in problem.messages[0]
    assert snapshot() == before


def test_a_unit_of_another_county_is_unknown(county):
    ziyang = CountyFactory(code="610924", name="紫阳县")
    theirs = UnitFactory(county=ziyang, name="紫阳县林业局")
    report = run(county, sheet(row(theirs)))
    assert "紫阳县林业局 is not a unit of" in report.problems[0].messages[0]
    assert not Person.objects.exists()


def test_a_person_still_in_another_countys_register_is_refused(county):
    ziyang = CountyFactory(code="610924", name="紫阳县")
    number = id_number(born=BORN)
    person_in(UnitFactory(county=ziyang), id_number=number, date_of_birth=BORN)
    report = run(county, sheet(row(county.member_unit, number=number)))
    assert "another county's register" in report.problems[0].messages[0]
    assert "紫阳" not in report.problems[0].messages[0]
    assert Person.objects.count() == 1


def test_a_registered_number_updates_that_person_and_empty_cells_keep_values(county):
    number = id_number(born=BORN)
    person = person_in(
        county.member_unit, name="王芳", id_number=number, date_of_birth=BORN, job_title="科员"
    )
    report = run(
        county,
        sheet(row(county.member_unit, number=number, 工作岗位="副科长", 联系电话="")),
    )
    assert report.committed and report.updated == 1 and report.new == 0
    assert "工作岗位" in report.outcomes[0].changed
    person.refresh_from_db()
    assert person.job_title == "副科长"
    assert Person.objects.count() == 1
    again = run(county, sheet(row(county.member_unit, number=number, 工作岗位="副科长")))
    assert again.unchanged == 0 and again.updated == 1  # the phone was empty, now it is set
    assert (
        run(county, sheet(row(county.member_unit, number=number, 工作岗位="副科长"))).unchanged == 1
    )


def test_the_preview_writes_nothing(county):
    report = run(county, sheet(row(county.member_unit)), commit=False)
    assert report.ok and report.new == 1 and not report.committed
    assert not Person.objects.exists()


def test_a_sheet_without_the_required_columns_is_refused_whole():
    from people.importing import SheetError, _columns

    with pytest.raises(SheetError, match="公民身份号码"):
        _columns(["姓名", "所在党支部"])


# --- the pages -------------------------------------------------------------------------------


def _upload(client, county, *rows):
    client.force_login(county.staff)
    return client.post(reverse("people_import:import"), {"sheet": xlsx(*rows)})


def test_upload_previews_then_confirm_imports(client, county):
    response = _upload(client, county, row(county.member_unit))
    assert response.status_code == 200
    assert not Person.objects.exists()
    content = response.content.decode()
    assert "13912345678" not in content
    token = response.context["confirm_form"].initial["token"]
    number = response.context["report"].outcomes[0].id_number
    assert number in content and "*" in number
    response = client.post(reverse("people_import:import_confirm"), {"token": token})
    assert response.status_code == 302
    assert Person.objects.get().name == "王芳"
    assert AuditEvent.objects.filter(event=Event.ADMIN_ACTION, detail__contains="1 new").exists()
    # The token is spent: a second confirmation imports nothing twice.
    client.post(reverse("people_import:import_confirm"), {"token": token})
    assert Person.objects.count() == 1


def test_a_refused_sheet_offers_no_confirmation(client, county):
    response = _upload(client, county, row(county.member_unit, 所在党支部="县不存在局"))
    assert response.context["confirm_form"] is None
    assert "Line 2" in response.content.decode() or "第 2 行" in response.content.decode()
    assert not Person.objects.exists()


def test_another_users_token_confirms_nothing(client, county):
    response = _upload(client, county, row(county.member_unit))
    token = response.context["confirm_form"].initial["token"]
    other = UserFactory(username="staff2", role=Role.STAFF, is_staff=True)
    client.force_login(other)
    client.post(reverse("people_import:import_confirm"), {"token": token})
    assert not Person.objects.exists()


def test_a_file_that_is_no_sheet_is_refused(client, county):
    client.force_login(county.staff)
    bad = io.BytesIO(b"not a workbook")
    bad.name = "x.xlsx"
    response = client.post(reverse("people_import:import"), {"sheet": bad})
    assert response.status_code == 200
    assert response.context["form"].errors["sheet"]
    bad = io.BytesIO(b"x")
    bad.name = "x.pdf"
    response = client.post(reverse("people_import:import"), {"sheet": bad})
    assert response.context["form"].errors["sheet"]


def test_the_template_has_the_headings_and_no_rows(client, county):
    client.force_login(county.staff)
    response = client.get(reverse("people_import:import_template"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in book[1]] == HEADINGS
    assert book.max_row == 1


def test_the_template_imports_back_empty_sheet_refused(county):
    report = run(county, read_sheet(sheet().export("xlsx"), file_format="xlsx"))
    assert not report.ok


@pytest.mark.parametrize("name", ["import", "import_template", "retention"])
def test_the_import_pages_are_the_county_staffs(client, county, name):
    url = reverse(f"people_import:{name}")
    for user, status in [
        (county.secretary, 403),
        (county.leader, 403),
        (county.outsider, 404),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(county.staff)
    assert client.get(url).status_code == 200


def test_a_secretary_cannot_confirm_an_import(client, county):
    client.force_login(county.secretary)
    response = client.post(reverse("people_import:import_confirm"), {"token": "x"})
    assert response.status_code == 403


# --- the exports -----------------------------------------------------------------------------


def _cells(response) -> list[str]:
    book = load_workbook(io.BytesIO(response.content)).active
    return [str(c.value) for r in book.iter_rows() for c in r if c.value is not None]


def test_the_register_export_is_masked_and_imports_back_as_the_same_columns(client, county):
    number = id_number(born=BORN)
    person_in(county.member_unit, name="王芳", id_number=number, mobile="13912345678")
    client.force_login(county.staff)
    response = client.get(reverse("people_import:export"))
    assert response.status_code == 200
    cells = _cells(response)
    assert cells[: len(HEADINGS)] == HEADINGS
    assert number not in cells and "13912345678" not in cells
    assert mask_id(number) in cells and mask_phone("13912345678") in cells
    assert "县司法局" in cells
    assert not re.search(r"\d{17}[\dX]", " ".join(cells))
    csv = client.get(reverse("people_import:export"), {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    assert number not in csv.content.decode("utf-8-sig")


def test_the_full_export_is_the_staffs_and_audited(client, county):
    number = id_number(born=BORN)
    person_in(county.member_unit, name="王芳", id_number=number, mobile="13912345678")
    client.force_login(county.staff)
    response = client.get(reverse("people_import:export"), {"full": "1"})
    assert number in _cells(response) and "13912345678" in _cells(response)
    assert AuditEvent.objects.filter(event=Event.PERSONAL_DATA, username="staff").exists()
    # The full sheet imports back unchanged.
    report = run(county, read_sheet(response.content, file_format="xlsx"))
    assert report.committed and report.unchanged == 1
    client.force_login(county.secretary)
    assert client.get(reverse("people_import:export"), {"full": "1"}).status_code == 403


def test_a_unit_export_is_its_members_for_those_who_read_them(client, county):
    mine = person_in(county.member_unit, name="王芳")
    person_in(county.member_unit_2, name="李强")
    url = reverse("people_import:unit_export", args=[county.member_unit.pk])
    client.force_login(county.secretary)
    cells = _cells(client.get(url))
    assert mine.name in cells and "李强" not in cells
    assert mask_id(mine.id_number) in cells
    other = reverse("people_import:unit_export", args=[county.member_unit_2.pk])
    assert client.get(other).status_code == 404
    assert client.get(url, {"full": "1"}).status_code == 403


def test_another_countys_staff_gets_404_for_this_countys_unit(client, county):
    ziyang = CountyFactory(code="610924", name="紫阳县")
    theirs = UserFactory(username="zy_staff", role=Role.STAFF, is_staff=True, county=ziyang)
    person_in(county.member_unit, name="王芳")
    client.force_login(theirs)
    url = reverse("people_import:unit_export", args=[county.member_unit.pk])
    assert client.get(url).status_code == 404
    assert "王芳" not in _cells(client.get(reverse("people_import:export")))


def test_the_export_neutralizes_formulae(client, county):
    evil = '=HYPERLINK("http://evil.example","x")'
    person = person_in(county.member_unit, name="王芳")
    services.person_update(person=person, actor=county.staff, job_title=evil)
    client.force_login(county.staff)
    book = load_workbook(io.BytesIO(client.get(reverse("people_import:export")).content)).active
    written = [c for r in book.iter_rows() for c in r]
    assert not [c for c in written if c.data_type == "f"]
    assert "'" + evil in [c.value for c in written]


def test_the_export_costs_the_same_queries_for_one_person_or_many(client, county):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(county.staff)
    url = reverse("people_import:export")
    person_in(county.member_unit, name="王芳")
    client.get(url)  # the session and the scope, warmed
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for index in range(8):
        person_in(county.member_unit_2, name=f"李强{index}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert load_workbook(io.BytesIO(response.content)).active.max_row == 1 + 9
    assert len(many) == len(one)
