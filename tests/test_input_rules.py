"""Input rules that hold for every form of the portal, checked over all of them at once: a date
field renders an ISO date whatever the language (the browser's date input reads nothing else)."""

from __future__ import annotations

import contextlib
import datetime
import importlib

import pytest
from django import forms
from django.utils import translation

from core.widgets import DateInput

PORTAL_APPS = ("core", "zones", "activities", "supervision", "notifications", "reports", "portal")


def portal_form_classes() -> list[type[forms.BaseForm]]:
    """Every form class the portal's apps define (forms, filters, admin)."""
    for app in PORTAL_APPS:
        for module in ("forms", "filters", "admin"):
            with contextlib.suppress(ModuleNotFoundError):
                importlib.import_module(f"{app}.{module}")
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in PORTAL_APPS:
            found.append(cls)
    return found


def date_fields():
    return [
        pytest.param(cls, name, id=f"{cls.__module__}.{cls.__name__}.{name}")
        for cls in portal_form_classes()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.DateField)
    ]


def test_the_portal_has_dated_forms_to_check():
    assert len(date_fields()) >= 6


@pytest.mark.parametrize(("form_class", "name"), date_fields())
def test_every_date_field_renders_an_iso_date_in_chinese(form_class, name):
    field = form_class.base_fields[name]
    assert isinstance(field.widget, DateInput)
    with translation.override("zh-hans"):
        html = field.widget.render(name, datetime.date(2026, 10, 15))
    assert 'type="date"' in html and 'value="2026-10-15"' in html


def test_a_date_input_still_accepts_the_chinese_format():
    with translation.override("zh-hans"):
        field = forms.DateField(widget=DateInput())
        assert field.clean("2026/10/15") == field.clean("2026-10-15") == datetime.date(2026, 10, 15)
