"""The register's filter and the cadre profile's form."""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.widgets import DateInput

from .constants import Category, Education, Ethnicity, LeavingReason, PostKind, Sex, Strength
from .models import CadreProfile

STATUS = [("current", _("Current members")), ("left", _("Left")), ("all", _("All"))]
AVAILABILITY = [("", _("Any")), ("yes", _("Available")), ("no", _("Not available"))]


class NameChoiceIterator(ModelChoiceIterator):
    """A unit's or zone's options as (key, name), the name being what the model's __str__
    prints (both are `self.name`), read as two plain values in one query: Django's iterator
    builds an instance per option through a server-side cursor on PostgreSQL (DECLARE, FETCH
    and CLOSE: three round trips), on every register page (issue 20)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        options = self.field.options
        yield from self.queryset.values_list("pk", "name") if options is None else options


class NameChoiceField(forms.ModelChoiceField):
    """A unit or a zone by name; `options`, when given, are the queryset's (pk, name) rows read
    beforehand (the register's, cached per reader), the queryset still validating the choice."""

    iterator = NameChoiceIterator
    options: list[tuple[int, str]] | None = None


class RegisterFilterForm(forms.Form):
    """The register's filters; the querysets are the reader's units and zones."""

    q = forms.CharField(label=_("Name or pinyin initials"), required=False, max_length=60)
    unit = NameChoiceField(label=_("Unit"), queryset=None, required=False)
    zone = NameChoiceField(label=_("Zone"), queryset=None, required=False)
    post = forms.ChoiceField(
        label=_("Post"), choices=[("", _("Any"))] + PostKind.choices, required=False
    )
    category = forms.ChoiceField(
        label=pgettext_lazy("party membership", "Category"),
        choices=[("", _("Any"))] + Category.choices,
        required=False,
    )
    available = forms.ChoiceField(label=_("Service team"), choices=AVAILABILITY, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS, required=False)

    def __init__(self, *args, units, zones, options=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["zone"].queryset = zones
        if options is not None:  # the units' and the zones' (pk, name) rows, in their order
            self.fields["unit"].options, self.fields["zone"].options = options
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

    def chosen_status(self) -> str:
        """current (the default), left or all."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("status") or "current"


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


def _not_in_future(day):
    from .selectors import today

    if day is not None and day > today():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return day


class _DatedForm(forms.Form):
    """A form whose date fields refuse a future day (a register records what happened)."""

    date_fields: tuple[str, ...] = ()

    def clean(self):
        data = super().clean()
        for name in self.date_fields:
            if name in self.fields and data.get(name) is not None:
                try:
                    _not_in_future(data[name])
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        return data


# The portal's date input (core.widgets): ISO values, which every browser reads in every language.
DATE = {"widget": DateInput()}


class PersonForm(_DatedForm):
    """A person's details, registered by hand or edited. The ID number and the mobile phone are
    never put back into the form (that would show them in plain on an unaudited page): on an
    edit, an empty box keeps what is stored."""

    date_fields = ("date_of_birth", "joined_on", "full_member_on", "since")

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    since = forms.DateField(
        label=_("Member of the unit since"),
        help_text=_("The day the person's party membership came to this unit."),
        **DATE,
    )
    name = forms.CharField(label=_("Name"), max_length=60)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        required=False,
        help_text=_("18 characters; the date of birth and the sex are taken from it."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, **DATE)
    ethnicity = forms.ChoiceField(
        label=_("Ethnicity"), choices=[("", "—"), *Ethnicity.choices], required=False
    )
    education = forms.ChoiceField(
        label=_("Education"), choices=[("", "—"), *Education.choices], required=False
    )
    mobile = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    category = forms.ChoiceField(
        label=pgettext_lazy("party membership", "Category"), choices=Category.choices
    )
    joined_on = forms.DateField(label=_("Joined the party on"), required=False, **DATE)
    full_member_on = forms.DateField(label=_("Full member since"), required=False, **DATE)
    job_title = forms.CharField(label=_("Job title"), max_length=100, required=False)

    # The fields the services take (people.services.PERSON_FIELDS).
    person_fields = (
        "name",
        "id_number",
        "sex",
        "date_of_birth",
        "ethnicity",
        "education",
        "mobile",
        "category",
        "joined_on",
        "full_member_on",
        "job_title",
    )

    def __init__(self, *args, units=None, person=None, **kwargs):
        from . import masking

        self.person = person
        if person is not None:
            kwargs.setdefault(
                "initial",
                {
                    name: getattr(person, name)
                    for name in self.person_fields
                    if name not in ("id_number", "mobile")
                },
            )
        super().__init__(*args, **kwargs)
        if person is None:
            self.fields["unit"].queryset = units
        else:
            del self.fields["unit"], self.fields["since"]
            stored_id = masking.mask_id(person.id_number) if person.id_number_token else ""
            stored_phone = masking.mask_phone(person.mobile) if person.mobile else ""
            self.fields["id_number"].help_text = (
                _("Stored: %(masked)s. Leave empty to keep it.") % {"masked": stored_id}
                if stored_id
                else _("None stored.")
            )
            self.fields["mobile"].help_text = (
                _("Stored: %(masked)s. Leave empty to keep it.") % {"masked": stored_phone}
                if stored_phone
                else _("None stored.")
            )

    def clean_mobile(self):
        mobile = "".join(self.cleaned_data["mobile"].split())
        if mobile and not (mobile.isdigit() and len(mobile) == 11 and mobile.startswith("1")):
            raise forms.ValidationError(_("A mobile phone number has 11 digits and begins with 1."))
        return mobile

    def person_data(self) -> dict:
        """The cleaned fields as the services take them; on an edit, an empty ID number or
        phone keeps the stored one."""
        data = {name: self.cleaned_data.get(name) for name in self.person_fields}
        for name in ("sex", "ethnicity", "education", "job_title"):
            data[name] = data[name] or ""
        if self.person is not None:
            for name in ("id_number", "mobile"):
                if not data[name]:
                    del data[name]
        return data


class TransferForm(_DatedForm):
    """组织关系转接 within the county: the unit the person's membership goes to, and the day."""

    date_fields = ("on",)

    to_unit = forms.ModelChoiceField(label=_("To unit"), queryset=None)
    on = forms.DateField(label=_("Effective on"), **DATE)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        required=False,
        help_text=_("For example the introduction letter's number."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = units


class PostAssignForm(_DatedForm):
    date_fields = ("on",)

    kind = forms.ChoiceField(label=_("Post"), choices=PostKind.choices)
    on = forms.DateField(label=_("From"), **DATE)


class PostEndForm(_DatedForm):
    date_fields = ("on",)

    on = forms.DateField(label=_("Ended on"), **DATE)


class LeaveForm(_DatedForm):
    date_fields = ("on",)

    reason = forms.ChoiceField(label=_("Reason for leaving"), choices=LeavingReason.choices)
    on = forms.DateField(label=_("Left on"), **DATE)
