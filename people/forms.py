"""The register's filter and the cadre profile's form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import Category, PostKind, Strength
from .models import CadreProfile

AVAILABILITY = [("", _("Any")), ("yes", _("Available")), ("no", _("Not available"))]


class RegisterFilterForm(forms.Form):
    """The register's filters; the querysets are the reader's units and zones."""

    q = forms.CharField(label=_("Name or pinyin initials"), required=False, max_length=60)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False)
    zone = forms.ModelChoiceField(label=_("Zone"), queryset=None, required=False)
    post = forms.ChoiceField(
        label=_("Post"), choices=[("", _("Any"))] + PostKind.choices, required=False
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("Any"))] + Category.choices, required=False
    )
    available = forms.ChoiceField(label=_("Service team"), choices=AVAILABILITY, required=False)

    def __init__(self, *args, units, zones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["zone"].queryset = zones
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )

    def filters(self) -> dict:
        """The valid filters as register_rows takes them (an invalid one is dropped)."""
        data = self.cleaned_data if self.is_valid() else {}
        available = {"yes": True, "no": False}.get(data.get("available") or "")
        return {
            "unit": data.get("unit"),
            "zone": data.get("zone"),
            "post": data.get("post") or "",
            "category": data.get("category") or "",
            "available": available,
            "query": data.get("q") or "",
        }


class CadreProfileForm(forms.ModelForm):
    strengths = forms.MultipleChoiceField(
        label=_("Strengths"),
        choices=Strength.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CadreProfile
        fields = ["years_of_party_work", "strengths", "training", "available"]
        widgets = {"training": forms.Textarea(attrs={"rows": 3})}
