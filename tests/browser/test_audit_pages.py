"""The audit administrator's history page and the sign-in lockout page, in a real browser."""

from __future__ import annotations

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD


def test_the_auditor_reads_a_records_history_in_chinese_with_names(page, county, auditor):
    county.staff.full_name = "王工委"
    county.staff.save()
    staff = Client()  # staff reassign the unit through the admin action, giving a reason
    staff.force_login(county.staff)
    staff.post(
        reverse("admin:zones_unit_changelist"),
        {
            "action": "reassign_units",
            ACTION_CHECKBOX_NAME: [county.member_unit.pk],
            "apply": "1",
            "zone": county.zone_b.pk,
            "effective_on": timezone.localdate().isoformat(),  # today: no past-date confirmation
            "reason": "机构改革调整",
        },
    )
    login(page, "auditor", PASSWORD)
    page.goto(f"{page.base_url}/audit-admin/audit/historicalmembership/")
    page.wait_for_selector("#result_list")
    text = page.inner_text("#result_list")
    assert "修改人" in text and "原因" in text
    assert "王工委（staff）" in text
    assert text.count("机构改革调整") == 2  # the new membership and the closed one
    screenshot(page, "audit-history-membership")


def test_a_locked_address_is_told_so_on_the_sign_in_page(page, county, settings):
    settings.ADDRESS_LOCKOUT_FAILURES = 3
    for n in range(3):
        login(page, f"nobody{n}", "wrong")
    login(page, "secretary", PASSWORD)
    page.wait_for_selector("#lockout-message")
    assert "网络地址" in page.inner_text("#lockout-message")
    screenshot(page, "lockout-address")
