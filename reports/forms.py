from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.constants import DOCUMENT_LENGTH
from core.forms import StatedLimitsMixin
from core.once import OnceFormMixin
from core.widgets import DateInput
from zones.models import Zone

from .constants import PeriodKind


class ReportRequestForm(OnceFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices)
    day = forms.DateField(
        label=_("A day in the period"),
        widget=DateInput(),
        initial=timezone.localdate,
    )
    zone = forms.ModelChoiceField(
        label=_("Zone"),
        queryset=Zone.objects.none(),
        required=False,
        empty_label=_("Whole county"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = Zone.objects.order_by("number")  # the county's


class NarrativeForm(StatedLimitsMixin, forms.Form):
    narrative = forms.CharField(
        label=_("Narrative"), widget=forms.Textarea(attrs={"rows": 8}), max_length=DOCUMENT_LENGTH
    )
