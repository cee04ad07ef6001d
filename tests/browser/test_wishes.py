"""A villager on a 375-px phone sends a wish through their group's link (with a photo), reads the
ticket number, and later sees the answer on the status page; between, the town's dispatcher
dispatches it and the handler signs for it and answers it, in the staff's pages."""

from __future__ import annotations

import datetime

from django.urls import reverse

from tests.activities.factories import jpeg_bytes
from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD
from tests.wishes.conftest import build
from wishes import services
from wishes.constants import State
from wishes.models import Wish


def test_a_villager_sends_a_wish_on_a_phone_and_reads_the_answer(
    phone_page, page, county, fixed_today
):
    fixed_today(datetime.date(2026, 11, 23))
    w = build(county)
    villager = phone_page
    villager.goto(
        villager.base_url + reverse("wish_public:intake", args=[services.group_token(w.group)])
    )
    assert "滔河镇 · 同心村 · 一组" in villager.inner_text("#place")
    villager.fill("#id_text", "组里的便民桥栏杆坏了，希望修好")
    villager.set_input_files(
        "#id_photos",
        files=[{"name": "桥.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}],
    )
    villager.fill("#id_phone", "13822223333")
    villager.check("#id_consent")
    screenshot(villager, "wishes-intake-phone")
    assert villager.evaluate("document.documentElement.scrollWidth") <= 375
    villager.click("#send")
    ticket = villager.inner_text("#ticket").strip()
    screenshot(villager, "wishes-ticket-phone")
    wish = Wish.objects.get(ticket=ticket)
    assert wish.photos.count() == 1 and wish.group == w.group

    # the town's dispatcher dispatches it to the category's default handler
    staff = page
    login(staff, "lead", PASSWORD)
    staff.goto(staff.base_url + reverse("wishes:detail", args=[wish.pk]))
    staff.select_option("#id_category", str(w.roads.pk))
    staff.click("#dispatch")
    staff.wait_for_selector("#handler")
    assert county.member_unit.name in staff.inner_text("#handler")
    # the handler signs for it and answers
    staff.context.clear_cookies()
    login(staff, "secretary", PASSWORD)
    staff.goto(staff.base_url + reverse("wishes:detail", args=[wish.pk]))
    staff.click("#sign")
    staff.wait_for_selector("#answer-form")
    staff.fill("#answer-form textarea", "已更换便民桥栏杆。")
    staff.click("#answer-send")
    staff.wait_for_selector("#answer")
    screenshot(staff, "wishes-detail-handler")
    wish.refresh_from_db()
    assert wish.state == State.RESOLVED

    # the villager looks it up: ticket and the last four digits of the phone
    villager.goto(villager.base_url + reverse("wish_public:status"))
    villager.fill("#id_ticket", ticket)
    villager.fill("#id_tail", "3333")
    villager.click("#look-up")
    villager.wait_for_selector("#answer")
    assert "已更换便民桥栏杆" in villager.inner_text("#answer")
    assert "13822223333" not in villager.content()
    screenshot(villager, "wishes-status-phone")
    assert villager.evaluate("document.documentElement.scrollWidth") <= 375

    # the county's figures count it: collected 2 (the fixture's and this one), resolved 1
    staff.context.clear_cookies()
    login(staff, "staff", PASSWORD)
    staff.goto(staff.base_url + reverse("wishes:figures") + "?year=2026")
    assert staff.inner_text("#collected") == "2" and staff.inner_text("#resolved") == "1"
    screenshot(staff, "wishes-figures")
