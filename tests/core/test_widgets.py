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


def test_fast_inputs_match_djangos_markup():
    from core.widgets import FastTextInput

    fast = FastTextInput(attrs={"placeholder": "名称"}).render("unit", '"x"<', attrs={"id": "u"})
    slow = forms.TextInput(attrs={"placeholder": "名称"}).render("unit", '"x"<', attrs={"id": "u"})
    attrs = re.compile(r'(\w+)="([^"]*)"')
    assert sorted(attrs.findall(fast)) == sorted(attrs.findall(slow))
    assert "&quot;x&quot;&lt;" in fast
    empty = FastTextInput().render("unit", None)
    assert "value=" not in empty


def test_fast_select_of_a_model_choice_field_keeps_the_selection(db, county):
    from zones.models import Zone

    field = forms.ModelChoiceField(queryset=Zone.objects.order_by("number"), widget=FastSelect)
    html = field.widget.render("zone", county.zone_b.pk)
    assert ("", False, "---------") in options(html)
    assert (str(county.zone_b.pk), True, county.zone_b.name) in options(html)
