from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.constants import LINE_LENGTH, Role
from core.forms import StatedLimitsMixin
from core.widgets import DateInput
from counties.scoping import in_scope

from .constants import Grade
from .models import Zone


class SafeAutocompleteSelect(AutocompleteSelect):
    """The admin's autocomplete, which looks the submitted value up to show a refused form again:
    a value that is no id (":") made that lookup a server error. Such a value is left out."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        ids = []
        for item in value:
            try:
                target.to_python(item)
            except ValidationError:
                continue
            ids.append(item)
        return super().optgroups(name, ids, attr)


class _DatedChangeForm(StatedLimitsMixin, forms.Form):
    effective_on = forms.DateField(label=_("Effective from"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=LINE_LENGTH, required=False)


class ReassignForm(_DatedChangeForm):
    zone = forms.ModelChoiceField(label=_("Target zone"), queryset=Zone.objects.none())
    field_order = ["zone", "effective_on", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = Zone.objects.order_by("number")  # the county's


class SetLeadForm(_DatedChangeForm):
    pass


class SetGradeForm(_DatedChangeForm):
    grade = forms.TypedChoiceField(label=_("Class"), choices=Grade.choices, coerce=int)
    reason = forms.CharField(label=_("Reason"), max_length=LINE_LENGTH)
    field_order = ["grade", "effective_on", "reason"]


class SetLeaderForm(_DatedChangeForm):
    leader = forms.ModelChoiceField(label=_("Guiding leader"), queryset=None)
    field_order = ["leader", "effective_on", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = (
            get_user_model()
            .objects.filter(in_scope(), role=Role.LEADER, is_active=True)
            .order_by("full_name")
        )
