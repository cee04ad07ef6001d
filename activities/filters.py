"""Filters of the activity lists and the staff ledger (联建活动台账)."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.widgets import FastSelect
from zones.models import Unit, Zone

from .constants import ActivityForm, ActivityState, JointTag
from .models import Activity


class MonthField(forms.CharField):
    """A month as YYYY-MM (the browser's month input); cleans to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-10"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            year, month = value.split("-")[:2]
            return datetime.date(int(year), int(month), 1)
        except (ValueError, TypeError) as exc:
            raise ValidationError(_("Enter a month as YYYY-MM.")) from exc


class MonthFilter(django_filters.Filter):
    field_class = MonthField


class ActivityFilter(django_filters.FilterSet):
    zone = django_filters.ModelChoiceFilter(
        queryset=Zone.objects.order_by("number"), label=_("Zone"), widget=FastSelect
    )
    month = MonthFilter(field_name="month", label=_("Month"))
    month_from = MonthFilter(field_name="month", lookup_expr="gte", label=_("From month"))
    month_to = MonthFilter(field_name="month", lookup_expr="lte", label=_("To month"))
    form = django_filters.ChoiceFilter(choices=ActivityForm.choices, label=_("Form"))
    tag = django_filters.ChoiceFilter(
        choices=JointTag.choices, method="filter_tag", label=_("Five joints")
    )
    state = django_filters.ChoiceFilter(choices=ActivityState.choices, label=_("State"))
    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.order_by("name_pinyin"),
        method="filter_unit",
        label=_("Unit"),
        widget=FastSelect,
    )

    class Meta:
        model = Activity
        fields: list[str] = []

    def filter_tag(self, queryset, name, value):
        return queryset.filter(tags__contains=f",{value},") if value else queryset

    def filter_unit(self, queryset, name, value):
        if not value:
            return queryset
        joined = Activity.participants.through.objects.filter(unit=value).values("activity_id")
        return queryset.filter(Q(host_unit=value) | Q(pk__in=joined))
