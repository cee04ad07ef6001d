"""A new user's path through the monthly activity: the secretary logs an activity with two
photos on a phone and submits it, the lead-unit secretary confirms it, the grid turns done."""

from __future__ import annotations

import io

from PIL import Image

from activities.models import Activity
from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD
from zones.selectors import today


def _photo(path, color):
    out = io.BytesIO()
    Image.new("RGB", (320, 240), color).save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return str(path)


def _open_nav(page, link_id):
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    link = page.locator(f"#{link_id}")
    menu = link.locator(
        "xpath=ancestor::li[contains(@class, 'dropdown')]/a[contains(@class, 'dropdown-toggle')]"
    )
    if menu.count():
        menu.click()
    link.click()


def test_secretary_logs_on_a_phone_lead_confirms_grid_turns_done(
    phone_page, page, county, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    day = today()
    month = day.strftime("%Y-%m")

    # The secretary, on a phone.
    login(phone_page, "secretary", PASSWORD)
    _open_nav(phone_page, "nav-my-activities")
    phone_page.click("#new-activity")
    phone_page.wait_for_selector("#activity-form")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    phone_page.fill("input[name=date]", day.isoformat())
    phone_page.select_option("select[name=form]", "volunteer")
    phone_page.check("input[name=tags][value=study]")
    phone_page.check("input[name=tags][value=action]")
    phone_page.fill("input[name=title]", "关爱留守儿童志愿服务")
    phone_page.fill("input[name=place]", "城关镇江南社区")
    phone_page.fill("input[name=participant_count]", "24")
    phone_page.fill("textarea[name=summary]", "两家单位党员走访留守儿童家庭。")
    phone_page.select_option("select[name=participants]", [str(county.member_unit_2.pk)])
    phone_page.fill("input[name='outcomes-0-description']", "走访家庭")
    phone_page.fill("input[name='outcomes-0-quantity']", "12")
    phone_page.fill("input[name='outcomes-0-measure']", "户")
    phone_page.set_input_files(
        "input[name=photos]",
        [_photo(tmp_path / "a.jpg", (200, 0, 0)), _photo(tmp_path / "b.jpg", (0, 0, 200))],
    )
    screenshot(phone_page, "activity-form-phone")
    phone_page.click("#save-activity")
    phone_page.wait_for_selector("#submit-activity")
    assert phone_page.locator("#photos img").count() == 2
    phone_page.click("#submit-activity")
    phone_page.wait_for_selector("#activity-state .state-submitted")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone_page, "activity-submitted-phone")
    activity = Activity.objects.get()
    assert activity.state == "submitted" and activity.attachments.count() == 2

    # The lead-unit secretary finds it in the queue and confirms it.
    login(page, "lead", PASSWORD)
    _open_nav(page, "nav-zone-activities")
    page.click("#queue-link")
    page.click(f"text={activity.title}")
    page.wait_for_selector("#confirm-activity")
    # the photos are served to the lead unit through the checked view (the images are lazy:
    # bring them into view and wait until both have decoded)
    page.locator("#photos").scroll_into_view_if_needed()
    # (a function, not an expression: polling an expression is an eval, which the CSP refuses)
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('#photos img'))"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    page.click("#confirm-activity")
    page.wait_for_selector("#activity-state .state-confirmed")

    # The grid's cell for zone A this month is done.
    _open_nav(page, "nav-grid")
    cell = page.locator(
        f"#compliance-grid td[data-zone='{county.zone_a.number}'][data-month='{month}']"
    )
    assert cell.get_attribute("data-state") == "done"
    screenshot(page, "compliance-grid")
