"""Excel workbooks the committee files: Chinese headings, frozen header rows, column widths that
fit the text, no cell that a spreadsheet would run as a formula (formula injection), and no control
character (which openpyxl refuses, failing the whole workbook). Every export's cells pass through
`safe_cell`: the one escaping rule."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .text import without_control_characters

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text without control characters (stored before they were refused, or composed of stored
    text); text beginning like a formula is prefixed with a quote, so it stays text."""
    if isinstance(value, str):
        value = without_control_characters(value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def _display_width(value) -> int:
    text = str(value if value is not None else "")
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def add_sheet(book: Workbook, title: str, headings: Sequence, rows: Iterable[Sequence]) -> None:
    """Append a sheet with a bold, frozen heading row and fitted column widths."""
    sheet = book.create_sheet(title=str(title)[:31])
    sheet.append([safe_cell(str(h)) for h in headings])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        width = max((_display_width(c.value) for c in column), default=8)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)


def new_workbook() -> Workbook:
    book = Workbook()
    book.remove(book.active)
    return book


def workbook_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Excel's number format for a date as the committee writes it (2026年10月15日): the cell stays a
# date, so it sorts and filters as one.
CHINESE_DATE_FORMAT = 'yyyy"年"m"月"d"日"'
