"""The export layer: every Excel and CSV file the portal hands out is made here, one way.

An export is a list of `Sheet`s — tablib datasets whose every cell, heading included, has passed
through `safe_cell` (the one escaping rule: no control character, which openpyxl refuses, failing
the whole workbook; no text a spreadsheet would run as a formula, which gets a leading quote) —
and `download` turns them into the HTTP response: an .xlsx workbook (bold, centred, frozen heading
row; the sheet's column widths, or widths that fit the text; its number formats, e.g. Chinese
dates) or a UTF-8 CSV with a byte-order mark for Excel, named in Chinese with an RFC 5987
Content-Disposition. The unit export goes through django-import-export: its resources derive from
`SafeCellsResource` (same rule) and its admin from `ExportAdmin` (same file name). An import reading
back what an export wrote takes the quote off again with `unescaped_cell`.

Every export is listed in `EXPORTS` (decorate the view, admin action, resource or workbook builder
with `@export("…")`); tests/test_export_formulae.py writes a formula through each listed export,
and fails on an export it does not drive, an import-export admin whose resource skips the rule, or
a module outside this one that writes a spreadsheet itself (imports openpyxl, tablib or csv)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import tablib
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from import_export import resources
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .text import without_control_characters

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Excel's number format for a date as the committee writes it (2026年10月15日): the cell stays a
# date, so it sorts and filters as one.
CHINESE_DATE_FORMAT = 'yyyy"年"m"月"d"日"'
ISO_DATE_FORMAT = "yyyy-mm-dd"

MIME_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}

# Every export the portal offers, by name: what `@export` decorated.
EXPORTS: dict[str, object] = {}

T = TypeVar("T")


def export(name: str) -> Callable[[T], T]:
    """List a view, an admin action, a resource or a workbook builder in `EXPORTS` under `name`."""

    def register(target: T) -> T:
        EXPORTS[name] = target
        return target

    return register


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


@dataclass(frozen=True)
class Column:
    """A column of a sheet: its heading, its width in characters (None: fitted to the text) and
    the number format of its cells (None: openpyxl's own, e.g. yyyy-mm-dd for a date)."""

    heading: Any
    width: int | None = None
    number_format: str | None = None


class Sheet(tablib.Dataset):
    """One sheet (a tablib dataset) whose headings and cells have passed through `safe_cell`.
    `wrap` writes the body top-aligned with wrapped lines (long summaries)."""

    def __init__(
        self,
        title: Any,
        columns: Sequence[Column | Any],
        rows: Iterable[Sequence[Any]] = (),
        *,
        wrap: bool = False,
    ) -> None:
        self.columns = [c if isinstance(c, Column) else Column(c) for c in columns]
        super().__init__(
            headers=[safe_cell(str(c.heading)) for c in self.columns], title=str(title)[:31]
        )
        self.wrap = wrap
        for row in rows:
            self.append([safe_cell(value) for value in row])


def _display_width(value) -> int:
    text = str(value if value is not None else "")
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The workbook: one worksheet per sheet, in order."""
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        worksheet = book.create_sheet(title=sheet.title)
        worksheet.append(sheet.headers)
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center")
        for index in range(sheet.height):
            worksheet.append(list(sheet[index]))
        worksheet.freeze_panes = "A2"
        for index, column in enumerate(sheet.columns, start=1):
            letter = get_column_letter(index)
            cells = worksheet[letter]
            if column.width is None:
                width = max((_display_width(c.value) for c in cells), default=8)
                worksheet.column_dimensions[letter].width = min(max(width + 2, 8), 60)
            else:
                worksheet.column_dimensions[letter].width = column.width
            for cell in cells[1:]:
                if column.number_format:
                    cell.number_format = column.number_format
                if sheet.wrap:
                    cell.alignment = Alignment(vertical="top", wrap_text=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(sheet: Sheet) -> bytes:
    """The sheet as CSV, UTF-8 with a byte-order mark (so Excel reads the Chinese)."""
    return ("\ufeff" + sheet.export("csv")).encode("utf-8")


def in_chinese(text: Any) -> str:
    """`text` (a lazy translation) in Chinese, as exports are written whatever the page's language."""
    with translation.override("zh-hans"):
        return str(text)


def attachment(filename: str) -> str:
    """The Content-Disposition of a download named `filename` (RFC 5987 when not ASCII)."""
    return content_disposition_header(True, filename) or "attachment"


def dated_name(name: Any, day: datetime.date | None = None) -> str:
    """`name` with the day's date (today's), as every export file is named (联建活动台账-20261201)."""
    return f"{name}-{(day or timezone.localdate()).strftime('%Y%m%d')}"


def download(
    sheets: Sheet | Sequence[Sheet], *, name: Any, file_format: Literal["xlsx", "csv"] = "xlsx"
) -> HttpResponse:
    """The export as a download named `name` (no extension), as a workbook or (one sheet) CSV."""
    if isinstance(sheets, Sheet):
        sheets = [sheets]
    if file_format == "csv":
        (sheet,) = sheets
        content = csv_bytes(sheet)
    else:
        content = xlsx_bytes(sheets)
    response = HttpResponse(content, content_type=MIME_TYPES[file_format])
    response["Content-Disposition"] = attachment(f"{name}.{file_format}")
    return response


class ExportAdmin:
    """A django-import-export admin mixin: the export's download is named as every other export
    (`export_name` and today's date, RFC 5987). Its resources must derive from
    `SafeCellsResource` (tests/test_export_formulae.py checks)."""

    export_name: Any = ""

    def export_action(self, request):
        response = super().export_action(request)  # type: ignore[misc]
        disposition = response.get("Content-Disposition", "")
        if disposition.startswith("attachment") and self.export_name:
            extension = disposition.rstrip('"').rsplit(".", 1)[-1]
            name = dated_name(in_chinese(self.export_name))
            response["Content-Disposition"] = attachment(f"{name}.{extension}")
        return response
