"""Per-county settings in the admin, in Chinese: a county's staff copy the city's default
checklist into their county with one action, and open their county's reminder settings."""

from __future__ import annotations

from supervision import services
from supervision.models import ChecklistTemplate
from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD


def test_staff_copy_the_citys_checklist_and_open_their_reminder_settings(page, county):
    city_default = (
        ChecklistTemplate.city_defaults().filter(is_active=True).first()
        or services._create_default_template()
    )
    login(page, "staff", PASSWORD)
    page.goto(f"{page.base_url}/admin/supervision/checklisttemplate/")
    assert "市级默认清单" in page.inner_text("#result_list")
    page.check(f"input[name=_selected_action][value='{city_default.pk}']")
    page.select_option("select[name=action]", "copy_into_my_county")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist")
    assert "已成为本县（区）自己的清单" in page.inner_text(".messagelist")
    assert "石泉县" in page.inner_text("#result_list")
    own = ChecklistTemplate.objects.get(county=county.zone_a.county)
    assert own.based_on == city_default
    screenshot(page, "admin-checklist-copied-into-the-county")

    page.goto(f"{page.base_url}/admin/notifications/remindersettings/")
    page.wait_for_selector("input[name=finding_days_before_deadline]")
    assert "/change/" in page.url
    screenshot(page, "admin-county-reminder-settings")
