"""A checker fills a score sheet in a real browser, on a phone-sized screen."""

from __future__ import annotations

import datetime
import random

from supervision import services
from supervision.models import ScoreSheet
from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD


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
