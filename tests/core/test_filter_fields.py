"""Issue 20: the list pages' filter fields are written in Python (core.filter_fields) instead of
through Django's widget templates and crispy's field templates. Every changed form's fields are
rendered both ways, bound and unbound, with errors, in both languages: the HTML must be the
same, modulo whitespace (selected options, required and disabled attributes, ids and names)."""

from __future__ import annotations

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.template import Context, Template
from django.utils import translation

from core.filter_fields import control_html, crispy_field_html

LANGUAGES = ["zh-hans", "en"]


def same_html(html) -> str:
    html = re.sub(r">\s+<", "><", str(html).strip())
    html = re.sub(r"\s+", " ", html)
    return re.sub(r">\s+|\s+<", lambda m: m.group().strip(), html)


def compare(make_form, old, new, names=None):
    """Each field of a fresh form drawn the new way, then of another fresh form the old way
    (crispy changes a widget's classes as it draws it)."""
    fresh = make_form()
    names = names or list(fresh.fields)
    drawn = {name: new(fresh[name]) for name in names}
    again = make_form()
    for name in names:
        assert same_html(drawn[name]) == same_html(old(again[name])), name
    return drawn


def crispy(field):
    return as_crispy_field(field)


def widget(field):
    return str(field)


@pytest.fixture(params=LANGUAGES)
def language(request):
    with translation.override(request.param):
        yield request.param


FINDING_DATA = [
    None,
    {"source": "zz", "zone": "第一", "severity": "major", "state": "open", "overdue": "true"},
    {"responsible_unit": '"<b>&', "overdue": "maybe"},
]


@pytest.mark.parametrize("data", FINDING_DATA)
def test_the_rectification_ledgers_filters(db, language, data):
    from supervision.forms import FindingFilter
    from supervision.models import Finding

    def make():
        form = FindingFilter(data, queryset=Finding.objects.none()).form
        form.is_valid()
        return form

    drawn = compare(make, crispy, crispy_field_html)
    if data and data.get("source") == "zz":
        assert "is-invalid" in drawn["source"] and "invalid-feedback" in drawn["source"]
        assert 'value="major" selected' in drawn["severity"]


def test_the_rectification_ledger_page_draws_no_crispy_template(db):
    page = Template("{% load portal_tags %}{{ field|filter_field }}")
    from supervision.forms import FindingFilter
    from supervision.models import Finding

    form = FindingFilter({"state": "closed"}, queryset=Finding.objects.none()).form
    html = page.render(Context({"field": form["state"]}))
    assert 'value="closed" selected' in html and 'id="div_id_state"' in html


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"q": "wz", "post": "secretary", "category": "nope", "available": "yes"},
        {"status": "left", "zone": "999999"},
        "units",
    ],
)
def test_the_member_registers_filters(county, language, data):
    from people.forms import RegisterFilterForm
    from zones.models import Unit, Zone

    units = Unit.objects.order_by("name_pinyin")
    if data == "units":
        data = {"unit": str(units.first().pk), "zone": str(county.zone_b.pk)}

    def make():
        form = RegisterFilterForm(
            data, units=units, zones=Zone.objects.order_by("number"), auto_id="id_%s"
        )
        form.is_valid()
        form.fields["status"].disabled = True
        form.fields["post"].required = True
        return form

    drawn = compare(make, widget, control_html)
    assert "disabled" in drawn["status"] and "required" in drawn["post"]
    if data and "unit" in data:
        assert f'value="{data["unit"]}" selected' in drawn["unit"]


@pytest.mark.parametrize(
    "data", [None, {"zone": "1", "month": "2026-10", "state": "bogus", "q": "<i>"}]
)
def test_the_activity_ledgers_filters(county, language, data):
    from activities.filters import ActivityFilter
    from activities.models import Activity

    if data:
        data = {**data, "zone": str(county.zone_a.pk)}

    def make():
        form = ActivityFilter(data, queryset=Activity.objects.none()).form
        form.is_valid()
        return form

    drawn = compare(make, widget, control_html)
    if data:
        assert f'value="{county.zone_a.pk}" selected' in drawn["zone"]


@pytest.mark.parametrize("data", [None, {"kind": "never", "day": "x"}, {"kind": "month"}])
def test_the_report_request_forms(county, language, data):
    from reports.forms import CityReportRequestForm, ReportRequestForm

    for form_class in (ReportRequestForm, CityReportRequestForm):

        def make(form_class=form_class):
            form = form_class(data)
            if data is not None:
                form.is_valid()
            return form

        # the pages draw these fields so (the once token is a new random value per form)
        fields = [name for name in ("kind", "day", "zone") if name in make().fields]
        drawn = compare(make, crispy, crispy_field_html, fields)
        assert "requiredField" in drawn["kind"] and "asteriskField" in drawn["kind"]


class Odd(forms.Form):
    """What the list pages do not have yet: help texts, groups, a label without an id."""

    plain = forms.CharField(label='A <label> & "more"', help_text="<em>help</em>", max_length=9)
    grouped = forms.ChoiceField(
        choices=[("", "—"), ("Group <1>", [("a", "A&"), ("b", "B")]), ("c", "C")],
        required=False,
    )
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(required=False)


@pytest.mark.parametrize("data", [None, {"plain": "much too long text", "grouped": "b"}])
@pytest.mark.parametrize("auto_id", ["id_%s", False])
def test_help_texts_groups_and_fallbacks(language, data, auto_id):
    def make():
        form = Odd(data, auto_id=auto_id, prefix="f")
        if data:
            form.is_valid()
        return form

    compare(make, crispy, crispy_field_html)
    compare(make, widget, control_html)
