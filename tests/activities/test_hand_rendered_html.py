"""Issue 14: the grid's cells and the ledger's rows are rendered in Python (activities_tags),
which pays on a cache miss (docs/performance.md). Each must write exactly the markup of the
template it replaces: both are rendered for the same cells and rows, text from the data that
needs escaping included, and must give the same HTML (modulo whitespace)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from activities.constants import ActivityForm, ActivityState, JointTag
from activities.models import HostSlot
from activities.selectors import ledger_queryset, zone_month_grid
from activities.templatetags.activities_tags import grid_row_cells, ledger_rows
from activities.views import LEDGER_ROW_FIELDS
from tests.activities.factories import make_activity
from tests.factories import unit_in_zone

HOSTILE = "<b>\"县&委'</b>"


def same_html(html: str) -> str:
    """The markup without whitespace between tags, runs of whitespace as one space."""
    html = re.sub(r">\s+<", "><", html.strip())
    return re.sub(r"\s+", " ", html)


@pytest.fixture
def busy_county(county, fixed_today):
    """A zone whose months are done (twice in one month), waiting, returned, gap and future,
    a host whose name needs escaping, and activities with every state, tags and no tags."""
    fixed_today(datetime.date(2026, 11, 28))
    county.zone_a.name = f"第一片区{HOSTILE}"
    county.zone_a.save()
    odd = unit_in_zone(county.zone_a, name=f"县{HOSTILE}局", short_name=f"县{HOSTILE}")
    for month in (3, 4, 12):
        HostSlot.objects.create(zone=county.zone_a, month=datetime.date(2026, month, 1), unit=odd)
    for day, state, unit, extra in [
        (datetime.date(2026, 3, 10), ActivityState.CONFIRMED, county.member_unit, {}),
        (datetime.date(2026, 3, 20), ActivityState.CONFIRMED, odd, {"tags": ["study", "share"]}),
        (datetime.date(2026, 4, 10), ActivityState.SUBMITTED, odd, {"title": f"标题{HOSTILE}"}),
        (datetime.date(2026, 5, 10), ActivityState.RETURNED, county.member_unit, {}),
        (datetime.date(2026, 6, 10), ActivityState.DRAFT, county.member_unit, {}),
    ]:
        make_activity(
            unit=unit,
            by=county.secretary,
            date=day,
            state=state,
            reviewer=county.lead_secretary,
            form=ActivityForm.THEME_PARTY_DAY if extra else ActivityForm.ONSITE_TEACHING,
            **extra,
        )
    return county


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_grid_cells_tag_writes_the_templates_markup(busy_county, language):
    with translation.override(language):
        grid = zone_month_grid(year=2026)
        zone_url = reverse("activities:zone")
        states = {cell.state for row in grid.rows for cell in row.cells}
        assert {"done", "waiting", "gap", "future"} <= states
        assert any(cell.confirmed > 1 for row in grid.rows for cell in row.cells)
        for row in grid.rows:
            by_hand = grid_row_cells(row, zone_url)
            template = render_to_string(
                "activities/_grid_row_cells.html", {"row": row, "zone_url": zone_url}
            )
            assert same_html(by_hand) == same_html(template)
            assert by_hand.count('class="grid-cell') == 12
    assert "&lt;b&gt;&quot;县&amp;委&#x27;&lt;/b&gt;" in "".join(
        grid_row_cells(row, zone_url) for row in grid.rows
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_ledger_rows_tag_writes_the_templates_markup(busy_county, language):
    activities = list(ledger_queryset().only(*LEDGER_ROW_FIELDS))
    assert {a.state for a in activities} == set(ActivityState.values)
    assert any(a.tag_values for a in activities) and any(not a.tag_values for a in activities)
    with translation.override(language):
        by_hand = ledger_rows(activities, reverse("activities:detail", args=[0]))
        template = render_to_string("activities/_ledger_rows.html", {"page": activities})
    assert same_html(by_hand) == same_html(template)
    assert by_hand.count("<tr>") == len(activities) == 5
    assert f"标题{HOSTILE}" not in by_hand and "标题&lt;b&gt;" in by_hand
    with translation.override(language):
        assert f"{JointTag.STUDY.label}、{JointTag.SHARE.label}" in by_hand
