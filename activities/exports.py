"""The joint activity ledger (联建活动台账) as the committee files it: one row per activity, Chinese
headings whatever the page's language. Built on the export layer (core.excel)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.translation import gettext as _

from core.display import choice_labels, label_of
from core.excel import ISO_DATE_FORMAT, Column, StreamedSheet, dated_name
from core.exportjobs import Made, builder
from core.periods import month_label

from .constants import JointTag
from .models import Activity

if TYPE_CHECKING:
    from .selectors import LedgerExportRow


def ledger_sheet(activities: Iterable[LedgerExportRow]) -> StreamedSheet:
    """`activities` as selectors.ledger_export_rows gives them (plain values, participants and
    outcomes read a chunk at a time). Streamed (core.excel): read as the file is written, in
    Chinese."""
    with translation.override("zh-hans"):
        columns = [
            Column(_("Zone"), 18),
            Column(_("Month"), 9),
            Column(_("Date"), 11, ISO_DATE_FORMAT),
            Column(_("Host unit"), 22),
            Column(_("Participating units"), 30),
            Column(_("Form"), 16),
            Column(_("Five joints"), 16),
            Column(_("Title"), 30),
            Column(_("Place"), 20),
            Column(_("Number of participants"), 8),
            Column(_("Summary"), 50),
            Column(_("Outcomes"), 30),
            Column(_("State"), 9),
        ]
        forms = choice_labels(Activity, "form")
        states = choice_labels(Activity, "state")
        tags = {value: str(label) for value, label in JointTag.choices}
        months: dict = {}

        def month_text(month) -> str:
            if month not in months:
                months[month] = month_label(month)
            return months[month]

        def line(row: LedgerExportRow) -> tuple:
            (_pk, zone, month, date, host, form, tag_values, title, place, participant_count,
             summary, state) = row.values  # fmt: skip
            return (
                zone,
                month_text(month),
                date,
                host,
                "、".join(row.participants),
                label_of(forms, form),
                "、".join(tags[t] for t in tag_values.split(",") if t in tags),
                title,
                place,
                participant_count,
                summary,
                "；".join(row.outcomes),
                label_of(states, state),
            )

        rows = (line(row) for row in activities)
        return StreamedSheet(ledger_name(), columns, rows, wrap=True)


def ledger_name() -> str:
    """The sheet's title and the file's name."""
    with translation.override("zh-hans"):
        return str(_("Joint activity ledger"))


@builder("activity ledger")
def ledger_export(user, query, selected=None) -> Made:
    """The (filtered) ledger's export, in the request or in the worker (core.exportjobs): the
    same filter, in the county scope of the request; the view checked the reader is staff."""
    from zones.selectors import today

    from . import selectors
    from .filters import ActivityFilter

    activities = ActivityFilter(query or None, queryset=selectors.ledger_queryset()).qs
    return Made(
        ledger_sheet(selectors.ledger_export_rows(activities)),
        name=dated_name(ledger_name(), today()),
        rows=activities.count,
    )
