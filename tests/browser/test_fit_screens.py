"""Pages that fit the screens the county's people use (issue 12): a 1366-px office screen and a
375-px phone, measured by the boxes of the elements, in the portal's Chinese."""

from __future__ import annotations

import pytest

from activities import services
from core.constants import Role
from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD, UserFactory, ZoneFactory, unit_in_zone
from zones.selectors import today

# Zone and unit names as long as the county's own.
ZONE_NAMES = [
    "第一片区（综合协调）",
    "第二片区（经济发展）",
    "第三片区（政法维稳）",
    "第四片区（社会民生）",
    "第五片区（教育体育）",
    "第六片区（城乡建设）",
    "第七片区（文化旅游）",
    "第八片区（乡村振兴）",
    "第九片区（卫生健康）",
    "第十片区（经济开发）",
]
UNIT_NAMES = ["县发展和改革局", "县住房和城乡建设局", "县农业农村局", "县文化和旅游广电局"]


@pytest.fixture
def ten_zones(db):
    zones = []
    for number, name in enumerate(ZONE_NAMES, start=1):
        zone = ZoneFactory(number=number, name=name)
        for index, unit_name in enumerate(UNIT_NAMES):
            unit_in_zone(zone, lead=index == 0, name=f"{unit_name}{number}", short_name="")
        services.rotation_generate_year(zone=zone, year=today().year)
        zones.append(zone)
    UserFactory(username="staff", role=Role.STAFF, is_staff=True)
    return zones


def _box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_the_compliance_grid_shows_twelve_months_and_totals_on_a_1366_px_screen(
    chromium, live_server, ten_zones
):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.base_url = live_server.url
    try:
        login(page, "staff", PASSWORD)
        page.goto(f"{live_server.url}/activities/grid/")
        page.wait_for_selector("#compliance-grid")
        screenshot(page, "grid-1366")
        december = _box(page, "#compliance-grid thead th.grid-month:nth-last-of-type(3)")
        totals = _box(page, "#compliance-grid thead th:last-child")
        assert page.locator("#compliance-grid thead th.grid-month").count() == 12
        assert december["x"] + december["width"] <= 1366
        assert totals["x"] + totals["width"] <= 1366
        # Nothing scrolls sideways: neither the page nor the grid's box.
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
        assert page.evaluate(
            "(() => { const b = document.querySelector('#grid-box');"
            " return b.scrollWidth <= b.clientWidth; })()"
        )
    finally:
        context.close()


def test_the_compliance_grid_scrolls_in_its_own_box_on_a_phone_with_the_zone_column_fixed(
    phone_page, ten_zones
):
    page = phone_page
    login(page, "staff", PASSWORD)
    page.goto(f"{page.base_url}/activities/grid/")
    page.wait_for_selector("#compliance-grid")
    screenshot(page, "grid-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    box = page.locator("#grid-box")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")
    zone_cell = "#compliance-grid tbody th[scope=row]"
    before = _box(page, zone_cell)
    first_month = _box(page, "#compliance-grid tbody td.grid-cell")
    box.evaluate("b => { b.scrollLeft = 400; }")
    page.wait_for_timeout(100)
    after = _box(page, zone_cell)
    moved = _box(page, "#compliance-grid tbody td.grid-cell")
    screenshot(page, "grid-phone-scrolled")
    assert abs(after["x"] - before["x"]) < 1  # the zone column stays put
    assert moved["x"] < first_month["x"] - 300  # the months scrolled under it
    # The zone cell is drawn over the months that pass beneath it.
    assert page.evaluate(
        "(() => { const th = document.querySelector('" + zone_cell + "');"
        " const r = th.getBoundingClientRect();"
        " return document.elementFromPoint(r.x + 5, r.y + r.height / 2).closest('th') === th; })()"
    )


def test_the_unread_count_shows_beside_the_menu_button_on_a_phone(phone_page, county):
    from notifications.constants import Kind
    from notifications.models import Notification

    for n in range(3):
        Notification.objects.create(
            recipient=county.secretary,
            kind=Kind.ACTIVITY_RETURNED,
            subject=f"activity:{n}",
            period="2026-11",
            title="活动被退回",
        )
    page = phone_page
    login(page, "secretary", PASSWORD)
    page.wait_for_selector(".navbar-toggler")
    screenshot(page, "unread-count-phone")
    badge = page.locator("#unread-count-phone")
    assert badge.is_visible()  # without opening the menu
    assert badge.locator(".badge").inner_text() == "3"
    count, toggler = badge.bounding_box(), page.locator(".navbar-toggler").bounding_box()
    assert count["x"] + count["width"] <= toggler["x"]  # just before the menu button
    assert abs((count["y"] + count["height"] / 2) - (toggler["y"] + toggler["height"] / 2)) < 8
    assert count["x"] >= 0 and toggler["x"] + toggler["width"] <= 375
    badge.click()
    page.wait_for_url("**/notifications/")


def test_the_unread_count_beside_the_menu_button_is_only_for_phones(page, county):
    login(page, "secretary", PASSWORD)
    page.wait_for_selector("#nav-notifications")
    assert not page.locator("#unread-count-phone").is_visible()


def _pick(page, query: str, unit) -> None:
    """Type into the participant picker and tap the unit it offers."""
    control = page.locator("#id_participants-ts-control")
    control.click()
    control.fill("")
    control.type(query, delay=30)
    option = page.locator(f".ts-dropdown .option[data-value='{unit.pk}']")
    option.wait_for(state="visible")
    # The portal's search answered: only the matching units are offered.
    page.wait_for_function(
        "n => document.querySelectorAll('.ts-dropdown .option').length === n", arg=1
    )
    if _is_phone(page):
        option.tap()  # by thumb
    else:
        option.click()


def _is_phone(page) -> bool:
    return page.viewport_size["width"] < 768


def _fill_activity(page, day) -> None:
    page.fill("input[name=date]", day.isoformat())
    page.select_option("select[name=form]", "volunteer")
    page.fill("input[name=title]", "链上联建志愿服务")
    page.fill("input[name=place]", "城关镇")
    page.fill("input[name=participant_count]", "20")
    page.fill("textarea[name=summary]", "联合开展志愿服务。")


@pytest.mark.parametrize("width", [375, 1366])
def test_the_secretary_picks_participants_by_pinyin_initials_and_adds_outcome_rows(
    chromium, live_server, county, width
):
    from activities.models import Activity
    from tests.factories import UnitFactory

    partner = UnitFactory(name="石泉县蚕桑产业协会党支部", short_name="", kind="enterprise")
    phone = width == 375
    context = chromium.new_context(
        locale="zh-CN",
        viewport={"width": width, "height": 812 if phone else 768},
        is_mobile=phone,
        has_touch=phone,
        # Bootstrap scrolls smoothly; a click during the scroll would miss its button.
        reduced_motion="reduce",
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    try:
        login(page, "secretary", PASSWORD)
        page.goto(f"{live_server.url}/activities/new/")
        page.wait_for_selector("select[name=participants][data-picker=ready]", state="attached")
        _fill_activity(page, today())
        _pick(page, "nyj", county.other_lead_unit)  # 县农业农村局, another zone
        _pick(page, "csc", partner)  # 蚕桑产业: a partner organization
        items = page.locator(".ts-control .item")
        assert items.count() == 2
        assert "链上联建" in items.nth(1).inner_text()
        page.keyboard.press("Escape")
        # The dropdown groups the units: zones first, partner organizations last.
        page.locator("#id_participants-ts-control").fill("")
        page.locator("#id_participants-ts-control").click()
        page.wait_for_function(
            "() => document.querySelectorAll('.ts-dropdown .optgroup-header').length === 3"
        )
        headers = page.locator(".ts-dropdown .optgroup-header").all_inner_texts()
        assert headers[:2] == ["第一片区", "第二片区"] and "链上联建" in headers[-1]
        screenshot(page, f"participant-picker-{width}")
        page.keyboard.press("Escape")

        # Three outcomes: the page has two rows, a third is added on the page.
        assert page.locator("#outcome-rows .outcome-row").count() == 2
        page.click("#add-outcome")
        assert page.locator("#outcome-rows .outcome-row").count() == 3
        for index, (what, quantity, measure) in enumerate(
            [("清理淤泥", "500", "m³"), ("走访农户", "36", "户"), ("解决问题", "7", "个")]
        ):
            page.fill(f"input[name='outcomes-{index}-description']", what)
            page.fill(f"input[name='outcomes-{index}-quantity']", quantity)
            page.fill(f"input[name='outcomes-{index}-measure']", measure)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # (No full-page screenshot here: Chromium restores the scroll after it, under the click.)
        page.click("#save-activity")
        page.wait_for_selector("#submit-activity")
    finally:
        context.close()
    activity = Activity.objects.get()
    assert set(activity.participants.all()) == {county.other_lead_unit, partner}
    assert [str(o) for o in activity.outcomes.all()] == [
        "清理淤泥 500m³",
        "走访农户 36户",
        "解决问题 7个",
    ]


def test_the_dashboards_quarter_checks_figure_stays_on_one_line_at_every_width(
    chromium, live_server, ten_zones
):
    """The four quarters' mutual checks ("10 / 10 / 10 / 10" at the widest) in their tile: one
    line on a phone (two tiles a row) and in the four-tile row of a laptop, where it wrapped
    the last number onto a second line."""
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.base_url = live_server.url
    try:
        login(page, "staff", PASSWORD)
        page.goto(f"{live_server.url}/dashboard/")
        figure = page.locator("#kpi-checks .kpi-value")
        figure.wait_for()
        figure.evaluate("e => { e.textContent = '10 / 10 / 10 / 10'; }")
        seen = {}
        for width in (375, 1000, 1280, 1920):
            page.set_viewport_size({"width": width, "height": 900})
            lines = figure.evaluate(
                "e => Math.round(e.getBoundingClientRect().height"
                " / parseFloat(getComputedStyle(e).lineHeight))"
            )
            fits = figure.evaluate("e => e.scrollWidth <= e.parentElement.clientWidth")
            seen[width] = (lines, fits)
        assert seen == {width: (1, True) for width in (375, 1000, 1280, 1920)}
    finally:
        context.close()
