"""Issue 14: core.widgets' FastSelect and FastTextInput render in Python the markup of Django's
Select and TextInput templates (it pays on every cache miss of the ledger and on every
rectification ledger view, docs/performance.md). Both are rendered for the same field and
must give the same HTML, modulo whitespace."""

from __future__ import annotations

import re

import pytest
from django import forms

from activities.filters import MonthField
from core.widgets import FastSelect, FastTextInput

HOSTILE = "<b>\"县&委'</b>"


def same_html(html: str) -> str:
    html = re.sub(r">\s+<", "><", str(html).strip())
    return re.sub(r"\s+", " ", html)


CHOICES = [("", "---------"), ("1", "县委办公室"), ("2", HOSTILE), (3, "第三片区")]


@pytest.mark.parametrize("value", ["2", "", None, 3, "missing"])
def test_fast_select_writes_djangos_select_markup(value):
    attrs = {"id": "id_unit", "class": "form-select"}
    fast = FastSelect(choices=CHOICES).render("unit", value, attrs=attrs)
    django = forms.Select(choices=CHOICES).render("unit", value, attrs=attrs)
    assert same_html(fast) == same_html(django)
    assert "&lt;b&gt;&quot;县&amp;委&#x27;&lt;/b&gt;" in fast


def test_fast_select_of_a_model_choice_field_writes_djangos_markup(db, county):
    from zones.models import Zone

    def render(widget):
        field = forms.ModelChoiceField(queryset=Zone.objects.order_by("number"), widget=widget)
        return field.widget.render("zone", county.zone_b.pk, attrs={"id": "id_zone"})

    assert same_html(render(FastSelect)) == same_html(render(forms.Select))


@pytest.mark.parametrize("value", ['"x"<', "", None, "2026-10"])
@pytest.mark.parametrize(
    "attrs", [{"placeholder": HOSTILE}, {"type": "month", "placeholder": "2026-10"}, {}]
)
def test_fast_text_input_writes_djangos_text_input_markup(value, attrs):
    extra = {"id": "id_unit", "class": "form-control"}
    fast = FastTextInput(attrs=dict(attrs)).render("unit", value, attrs=extra)
    django = forms.TextInput(attrs=dict(attrs)).render("unit", value, attrs=extra)
    assert same_html(fast) == same_html(django)


def test_the_ledgers_month_field_writes_djangos_markup():
    field = MonthField()
    fast = field.widget.render("month", "2026-10", attrs={"id": "id_month"})
    reference = {**field.widget.attrs, "type": field.widget.input_type}
    django = forms.TextInput(attrs=reference).render("month", "2026-10", attrs={"id": "id_month"})
    assert same_html(fast) == same_html(django) and 'type="month"' in fast
