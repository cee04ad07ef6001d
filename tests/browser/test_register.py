"""The member register on a phone (375 px): a unit secretary registers a new member of their
unit by hand, finds them in the register and on their page (numbers masked), records a post;
the county's staff transfer them and see the register's "left" filter. Screenshots of the
register and the person page are saved in test-artifacts/."""

from __future__ import annotations

import datetime

from django.utils import timezone

from people import services
from people.constants import LeavingReason
from people.idnumber import compose
from people.models import Membership, Person
from tests.browser.conftest import login, screenshot
from tests.browser.test_screenshots import OVERFLOW
from tests.factories import PASSWORD
from tests.people.factories import person_in

PHONE = "13856785678"


def test_a_secretary_registers_a_member_on_a_phone(phone_page, county):
    page = phone_page
    today = timezone.localdate()
    number = compose(region="610922", born=datetime.date(1990, 4, 2), sequence=77)
    gone = person_in(county.member_unit, name="赵敏", since=datetime.date(2020, 1, 1))
    services.person_leave(
        person=gone,
        reason=LeavingReason.TRANSFERRED_OUT,
        on=datetime.date(2025, 12, 31),
        actor=county.staff,
    )
    person_in(county.member_unit, name="王芳", mobile="13900001111")

    login(page, "secretary", PASSWORD)
    page.goto(f"{page.base_url}/people/")
    page.click("#register-person")
    page.fill("#id_since", "2026-01-05")
    page.fill("#id_name", "刘洋")
    page.fill("#id_id_number", number)
    page.fill("#id_mobile", PHONE)
    page.fill("#id_joined_on", "2014-06-30")
    page.fill("#id_full_member_on", "2015-06-30")
    page.fill("#id_job_title", "科员")
    page.click("#person-form button[type=submit]")
    page.wait_for_selector("#person-fields")
    person = Person.objects.get(name="刘洋")
    assert Membership.objects.get(person=person).unit == county.member_unit
    content = page.content()
    assert number not in content and PHONE not in content
    assert "138****5678" in content

    page.click("#person-post")
    page.select_option("#id_kind", "publicity")
    page.fill("#id_on", "2026-02-01")
    page.click("#post-form button[type=submit]")
    page.wait_for_selector("#person-posts")
    assert "宣传委员" in page.inner_text("#person-posts")
    assert page.evaluate(OVERFLOW) == []
    screenshot(page, "person-phone")

    page.goto(f"{page.base_url}/people/")
    assert "刘洋" in page.inner_text("#register-table")
    assert page.evaluate(OVERFLOW) == []
    screenshot(page, "register-phone")

    # The county's staff transfer the member, and read who left.
    page.context.clear_cookies()
    login(page, "staff", PASSWORD)
    page.goto(f"{page.base_url}/people/{person.pk}/transfer/")
    page.select_option("#id_to_unit", str(county.other_unit.pk))
    page.fill("#id_on", today.isoformat())
    page.click("#transfer-form button[type=submit]")
    page.wait_for_selector("#person-memberships")
    history = page.inner_text("#person-memberships")
    assert county.member_unit.name in history and county.other_unit.name in history
    page.goto(f"{page.base_url}/people/?status=left")
    table = page.inner_text("#register-table")
    assert "赵敏" in table and "刘洋" not in table and "转出本县" in table
    assert page.evaluate(OVERFLOW) == []
    screenshot(page, "register-left-phone")
