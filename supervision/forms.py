from __future__ import annotations

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.constants import LINE_LENGTH, PARAGRAPH_LENGTH, TEXT_LENGTH, Role
from core.forms import StatedLimitsMixin
from core.once import OnceFormMixin
from core.periods import half_of, quarter_of
from core.pinyin import clean_query
from core.uploads import MultipleFileField
from core.widgets import DateInput, FastTextInput
from counties.scoping import in_scope
from zones.constants import Grade
from zones.models import Unit, Zone
from zones.selectors import today, unit_match

from .constants import FindingState, Half, Severity, Source
from .models import Finding


class CheckCreateForm(OnceFormMixin, forms.Form):
    zone = forms.ModelChoiceField(label=_("Zone"), queryset=Zone.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), coerce=int, choices=[(q, q) for q in (1, 2, 3, 4)]
    )

    def __init__(self, *args, zones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = zones
        day = today()
        self.fields["year"].initial = day.year
        self.fields["quarter"].initial = quarter_of(day)


class PairingForm(forms.Form):
    """One choice per checker unit: the unit it checks."""

    def __init__(self, *args, sheets, units, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(u.pk, u.name) for u in units]
        for sheet in sheets:
            self.fields[f"checker_{sheet.checker_unit_id}"] = forms.TypedChoiceField(
                label=sheet.checker_unit.name,
                choices=choices,
                coerce=int,
                initial=sheet.checked_unit_id,
            )

    def pairing(self) -> dict[int, int]:
        return {
            int(name.removeprefix("checker_")): value for name, value in self.cleaned_data.items()
        }


class FindingForm(OnceFormMixin, StatedLimitsMixin, forms.ModelForm):
    class Meta:
        model = Finding
        fields = ["description", "severity", "suggestion"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "suggestion": forms.Textarea(attrs={"rows": 2}),
        }


class EvidenceForm(OnceFormMixin, forms.Form):
    files = MultipleFileField(label=_("Photos or PDF files"))


class RoundOpenForm(OnceFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    half = forms.TypedChoiceField(label=_("Half-year"), coerce=int, choices=Half.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        day = today()
        self.fields["year"].initial = day.year
        self.fields["half"].initial = half_of(day)


class PlanForm(forms.Form):
    """Per team: the zone that staffs it and its leader."""

    def __init__(self, *args, teams, zones, **kwargs):
        super().__init__(*args, **kwargs)
        zone_choices = [(z.pk, z.name) for z in zones]
        # The leaders of the reader's county (accounts are not scoped themselves).
        leaders = get_user_model().objects.filter(in_scope(), role=Role.LEADER, is_active=True)
        self.teams = teams
        for team in teams:
            self.fields[f"from_{team.visited_zone_id}"] = forms.TypedChoiceField(
                label=_("Team visiting %(zone)s: members from") % {"zone": team.visited_zone},
                choices=zone_choices,
                coerce=int,
                initial=team.from_zone_id,
            )
            self.fields[f"leader_{team.visited_zone_id}"] = forms.ModelChoiceField(
                label=_("Team visiting %(zone)s: leader") % {"zone": team.visited_zone},
                queryset=leaders,
                initial=team.leader_id,
            )

    def visitors(self) -> dict[int, int]:
        return {
            t.visited_zone_id: self.cleaned_data[f"from_{t.visited_zone_id}"] for t in self.teams
        }

    def leaders(self) -> dict[int, object]:
        return {
            t.visited_zone_id: self.cleaned_data[f"leader_{t.visited_zone_id}"] for t in self.teams
        }


class VisitForm(StatedLimitsMixin, forms.Form):
    visit_date = forms.DateField(label=_("Visit date"), required=False, widget=DateInput())
    heard_secretary = forms.CharField(
        label=_("The secretary's account"),
        required=False,
        max_length=TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    heard_members = forms.CharField(
        label=_("The members' views"),
        required=False,
        max_length=TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    heard_recipients = forms.CharField(
        label=_("The service recipients' requests"),
        required=False,
        max_length=TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FindingSubmitForm(OnceFormMixin, StatedLimitsMixin, forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=PARAGRAPH_LENGTH,
    )
    files = MultipleFileField(label=_("Evidence (photos or PDF files)"))


class FindingNoteForm(StatedLimitsMixin, forms.Form):
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=PARAGRAPH_LENGTH,
    )


class ClassConfirmForm(StatedLimitsMixin, forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), widget=forms.HiddenInput)
    suggested = forms.TypedChoiceField(
        choices=[("", "")] + list(Grade.choices),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.HiddenInput,
    )
    grade = forms.TypedChoiceField(label=_("Class"), choices=Grade.choices, coerce=int)
    effective_on = forms.DateField(label=_("Effective from"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=LINE_LENGTH, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.all()  # the reader's county's


class FindingFilter(django_filters.FilterSet):
    """The rectification ledger's filters (整改台账)."""

    # Texts, not selects (issue 20): a city has ~200 zones and ~1,800 units, which the page
    # rendered as options on every view. Matched as the activity ledger matches them (name,
    # short name, pinyin initials); digits alone are an id, as older links carry it.
    zone = django_filters.CharFilter(
        label=_("Zone"),
        method="filter_zone",
        max_length=100,
        widget=FastTextInput(attrs={"placeholder": _("Zone name")}),
    )
    responsible_unit = django_filters.CharFilter(
        label=_("Unit"),
        method="filter_unit",
        max_length=100,
        widget=FastTextInput(attrs={"placeholder": _("Name or pinyin initials")}),
    )
    source = django_filters.ChoiceFilter(label=_("Source"), choices=Source.choices)
    severity = django_filters.ChoiceFilter(label=_("Severity"), choices=Severity.choices)
    state = django_filters.ChoiceFilter(label=_("State"), choices=FindingState.choices)
    # All by default, then yes or no (a NullBooleanSelect would start at "unknown").
    overdue = django_filters.ChoiceFilter(
        label=_("Overdue"),
        method="filter_overdue",
        choices=[("true", _("Yes")), ("false", _("No"))],
        empty_label=_("All"),
    )

    class Meta:
        model = Finding
        fields = ["zone", "responsible_unit", "source", "severity", "state"]

    def filter_zone(self, queryset, name, value):
        value = clean_query(value)
        if not value:
            return queryset
        if value.isdigit():
            return queryset.filter(zone_id=int(value))
        zones = Zone.objects.filter(name__icontains=value).values("pk")
        return queryset.filter(zone_id__in=zones)

    def filter_unit(self, queryset, name, value):
        value = clean_query(value)
        if not value:
            return queryset
        if value.isdigit():
            return queryset.filter(responsible_unit_id=int(value))
        units = Unit.objects.filter(unit_match(value)).values("pk")
        return queryset.filter(responsible_unit_id__in=units)

    def filter_overdue(self, queryset, name, value):
        if value not in ("true", "false"):
            return queryset
        return queryset.filter(is_overdue=value == "true")
