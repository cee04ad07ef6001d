"""The rectification ledger (整改台账) as an Excel sheet, headed in Chinese. Built on the export
layer (core.excel)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from core.display import choice_labels, label_of
from core.excel import CHINESE_DATE_FORMAT, Column, StreamedSheet, dated_name
from core.exportjobs import Made, builder

from .models import Finding


def ledger_name() -> str:
    """The sheet's title and the file's name."""
    with translation.override("zh-hans"):
        return str(_("Rectification ledger"))


def ledger_sheet(findings: QuerySet[Finding]) -> StreamedSheet:
    """`findings` must carry the `is_overdue` annotation (selectors.with_overdue). Streamed
    (core.excel): the rows are read in chunks as the file is written."""
    with translation.override("zh-hans"):
        field = Finding._meta.get_field
        columns = [
            Column(field("zone").verbose_name, 16),
            Column(field("responsible_unit").verbose_name, 20),
            Column(field("source").verbose_name, 12),
            Column(field("severity").verbose_name, 8),
            Column(field("description").verbose_name, 50),
            Column(field("suggestion").verbose_name, 30),
            Column(field("state").verbose_name, 12),
            # Dates stay dates (sortable, filterable) and read as the committee writes them.
            Column(field("raised_on").verbose_name, 16, CHINESE_DATE_FORMAT),
            Column(field("deadline").verbose_name, 16, CHINESE_DATE_FORMAT),
            Column(field("workdays_allowed").verbose_name, 10),
            Column(_("Overdue"), 8),
            Column(field("closed_on").verbose_name, 16, CHINESE_DATE_FORMAT),
            Column(field("workdays_taken").verbose_name, 10),
        ]
        yes, no = str(_("Yes")), str(_("No"))
        sources, severities, states = (
            choice_labels(Finding, name) for name in ("source", "severity", "state")
        )
        # Plain values a chunk at a time (issue 20: no model instance per row).
        values = findings.values_list(
            "zone__name", "responsible_unit__name", "source", "severity", "description",
            "suggestion", "state", "raised_on", "deadline", "workdays_allowed", "is_overdue",
            "closed_on", "workdays_taken",
        )  # fmt: skip
        rows = (
            (
                zone or "",
                unit,
                label_of(sources, source),
                label_of(severities, severity),
                description,
                suggestion,
                label_of(states, state),
                raised_on,
                deadline,
                allowed,
                yes if overdue else no,
                closed_on,
                taken,
            )
            for (
                zone, unit, source, severity, description, suggestion, state, raised_on,
                deadline, allowed, overdue, closed_on, taken,
            ) in values.iterator(chunk_size=500)
        )  # fmt: skip
        return StreamedSheet(ledger_name(), columns, rows)


def ledger_findings(user, query) -> QuerySet[Finding]:
    """The rectification ledger's findings as the list shows them to `user`, filtered by
    `query`: handed over for rectification, most urgent first."""
    from .forms import FindingFilter
    from .selectors import LEDGER_ORDER, findings_visible_to

    base = findings_visible_to(user).filter(raised_on__isnull=False).order_by(*LEDGER_ORDER)
    return FindingFilter(query or None, queryset=base)


@builder("rectification ledger")
def ledger_export(user, query, selected=None) -> Made:
    """The (filtered) ledger's export, in the request or in the worker (core.exportjobs)."""
    from zones.selectors import today

    findings = ledger_findings(user, query).qs
    return Made(
        ledger_sheet(findings), name=dated_name(ledger_name(), today()), rows=findings.count
    )
