"""Reports as the committee files them: a running period counts to the day it is generated and
says so; each report downloads as a Word document laid out as an official document (公文), with
the narrative and every table; class moves are a table (unit, from, to, date, reason)."""

from __future__ import annotations

import datetime
import io

import docx
import pytest
from django.urls import reverse

from activities.constants import ActivityState
from reports import services
from reports.document import DOCX_MIME
from tests.activities.factories import make_activity
from zones import services as zone_services
from zones.constants import Grade

D = datetime.date
GENERATED_ON = D(2026, 12, 1)
YEAR_START = D(2026, 1, 1)


def a_year_of_activities_and_a_class_move(county, fixed_today) -> None:
    """Zone A confirms activities in March and October 2026; a unit moves up a class in June
    with a reason. Today is the generation day, before the year ends."""
    fixed_today(GENERATED_ON)
    for day in (D(2026, 3, 10), D(2026, 10, 9)):
        make_activity(
            unit=county.member_unit,
            by=county.secretary,
            date=day,
            state=ActivityState.CONFIRMED,
            reviewer=county.lead_secretary,
        )
    zone_services.unit_set_grade(
        unit=county.member_unit_2, grade=Grade.THIRD, effective_on=D(2025, 7, 1), reason="初评"
    )
    zone_services.unit_set_grade(
        unit=county.member_unit_2,
        grade=Grade.SECOND,
        effective_on=D(2026, 6, 30),
        reason="上半年考评进位",
    )


@pytest.fixture
def year_2026(county, fixed_today):
    a_year_of_activities_and_a_class_move(county, fixed_today)
    return county


def generate(kind="year", day=YEAR_START, zone=None, today=GENERATED_ON):
    report = services.report_request(kind=kind, day=day, zone=zone)
    assert services.report_generate(report_id=report.pk, today=today)
    report.refresh_from_db()
    return report


# --- a running period -----------------------------------------------------------------------


def test_a_yearly_report_generated_before_the_year_ends_counts_to_its_generation_day(year_2026):
    report = generate()
    assert report.figures["counted_to"] == "2026-12-01"
    assert report.figures["closed"] is False
    assert report.figures["activities"] == 2
    assert report.figures["activities_to_date"] == 2
    assert "截至2026年12月1日，累计开展联建活动2次" in report.narrative
    assert "2026年12月31日" not in report.narrative


def test_a_running_period_counts_nothing_after_its_generation_day(year_2026):
    report = generate(today=D(2026, 10, 5))  # before the October activity
    assert report.figures["activities"] == 1 and report.figures["activities_to_date"] == 1
    assert "截至2026年10月5日，累计开展联建活动1次" in report.narrative


def test_a_closed_period_counts_to_its_last_day(year_2026):
    report = generate(kind="month", day=D(2026, 10, 1))
    assert report.figures["closed"] is True
    assert "截至2026年10月31日" in report.narrative


def test_the_page_of_a_running_periods_report_says_to_which_day_it_counts(client, year_2026):
    report = generate()
    client.force_login(year_2026.staff)
    html = client.get(
        reverse("reports:detail", args=[report.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "本期尚未结束，数据统计截至2026年12月1日。" in html
    closed = generate(kind="month", day=D(2026, 10, 1))
    html = client.get(
        reverse("reports:detail", args=[closed.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "本期尚未结束" not in html


# --- class moves as a table -----------------------------------------------------------------


def test_class_moves_are_a_table_with_unit_from_to_date_and_reason(client, year_2026):
    report = generate()
    assert report.figures["class_moves"][0]["reason"] == "上半年考评进位"
    client.force_login(year_2026.staff)
    html = client.get(
        reverse("reports:detail", args=[report.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    table = html[html.index('<table class="table table-sm table-bordered" id="class-moves">') :]
    table = table[: table.index("</table>")]
    for text in (year_2026.member_unit_2.name, "三类", "二类", "2026年6月30日", "上半年考评进位"):
        assert text in table
    assert '<ul id="class-moves">' not in html


# --- the Word document ----------------------------------------------------------------------


def _download(client, report):
    response = client.get(reverse("reports:document", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_MIME
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    return docx.Document(io.BytesIO(response.content))


def test_the_word_document_holds_the_narrative_and_every_table(client, year_2026):
    report = generate()
    services.report_narrative_save(report=report, narrative="第一段：改过的。\n第二段。")
    client.force_login(year_2026.staff)
    document = _download(client, report)
    paragraphs = [p.text for p in document.paragraphs]
    text = "\n".join(paragraphs)
    assert "中共石泉县委直属机关工作委员会" in paragraphs[0]  # the issuing committee heads it
    assert "关于2026年全县各片区联建巡回督导工作情况的报告" in text
    assert "第一段：改过的。" in paragraphs and "第二段。" in paragraphs  # the edited narrative
    assert "2026年12月1日" in text  # the date in Chinese
    assert "本期尚未结束，数据统计截至2026年12月1日。" in text
    captions = [p for p in paragraphs if p.startswith("表")]
    assert [c.split("\u3000")[0] for c in captions] == ["表1", "表2", "表3", "表4", "表5"]
    assert len(document.tables) == 5
    forms, tags, checks, coverage, moves = document.tables
    assert forms.rows[0].cells[0].text == "活动形式"
    assert forms.rows[-1].cells[1].text == "2"  # total in the year so far
    assert len(tags.rows) == 1 + 5  # the five joints
    assert checks.rows[1].cells[0].text == "开展季度互督次数"
    assert [c.text for c in coverage.rows[0].cells][:2] == ["片区", "1月"]
    assert len(coverage.rows[0].cells) == 1 + 12
    assert [c.text for c in moves.rows[0].cells] == ["单位", "原类别", "调整为", "生效日期", "原因"]
    assert [c.text for c in moves.rows[1].cells] == [
        year_2026.member_unit_2.name,
        "三类",
        "二类",
        "2026年6月30日",
        "上半年考评进位",
    ]


def test_the_word_document_is_laid_out_on_a4_with_official_margins(client, year_2026):
    report = generate(kind="month", day=D(2026, 10, 1), zone=year_2026.zone_a)
    client.force_login(year_2026.staff)
    document = _download(client, report)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    title = next(p for p in document.paragraphs if p.text.startswith("关于"))
    assert title.text == "关于2026年10月第一片区联建巡回督导工作情况的报告"
    assert title.runs[0].font.size.pt == 22  # 2号
    assert "PAGE" in section.footer._element.xml  # page numbers
    moves = document.tables[4]
    assert moves.rows[1].cells[0].text == "无。"  # no class moves: said, not an empty table


def test_a_report_still_being_generated_has_no_word_document(client, county, fixed_today):
    fixed_today(GENERATED_ON)
    report = services.report_request(kind="month", day=D(2026, 11, 1))
    client.force_login(county.staff)
    assert client.get(reverse("reports:document", args=[report.pk])).status_code == 404


def test_the_report_page_links_the_word_document(client, year_2026):
    report = generate()
    client.force_login(year_2026.staff)
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert reverse("reports:document", args=[report.pk]) in html


def test_who_may_not_see_a_report_gets_no_word_document(client, year_2026):
    report = generate(zone=year_2026.zone_a)
    for persona in (year_2026.secretary, year_2026.other_secretary, year_2026.outsider):
        client.force_login(persona)
        assert client.get(reverse("reports:document", args=[report.pk])).status_code == 404
    client.force_login(year_2026.lead_secretary)  # their zone's report
    assert client.get(reverse("reports:document", args=[report.pk])).status_code == 200
