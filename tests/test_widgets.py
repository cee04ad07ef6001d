"""FastSelect renders the same choices as Django's Select, selected value included, escaped."""

from __future__ import annotations

import re

from django import forms

from core.widgets import FastSelect


def options(html: str) -> list[tuple[str, bool, str]]:
    return [
        (value, bool(selected), label)
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html
        )
    ]


def test_fast_select_matches_djangos_select():
    choices = [("", "---------"), ("1", "县委办公室"), ("2", "<b>县司法局</b>")]
    fast = FastSelect(choices=choices).render("unit", "2", attrs={"id": "id_unit"})
    slow = forms.Select(choices=choices).render("unit", "2", attrs={"id": "id_unit"})
    assert options(fast) == options(slow)
    assert options(fast)[2] == ("2", True, "&lt;b&gt;县司法局&lt;/b&gt;")
    assert 'name="unit"' in fast and 'id="id_unit"' in fast
