"""The joint activity ledger (联建活动台账) as the committee files it: one row per activity, Chinese
headings whatever the page's language. Built on the export layer (core.excel)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext as _

from core.excel import ISO_DATE_FORMAT, Column, StreamedSheet, dated_name
from core.exportjobs import Made, builder
from core.periods import month_label

from .models import Activity


def ledger_sheet(activities: Iterable[Activity]) -> StreamedSheet:
    """`activities` as selectors.ledger_export_rows gives them (participants and outcomes
    prefetched a chunk at a time). Streamed (core.excel): read as the file is written, in
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
        rows = (
            (
                activity.zone.name,
                month_label(activity.month),
                activity.date,
                activity.host_unit.name,
                "、".join(u.name for u in activity.participants.all()),
                str(activity.get_form_display()),
                "、".join(str(t) for t in activity.tag_labels),
                activity.title,
                activity.place,
                activity.participant_count,
                activity.summary,
                "；".join(str(o) for o in activity.outcomes.all()),
                str(activity.get_state_display()),
            )
            for activity in activities
        )
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
