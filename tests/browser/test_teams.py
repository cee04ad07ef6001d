"""Service teams in a real browser (issue 18): staff propose next year's rotation, review the
difference and confirm it; the captain records a visit with a finding on a phone; the
organization's secretary answers it; the team's scorecard moves."""

from __future__ import annotations

from supervision.models import Finding
from teams.models import Rotation
from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD
from tests.teams.conftest import teams  # noqa: F401 - the fixture


def test_rotation_visit_answer_and_scorecard(page, phone_page, county, teams):  # noqa: F811
    # staff: next year's rotation, proposed, reviewed as a difference, confirmed
    login(page, "staff", PASSWORD)
    page.goto(f"{page.base_url}/teams/rotation/")
    page.click("#propose-rotation")
    page.wait_for_selector("#rotation-diff")
    assert page.locator("#rotation-diff tbody tr.table-info").count() == 5  # all change team
    screenshot(page, "teams-rotation")
    page.click("#confirm-rotation")
    page.wait_for_selector("#rotation-state.alert-success")
    assert Rotation.objects.get(year=2027).state == "confirmed"
    # the captain, on a phone: a visit of the member unit with a problem
    phone = phone_page
    login(phone, "captain", PASSWORD)
    phone.goto(f"{phone.base_url}/teams/{teams.team_a.pk}/")
    assert phone.inner_text("#card-raised") == "0"
    phone.click("#record-visit")
    phone.select_option("select[name=unit]", str(county.member_unit.pk))
    phone.check(f"input[name=went][value='{teams.captain_person.pk}']")
    phone.fill("textarea[name=looked]", "查看了活动阵地和党员教育台账")
    phone.fill("textarea[name=problem]", "党员教育管理台账不全")
    screenshot(phone, "teams-visit-phone")
    phone.click("#save-visit")
    phone.wait_for_selector("#visit-findings >> text=党员教育管理台账不全")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    finding = Finding.objects.get()
    # the organization's secretary answers it on the rectification page
    login(page, "secretary", PASSWORD)
    page.goto(f"{page.base_url}/supervision/findings/{finding.pk}/")
    page.locator("#finding-answer button[type=submit]").first.click()  # 开始整改
    page.wait_for_selector("#finding-state")
    finding.refresh_from_db()
    assert finding.state == "in_progress"
    # the team's scorecard moved
    phone.goto(f"{phone.base_url}/teams/{teams.team_a.pk}/")
    assert phone.inner_text("#card-visits") == "1"
    assert phone.inner_text("#card-raised") == "1"
    screenshot(phone, "teams-scorecard-phone")
