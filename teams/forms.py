"""Forms of the service teams' pages; the services keep the rules, the forms the shapes."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core.constants import PARAGRAPH_LENGTH, TEXT_LENGTH
from core.forms import StatedLimitsMixin
from core.once import OnceFormMixin
from core.widgets import DateInput
from supervision.constants import Severity

from .constants import MatterCategory


def _text(label, length=TEXT_LENGTH, rows=2, required=False):
    return forms.CharField(
        label=label,
        required=required,
        max_length=length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class VisitForm(OnceFormMixin, StatedLimitsMixin, forms.Form):
    """A guidance visit by 四看三听两提, with its first problem (more from the visit's page)."""

    unit = forms.ModelChoiceField(label=_("Organization visited"), queryset=None)
    visited_on = forms.DateField(label=_("Visited on"), widget=DateInput())
    went = forms.ModelMultipleChoiceField(
        label=_("Members who went"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    looked = _text(_("What we looked at (四看)"))
    heard_secretary = _text(_("The secretary's account"))
    heard_members = _text(_("The members' views"))
    heard_recipients = _text(_("The service recipients' requests"))
    suggestions = _text(_("Suggestions"), length=PARAGRAPH_LENGTH)
    problem = _text(_("A problem found (becomes a finding to rectify)"), length=PARAGRAPH_LENGTH)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Severity.choices, initial=Severity.GENERAL, required=False
    )
    problem_suggestion = _text(_("Suggestion on the problem"), length=PARAGRAPH_LENGTH)

    def __init__(self, *args, units, people, day: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["went"].queryset = people
        self.fields["visited_on"].initial = day

    def problems(self) -> list[tuple[str, str, str]]:
        data = self.cleaned_data
        if not data.get("problem", "").strip():
            return []
        severity = data.get("severity") or Severity.GENERAL
        return [(data["problem"], severity, data.get("problem_suggestion", ""))]


class VisitFindingForm(OnceFormMixin, StatedLimitsMixin, forms.Form):
    description = _text(_("Problem"), length=PARAGRAPH_LENGTH, required=True)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Severity.choices, initial=Severity.GENERAL
    )
    suggestion = _text(_("Suggestion"), length=PARAGRAPH_LENGTH)


class AssignForm(StatedLimitsMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Organization"), queryset=None)
    on = forms.DateField(label=_("From"), widget=DateInput())

    def __init__(self, *args, units, day: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["on"].initial = day


class RotationProposeForm(OnceFormMixin, StatedLimitsMixin, forms.Form):
    effective_on = forms.DateField(label=_("Takes effect on"), widget=DateInput())
    kept = forms.ModelMultipleChoiceField(
        label=_("Keep their team (in the middle of a rectification)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, in_rectification, day: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kept"].queryset = in_rectification
        self.fields["effective_on"].initial = day


class MatterForm(StatedLimitsMixin, forms.Form):
    description = forms.CharField(label=_("What you did for people"), max_length=300)
    category = forms.ChoiceField(label=_("Kind of matter"), choices=MatterCategory.choices)
    done_on = forms.DateField(label=_("Done on"), widget=DateInput())
    hours = forms.DecimalField(
        label=_("Hours"), min_value=0, max_value=999, decimal_places=1, initial=1
    )
    people_served = forms.IntegerField(
        label=_("People served"), min_value=0, max_value=100000, initial=1
    )


class TalkForm(StatedLimitsMixin, forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    outcome = forms.CharField(label=_("Outcome"), max_length=300)
