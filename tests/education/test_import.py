"""The import of 学习强国 and cadre-college exports: hours credited to the cloud classroom by ID
number or name + unit, all or nothing, each refused row's line and reason, a preview that writes
nothing, a later sheet replacing the earlier, the county's cap; who may."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
import tablib
from django.urls import reverse
from django.utils import translation

from education.constants import ClassroomKind, ExternalSource
from education.importing import SheetError, external_import
from education.models import ExternalStudy
from education.selectors import person_years
from education.services import rules_save
from people import services as people_services
from tests.factories import CountyFactory, UnitFactory
from tests.people.factories import id_number, person_in

pytestmark = pytest.mark.django_db

HEADINGS = ["序号", "姓名", "身份证号码", "所在单位", "学时"]
YEAR = 2026


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def sheet(*rows, headings=HEADINGS) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=headings)


def run(edu, county, dataset, *, commit=True, source=ExternalSource.XUEXI):
    return external_import(
        county=edu.county,
        dataset=dataset,
        source=source,
        year=YEAR,
        actor=county.staff,
        commit=commit,
    )


def test_rows_by_id_number_and_by_name_and_unit_credit_the_cloud_classroom(edu, county):
    report = run(
        edu,
        county,
        sheet(
            [1, "王芳", edu.member.id_number, "", 12.5],
            [2, "李强", "", county.member_unit.name, "6"],
        ),
    )
    assert report.committed and len(report.outcomes) == 2
    years = person_years([edu.member, edu.second], YEAR, day=datetime.date(YEAR, 6, 30))
    cloud = edu.rooms[ClassroomKind.CLOUD].pk
    assert years[edu.member.pk].by_classroom == {cloud: Decimal("12.5")}
    assert years[edu.second.pk].total == Decimal(6)


def test_the_preview_writes_nothing_and_a_later_sheet_replaces_the_earlier(edu, county):
    preview = run(edu, county, sheet([1, "王芳", edu.member.id_number, "", 10]), commit=False)
    assert preview.ok and not preview.committed
    assert not ExternalStudy.objects.exists()
    run(edu, county, sheet([1, "王芳", edu.member.id_number, "", 10]))
    again = run(edu, county, sheet([1, "王芳", edu.member.id_number, "", 14]))
    assert again.outcomes[0].previous == Decimal(10)
    assert ExternalStudy.objects.get().hours == Decimal(14)
    run(
        edu,
        county,
        sheet([1, "王芳", edu.member.id_number, "", 8]),
        source=ExternalSource.CADRE_COLLEGE,
    )
    assert person_years([edu.member], YEAR)[edu.member.pk].total == Decimal(22)


def test_the_countys_cap_limits_the_imported_hours_of_a_year(edu, county):
    rules_save(county=edu.county, year=YEAR, by=county.staff, external_cap=Decimal(16))
    run(edu, county, sheet([1, "王芳", edu.member.id_number, "", 30]))
    entry = person_years([edu.member], YEAR)[edu.member.pk]
    assert entry.total == Decimal(16) and entry.external == Decimal(16)


def _refused(edu, county, *rows, expect: str, line: int = 2):
    good = [9, "王芳", edu.member.id_number, "", 4]
    report = run(edu, county, sheet(good, *rows))
    assert not report.committed
    assert not ExternalStudy.objects.exists()  # all or nothing: the good row is not written
    messages = {p.line: " ".join(p.messages) for p in report.problems}
    assert expect in messages[line + 1], messages
    return messages[line + 1]


@pytest.mark.parametrize(
    ("cells", "expect"),
    [
        (["", "", "", 4], "Give the ID number, or the name and the unit"),
        (["李强", "", "UNIT", ""], "学时 is empty"),
        (["李强", "", "UNIT", "many"], "学时 is no number"),
        (["李强", "", "UNIT", -2], "学时 is below 0"),
        (["李强", "", "", 4], "Give the ID number, or the name and the unit"),
        (["李强", "", "无此单位", 4], "is not a unit of"),
        (["无名氏", "", "UNIT", 4], "has no member named 无名氏"),
    ],
)
def test_bad_rows_are_refused_with_their_line(edu, county, cells, expect):
    cells = [county.member_unit.name if v == "UNIT" else v for v in cells]
    _refused(edu, county, [10, *cells], expect=expect)


def test_a_wrong_check_digit_is_refused_without_repeating_the_number(edu, county):
    number = edu.second.id_number
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    message = _refused(edu, county, [10, "李强", wrong, "", 4], expect="身份证号码")
    assert wrong not in message


def test_an_unknown_id_number_is_refused(edu, county):
    _refused(edu, county, [10, "李强", id_number(), "", 4], expect="No one with this ID number")


def test_another_countys_person_is_unknown(edu, county):
    other = CountyFactory(code="610926", name="平利县", short_name="平利")
    stranger = person_in(UnitFactory(county=other), name="孙丽")
    _refused(edu, county, [10, "孙丽", stranger.id_number, "", 4], expect="No one with this ID")


def test_the_same_person_twice_is_refused(edu, county):
    _refused(
        edu,
        county,
        [10, "王芳", "", county.member_unit.name, 4],
        expect="The same person as line 2",
    )


def test_two_members_of_one_name_need_the_id_number(edu, county):
    person_in(county.member_unit, name="李强")
    _refused(edu, county, [10, "李强", "", county.member_unit.name, 4], expect="give the ID number")


def test_a_person_who_left_is_refused(edu, county):
    people_services.person_leave(
        person=edu.second, on=datetime.date(2026, 1, 5), reason="deceased", actor=county.staff
    )
    _refused(edu, county, [10, "李强", edu.second.id_number, "", 4], expect="left the register")


def test_a_sheet_without_its_headings_or_rows_is_refused(edu, county):
    with pytest.raises(SheetError, match="学时"):
        run(edu, county, sheet(["王芳", 4], headings=["姓名", "积分"]))
    empty = run(edu, county, sheet())
    assert "no rows" in empty.problems[0].messages[0]


def _upload(rows):
    buffer = io.BytesIO(sheet(*rows).export("xlsx"))
    buffer.name = "学习强国.xlsx"
    return buffer


def test_staff_preview_then_confirm_on_the_page(client, edu, county):
    client.force_login(county.staff)
    page = client.post(
        reverse("education:import"),
        {
            "source": "xuexi",
            "year": YEAR,
            "sheet": _upload([[1, "王芳", edu.member.id_number, "", 5]]),
        },
    )
    assert page.status_code == 200 and b"import-confirm" in page.content
    assert not ExternalStudy.objects.exists()
    token = page.context["confirm_form"].initial["token"]
    done = client.post(reverse("education:import_confirm"), {"token": token})
    assert done.status_code == 302
    assert ExternalStudy.objects.get().hours == Decimal(5)
    expired = client.post(reverse("education:import_confirm"), {"token": token})
    assert expired.status_code == 302 and ExternalStudy.objects.count() == 1


def test_a_refused_sheet_on_the_page_offers_no_confirmation(client, edu, county):
    client.force_login(county.staff)
    page = client.post(
        reverse("education:import"),
        {"source": "xuexi", "year": YEAR, "sheet": _upload([[1, "无名氏", "", "x", 5]])},
    )
    assert b"import-problems" in page.content and b"import-confirm" not in page.content
    wrong = io.BytesIO(b"not a sheet")
    wrong.name = "a.txt"
    page = client.post(
        reverse("education:import"), {"source": "xuexi", "year": YEAR, "sheet": wrong}
    )
    assert page.status_code == 200 and page.context["form"].errors["sheet"]


def test_a_secretary_may_not_import(client, edu, county):
    client.force_login(county.secretary)
    assert client.get(reverse("education:import")).status_code == 404
