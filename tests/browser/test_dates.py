"""Dates survive the Chinese forms: every form with a date field, opened with a saved date and
saved without touching it, keeps the date (the browser's date input reads only ISO dates), on a
phone and on a 1366-px office screen."""

from __future__ import annotations

import datetime

from activities.constants import ActivityState
from reports.models import RollupReport
from tests.activities.factories import make_activity
from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD
from zones.models import Membership, UnitGrade
from zones.selectors import today


def _width(page) -> int:
    return page.viewport_size["width"]


def test_a_returned_activity_is_resubmitted_with_its_date_untouched(sized_page, county):
    page = sized_page
    activity = make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=datetime.date(2026, 10, 15),
        state=ActivityState.RETURNED,
        reviewer=county.lead_secretary,
    )
    login(page, "secretary", PASSWORD)
    page.goto(f"{page.base_url}/activities/{activity.pk}/edit/")
    assert page.input_value("input[name=date]") == "2026-10-15"
    screenshot(page, f"date-activity-edit-{_width(page)}")
    page.click("#save-activity")
    page.wait_for_selector("#submit-activity")
    activity.refresh_from_db()
    assert activity.date == datetime.date(2026, 10, 15)


def test_a_report_is_requested_with_the_day_the_form_proposes(sized_page, county):
    page = sized_page
    login(page, "staff", PASSWORD)
    page.goto(f"{page.base_url}/reports/")
    assert page.input_value("input[name=day]") == today().isoformat()
    page.click("#report-request button[type=submit]")
    page.wait_for_url("**/reports/*/")
    report = RollupReport.objects.get()
    assert report.period_start <= today() <= report.period_end


def _admin_action(page, unit, action: str) -> None:
    page.goto(f"{page.base_url}/admin/zones/unit/")
    page.check(f"input[name=_selected_action][value='{unit.pk}']")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")
    page.wait_for_selector("input[name=effective_on]")


def test_a_move_takes_the_effective_date_the_admin_proposes(sized_page, county):
    page = sized_page
    login(page, "staff", PASSWORD)
    _admin_action(page, county.member_unit_2, "reassign_units")
    assert page.input_value("input[name=effective_on]") == today().isoformat()
    page.select_option("select[name=zone]", str(county.zone_b.pk))
    page.fill("input[name=reason]", "工作调整")
    screenshot(page, f"date-admin-reassign-{_width(page)}")
    page.click("input[name=apply]")
    page.wait_for_selector(".messagelist")
    moved = Membership.objects.get(unit=county.member_unit_2, zone=county.zone_b)
    assert moved.effective_from == today()


def test_a_class_change_takes_the_effective_date_the_admin_proposes(sized_page, county):
    page = sized_page
    login(page, "staff", PASSWORD)
    _admin_action(page, county.member_unit_2, "set_grade")
    assert page.input_value("input[name=effective_on]") == today().isoformat()
    page.select_option("select[name=grade]", "3")
    page.fill("input[name=reason]", "半年考评")
    page.click("input[name=apply]")
    page.wait_for_selector(".messagelist")
    grade = UnitGrade.objects.filter(unit=county.member_unit_2).latest("effective_from")
    assert (grade.grade, grade.effective_from) == (3, today())
