"""The portal as its users meet it, in Chromium: the staff's dashboard with its charts, a
secretary's "my work" on a phone, the language switch, and the pinyin search."""

from __future__ import annotations

import datetime

from activities.constants import ActivityState
from activities.models import Activity
from tests.activities.factories import make_activity
from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD

D = datetime.date


def test_staff_sees_the_dashboard_with_its_charts_drawn(page, county):
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=D(2026, 10, 9),
        state=ActivityState.CONFIRMED,
        reviewer=county.lead_secretary,
        photos=1,
    )
    login(page, "staff", PASSWORD)
    page.wait_for_selector("#chart-forms svg")
    for chart in ("#chart-forms", "#chart-months", "#chart-ranking", "#chart-grades"):
        assert page.locator(f"{chart} svg, {chart} canvas").count() >= 1, chart
    assert page.locator("#recent-activities img").count() == 1
    screenshot(page, "dashboard-desktop")
    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    page.wait_for_selector("#chart-forms svg")
    screenshot(page, "dashboard-phone")


def test_secretary_submits_a_draft_from_my_work_on_a_phone(phone_page, county):
    draft = make_activity(
        unit=county.member_unit, by=county.secretary, date=D(2026, 11, 9), title="十一月主题党日"
    )
    login(phone_page, "secretary", PASSWORD)
    phone_page.wait_for_selector("#my-work")
    assert "十一月主题党日" in phone_page.inner_text("#my-work")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone_page, "my-work-phone")
    phone_page.click(".due-draft button[type=submit]")
    phone_page.wait_for_load_state()
    draft.refresh_from_db()
    assert draft.state == ActivityState.SUBMITTED
    assert Activity.objects.filter(state=ActivityState.SUBMITTED).count() == 1


def test_language_switch_turns_the_dashboard_english_and_back(page, county):
    login(page, "staff", PASSWORD)
    page.wait_for_selector("#mini-grid")
    assert "月月有活动" in page.content()
    page.click("#language-en")
    page.wait_for_selector("#language-zh-hans")
    assert "at a glance" in page.content()
    assert "Log out" in page.content()
    page.click("#language-zh-hans")
    page.wait_for_selector("#language-en")
    assert "退出登录" in page.content()


def test_search_finds_a_unit_by_pinyin_initials(page, county):
    # The county fixture's zone B is led by 县农业农村局.
    login(page, "staff", PASSWORD)
    page.wait_for_selector("#nav-search")
    page.fill("#nav-search", "nyj")
    page.press("#nav-search", "Enter")
    page.wait_for_selector("#search-results")
    assert "县农业农村局" in page.inner_text("#search-results")
    screenshot(page, "search-desktop")
