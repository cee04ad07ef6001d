from __future__ import annotations

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

MINI_ROW = '<tr><th class="text-start text-nowrap"><a href="{url}">{name}</a></th>{cells}</tr>'
MINI_CELL = '<td class="{css}" title="{host} · {label}"></td>'


def mini_grid_rows(rows) -> SafeString:
    """The dashboard's mini-grid, every zone's row and cells rendered in Python: at city
    scale it has thousands of cells, and a template loop costs far more per cell. Computed
    with the dashboard's cached figures, once per data version and language."""
    prefix, _zero, suffix = reverse("zone_detail", args=[0]).rpartition("0")
    return mark_safe(  # noqa: S308 - every text from the data is escaped here
        "".join(
            MINI_ROW.format(
                url=escape(f"{prefix}{int(row.zone.pk)}{suffix}"),
                name=escape(row.zone.name),
                cells="".join(
                    MINI_CELL.format(css=c.css, host=escape(c.host), label=escape(c.label))
                    for c in row.cells
                ),
            )
            for row in rows
        )
    )
