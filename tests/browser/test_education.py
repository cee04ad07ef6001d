"""六大课堂 (issue 19) in a real browser: a unit's secretary creates a session and opens its
sign-in screen; a member on a 375-px phone opens the screen's link, is signed in, and sees their
hours move; the unit's balance chart draws; the minutes download as a .docx python-docx reads."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from docx import Document

from education.constants import ClassroomKind, Status
from education.models import Session
from tests.browser.conftest import login, screenshot
from tests.education.conftest import edu  # noqa: F401 - the fixture
from tests.factories import PASSWORD


def test_session_sign_in_on_a_phone_moves_the_hours(page, phone_page, county, edu):  # noqa: F811
    now = timezone.localtime()
    if now.hour == 0 and now.minute < 15 or now.hour == 23 and now.minute > 50:
        pytest.skip("the session runs from ten minutes ago to 23:59 today")
    login(page, "secretary", PASSWORD)
    page.goto(f"{page.base_url}/education/sessions/new/")
    page.select_option("#id_classroom", str(edu.rooms[ClassroomKind.THEORY].pk))
    page.select_option("#id_kind", "party_lecture")
    page.fill("#id_topic", "专题党课：牢记初心使命")
    page.fill("#id_date", now.date().isoformat())
    page.fill("#id_start", (now - datetime.timedelta(minutes=10)).strftime("%H:%M"))
    page.fill("#id_end", "23:59")
    page.fill("#id_duration", "2")
    page.fill("#id_place", "三楼会议室")
    page.select_option("#id_units", str(county.member_unit.pk))
    page.click("#save-session")
    page.wait_for_selector("#roster")
    session = Session.objects.get()
    assert session.attendances.count() == 2
    page.click("#session-screen")
    page.wait_for_selector("#sign-in-qr")
    link = page.get_attribute("#sign-in-link", "href")
    screenshot(page, "education-sign-in-screen")

    phone = phone_page
    login(phone, "member", PASSWORD)
    phone.goto(link)
    phone.click("#sign-in-button")
    phone.wait_for_selector("#signed-in")
    screenshot(phone, "education-signed-in-phone")
    assert session.attendances.get(person=edu.member).status == Status.PRESENT
    phone.click("#my-hours")
    phone.wait_for_selector("#hours-total")
    assert phone.inner_text("#hours-total").strip().startswith("2")
    screenshot(phone, "education-my-hours-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    page.goto(f"{page.base_url}/education/units/{county.member_unit.pk}/")
    page.wait_for_selector("#balance-chart rect")
    assert page.locator("#balance-chart rect").count() == 6
    screenshot(page, "education-unit-balance")

    page.goto(f"{page.base_url}/education/sessions/{session.pk}/")
    with page.expect_download() as info:
        page.click("#session-minutes")
    doc = Document(info.value.path())
    text = "\n".join(cell.text for table in doc.tables for row in table.rows for cell in row.cells)
    assert "王芳" in text and "出席" in text
