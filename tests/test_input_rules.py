"""Input rules that hold for every form of the portal, checked over all of them at once: a date
field renders an ISO date whatever the language (the browser's date input reads nothing else);
every text field has a length limit, which its form states, and a longer text changes nothing."""

from __future__ import annotations

import contextlib
import datetime
import importlib

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from activities.models import Activity
from core.constants import DOCUMENT_LENGTH, PARAGRAPH_LENGTH, TEXT_LENGTH
from core.forms import StatedLimitsMixin
from core.widgets import DateInput
from reports.forms import NarrativeForm
from tests.activities.factories import form_data, make_activity

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


# --- length limits --------------------------------------------------------------------------


# The sign-in forms state no limit (a username, a password, a code; accounts.forms.LoginForm
# checks the username's length itself).
UNSTATED = {"LoginForm", "OneTimeCodeForm"}
# Text the portal writes itself, never typed into a form.
SYSTEM_TEXT = {
    "audit.AuditEvent.detail",
    "notifications.Notification.body",
    "reports.RollupReport.error",
    "reports.CityReport.error",
    "core.ScheduledRun.error",
    # an export job's filter (the request's query string) and its failure: written by the
    # portal, never typed (core.exportjobs)
    "core.ExportJob.query",
    "core.ExportJob.error",
    "activities.ActivityEvent.note",
    "supervision.FindingEvent.note",
}


def text_fields():
    return [
        pytest.param(cls, name, id=f"{cls.__module__}.{cls.__name__}.{name}")
        for cls in portal_form_classes()
        if cls.__name__ not in UNSTATED
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.CharField)
        and not field.widget.is_hidden
        and not isinstance(field.widget, forms.PasswordInput)
    ]


@pytest.mark.parametrize(("form_class", "name"), text_fields())
def test_every_text_field_of_every_form_has_a_length_limit_its_form_states(form_class, name):
    assert form_class.base_fields[name].max_length, "no max_length"
    assert issubclass(form_class, StatedLimitsMixin), "the form does not state its limits"


def test_every_text_column_people_type_into_has_a_length_limit():
    from django.apps import apps
    from django.db import models

    unlimited = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in PORTAL_APPS + ("audit",)
        and not model.__name__.startswith("Historical")
        for field in model._meta.concrete_fields
        if isinstance(field, models.TextField) and not field.max_length
    ]
    assert sorted(set(unlimited) - SYSTEM_TEXT) == []


def test_a_form_states_the_limit_beside_the_field_and_in_maxlength():
    with translation.override("zh-hans"):
        form = NarrativeForm()
        html = str(form["narrative"]) + str(form["narrative"].help_text)
    assert f'maxlength="{DOCUMENT_LENGTH}"' in html and f"最多{DOCUMENT_LENGTH}字" in html


def test_the_activity_form_shows_the_summarys_limit(client, county):
    client.force_login(county.secretary)
    text = client.get(reverse("activities:create")).content.decode()
    assert f'maxlength="{TEXT_LENGTH}"' in text and f"最多{TEXT_LENGTH}字" in text


def test_a_summary_over_the_limit_is_refused_and_nothing_changes(client, county):
    activity = make_activity(unit=county.member_unit, by=county.secretary, summary="原来的总结")
    client.force_login(county.secretary)
    response = client.post(
        reverse("activities:edit", args=[activity.pk]),
        form_data(county, summary="字" * (TEXT_LENGTH + 1)),
    )
    assert response.status_code == 200
    assert f"最多{TEXT_LENGTH}字，现有{TEXT_LENGTH + 1}字" in response.content.decode()
    activity.refresh_from_db()
    assert activity.summary == "原来的总结"


def test_a_megabyte_summary_never_reaches_the_database(client, county):
    client.force_login(county.secretary)
    response = client.post(reverse("activities:create"), form_data(county, summary="x" * 1_000_000))
    assert response.status_code == 200 and not Activity.objects.exists()


def test_a_zone_focus_over_the_limit_is_refused_in_the_admin(rf, county):
    """The admin's form takes its limit from the model's column."""
    from django.contrib import admin

    from zones.models import Zone

    request = rf.get("/admin/")
    request.user = county.staff
    form_class = admin.site._registry[Zone].get_form(request, county.zone_a)
    with translation.override("zh-hans"):
        form = form_class(
            {"number": 1, "name": "第一片区", "focus": "字" * (PARAGRAPH_LENGTH + 1)},
            instance=county.zone_a,
        )
        assert not form.is_valid()
        assert "现有2001字" in form.errors["focus"][0]
        assert f'maxlength="{PARAGRAPH_LENGTH}"' in str(form["focus"])
