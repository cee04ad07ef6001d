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

import csv
import datetime
import io
import itertools
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import tablib
from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from import_export import resources
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
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


class StreamedSheet:
    """A sheet whose rows are read once, as the file is written (issue 20): for the large
    exports (a whole ledger), whose rows a `Sheet` would hold in memory all at once, model
    instances and all. Its cells pass through `safe_cell` as they are written. `download`
    writes it to a temporary file (spilling to disk past a few megabytes) inside the view —
    in the request's county scope, in Chinese — and streams that file."""

    def __init__(
        self,
        title: Any,
        columns: Sequence[Column | Any],
        rows: Iterable[Sequence[Any]],
        *,
        wrap: bool = False,
    ) -> None:
        self.columns = [c if isinstance(c, Column) else Column(c) for c in columns]
        self.headers = [safe_cell(str(c.heading)) for c in self.columns]
        self.title = str(title)[:31]
        self.wrap = wrap
        self._rows = iter(rows)
        # Told the rows written so far every `PROGRESS_ROWS` rows and at the end (an export
        # job's progress count, core.exportjobs).
        self.progress: Callable[[int], None] | None = None

    def __iter__(self):
        done = 0
        for row in self._rows:
            yield [safe_cell(value) for value in row]
            done += 1
            if self.progress is not None and done % PROGRESS_ROWS == 0:
                self.progress(done)
        if self.progress is not None:
            self.progress(done)


# How often a streamed sheet tells its progress (rows).
PROGRESS_ROWS = 500


AnySheet = Sheet | StreamedSheet

# A fitted column's width is measured on the heading and this many first rows.
FIT_ROWS = 200


def _display_width(value) -> int:
    text = str(value if value is not None else "")
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _rows_of(sheet: AnySheet) -> Iterable[Sequence[Any]]:
    return iter(sheet) if isinstance(sheet, StreamedSheet) else sheet


def _write_xlsx(sheets: Sequence[AnySheet], out) -> None:
    """The workbook written to `out` in openpyxl's write-only mode (issue 20): rows go to the
    file as they come instead of living as styled cells until the end, and every cell of a
    column shares one style (the heading's, the column's number format and wrapping)."""
    book = Workbook(write_only=True)
    heading_font, heading_alignment = Font(bold=True), Alignment(horizontal="center")
    for sheet in sheets:
        worksheet = book.create_sheet(title=sheet.title)
        rows = iter(_rows_of(sheet))  # read once: the fitted rows first, then the rest
        # A sheet in memory is measured whole; a streamed one on its first rows.
        first = list(itertools.islice(rows, FIT_ROWS if isinstance(sheet, StreamedSheet) else None))
        for index, column in enumerate(sheet.columns, start=1):
            letter = get_column_letter(index)
            if column.width is None:
                width = max(
                    (
                        _display_width(v)
                        for v in [sheet.headers[index - 1]]
                        + [r[index - 1] for r in first if len(r) >= index]
                    ),
                    default=8,
                )
                worksheet.column_dimensions[letter].width = min(max(width + 2, 8), 60)
            else:
                worksheet.column_dimensions[letter].width = column.width
        worksheet.freeze_panes = "A2"
        headings = []
        for heading in sheet.headers:
            cell = WriteOnlyCell(worksheet, heading)
            cell.font, cell.alignment = heading_font, heading_alignment
            headings.append(cell)
        worksheet.append(headings)
        # One styled cell per column, reused for every row (write-only mode writes a row as it
        # is appended); columns with no style take the plain values.
        styled: dict[int, WriteOnlyCell] = {}
        for index, column in enumerate(sheet.columns):
            if column.number_format or sheet.wrap:
                cell = WriteOnlyCell(worksheet)
                if column.number_format:
                    cell.number_format = column.number_format
                if sheet.wrap:
                    cell.alignment = Alignment(vertical="top", wrap_text=True)
                styled[index] = cell
        for row in itertools.chain(first, rows):
            values = list(row)
            for index, cell in styled.items():
                if index < len(values) and values[index] is not None:
                    cell.value = values[index]
                    values[index] = cell
            worksheet.append(values)
    book.save(out)


def xlsx_bytes(sheets: Sequence[AnySheet]) -> bytes:
    """The workbook: one worksheet per sheet, in order."""
    out = io.BytesIO()
    _write_xlsx(sheets, out)
    return out.getvalue()


def _write_csv(sheet: AnySheet, out) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    text.write("\ufeff")
    writer = csv.writer(text)
    writer.writerow(sheet.headers)
    writer.writerows(_rows_of(sheet))
    text.detach()


def csv_bytes(sheet: AnySheet) -> bytes:
    """The sheet as CSV, UTF-8 with a byte-order mark (so Excel reads the Chinese)."""
    if isinstance(sheet, Sheet):
        return ("\ufeff" + sheet.export("csv")).encode("utf-8")
    out = io.BytesIO()
    _write_csv(sheet, out)
    return out.getvalue()


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


# A streamed export is written to memory up to this size, then to a temporary file.
SPOOL_BYTES = 4 * 1024 * 1024


def write_file(
    sheets: AnySheet | Sequence[AnySheet], out, file_format: Literal["xlsx", "csv"] = "xlsx"
) -> None:
    """The export written to the file object `out`, in Chinese: what `download` streams, and
    what an export job's worker task stores (core.exportjobs)."""
    if isinstance(sheets, Sheet | StreamedSheet):
        sheets = [sheets]
    with translation.override("zh-hans"):
        if file_format == "csv":
            (sheet,) = sheets
            _write_csv(sheet, out)
        else:
            _write_xlsx(sheets, out)


def download(
    sheets: AnySheet | Sequence[AnySheet],
    *,
    name: Any,
    file_format: Literal["xlsx", "csv"] = "xlsx",
) -> HttpResponseBase:
    """The export as a download named `name` (no extension), as a workbook or (one sheet) CSV.
    With a `StreamedSheet` among them, the file is written (in the view: the request's county
    scope, Chinese) to a temporary file that the response then streams; otherwise the response
    holds the bytes."""
    if isinstance(sheets, Sheet | StreamedSheet):
        sheets = [sheets]
    filename = attachment(f"{name}.{file_format}")
    if any(isinstance(sheet, StreamedSheet) for sheet in sheets):
        out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - the response closes it
        write_file(sheets, out, file_format)
        size = out.tell()
        out.seek(0)
        streamed = FileResponse(out, content_type=MIME_TYPES[file_format])
        streamed["Content-Length"] = str(size)
        streamed["Content-Disposition"] = filename
        return streamed
    if file_format == "csv":
        (sheet,) = sheets
        content = csv_bytes(sheet)
    else:
        content = xlsx_bytes(sheets)
    response = HttpResponse(content, content_type=MIME_TYPES[file_format])
    response["Content-Disposition"] = filename
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
