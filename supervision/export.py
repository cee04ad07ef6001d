"""The rectification ledger (整改台账) as an Excel workbook, headed in Chinese."""

from __future__ import annotations

import io

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from core.excel import CHINESE_DATE_FORMAT, safe_cell

from .models import Finding

DATE_COLUMNS = (8, 9, 12)  # raised on, deadline, closed on


def ledger_workbook(findings: QuerySet[Finding]) -> bytes:
    """`findings` must carry the `is_overdue` annotation (selectors.with_overdue)."""
    with translation.override("zh-hans"):
        field = Finding._meta.get_field
        headings = [
            field("zone").verbose_name,
            field("responsible_unit").verbose_name,
            field("source").verbose_name,
            field("severity").verbose_name,
            field("description").verbose_name,
            field("suggestion").verbose_name,
            field("state").verbose_name,
            field("raised_on").verbose_name,
            field("deadline").verbose_name,
            field("workdays_allowed").verbose_name,
            _("Overdue"),
            field("closed_on").verbose_name,
            field("workdays_taken").verbose_name,
        ]
        book = Workbook()
        sheet = book.active
        sheet.title = str(_("Rectification ledger"))
        sheet.append([str(h) for h in headings])
        yes, no = str(_("Yes")), str(_("No"))
        for f in findings.iterator(chunk_size=500):
            sheet.append(
                [
                    safe_cell(v)
                    for v in (
                        f.zone.name,
                        f.responsible_unit.name,
                        str(f.get_source_display()),
                        str(f.get_severity_display()),
                        f.description,
                        f.suggestion,
                        str(f.get_state_display()),
                        f.raised_on,
                        f.deadline,
                        f.workdays_allowed,
                        yes if f.is_overdue else no,
                        f.closed_on,
                        f.workdays_taken,
                    )
                ]
            )
        widths = (16, 20, 12, 8, 50, 30, 12, 16, 16, 10, 8, 16, 10)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        # Dates stay dates (sortable, filterable) and read as the committee writes them.
        for column in DATE_COLUMNS:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                cell.number_format = CHINESE_DATE_FORMAT
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
