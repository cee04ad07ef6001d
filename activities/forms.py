"""Forms of the joint activities module: they validate and normalise, and change nothing."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.constants import LINE_LENGTH, PARAGRAPH_LENGTH, TEXT_LENGTH
from core.forms import StatedLimitsMixin
from core.once import OnceFormMixin
from core.uploads import MultipleFileField, MultipleFileInput
from core.widgets import DateInput
from zones.models import Unit

from .constants import ActivityForm as FormChoice
from .constants import AttachmentKind, JointTag
from .selectors import participant_groups
from .services import OutcomeData


class ParticipantSelect(forms.SelectMultiple):
    """A plain multiple select grouped by zone (usable without scripts); activity_form.js turns
    it into a searchable picker (Tom Select) that asks the portal's search which units match.
    Partner organizations' options carry data-partner, so the picker can mark them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.partner_ids: set[str] = set()

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) in self.partner_ids:
            option["attrs"]["data-partner"] = "1"
        return option


class ActivityEditForm(StatedLimitsMixin, forms.Form):
    """The activity form, usable on a phone: several photos and sheets in one go."""

    host_unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Host unit"))
    date = forms.DateField(label=_("Date"), widget=DateInput())
    form = forms.ChoiceField(label=_("Form"), choices=FormChoice.choices)
    tags = forms.MultipleChoiceField(
        label=_("Five joints"),
        choices=JointTag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    title = forms.CharField(label=_("Title"), max_length=LINE_LENGTH)
    place = forms.CharField(label=_("Place"), max_length=LINE_LENGTH)
    participant_count = forms.IntegerField(label=_("Number of participants"), min_value=1)
    summary = forms.CharField(
        label=_("Summary"), max_length=TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )
    participants = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.none(),  # the county's active units, set per form
        label=_("Participating units"),
        required=False,
        help_text=_(
            "Members of the zone, units of other zones and partner organizations. Type a name "
            "or its pinyin initials to find a unit."
        ),
        widget=ParticipantSelect(attrs={"size": 10, "class": "participant-picker"}),
    )
    photos = MultipleFileField(
        label=_("Photos"),
        allow_pdf=False,
        help_text=_("JPEG, PNG or WebP; several at once."),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    sheets = MultipleFileField(
        label=_("Sign-in sheets or minutes"),
        help_text=_("PDF or photos of them."),
        widget=MultipleFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}
        ),
    )

    def __init__(self, *args, host_units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_unit"].queryset = host_units
        self.fields["participants"].queryset = Unit.objects.filter(is_active=True).order_by(
            "kind", "name"
        )
        groups = participant_groups()
        participants = self.fields["participants"]
        # Validation still goes by the queryset; these are only how the options are drawn.
        participants.choices = [(g.label, g.units) for g in groups]
        participants.widget.partner_ids = {
            str(pk) for g in groups if g.partner for pk, _label in g.units
        }
        participants.widget.attrs.update(
            {
                "data-search-url": reverse("participant_search"),
                "data-placeholder": _("Type a name or pinyin initials, e.g. nyj"),
                "data-partner-label": _("Chain joint building"),
                "data-remove-label": _("Remove"),
            }
        )
        if not self.initial.get("host_unit"):
            first_two = list(host_units.values_list("pk", flat=True)[:2])
            if len(first_two) == 1:  # a secretary of one unit: preselect it
                self.initial["host_unit"] = first_two[0]

    def clean_date(self) -> datetime.date:
        # The service refuses a future date too; saying it here puts the message by the field.
        from zones.selectors import today

        date = self.cleaned_data["date"]
        if date > today():
            raise ValidationError(_("Log an activity once it has taken place."))
        return date

    def files_to_save(self) -> list:
        return [(AttachmentKind.PHOTO, c) for c in self.cleaned_data.get("photos", [])] + [
            (AttachmentKind.SHEET, c) for c in self.cleaned_data.get("sheets", [])
        ]

    def activity_fields(self) -> dict:
        names = ("host_unit", "date", "form", "tags", "title", "place", "participant_count")
        fields = {name: self.cleaned_data[name] for name in names}
        fields["summary"] = self.cleaned_data["summary"]
        return fields


class ActivityCreateForm(OnceFormMixin, ActivityEditForm):
    """The activity form when logging a new one: sent twice, it creates one (core.once)."""


class OutcomeForm(StatedLimitsMixin, forms.Form):
    description = forms.CharField(label=_("Outcome"), max_length=LINE_LENGTH, required=False)
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=12, decimal_places=2, min_value=0, required=False
    )
    measure = forms.CharField(
        label=_("Unit of measure"),
        max_length=20,
        required=False,
        help_text=_("e.g. m³, sites, problems"),
    )

    def clean(self):
        data = super().clean()
        if (data.get("quantity") is not None or data.get("measure")) and not data.get(
            "description"
        ):
            raise ValidationError(_("Describe the outcome the quantity belongs to."))
        return data


# Rows are added on the page (activity_form.js); the limit only stops a runaway post.
OUTCOMES_MAX = 100
OutcomeFormSet = forms.formset_factory(
    OutcomeForm, extra=2, max_num=OUTCOMES_MAX, validate_max=True, absolute_max=OUTCOMES_MAX
)


def outcomes_from(formset) -> list[OutcomeData]:
    return [
        OutcomeData(
            f.cleaned_data["description"],
            f.cleaned_data.get("quantity"),
            f.cleaned_data.get("measure") or "",
        )
        for f in formset.forms
        if f.cleaned_data.get("description")
    ]


class ReturnForm(StatedLimitsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for return"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=PARAGRAPH_LENGTH,
    )


class SwapForm(forms.Form):
    first = forms.DateField(label=_("First month"), widget=DateInput())
    second = forms.DateField(label=_("Second month"), widget=DateInput())


class RotationOrderForm(forms.Form):
    """The rotation order as one position number per member unit."""

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        for position, unit in enumerate(self.units, start=1):
            self.fields[f"unit_{unit.pk}"] = forms.IntegerField(
                label=unit.name, min_value=1, initial=position
            )

    def ordered_unit_ids(self) -> list[int]:
        return [
            unit.pk
            for unit in sorted(
                self.units, key=lambda u: (self.cleaned_data[f"unit_{u.pk}"], u.name)
            )
        ]
