"""The city's pages in Chromium (issue 15): the city staff open the city dashboard, see the four
counties with 未开展 where a county runs no mechanism, and drill into 石泉县's compliance grid;
another county's staff cannot open a 石泉县 activity."""

from __future__ import annotations

import datetime

from activities.constants import ActivityState
from core.constants import Role
from tests.activities.factories import make_activity
from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD, CountyFactory, UserFactory


def _city(county):
    """The county of tests/conftest.py (石泉县, zones mechanism on) and 紫阳县, 平利县, 岚皋县,
    which run none yet; `city` and `zy_staff`."""
    ziyang, *_others = (
        CountyFactory(code=code, name=name, short_name=name[:2], mechanisms=())
        for code, name in (("610924", "紫阳县"), ("610926", "平利县"), ("610925", "岚皋县"))
    )
    UserFactory(username="city", role=Role.CITY_STAFF)
    UserFactory(username="zy_staff", role=Role.STAFF, county=ziyang)
    return make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=datetime.date.today().replace(day=1),
        state=ActivityState.CONFIRMED,
        reviewer=county.lead_secretary,
    )


def test_the_city_reads_four_counties_and_drills_into_a_countys_grid(sized_page, county):
    page = sized_page
    _city(county)
    login(page, "city", PASSWORD)
    page.wait_for_selector("#city-table")  # city staff land on the city dashboard
    assert page.locator("#city-table tbody tr").count() == 4
    names = page.locator("#city-table tbody th").all_inner_texts()
    assert [n.split()[0] for n in names] == ["石泉县", "紫阳县", "岚皋县", "平利县"]
    # 紫阳县, 平利县, 岚皋县 run no mechanism: every cell of theirs is 未开展, never a zero
    for code in ("610924", "610925", "610926"):
        cells = page.locator(f"#county-{code} td").all_inner_texts()
        assert cells and all(c.strip() == "未开展" for c in cells), (code, cells)
    assert page.locator("#county-610922 .figure-zone_months").count() == 1
    page.wait_for_selector("#chart-city svg")
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"city-dashboard-{width}")

    page.click("#county-610922 .figure-zone_months a")
    page.wait_for_selector("#grid-table, table")
    assert "/activities/grid/?county=610922" in page.url
    assert "第一片区" in page.content()
    screenshot(page, f"city-grid-{width}")

    # every link of 石泉县's grid keeps the county: the next year, then a zone-month cell
    page.click(f"a:has-text('{datetime.date.today().year + 1} »')")
    page.wait_for_selector("#grid-table, table")
    assert "county=610922" in page.url
    page.click(f"a:has-text('« {datetime.date.today().year}')")
    page.wait_for_selector("td.grid-cell a")
    page.locator("td.grid-cell a").first.click()
    page.wait_for_load_state()
    assert "county=610922" in page.url and "zone=" in page.url
    assert "石泉县" in page.locator("#county-read").inner_text()  # still reading 石泉县
    screenshot(page, f"city-zone-month-{width}")


def test_another_countys_staff_cannot_open_a_shiquan_activity(page, county):
    activity = _city(county)
    login(page, "zy_staff", PASSWORD)
    page.wait_for_load_state()
    response = page.goto(f"{page.base_url}/activities/{activity.pk}/")
    assert response.status == 404
    assert page.goto(f"{page.base_url}/city/").status == 404
    assert page.goto(f"{page.base_url}/activities/grid/?county=610922").status == 404


def test_the_city_staffs_menu_fits_one_row_of_an_office_screen(office_page, county):
    """City staff read every mechanism: at 1366 and 1280 px their menu, search, language and
    account buttons stay on the navigation bar's one row instead of wrapping under the brand."""
    from counties.constants import Mechanism

    page = office_page
    CountyFactory(
        code="610924",
        name="紫阳县",
        short_name="紫阳",
        mechanisms=tuple(m.value for m in Mechanism),
    )
    UserFactory(username="city", role=Role.CITY_STAFF)
    login(page, "city", PASSWORD)
    for width in (1366, 1280):  # an office screen, then a 1280-px laptop
        page.set_viewport_size({"width": width, "height": 800})
        page.reload()
        page.wait_for_selector("#city-table")
        screenshot(page, f"city-nav-{width}")
        nav = page.locator("nav.portal-nav").bounding_box()
        brand = page.locator("#brand").bounding_box()
        logout = page.locator("nav.portal-nav form[action='/accounts/logout/'] button")
        # one row: the bar no taller than its tallest item, the last button beside the brand,
        # which is on one line of its own (the two reports' lists are under one item)
        assert logout.bounding_box()["y"] < brand["y"] + brand["height"], (brand, width)
        assert nav["height"] < 80 and brand["height"] < 40, (nav, brand, width)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.click("#nav-reports-menu")
    page.click("#nav-city-reports")
    page.wait_for_load_state()
    assert page.url.endswith("/reports/city/"), page.url
