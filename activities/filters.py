"""Filters of the activity lists and the staff ledger (联建活动台账)."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.pinyin import clean_query
from core.widgets import FastSelect, FastTextInput
from zones.models import Unit, Zone, partner_units
from zones.selectors import unit_match

from .constants import ActivityForm, ActivityState, JointTag
from .models import Activity


class MonthField(forms.CharField):
    """A month as YYYY-MM (the browser's month input); cleans to its first day."""

    widget = FastTextInput(attrs={"type": "month", "placeholder": "2026-10"})

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
        # Asked per request, in the reader's county scope (counties.scoping).
        queryset=lambda request: Zone.objects.order_by("number"),
        label=_("Zone"),
        widget=FastSelect,
    )
    month = MonthFilter(field_name="month", label=_("Month"))
    month_from = MonthFilter(field_name="month", lookup_expr="gte", label=_("From month"))
    month_to = MonthFilter(field_name="month", lookup_expr="lte", label=_("To month"))
    form = django_filters.ChoiceFilter(
        choices=ActivityForm.choices, label=_("Form"), widget=FastSelect
    )
    tag = django_filters.ChoiceFilter(
        choices=JointTag.choices, method="filter_tag", label=_("Five joints"), widget=FastSelect
    )
    state = django_filters.ChoiceFilter(
        choices=ActivityState.choices, label=_("State"), widget=FastSelect
    )
    # A text, not a select: a city has ~1,800 units, too many to list (and to render).
    unit = django_filters.CharFilter(
        method="filter_unit",
        label=_("Unit"),
        max_length=100,
        widget=FastTextInput(attrs={"placeholder": _("Name or pinyin initials")}),
    )

    chain = django_filters.ChoiceFilter(
        choices=[
            ("yes", _("With partner organizations")),
            ("no", _("County organs only")),
        ],
        method="filter_chain",
        label=_("Chain joint building"),
        empty_label=_("All"),
        widget=FastSelect,
    )

    class Meta:
        model = Activity
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        """Styled as Bootstrap fields here, drawn by activities/_filter.html without crispy's
        templates (which cost milliseconds per field on pages reloaded all day)."""
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()

    def filter_tag(self, queryset, name, value):
        return queryset.filter(tags__contains=f",{value},") if value else queryset

    def filter_chain(self, queryset, name, value):
        """Activities that involve a partner organization from outside the county organs
        (链上联建), as host or participant; "no" keeps the others."""
        if value not in {"yes", "no"}:
            return queryset
        joined = Activity.participants.through.objects.filter(partner_units("unit__")).values(
            "activity_id"
        )
        involving = partner_units("host_unit__") | Q(pk__in=joined)
        return queryset.filter(involving) if value == "yes" else queryset.exclude(involving)

    def filter_unit(self, queryset, name, value):
        """Activities hosted or joined by the units whose name, short name or pinyin initials
        match (as the navigation search matches them); digits alone are a unit's id, as older
        links carry it."""
        value = clean_query(value)
        if not value:
            return queryset
        if value.isdigit():
            units = Unit.objects.filter(pk=int(value))
        else:
            units = Unit.objects.filter(unit_match(value))
        unit_ids = units.values("pk")
        joined = Activity.participants.through.objects.filter(unit_id__in=unit_ids).values(
            "activity_id"
        )
        return queryset.filter(Q(host_unit_id__in=unit_ids) | Q(pk__in=joined))
