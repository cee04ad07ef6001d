"""The history pages the audit administrator reads (/audit-admin/, django-simple-history): the
person's name rather than a number, Chinese headers and filters, local time, the reason, and a
search."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from tests.helpers import file_body
from zones.models import Membership

HISTORY = "audit_admin:audit_historicalmembership_changelist"


@pytest.fixture
def reassigned(client, county, fixed_today):
    """Staff moved 县司法局 to zone B through the admin action, giving a reason."""
    fixed_today(datetime.date(2026, 11, 28))
    county.staff.full_name = "王工委"
    county.staff.save()
    client.force_login(county.staff)
    client.post(
        reverse("admin:zones_unit_changelist"),
        {
            "action": "reassign_units",
            ACTION_CHECKBOX_NAME: [county.member_unit.pk],
            "apply": "1",
            "zone": county.zone_b.pk,
            "effective_on": "2026-11-01",
            "confirm_past": "2026-11-01",
            "reason": "机构改革调整",
        },
    )
    client.logout()
    rows = Membership.history.filter(history_user_id=county.staff.pk)
    assert rows.exists()
    return rows


def test_the_history_shows_who_by_name_when_in_local_time_and_why(client, reassigned, auditor):
    client.force_login(auditor)

    page = client.get(reverse(HISTORY)).content.decode()

    when = reassigned.first().history_date
    assert "王工委（staff）" in page
    local = timezone.localtime(when).strftime("%Y-%m-%d %H:%M:%S")  # Asia/Shanghai, UTC+8
    assert f">{local}</a></th>" in page
    assert '<td class="field-record">县司法局 → 第二片区' in page  # no " as of <UTC>" tail
    # Both rows of the move carry the reason: the new membership and the closed one (whose own
    # `reason` field is empty).
    assert page.count('<td class="field-change_reason">机构改革调整</td>') == 2


def test_the_history_speaks_chinese_in_its_headers_and_filters(client, reassigned, auditor):
    client.force_login(auditor)

    page = client.get(reverse(HISTORY), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    for header in ("时间", "变更", "修改人", "记录", "原因", "来源地址"):
        assert f">{header}<" in page or f">{header}</a>" in page, header
    for title in ("变更", "修改时间", "修改人"):
        assert f'data-filter-title="{title}"' in page, title
    assert "history date" not in page and "history user id" not in page.lower()


def test_the_history_is_searched_by_person_and_by_reason(client, reassigned, county, auditor):
    client.force_login(auditor)

    by_person = client.get(reverse(HISTORY), {"q": "王工委"})
    by_reason = client.get(reverse(HISTORY), {"q": "机构改革"})
    nothing = client.get(reverse(HISTORY), {"q": "不存在的原因"})

    assert by_person.context["cl"].result_count == reassigned.count()
    assert by_reason.context["cl"].result_count >= 1
    assert nothing.context["cl"].result_count == 0


def test_the_history_is_filtered_by_who_made_the_change(client, reassigned, county, auditor):
    client.force_login(auditor)

    mine = client.get(reverse(HISTORY), {"by": county.staff.pk})

    assert mine.context["cl"].result_count == reassigned.count()
    assert {r.history_user_id for r in mine.context["cl"].result_list} == {county.staff.pk}


def test_the_history_export_names_the_person_and_uses_local_time(client, reassigned, auditor):
    client.force_login(auditor)
    response = client.post(
        reverse(HISTORY),
        {"action": "export_csv", ACTION_CHECKBOX_NAME: [r.pk for r in reassigned]},
    )
    body = file_body(response).decode("utf-8-sig")
    assert "staff" in body
    assert timezone.localtime(reassigned.first().history_date).isoformat() in body
    assert "+08:00" in body


def test_the_history_is_searched_by_record_number_and_username_beginning(
    client, reassigned, county, auditor
):
    """Issue 20: each part of the search is answered by an index (the record's id, the
    accounts' usernames, then the history's user column)."""
    client.force_login(auditor)
    record_id = reassigned.first().id

    by_number = client.get(reverse(HISTORY), {"q": str(record_id)})
    by_username = client.get(reverse(HISTORY), {"q": county.staff.username[:3]})

    assert {r.id for r in by_number.context["cl"].result_list} == {record_id}
    assert by_username.context["cl"].result_count == reassigned.count()
