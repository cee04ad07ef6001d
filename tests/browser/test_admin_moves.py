"""A move dated in the past, in the admin in Chinese: the page lists what the move leaves with
the old zone and replans, and only the confirmation applies it."""

from __future__ import annotations

import datetime

from django.utils import timezone

from activities.models import HostSlot
from tests.activities.factories import make_activity
from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD
from zones.models import Membership


def test_staff_confirm_a_move_dated_in_the_past_in_chinese(page, county):
    today = timezone.localdate()
    effective = today - datetime.timedelta(days=60)
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=today - datetime.timedelta(days=30),
        title="联建主题党日",
    )
    HostSlot.objects.create(zone=county.zone_a, month=today.replace(day=1), unit=county.member_unit)
    login(page, "staff", PASSWORD)
    page.goto(f"{page.base_url}/admin/zones/unit/")
    page.check(f"input[name=_selected_action][value='{county.member_unit.pk}']")
    page.select_option("select[name=action]", "reassign_units")
    page.click("button[name=index]")
    page.wait_for_selector("select[name=zone]")
    page.select_option("select[name=zone]", str(county.zone_b.pk))
    page.fill("input[name=effective_on]", effective.isoformat())
    page.fill("input[name=reason]", "职能调整，归口第二片区")
    page.click("input[name=apply]")

    box = page.wait_for_selector("#past-date-confirmation")
    text = box.inner_text()
    assert "请确认：生效日期早于今天" in text
    assert "早于今天60天" in text
    assert "县司法局自该日起的1次活动仍归第一片区：联建主题党日" in text
    assert "仍归第一片区的轮值月份" in text
    assert Membership.objects.filter(unit=county.member_unit).count() == 1  # not yet
    screenshot(page, "admin-move-past-date-confirmation")

    page.click("#confirm-past")
    page.wait_for_selector(".messagelist")
    assert "1个单位已调整到第二片区" in page.inner_text(".messagelist") or (
        "第二片区" in page.inner_text(".messagelist")
    )
    moved = Membership.objects.get(unit=county.member_unit, effective_to__isnull=True)
    assert (moved.zone, moved.effective_from) == (county.zone_b, effective)

    # The move, with its reason, on the staff's page of the year's moves (if it is this year's).
    page.goto(f"{page.base_url}/moves/?year={effective.year}")
    row = page.wait_for_selector("#moves-table tr.move-zone")
    assert "职能调整，归口第二片区" in row.inner_text() and "片区调整" in row.inner_text()
    screenshot(page, "moves-of-the-year")
