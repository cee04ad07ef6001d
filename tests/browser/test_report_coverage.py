"""The report page shows October's three zone-months as the grid does: done, waiting for
confirmation, gap."""

from __future__ import annotations

import pytest

from reports import services as report_services
from tests.activities.test_gap_month import NOVEMBER_2, OCTOBER
from tests.activities.test_gap_month import three_zones as three_zones  # noqa: F401 - the fixture
from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_the_report_page_shows_a_submitted_month_as_waiting(page, three_zones):  # noqa: F811
    county, zone_c = three_zones
    report = report_services.report_request(kind="month", day=OCTOBER, zone=None, by=None)
    assert report_services.report_generate(report_id=report.pk, today=NOVEMBER_2)
    login(page, county.staff.username, PASSWORD)
    page.goto(f"{page.base_url}/reports/{report.pk}/")
    cells = page.locator("#coverage tbody td")
    assert [cells.nth(i).get_attribute("class") for i in range(3)] == [
        "cell-done",
        "cell-waiting",
        "cell-gap",
    ]
    assert page.locator("#coverage td.cell-waiting span").get_attribute("title") == "待确认"
    screenshot(page, "report-coverage-waiting")
