"""The export layer (core.excel): what every workbook and CSV the portal hands out looks like."""

from __future__ import annotations

import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from audit.constants import Event
from audit.models import AuditEvent
from core.excel import (
    CHINESE_DATE_FORMAT,
    Column,
    Sheet,
    StreamedSheet,
    csv_bytes,
    dated_name,
    download,
    xlsx_bytes,
)


def _sheet() -> Sheet:
    return Sheet(
        "整改台账" * 10,  # longer than Excel's 31 characters for a sheet's name
        [Column("片区", 16), Column("交办日期", 16, CHINESE_DATE_FORMAT), "问题描述"],
        [
            ["一片区", datetime.date(2026, 10, 9), "=1+1"],
            ["二片区", datetime.date(2026, 10, 10), "长" * 80],
        ],
    )


def test_a_workbook_has_a_bold_frozen_heading_the_widths_and_number_formats_asked():
    book = load_workbook(io.BytesIO(xlsx_bytes([_sheet(), Sheet("汇总", ["项目"], [["x"]])])))
    assert book.sheetnames == [("整改台账" * 10)[:31], "汇总"]
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == ["片区", "交办日期", "问题描述"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 16
    assert sheet.column_dimensions["C"].width == 60  # fitted to the text, at most 60
    assert sheet["B2"].value.date() == datetime.date(2026, 10, 9)
    assert sheet["B2"].number_format == CHINESE_DATE_FORMAT
    assert sheet["C2"].value == "'=1+1"
    assert not sheet["A2"].alignment.wrap_text
    assert sheet.max_row == 3  # the heading and each row once


def test_a_wrapped_sheet_wraps_its_body_not_its_heading():
    sheet = Sheet("台账", ["摘要"], [["第一行\n第二行"]], wrap=True)
    written = load_workbook(io.BytesIO(xlsx_bytes([sheet]))).active
    assert written["A2"].alignment.wrap_text and written["A2"].alignment.vertical == "top"
    assert written["A1"].alignment.horizontal == "center"


def test_a_csv_has_a_byte_order_mark_for_excel_and_the_quoted_cells():
    body = csv_bytes(Sheet("审计记录", ["时间", "详情"], [["2026-10-09", "@SUM(A1)\x01"]]))
    assert body.startswith("\ufeff".encode())
    assert body.decode("utf-8-sig").splitlines() == ["时间,详情", "2026-10-09,'@SUM(A1)"]


def test_a_download_is_named_in_chinese_rfc_5987():
    response = download(_sheet(), name=dated_name("整改台账", datetime.date(2026, 12, 1)))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E6%95%B4%E6%94%B9%E5%8F%B0%E8%B4%A6-20261201.xlsx"
    )
    response = download(_sheet(), name="audit", file_format="csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="audit.csv"'


def test_an_export_is_on_record_with_its_chinese_name(client, county, fixed_today):
    fixed_today(datetime.date(2026, 11, 28))
    client.force_login(county.staff)
    assert client.get(reverse("supervision:finding_export")).status_code == 200
    event = AuditEvent.objects.get(event=Event.EXPORT)
    assert event.detail == "attachment; filename*=utf-8''整改台账-20261128.xlsx"


def _streamed(rows) -> StreamedSheet:
    return StreamedSheet(
        "台账",
        [Column("片区", 16), Column("日期", 12, CHINESE_DATE_FORMAT), "摘要"],
        rows,
        wrap=True,
    )


def test_a_streamed_sheet_is_read_once_as_the_file_is_written_and_streamed():
    """Issue 20: the large exports' rows are not held as a sheet in memory; the response
    streams the written file, styled and escaped as every export."""
    read = []

    def rows():
        for i in range(250):  # past the rows a fitted width is measured on
            read.append(i)
            yield ["一片区", datetime.date(2026, 10, 9), "=1+1" if i == 0 else f"第{i}次"]

    response = download(_streamed(rows()), name="台账")
    assert response.streaming and len(read) == 250
    body = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(body)
    assert response["Content-Disposition"].endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(body)).active
    assert [c.value for c in sheet[1]] == ["片区", "日期", "摘要"]
    assert all(c.font.bold for c in sheet[1]) and sheet.freeze_panes == "A2"
    assert sheet["C2"].value == "'=1+1"
    # every body cell of a column carries the column's one style
    for row in (2, 251):
        assert sheet[f"B{row}"].number_format == CHINESE_DATE_FORMAT
        assert sheet[f"C{row}"].alignment.wrap_text
    assert sheet["A1"].alignment.horizontal == "center"
    assert sheet.column_dimensions["A"].width == 16
    assert sheet.max_row == 251


def test_a_streamed_csv_has_the_byte_order_mark_and_the_quoted_cells():
    sheet = StreamedSheet("审计记录", ["时间", "详情"], iter([["2026-10-09", "@SUM(A1)\x01"]]))
    response = download(sheet, name="audit", file_format="csv")
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    assert body.decode("utf-8-sig").splitlines() == ["时间,详情", "2026-10-09,'@SUM(A1)"]
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_a_streamed_sheet_is_written_in_chinese_whatever_the_language(settings):
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    with translation.override("en"):
        rows = ([str(gettext_lazy("Zone"))] for _ in range(1))  # read as the file is written
        body = b"".join(download(_streamed(rows), name="x").streaming_content)
    assert load_workbook(io.BytesIO(body)).active["A2"].value == "片区"
