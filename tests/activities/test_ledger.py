"""The activity ledger (联建活动台账) for staff: filters, pages, and the same list in Excel."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from activities import services
from activities.models import Activity
from core.excel import safe_cell as excel_safe
from core.periods import month_label
from tests.activities.factories import grow, make_activity
from tests.helpers import file_body


@pytest.fixture
def activities(county):
    flood = make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=datetime.date(2026, 10, 8),
        form="task_force",
        title="汛后联合突击清淤",
        tags=["action", "build"],
        participants=[county.lead_unit, county.other_unit],
        outcomes=[
            services.OutcomeData("清理淤泥", 500, "m³"),
            services.OutcomeData("清理点位", 180, "处"),
        ],
        state="confirmed",
        reviewer=county.lead_secretary,
    )
    study = make_activity(
        unit=county.other_unit,
        by=county.other_secretary,
        date=datetime.date(2026, 3, 2),
        form="theme_party_day",
        title='=HYPERLINK("http://evil")',
        tags=["study"],
        summary="+cmd|' /C calc'!A0",
    )
    return flood, study


@pytest.mark.parametrize(
    "persona, status",
    [("staff", 200), ("lead_secretary", 404), ("leader", 404), ("secretary", 404)],
)
def test_only_staff_see_the_ledger(client, county, persona, status):
    client.force_login(getattr(county, persona))
    assert client.get(reverse("activities:ledger")).status_code == status
    assert client.get(reverse("activities:ledger_export")).status_code == status


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, {"汛后联合突击清淤", "=HYPERLINK"}),
        ({"zone": "ZONE_A"}, {"汛后联合突击清淤"}),
        ({"month_from": "2026-04"}, {"汛后联合突击清淤"}),
        ({"month_to": "2026-03"}, {"=HYPERLINK"}),
        ({"form": "task_force"}, {"汛后联合突击清淤"}),
        ({"tag": "study"}, {"=HYPERLINK"}),
        ({"tag": "create"}, set()),
        ({"state": "draft"}, {"=HYPERLINK"}),
        ({"unit": "OTHER_UNIT"}, {"汛后联合突击清淤", "=HYPERLINK"}),
        ({"unit": "LEAD_UNIT"}, {"汛后联合突击清淤"}),
    ],
)
def test_ledger_filters(client, county, activities, params, expected):
    ids = {
        "ZONE_A": county.zone_a.pk,
        "OTHER_UNIT": county.other_unit.pk,
        "LEAD_UNIT": county.lead_unit.pk,
    }
    params = {k: ids.get(v, v) for k, v in params.items()}
    client.force_login(county.staff)
    response = client.get(reverse("activities:ledger"), params)
    titles = {a.title[:10] for a in response.context["page"]}
    assert titles == expected


def test_a_bad_month_is_an_error_not_a_crash(client, county, activities):
    client.force_login(county.staff)
    response = client.get(
        reverse("activities:ledger"), {"month_from": "2026-13"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200 and "Enter a month as YYYY-MM." in response.content.decode()


def test_the_export_has_chinese_headings_and_the_filtered_rows(client, county, activities):
    client.force_login(county.staff)
    response = client.get(reverse("activities:ledger_export"), {"form": "task_force"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(file_body(response))).active
    rows = list(sheet.values)
    assert rows[0][0] == "片区"  # "Zone", rendered in Chinese whatever the page language
    assert len(rows) == 2
    row = dict(zip(range(13), rows[1], strict=True))
    assert row[0] == county.zone_a.name
    assert row[1] == "2026年10月"  # the month as the committee writes it
    assert row[2].date() == datetime.date(2026, 10, 8)
    assert row[3] == county.member_unit.name
    assert row[4] == "、".join(sorted([county.lead_unit.name, county.other_unit.name]))
    assert row[7] == "汛后联合突击清淤"
    assert row[9] == 30
    assert row[11] == "清理淤泥 500m³；清理点位 180处"


def test_the_export_quotes_cells_that_would_run_as_formulas(client, county, activities):
    client.force_login(county.staff)
    response = client.get(reverse("activities:ledger_export"), {"form": "theme_party_day"})
    row = list(load_workbook(io.BytesIO(file_body(response))).active.values)[1]
    assert row[7] == '\'=HYPERLINK("http://evil")'
    assert row[10] == "'+cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    "value, safe",
    [("=1+1", "'=1+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("普通", "普通"), (3, 3)],
)
def test_excel_safe(value, safe):
    assert excel_safe(value) == safe


def test_ledger_and_export_cost_the_same_queries_at_any_size(
    client, county, activities, django_assert_num_queries
):
    client.force_login(county.staff)
    url = reverse("activities:ledger")
    # session, user, page (count, rows), the zone select's options, the navbar's
    # unread-notifications count; units are matched by text, not listed. The page's body is
    # then cached until a record changes: session, user and unread count only.
    with CaptureQueriesContext(connection) as cold:
        client.get(url, {"state": "confirmed"})
    assert len(cold) <= 9
    with django_assert_num_queries(3):
        warm = client.get(url, {"state": "confirmed"})
    assert warm.content.count(b"<tr>") == client.get(url, {"state": "confirmed"}).content.count(
        b"<tr>"
    )
    # session, user, scope (posts, guided zones), rows, their participants, their outcomes,
    # the audit trail's record of the export
    with CaptureQueriesContext(connection) as export:
        client.get(reverse("activities:ledger_export"))
    assert len(export) <= 8
    grow(county, zones=3, per_zone=24)
    with django_assert_num_queries(len(cold)):  # the new records invalidated the cache
        response = client.get(url, {"state": "confirmed"})
    assert len(response.context["page"]) > 10
    with django_assert_num_queries(len(export)):
        response = client.get(reverse("activities:ledger_export"))
    assert len(list(load_workbook(io.BytesIO(file_body(response))).active.values)) == 2 + 3 * 24 + 1


def test_the_export_rows_read_as_values_equal_each_activitys_own_texts(
    client, county, activities, monkeypatch
):
    """Issue 20: the export reads plain values a chunk at a time (no instance, no prefetch per
    row); every cell is what the activity's own fields and relations give, across chunks."""
    from activities import selectors

    third = make_activity(
        unit=county.lead_unit,
        by=county.lead_secretary,
        date=datetime.date(2026, 10, 20),
        title="走访企业",
        participants=[county.other_unit, county.member_unit, county.lead_unit],
        outcomes=[services.OutcomeData("走访企业"), services.OutcomeData("解决问题", 3, "个")],
    )
    monkeypatch.setattr(selectors, "EXPORT_CHUNK", 2)  # three activities: two chunks
    client.force_login(county.staff)
    export = client.get(reverse("activities:ledger_export"))
    rows = list(load_workbook(io.BytesIO(file_body(export))).active.values)[1:]
    expected = []
    with translation.override("zh-hans"):
        for a in Activity.objects.order_by("-month", "-date", "-pk"):
            expected.append(
                (
                    a.zone.name,
                    month_label(a.month),
                    a.host_unit.name,
                    "、".join(u.name for u in a.participants.order_by("name")) or None,
                    str(a.get_form_display()),
                    "、".join(str(t) for t in a.tag_labels) or None,
                    a.place,
                    a.participant_count,
                    "；".join(str(o) for o in a.outcomes.order_by("pk")) or None,
                    str(a.get_state_display()),
                )
            )
    got = [(r[0], r[1], r[3], r[4], r[5], r[6], r[8], r[9], r[11], r[12]) for r in rows]
    assert len(got) == 3 and third.title in {row[7] for row in rows}
    assert got == expected
    outcomes = {g[8] for g in got}
    assert {"走访企业；解决问题 3个", "清理淤泥 500m³；清理点位 180处"} <= outcomes
