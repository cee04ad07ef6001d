"""A checker fills a score sheet in a real browser, on a phone-sized screen."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

import pytest

from supervision import services
from supervision.models import Finding, ScoreLine, ScoreSheet
from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD
from tests.supervision.conftest import fill


def test_checker_fills_and_submits_a_sheet_on_a_phone(phone_page, county, fixed_today):
    fixed_today(datetime.date(2026, 11, 28))
    check = services.mutual_check_create(
        zone=county.zone_a, year=2026, quarter=4, by=county.lead_secretary, rng=random.Random(1)
    )
    sheet = check.sheets.get(checker_unit=county.member_unit)
    page = phone_page
    login(page, "secretary", PASSWORD)
    page.goto(f"{page.base_url}/supervision/sheets/{sheet.pk}/")
    page.wait_for_selector("#score-table")
    for line in sheet.lines.all():
        page.fill(f"input[name=score_{line.pk}]", str(line.max_score))
    screenshot(page, "supervision-sheet-phone")
    page.click("#submit-sheet")
    page.wait_for_selector("#sheet-state")
    assert ScoreSheet.objects.get(pk=sheet.pk).state == "submitted"
    # The wide score table scrolls inside .table-responsive; the page itself fits the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.fixture(params=[375, 1366], ids=["phone", "office"])
def zh_page(request, chromium, live_server):
    """A zh-hans browser page at a phone's and at a 1366-px office screen's width."""
    width = request.param
    context = chromium.new_context(
        locale="zh-CN", viewport={"width": width, "height": 900}, is_mobile=width < 500
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    page.width = width
    yield page
    context.close()


def test_recording_a_finding_keeps_the_typed_scores(zh_page, county, fixed_today):
    """Issue 12: type scores, record a finding (记录问题); the scores are still there, and saved."""
    fixed_today(datetime.date(2026, 11, 28))
    check = services.mutual_check_create(
        zone=county.zone_a, year=2026, quarter=4, by=county.lead_secretary, rng=random.Random(1)
    )
    sheet = check.sheets.get(checker_unit=county.member_unit)
    lines = list(sheet.lines.order_by("position")[:3])
    page = zh_page
    login(page, "secretary", PASSWORD)
    page.goto(f"{page.base_url}/supervision/sheets/{sheet.pk}/")
    for line in lines:
        page.fill(f"input[name=score_{line.pk}]", "1.5")
    page.fill(f"input[name=note_{lines[0].pk}]", "记录齐全")
    page.fill("textarea[name=description]", "组织生活会记录缺少签到表")
    assert page.inner_text("#record-finding") == "记录问题"
    page.click("#record-finding")
    page.wait_for_selector("#sheet-findings >> text=组织生活会记录缺少签到表")
    assert "评分已保存，问题已记录。" in page.content()
    for line in lines:
        assert page.input_value(f"input[name=score_{line.pk}]") == "1.5"
    assert page.input_value(f"input[name=note_{lines[0].pk}]") == "记录齐全"
    assert page.input_value("textarea[name=description]") == ""  # ready for the next finding
    screenshot(page, f"supervision-finding-keeps-scores-{page.width}")
    saved = {line.score for line in ScoreLine.objects.filter(pk__in=[x.pk for x in lines])}
    assert saved == {Decimal("1.5")}
    assert Finding.objects.get(sheet=sheet).description == "组织生活会记录缺少签到表"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.width


def test_a_findings_dates_and_working_days_read_in_chinese(zh_page, county, fixed_today):
    """Issue 12: the finding page and the ledger show 交办日期, 整改期限 and 销号日期 with the
    working days between them, and the evidence submitted instead of an empty card."""
    fixed_today(datetime.date(2026, 9, 28))
    check = services.mutual_check_create(
        zone=county.zone_a, year=2026, quarter=3, by=county.staff, rng=random.Random(1)
    )
    sheet = check.sheets.get(checked_unit=county.member_unit)
    finding = services.finding_record(
        sheet=sheet, description="党费收缴台账缺失", severity="serious", by=county.staff
    )
    for s in check.sheets.all():
        fill(s, county.staff)
    services.mutual_check_publish(check=check, by=county.staff)
    services.finding_submit(finding=finding, note="补建台账并公示", by=county.secretary)
    page = zh_page
    login(page, "secretary", PASSWORD)
    page.goto(f"{page.base_url}/supervision/findings/{finding.pk}/")
    assert page.inner_text("#finding-raised-on") == "2026年9月28日"
    assert "2026年10月10日 · 交办后5个工作日" in page.inner_text("#finding-deadline")
    assert "补建台账并公示" in page.inner_text("#finding-submission")
    screenshot(page, f"supervision-finding-dates-{page.width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.width
    page.goto(f"{page.base_url}/supervision/findings/")
    assert "交办后5个工作日" in page.inner_text("#ledger-table")
    assert page.input_value("select[name=overdue]") == ""
    assert page.locator("select[name=overdue] option").all_inner_texts() == ["全部", "是", "否"]
    screenshot(page, f"supervision-ledger-dates-{page.width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.width
