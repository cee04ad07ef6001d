"""Every main page at desktop and phone widths: it renders, nothing but a scrolling table is
wider than a 375 px phone, and a screenshot is saved in test-artifacts/ for people to look at."""

from __future__ import annotations

import datetime

import pytest

from activities.constants import ActivityState
from tests.activities.factories import make_activity
from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD

D = datetime.date

PAGES = [
    ("dashboard", "/dashboard/"),
    ("grid", "/activities/grid/"),
    ("ledger", "/activities/ledger/"),
    ("findings", "/supervision/findings/"),
    ("supervision", "/supervision/"),
    ("reports", "/reports/"),
    ("notifications", "/notifications/"),
]

# Wider than the window, outside a horizontally scrolling container.
OVERFLOW = """() => Array.from(document.querySelectorAll('body *')).filter(el => {
  const r = el.getBoundingClientRect();
  if (r.right <= window.innerWidth + 1 || r.width === 0) return false;
  for (let p = el; p; p = p.parentElement) {
    const style = getComputedStyle(p);
    if (p.classList && p.classList.contains('table-responsive')) return false;
    if (['auto', 'scroll'].includes(style.overflowX) && p !== document.documentElement) return false;
    if (p.classList && p.classList.contains('collapse') && !p.classList.contains('show')) return false;
  }
  return true;
}).map(el => el.tagName + '#' + el.id + '.' + el.className).slice(0, 5)"""


@pytest.mark.parametrize("width", [1280, 375])
def test_main_pages_fit_the_window_and_are_captured(chromium, live_server, county, finding, width):
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=D(2026, 10, 9),
        state=ActivityState.CONFIRMED,
        reviewer=county.lead_secretary,
        photos=1,
    )
    context = chromium.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.base_url = live_server.url
    try:
        login(page, "staff", PASSWORD)
        pages = [
            *PAGES,
            ("zone", f"/zones/{county.zone_a.pk}/"),
            ("unit", f"/units/{county.member_unit.pk}/"),
        ]
        for name, path in pages:
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            page.wait_for_load_state("networkidle")
            if width == 375:
                assert page.evaluate(OVERFLOW) == [], path
            screenshot(page, f"{name}-{'phone' if width == 375 else 'desktop'}")
    finally:
        context.close()
