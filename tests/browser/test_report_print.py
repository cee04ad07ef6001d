"""The report page printed on A4: no navigation, buttons or forms; the issuing committee, the
title and the date at the head; the narrative as text; every table whole within the page width."""

from __future__ import annotations

import datetime

from reports import services
from tests.browser.conftest import ARTIFACTS, login, screenshot
from tests.factories import PASSWORD
from tests.reports.test_document import GENERATED_ON, a_year_of_activities_and_a_class_move

D = datetime.date
A4_WIDTH_PX = 794  # 210 mm at 96 dpi


def _yearly_report(county, fixed_today):
    a_year_of_activities_and_a_class_move(county, fixed_today)
    report = services.report_request(kind="year", day=D(2026, 1, 1), by=county.staff)
    services.report_generate(report_id=report.pk, today=GENERATED_ON)
    return report


def test_the_report_page_prints_cleanly_on_a4(page, county, fixed_today):
    report = _yearly_report(county, fixed_today)
    login(page, "staff", PASSWORD)
    page.set_viewport_size({"width": A4_WIDTH_PX, "height": 1123})
    page.goto(f"{page.base_url}/reports/{report.pk}/")
    assert page.locator("#report-document").is_visible()  # the Word download, on screen
    screenshot(page, "report-screen")
    page.emulate_media(media="print")

    for hidden in (".portal-nav", "#report-document", "#report-print", "#narrative-form"):
        assert not page.locator(hidden).is_visible(), hidden
    header = page.locator(".report-print-header")
    assert header.is_visible()
    assert "中共石泉县委直属机关工作委员会" in header.inner_text()
    assert "关于2026年全县各片区联建巡回督导工作情况的报告" in header.inner_text()
    assert page.locator(".report-narrative").first.is_visible()
    assert "截至2026年12月1日" in page.locator(".report-narrative").first.inner_text()
    assert page.locator("#report-running").is_visible()
    moves = page.locator("#class-moves")
    assert moves.is_visible() and "上半年考评进位" in moves.inner_text()
    # Nothing is wider than the page: every table fits the A4 width.
    too_wide = page.evaluate(
        """() => Array.from(document.querySelectorAll('table'))
            .filter(t => t.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .map(t => t.id)"""
    )
    assert too_wide == []
    screenshot(page, "report-print-a4")
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = page.pdf(path=str(ARTIFACTS / "report-print-a4.pdf"), format="A4")
    assert pdf[:4] == b"%PDF"
