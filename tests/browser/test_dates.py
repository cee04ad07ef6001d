"""Dates survive the Chinese forms: every form with a date field, opened with a saved date and
saved without touching it, keeps the date (the browser's date input reads only ISO dates), on a
phone and on a 1366-px office screen."""

from __future__ import annotations

import datetime
import random

from activities import services as activity_services
from activities.constants import ActivityState
from core.constants import Role
from core.models import CalendarDay
from reports.models import RollupReport
from supervision import services as supervision_services
from supervision.models import PatrolTeam
from tests.activities.factories import hosts, make_activity
from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD, UserFactory
from zones import services as zone_services
from zones.constants import MembershipRole
from zones.models import Membership, UnitGrade, ZoneLeadership
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


def test_a_lead_unit_is_appointed_on_the_date_the_admin_proposes(sized_page, county):
    page = sized_page
    zone_services.unit_set_grade(
        unit=county.member_unit_2,
        grade=1,
        effective_on=today() - datetime.timedelta(days=30),
        reason="年度考评",
    )
    login(page, "staff", PASSWORD)
    _admin_action(page, county.member_unit_2, "appoint_as_lead")
    assert page.input_value("input[name=effective_on]") == today().isoformat()
    page.fill("input[name=reason]", "换届调整")
    screenshot(page, f"date-admin-lead-{_width(page)}")
    page.click("input[name=apply]")
    page.wait_for_selector(".messagelist")
    lead = Membership.objects.get(
        unit=county.member_unit_2, zone=county.zone_a, role=MembershipRole.LEAD
    )
    assert lead.effective_from == today()


def test_a_guiding_leader_takes_over_on_the_date_the_admin_proposes(sized_page, county):
    page = sized_page
    successor = UserFactory(username="leader2", full_name="新领导", role=Role.LEADER)
    login(page, "staff", PASSWORD)
    page.goto(f"{page.base_url}/admin/zones/zone/")
    page.check(f"input[name=_selected_action][value='{county.zone_a.pk}']")
    page.select_option("select[name=action]", "change_leader")
    page.click("button[name=index]")
    page.wait_for_selector("input[name=effective_on]")
    assert page.input_value("input[name=effective_on]") == today().isoformat()
    page.select_option("select[name=leader]", str(successor.pk))
    page.fill("input[name=reason]", "分工调整")
    page.click("input[name=apply]")
    page.wait_for_selector(".messagelist")
    guiding = ZoneLeadership.objects.get(zone=county.zone_a, effective_to__isnull=True)
    assert (guiding.leader, guiding.effective_from) == (successor, today())


def test_a_past_move_is_confirmed_with_the_date_as_typed(sized_page, county):
    """The confirmation page shows the past date again, as the date input can read it."""
    page = sized_page
    past = today() - datetime.timedelta(days=3)
    login(page, "staff", PASSWORD)
    _admin_action(page, county.member_unit_2, "reassign_units")
    page.select_option("select[name=zone]", str(county.zone_b.pk))
    page.fill("input[name=effective_on]", past.isoformat())
    page.fill("input[name=reason]", "工作调整")
    page.click("input[name=apply]")
    page.wait_for_selector("#past-date-confirmation")
    assert page.input_value("input[name=effective_on]") == past.isoformat()
    page.click("#confirm-past")
    page.wait_for_selector(".messagelist")
    moved = Membership.objects.get(unit=county.member_unit_2, zone=county.zone_b)
    assert moved.effective_from == past


def test_a_team_saves_its_visit_record_with_the_visit_date_untouched(sized_page, county, today):
    page = sized_page
    patrol_round = supervision_services.patrol_round_open(
        year=2026, half=2, by=county.staff, rng=random.Random(2)
    )
    supervision_services.patrol_round_publish(round_=patrol_round, by=county.staff)
    team = patrol_round.teams.get(visited_zone=county.zone_b)
    supervision_services.patrol_team_record_visit(
        team=team,
        visit_date=datetime.date(2026, 11, 20),
        heard_secretary="书记汇报",
        heard_members="",
        heard_recipients="",
        by=county.staff,
    )
    login(page, team.members.first().username, PASSWORD)
    page.goto(f"{page.base_url}/supervision/teams/{team.pk}/")
    assert page.input_value("input[name=visit_date]") == "2026-11-20"
    page.fill("textarea[name=heard_members]", "党员意见")
    screenshot(page, f"date-team-visit-{_width(page)}")
    page.click("form:has(input[name=visit_date]) button[type=submit]")
    page.wait_for_selector(".alert-success")
    team = PatrolTeam.objects.get(pk=team.pk)
    assert (team.visit_date, team.heard_members) == (datetime.date(2026, 11, 20), "党员意见")


def test_a_class_is_confirmed_from_the_day_the_review_proposes(sized_page, county):
    page = sized_page
    login(page, "staff", PASSWORD)
    page.goto(f"{page.base_url}/supervision/class-review/")
    row = page.locator("#review-table tr", has_text=county.member_unit_2.name)
    assert row.locator("input[name=effective_on]").input_value() == today().isoformat()
    row.locator("select[name=grade]").select_option("3")
    row.locator("input[name=reason]").fill("半年考评")
    row.locator("button[type=submit]").click()
    page.wait_for_selector(".alert-success")
    grade = UnitGrade.objects.filter(unit=county.member_unit_2).latest("effective_from")
    assert (grade.grade, grade.effective_from) == (3, today())


def test_a_refused_swap_comes_back_with_the_two_months_as_typed(sized_page, county):
    """The swap form starts empty by design; a refusal keeps what was typed, in ISO."""
    page = sized_page
    year = today().year + 1
    activity_services.rotation_generate_year(zone=county.zone_a, year=year)
    before = hosts(county.zone_a, year)
    login(page, "lead", PASSWORD)
    page.goto(f"{page.base_url}/activities/rotation/{county.zone_a.pk}/?year={year}")
    assert page.input_value("input[name=first]") == ""
    page.fill("input[name=first]", f"{year}-03-01")
    page.fill("input[name=second]", f"{year}-04-01")  # the same host twice in a row: unfair
    page.click("#swap-form button[type=submit]")
    page.wait_for_selector(".alert-danger")
    assert page.input_value("input[name=first]") == f"{year}-03-01"
    assert page.input_value("input[name=second]") == f"{year}-04-01"
    screenshot(page, f"date-rotation-swap-refused-{_width(page)}")
    assert hosts(county.zone_a, year) == before
    page.fill("input[name=second]", f"{year}-02-01")
    page.click("#swap-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    after = hosts(county.zone_a, year)
    first, second = datetime.date(year, 3, 1), datetime.date(year, 2, 1)
    assert (after[first], after[second]) == (before[second], before[first])


def test_a_calendar_day_is_saved_in_the_admin_with_its_date_untouched(sized_page, county):
    """The admin's own date field (a text box with a calendar) shows and reads the language's
    format; saved untouched, the day stays the same."""
    page = sized_page
    day = CalendarDay.objects.create(date=datetime.date(2026, 10, 8), is_workday=False)
    login(page, "staff", PASSWORD)
    page.goto(f"{page.base_url}/admin/core/calendarday/{day.pk}/change/")
    assert page.input_value("input[name=date]") == "2026/10/08"  # a text box, not type=date
    page.fill("input[name=note]", "国庆调休")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")
    day.refresh_from_db()
    assert (day.date, day.note) == (datetime.date(2026, 10, 8), "国庆调休")
