"""Periods are written as the committee writes them: 2026年第四季度, 2026年上半年, 2026年11月 —
one label function (core/periods.py) used by pages, exports, reports and notifications."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from core.periods import (
    HALF,
    MONTH,
    QUARTER,
    YEAR,
    half_label,
    month_label,
    period_of,
    quarter_label,
)
from notifications.constants import Kind
from notifications.models import Notification
from notifications.reminders import reminders_run
from reports import services as report_services
from supervision import services as supervision_services
from tests.supervision.conftest import fill

D = datetime.date


@pytest.mark.parametrize(
    "kind, chinese, english",
    [
        (MONTH, "2026年11月", "November 2026"),
        (QUARTER, "2026年第四季度", "2026 Q4"),
        (HALF, "2026年下半年", "2026 H2"),
        (YEAR, "2026年", "2026"),
    ],
)
def test_each_kind_of_period_is_written_in_the_readers_language(kind, chinese, english):
    period = period_of(kind, D(2026, 11, 5))
    with translation.override("zh-hans"):
        assert period.label == chinese
    with translation.override("en"):
        assert period.label == english


def test_every_quarter_and_half_has_its_chinese_name():
    with translation.override("zh-hans"):
        assert [quarter_label(2026, q) for q in (1, 2, 3, 4)] == [
            "2026年第一季度",
            "2026年第二季度",
            "2026年第三季度",
            "2026年第四季度",
        ]
        assert [half_label(2026, h) for h in (1, 2)] == ["2026年上半年", "2026年下半年"]
        assert month_label("2026-03") == month_label(D(2026, 3, 1)) == "2026年3月"


def test_a_mutual_check_page_names_its_quarter_in_chinese(client, county, check_a):
    client.force_login(county.lead_secretary)
    html = client.get(
        reverse("supervision:check_detail", args=[check_a.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "2026年第四季度" in html
    assert "2026 Q4" not in html


def test_the_check_list_and_the_zone_page_name_quarters_in_chinese(client, county, check_a):
    client.force_login(county.staff)
    for url in (
        reverse("supervision:check_list"),
        reverse("zone_detail", args=[county.zone_a.pk]),
    ):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert "2026年第四季度" in html, url
        assert "2026 Q4" not in html, url


def test_a_patrol_round_is_named_by_its_half_year(county, today):
    import random

    round_ = supervision_services.patrol_round_open(
        year=2026, half=1, by=county.staff, rng=random.Random(2)
    )
    with translation.override("zh-hans"):
        assert str(round_) == "2026年上半年"


def test_a_refused_second_check_names_the_quarter_in_chinese(county, check_a):
    from django.core.exceptions import ValidationError

    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        supervision_services.mutual_check_create(
            zone=county.zone_a, year=2026, quarter=4, by=county.lead_secretary
        )
    assert "2026年第四季度" in " ".join(refused.value.messages)


def test_the_mutual_check_notifications_name_the_quarter_in_chinese(county, check_a):
    with translation.override("zh-hans"):
        reminders_run(day=D(2026, 11, 28))
        for sheet in check_a.sheets.all():
            fill(sheet, county.staff, fraction=0.9)
        supervision_services.mutual_check_publish(check=check_a, by=county.lead_secretary)
        reminders_run(day=D(2026, 11, 28))
    titles = sorted(
        Notification.objects.filter(
            recipient=county.secretary, kind=Kind.CHECK_PUBLISHED
        ).values_list("title", flat=True)
    )
    assert len(titles) == 2
    assert all("2026年第四季度" in t for t in titles), titles


def test_host_reminders_name_the_month_in_chinese(county):
    from activities.models import HostSlot

    HostSlot.objects.create(zone=county.zone_a, month=D(2026, 10, 1), unit=county.member_unit)
    with translation.override("zh-hans"):
        reminders_run(day=D(2026, 9, 23))
    title = Notification.objects.get(recipient=county.secretary, kind=Kind.HOST_UPCOMING).title
    assert "2026年10月" in title


def test_a_report_its_page_and_its_excel_name_the_period_in_chinese(client, county, fixed_today):
    fixed_today(D(2026, 11, 28))
    report = report_services.report_request(kind="quarter", day=D(2026, 10, 1), by=county.staff)
    report_services.report_generate(report_id=report.pk, today=D(2026, 11, 28))
    report.refresh_from_db()
    with translation.override("zh-hans"):
        assert report.period_label == "2026年第四季度"
    assert report.narrative.startswith("2026年第四季度，")
    client.force_login(county.staff)
    listing = client.get(reverse("reports:list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content
    assert "2026年第四季度" in listing.decode() and "2026 Q4" not in listing.decode()
    page = client.get(
        reverse("reports:detail", args=[report.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "2026年第四季度" in page and "2026 Q4" not in page
    assert "<th>10月</th>" in page  # the coverage table's months, under the period's name
    book = openpyxl.load_workbook(io.BytesIO(report.excel.read()))
    coverage = book[book.sheetnames[4]]
    assert [c.value for c in coverage[1]][1:] == ["2026年10月", "2026年11月"]
    assert "2026年第四季度" in book[book.sheetnames[0]]["B2"].value
