"""The compliance grid's cells and the ledger's rows, rendered in Python: a template loop costs
about ten variable lookups and an include per cell or row, which adds up on the pages staff
open most (a page of the grid has 120 cells, a page of the ledger 25 rows). The pages' bodies
are cached per data version (core.cache), so this pays only on a cache miss, and there it pays:
about 13 ms of each page's ~30 ms (docs/performance.md, "Speed layers (issue 14)").

Each tag writes the markup of the template it replaces, activities/_grid_row_cells.html and
activities/_ledger_rows.html, kept for that purpose: tests/activities/test_hand_rendered_html.py
renders both for the same cells and rows and asserts the same HTML. Change the two together."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import mark_safe

from activities.constants import ActivityForm, ActivityState, JointTag

register = template.Library()

CELL = (
    '<td class="grid-cell {css}" data-zone="{number}" data-month="{key}" data-state="{state}">'
    '<a class="text-decoration-none text-reset" href="{url}?zone={pk}&amp;month={key}" '
    'title="{label}"><span class="d-block small text-truncate">{host}</span>'
    '<span class="d-block fw-semibold">{label}{times}</span></a></td>'
)


@register.simple_tag
def grid_row_cells(row, zone_url: str):
    """One zone's twelve cells, each linking to that zone's activities of the month. The host
    names and labels are escaped; the rest are the grid's own keys and numbers."""
    zone = row.zone
    url = escape(str(zone_url))
    return mark_safe(  # noqa: S308 - every text from the data is escaped above
        "".join(
            CELL.format(
                css=cell.css,
                number=int(zone.number),
                key=cell.key,
                state=escape(str(cell.state)),
                url=url,
                pk=int(zone.pk),
                label=escape(cell.label),
                host=escape(cell.host or "—"),
                times=f" ×{int(cell.confirmed)}" if cell.confirmed > 1 else "",
            )
            for cell in row.cells
        )
    )


STATE_CSS = {
    "confirmed": "text-bg-success",
    "submitted": "text-bg-warning",
    "returned": "text-bg-danger",
}

LEDGER_ROW = (
    '<tr><td class="text-nowrap">{date}</td><td>{zone}</td><td>{host}</td><td>{form}</td>'
    '<td>{tags}</td><td><a href="{url}">{title}</a></td><td class="text-end">{count}</td>'
    '<td><span class="badge state-{state} {css}">{label}</span></td></tr>'
)


@register.simple_tag
def ledger_rows(activities, detail_url: str):
    """The ledger's rows; `detail_url` is one activity's detail URL with 0 for its id (the
    same markup as activities/_state.html for the state)."""
    prefix, _zero, suffix = str(detail_url).rpartition("0")
    # The labels translated once per page, not per row (get_FOO_display looks each one up).
    forms = {value: escape(str(label)) for value, label in ActivityForm.choices}
    states = {value: escape(str(label)) for value, label in ActivityState.choices}
    tags = {value: str(label) for value, label in JointTag.choices}
    rows = []
    for a in activities:
        rows.append(
            LEDGER_ROW.format(
                date=f"{a.date:%Y-%m-%d}",
                zone=escape(a.zone.name),
                host=escape(a.host_unit.display_name),
                form=forms.get(a.form) or escape(a.form),
                tags=escape("、".join(tags[t] for t in a.tag_values if t in tags)),
                url=escape(f"{prefix}{int(a.pk)}{suffix}"),
                title=escape(a.title),
                count=int(a.participant_count or 0),
                state=escape(a.state),
                css=STATE_CSS.get(a.state, "text-bg-secondary"),
                label=states.get(a.state) or escape(a.state),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every text from the data is escaped above
