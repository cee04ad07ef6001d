"""Issue 20 in a real browser: staff type a unit's pinyin initials into the rectification
ledger's filter, and page through the class review."""

from __future__ import annotations

from django.urls import reverse

from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD, ZoneFactory, unit_in_zone


def test_staff_filter_findings_by_initials_and_page_the_class_review(page, county, published_check):
    finding_unit = county.member_unit
    zone = ZoneFactory(number=9, name="第九片区")
    for i in range(55):
        unit_in_zone(zone, name=f"测试单位{i:03d}")
    login(page, "staff", PASSWORD)
    page.goto(f"{page.base_url}{reverse('supervision:finding_list')}")
    page.fill("input[name=responsible_unit]", finding_unit.name_initials)
    page.click("#ledger-filter button[type=submit]")
    page.wait_for_selector("#ledger-table")
    assert finding_unit.name in page.inner_text("#ledger-table")
    screenshot(page, "findings-text-filter")

    page.goto(f"{page.base_url}{reverse('supervision:class_review')}?year=2026&half=2")
    page.wait_for_selector("#review-pages")
    assert page.locator("#review-table tbody tr").count() == 50
    page.click("#review-pages a.page-link:text-is('2')")
    page.wait_for_selector("#review-table")
    assert "page=2" in page.url
    assert 5 <= page.locator("#review-table tbody tr").count() < 50  # the rest
    screenshot(page, "class-review-page-2")
