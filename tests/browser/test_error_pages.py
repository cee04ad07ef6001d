"""The error pages in a browser, in Chinese, on a phone and an office screen: the portal's look,
a way home, nothing wider than the screen."""

from __future__ import annotations

from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD


def test_a_missing_page_is_chinese_and_leads_home(sized_page, county):
    page = sized_page
    width = page.viewport_size["width"]
    login(page, "secretary", PASSWORD)
    page.wait_for_selector("#nav-home", state="attached")
    response = page.goto(f"{page.base_url}/activities/999999/")
    assert response.status == 404
    assert page.locator("#error-title").inner_text() == "页面不存在"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"error-404-{width}")
    page.click("#error-home")
    page.wait_for_url(f"{page.base_url}/")
    assert page.locator("#error-page").count() == 0


def test_an_administrator_opening_a_portal_page_sees_the_chinese_403(sized_page, administrators):
    page = sized_page
    width = page.viewport_size["width"]
    login(page, "sysadmin", PASSWORD)
    page.wait_for_url("**/admin/**")
    response = page.goto(f"{page.base_url}/dashboard/")
    assert response.status == 403
    assert page.locator("#error-title").inner_text() == "您无权访问此页面"
    screenshot(page, f"error-403-{width}")
