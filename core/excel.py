"""Excel workbooks the committee files: Chinese headings, frozen header rows, column widths that
fit the text, no cell that a spreadsheet would run as a formula (formula injection), and no control
character (which openpyxl refuses, failing the whole workbook). Every export's cells pass through
`safe_cell`: the one escaping rule, for every Excel and CSV export the portal offers (the activity
and rectification ledgers, the report workbook, the audit and history CSVs, and the unit export
through django-import-export, whose resources derive from `SafeCellsResource`). An import reading
back what an export wrote takes the quote off again with `unescaped_cell`."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from import_export import resources
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


def unescaped_cell(value):
    """What `safe_cell` was given: the quote it put before a formula-like text is taken off, so a
    workbook the portal exported imports back unchanged."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


class SafeCellsResource(resources.ModelResource):
    """A django-import-export resource under the same rule: every exported cell passes through
    `safe_cell`, and every imported one through `unescaped_cell`. The portal's resources derive
    from it."""

    def export_field(self, field, instance, **kwargs):
        return safe_cell(super().export_field(field, instance, **kwargs))

    def before_import_row(self, row, **kwargs):
        for key, value in row.items():
            row[key] = unescaped_cell(value)
        super().before_import_row(row, **kwargs)


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
