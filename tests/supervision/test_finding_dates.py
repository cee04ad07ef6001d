"""A finding shows its dates and the working days between them (issue 12), counted with China's
calendar (core.workdays: the National Day holiday, the adjusted Saturday): on its page, in the
rectification ledger and in the ledger's export. The ledger's overdue filter starts at "all";
a submitted rectification's page shows what was submitted."""

from __future__ import annotations

import datetime
import io
import random

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.excel import CHINESE_DATE_FORMAT
from supervision import services
from tests.helpers import file_body
from tests.supervision.conftest import fill

LEDGER = reverse("supervision:finding_list")
EXPORT = reverse("supervision:finding_export")
RAISED = datetime.date(2026, 9, 28)  # a Monday; 1–7 October is the National Day holiday
DEADLINE = datetime.date(2026, 10, 10)  # 29, 30 September, 8, 9 and the adjusted Saturday 10
CLOSED = datetime.date(2026, 10, 12)  # one working day more: 6 after raising


def page(client, finding):
    return client.get(reverse("supervision:finding_detail", args=[finding.pk])).content.decode()


@pytest.fixture
def national_day_finding(county, fixed_today):
    """A serious finding (5 working days) raised on Monday 28 September 2026."""
    fixed_today(RAISED)
    check = services.mutual_check_create(
        zone=county.zone_a, year=2026, quarter=3, by=county.staff, rng=random.Random(1)
    )
    sheet = check.sheets.get(checked_unit=county.member_unit)
    finding = services.finding_record(
        sheet=sheet, description="党费收缴台账缺失", severity="serious", by=county.staff
    )
    for s in check.sheets.all():
        fill(s, county.staff)
    services.mutual_check_publish(check=check, by=county.staff)
    finding.refresh_from_db()
    return finding


def close(county, finding, fixed_today, on=CLOSED):
    services.finding_submit(finding=finding, note="补建台账并公示", by=county.secretary)
    fixed_today(on)
    services.finding_verify(finding=finding, by=county.staff)
    finding.refresh_from_db()
    return finding


def test_raising_keeps_the_working_days_that_set_the_deadline(national_day_finding):
    assert national_day_finding.raised_on == RAISED
    assert national_day_finding.deadline == DEADLINE
    assert national_day_finding.workdays_allowed == 5


def test_closing_counts_the_working_days_since_raising(county, national_day_finding, fixed_today):
    finding = close(county, national_day_finding, fixed_today)
    assert finding.closed_on == CLOSED and finding.workdays_taken == 6


def test_the_finding_page_shows_the_dates_in_chinese_and_the_working_days(
    client, county, national_day_finding, fixed_today
):
    client.force_login(county.secretary)
    fixed_today(datetime.date(2026, 9, 30))
    html = page(client, national_day_finding)
    assert "交办日期</dt><dd" in html and "2026年9月28日" in html
    assert "2026年10月10日 · " in html and "交办后5个工作日" in html
    assert "剩余3个工作日" in html  # 8, 9 and the adjusted Saturday 10 October
    fixed_today(datetime.date(2026, 10, 13))
    assert "已逾期2个工作日" in page(client, national_day_finding)  # the 12th and the 13th


def test_a_closed_finding_shows_when_it_was_closed_and_after_how_many_working_days(
    client, county, national_day_finding, fixed_today
):
    close(county, national_day_finding, fixed_today)
    client.force_login(county.secretary)
    html = page(client, national_day_finding)
    assert "销号日期" in html and "2026年10月12日 · " in html and "交办后6个工作日" in html
    assert "finding-workdays-left" not in html


def test_the_ledger_shows_raised_on_deadline_closed_on_and_working_days(
    client, county, national_day_finding, fixed_today
):
    close(county, national_day_finding, fixed_today)
    client.force_login(county.staff)
    html = client.get(LEDGER).content.decode()
    for text in ("交办日期", "销号日期", "2026年9月28日", "2026年10月10日", "2026年10月12日"):
        assert text in html
    assert "交办后5个工作日" in html and "交办后6个工作日" in html


def test_the_export_holds_the_dates_as_chinese_dates_and_the_working_days(
    client, county, national_day_finding, fixed_today
):
    close(county, national_day_finding, fixed_today)
    client.force_login(county.staff)
    sheet = load_workbook(io.BytesIO(file_body(client.get(EXPORT)))).active
    row = {heading.value: cell for heading, cell in zip(sheet[1], sheet[2], strict=True)}
    assert row["交办日期"].value.date() == RAISED
    assert row["整改期限"].value.date() == DEADLINE
    assert row["整改期限（工作日）"].value == 5
    assert row["销号日期"].value.date() == CLOSED
    assert row["整改用时（工作日）"].value == 6
    for heading in ("交办日期", "整改期限", "销号日期"):
        assert row[heading].number_format == CHINESE_DATE_FORMAT == 'yyyy"年"m"月"d"日"'


def test_the_overdue_filter_starts_at_all_with_yes_and_no(client, county, finding, fixed_today):
    client.force_login(county.staff)
    html = client.get(LEDGER).content.decode()
    select = html[
        html.index('name="overdue"') : html.index("</select>", html.index('name="overdue"'))
    ]
    options = [o.split(">", 1)[1].split("<", 1)[0] for o in select.split("<option")[1:]]
    assert options == ["全部", "是", "否"]
    assert "未知" not in select and 'value="" selected' in select
    fixed_today(finding.deadline + datetime.timedelta(days=1))
    assert client.get(LEDGER, {"overdue": ""}).context["page"].paginator.count == 1
    assert client.get(LEDGER, {"overdue": "true"}).context["page"].paginator.count == 1
    assert client.get(LEDGER, {"overdue": "false"}).context["page"].paginator.count == 0


def test_a_submitted_rectification_shows_what_was_submitted_and_no_empty_card(
    client, county, finding
):
    services.finding_submit(finding=finding, note="补齐了三会一课记录", by=county.secretary)
    client.force_login(county.secretary)  # the unit that answers: nothing left to do for now
    html = page(client, finding)
    assert 'id="finding-submission"' in html and "补齐了三会一课记录" in html
    assert 'id="finding-answer"' not in html
    empty_card = '<div class="card mb-3"><div class="card-body">\n  \n  \n</div></div>'
    assert empty_card not in html
    client.force_login(county.lead_secretary)  # the verifier sees it beside the verify form
    assert "补齐了三会一课记录" in page(client, finding).split("finding-history")[0]
