"""Forms of member education: they validate and normalise, and change nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.constants import LINE_LENGTH, PARAGRAPH_LENGTH, TEXT_LENGTH
from core.forms import StatedLimitsMixin
from core.uploads import MultipleFileField, MultipleFileInput
from core.widgets import DateInput
from people.constants import PostKind
from people.forms_import import MAX_SHEET_BYTES
from people.models import Person
from zones.models import Unit

from . import constants as c
from .models import Classroom


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None, format=None):  # noqa: A002 - Django's own argument name
        super().__init__(attrs=attrs, format=format or "%H:%M")


class SessionForm(StatedLimitsMixin, forms.Form):
    """A session, usable on a phone."""

    classroom = forms.ModelChoiceField(queryset=Classroom.objects.none(), label=_("Classroom"))
    kind = forms.ChoiceField(label=_("Kind"), choices=c.SessionKind.choices)
    topic = forms.CharField(label=_("Topic"), max_length=LINE_LENGTH)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end_date = forms.DateField(
        label=_("Last day"),
        required=False,
        widget=DateInput(),
        help_text=_("For a course of several days; empty for a session of one day."),
    )
    end = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    duration = forms.DecimalField(label=_("Length"), min_value=0.5, max_digits=6, decimal_places=1)
    duration_unit = forms.ChoiceField(
        label=_("Length in"), choices=c.DurationUnit.choices, initial=c.DurationUnit.HOURS
    )
    place = forms.CharField(label=_("Place"), max_length=LINE_LENGTH, required=False)
    speaker = forms.CharField(label=_("Speaker"), max_length=60, required=False)
    units = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.none(),
        label=_("Organizing units"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    audience = forms.ChoiceField(
        label=_("People expected"), choices=c.Audience.choices, initial=c.Audience.UNITS
    )
    post = forms.ChoiceField(
        label=_("Post"), choices=[("", "---------"), *PostKind.choices], required=False
    )
    people = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        label=_("People"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a first agenda item (第一议题)."),
    )
    files = MultipleFileField(
        label=_("Photos and documents"),
        help_text=_("JPEG, PNG, WebP or PDF; several at once."),
        widget=MultipleFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}
        ),
    )

    def __init__(self, *args, classrooms, units, people, staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classroom"].queryset = classrooms
        self.fields["units"].queryset = units
        self.fields["people"].queryset = people
        self.staff = staff
        if not staff:
            self.fields["units"].required = True

    def clean(self):
        data = super().clean()
        date, start, end = data.get("date"), data.get("start"), data.get("end")
        if date is None or start is None or end is None:
            return data
        last = data.get("end_date") or date
        starts = timezone.make_aware(datetime.datetime.combine(date, start))
        ends = timezone.make_aware(datetime.datetime.combine(last, end))
        if ends <= starts:
            raise ValidationError(_("A session ends after it starts."))
        data["starts_at"], data["ends_at"] = starts, ends
        return data


class ClassroomForm(StatedLimitsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=40)
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)


class RulesForm(forms.Form):
    year = forms.IntegerField(label=_("In force from the year"), min_value=2000, max_value=2100)
    hours_per_day = forms.DecimalField(
        label=_("Study hours per day of off-job training"), min_value=0, decimal_places=1
    )
    hours_per_half_day = forms.DecimalField(
        label=_("Study hours per half day"), min_value=0, decimal_places=1
    )
    hours_per_hour = forms.DecimalField(
        label=_("Study hours per hour of branch study or online course"),
        min_value=0,
        decimal_places=1,
    )
    member_hours = forms.DecimalField(
        label=_("Yearly requirement of a member"), min_value=0, decimal_places=1
    )
    officer_hours = forms.DecimalField(
        label=_("Yearly requirement of a secretary or committee member"),
        min_value=0,
        decimal_places=1,
    )
    cadre_hours = forms.DecimalField(
        label=_("Yearly requirement of a cadre"), min_value=0, decimal_places=1
    )
    reregister_months = forms.IntegerField(
        label=_("Months a 双报到 registration holds (then the member re-registers)"),
        min_value=1,
        max_value=36,
    )
    external_cap = forms.DecimalField(
        label=_("Yearly cap of imported online study hours (0: no cap)"),
        min_value=0,
        decimal_places=1,
    )


class PhoneSignInForm(StatedLimitsMixin, forms.Form):
    """Sign in without an account: the name and the last four digits of the phone the
    register holds."""

    name = forms.CharField(label=_("Your name"), max_length=60)
    digits = forms.CharField(
        label=_("Last four digits of your phone"),
        max_length=4,
        min_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class MeetingForm(StatedLimitsMixin, forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    title = forms.CharField(label=_("Meeting"), max_length=LINE_LENGTH)
    first_topic = forms.BooleanField(
        label=_("Its first agenda item was theory study (第一议题)"), required=False
    )
    topic = forms.CharField(label=_("Topic studied"), max_length=LINE_LENGTH, required=False)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("first_topic") and not (data.get("topic") and data.get("summary")):
            raise ValidationError(_("A first agenda item records its topic and summary."))
        return data


class ExternalImportForm(forms.Form):
    """The platform's sheet of a year's outside study (education.importing)."""

    source = forms.ChoiceField(label=_("Platform"), choices=c.ExternalSource.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    sheet = forms.FileField(
        label=_("The platform's export (.xlsx or .csv)"),
        help_text=_("Columns: 姓名, 身份证号码 or 所在单位, 学时."),
    )

    def clean_sheet(self):
        upload = self.cleaned_data["sheet"]
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in ("xlsx", "csv"):
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx) or a CSV file."))
        if upload.size > MAX_SHEET_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        upload.sheet_format = extension
        return upload


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class RegistrationForm(forms.Form):
    """A unit's member registers with a community (双报到, 报到单)."""

    person = forms.ModelChoiceField(label=_("Member"), queryset=Person.objects.none())
    community = forms.ModelChoiceField(label=_("Community"), queryset=Person.objects.none())
    registered_on = forms.DateField(label=_("Registered on"), widget=DateInput())

    def __init__(self, *args, people, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["community"].queryset = communities


class ServiceForm(StatedLimitsMixin, forms.Form):
    """A service done in the community, for its confirmation."""

    done_on = forms.DateField(label=_("Done on"), widget=DateInput())
    description = forms.CharField(label=_("Service"), max_length=PARAGRAPH_LENGTH)
    hours = forms.DecimalField(label=_("Hours"), min_value=Decimal("0.5"), decimal_places=1)
    practical_matter = forms.BooleanField(label=_("A practical matter done"), required=False)
    need = forms.ModelChoiceField(
        label=_("For the community's need"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args, needs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = needs


class NeedForm(StatedLimitsMixin, forms.Form):
    """A need on the community's list (需求清单)."""

    title = forms.CharField(label=_("Need"), max_length=LINE_LENGTH)
    description = forms.CharField(
        label=_("Description"),
        max_length=TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    wanted = forms.IntegerField(label=_("People wanted"), min_value=1, max_value=500, initial=1)


class PairForm(StatedLimitsMixin, forms.Form):
    """A 老带新 / 一帮一 pair."""

    kind = forms.ChoiceField(label=_("Kind"), choices=c.PairKind.choices)
    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=Person.objects.none())
    mentee = forms.ModelChoiceField(
        label=_("New member or secretary"), queryset=Person.objects.none()
    )
    effective_from = forms.DateField(label=_("From"), widget=DateInput())
    effective_to = forms.DateField(label=_("Until"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("Note"), max_length=LINE_LENGTH, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = people
        self.fields["mentee"].queryset = people


class PairMeetingForm(StatedLimitsMixin, forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    summary = forms.CharField(
        label=_("What was done"), max_length=TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class CommunityForm(StatedLimitsMixin, forms.Form):
    """A community of 双报到 (county staff, in the portal): its name, town or street, and the
    accounts that confirm for it, chosen among the county's active accounts as the admin does."""

    name = forms.CharField(label=_("Community"), max_length=100)
    town = forms.CharField(label=_("Town or street"), max_length=60, required=False)
    accounts = forms.ModelMultipleChoiceField(
        label=_("Its confirming accounts"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_(
            "The community secretaries' accounts: they confirm registrations and services."
        ),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, accounts, with_active: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accounts"].queryset = accounts
        if not with_active:
            del self.fields["active"]
