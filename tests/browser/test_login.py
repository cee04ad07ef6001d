from __future__ import annotations

from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD


def test_staff_logs_in_through_the_real_login_page(page, county):
    login(page, "staff", PASSWORD)
    page.wait_for_selector("#mini-grid")
    assert county.zone_a.name in page.inner_text("#mini-grid")
    assert "退出登录" in page.content()
    screenshot(page, "home-desktop")


def test_wrong_password_stays_on_the_login_page(page, county):
    login(page, "staff", "not-the-password")
    page.wait_for_selector("form[action='/accounts/login/']")
    assert page.url.startswith(f"{page.base_url}/accounts/login/")
    assert page.locator(".alert, .invalid-feedback, .errorlist").count() >= 1


def test_login_page_fits_a_phone(phone_page, db):
    phone_page.goto(f"{phone_page.base_url}/accounts/login/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    screenshot(phone_page, "login-phone")
