from __future__ import annotations

from django import template
from django.utils.html import format_html_join

register = template.Library()


@register.filter
def grid_cells(row) -> str:
    """The mini-grid's cells of one zone, rendered in Python: at city scale the dashboard has
    thousands of them, and a template loop costs far more per cell."""
    return format_html_join(
        "", '<td class="{}" title="{} · {}"></td>', ((c.css, c.host, c.label) for c in row.cells)
    )
