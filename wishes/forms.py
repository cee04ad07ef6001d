"""The forms of the micro-wishes: the villager's intake (Chinese only, few fields), the ticket
lookup, and the staff's steps."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.constants import LINE_LENGTH, PARAGRAPH_LENGTH
from core.forms import StatedLimitsMixin
from core.uploads import MultipleFileField
from core.widgets import DateInput

from .constants import MAX_PHOTOS, TEXT_MAX, Channel, Satisfaction


class IntakeForm(StatedLimitsMixin, forms.Form):
    """The villager's page: what, photos, name (optional), phone, consent; a captcha is added
    when the address has sent a wish within the hour (views)."""

    text = forms.CharField(
        label=_("What do you wish for, or what is wrong?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    photos = MultipleFileField(label=_("Photos (optional, at most two)"), allow_pdf=False)
    name = forms.CharField(label=_("Your name (optional)"), max_length=40, required=False)
    phone = forms.CharField(
        label=_("Mobile phone (for the answer)"),
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
    )
    consent = forms.BooleanField(
        label=_("I have read the notice above and agree."),
        error_messages={"required": _("Tick the box to agree to the notice before sending.")},
    )

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        if len(photos) > MAX_PHOTOS:
            raise forms.ValidationError(
                _("At most %(count)d photos can be sent.") % {"count": MAX_PHOTOS}
            )
        return photos


class StatusForm(StatedLimitsMixin, forms.Form):
    ticket = forms.CharField(label=_("Ticket number"), max_length=20)
    tail = forms.CharField(
        label=_("Last four digits of your phone"),
        max_length=4,
        min_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


class VillagerVisitForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you with the answer?"),
        choices=[c for c in Satisfaction.choices if c[0] != Satisfaction.UNREACHED],
        widget=forms.RadioSelect,
    )


class OnBehalfForm(StatedLimitsMixin, forms.Form):
    """A cadre enters a wish raised at a courtyard meeting or a home visit."""

    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[
            (Channel.COURTYARD, Channel.COURTYARD.label),
            (Channel.VISIT, Channel.VISIT.label),
        ],
    )
    group = forms.ModelChoiceField(label=_("Group"), queryset=None)
    text = forms.CharField(
        label=_("Wish or problem"), max_length=PARAGRAPH_LENGTH, widget=forms.Textarea
    )
    name = forms.CharField(label=_("Villager's name"), max_length=40, required=False)
    phone = forms.CharField(label=_("Villager's mobile phone"), max_length=11)
    photos = MultipleFileField(label=_("Photos"), allow_pdf=False)
    meeting = forms.ModelChoiceField(
        label=_("Courtyard meeting"),
        queryset=None,
        required=False,
        help_text=_("The meeting where it was raised (courtyard-meeting channel)."),
    )

    def __init__(self, *args, groups, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["meeting"].queryset = meetings


class MeetingForm(StatedLimitsMixin, forms.Form):
    """A courtyard meeting (院落会): date, place, convener, attendance, a photo."""

    village = forms.ModelChoiceField(label=_("Village"), queryset=None)
    place = forms.CharField(label=_("Place"), max_length=60)
    held_on = forms.DateField(label=_("Meeting date"), widget=DateInput())
    convener = forms.CharField(label=_("Convener"), max_length=40)
    attendance = forms.IntegerField(label=_("Number attending"), min_value=1, max_value=10000)
    photo = MultipleFileField(label=_("Photo (optional)"), allow_pdf=False)
    note = forms.CharField(
        label=_("Note"), max_length=PARAGRAPH_LENGTH, required=False, widget=forms.Textarea
    )

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages

    def clean_photo(self):
        photos = self.cleaned_data["photo"]
        if len(photos) > 1:
            raise forms.ValidationError(_("One photo of the meeting."))
        return photos[0] if photos else None


class DispatchForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category of the wish"), queryset=None)
    handler = forms.ModelChoiceField(
        label=_("Handler unit"),
        queryset=None,
        required=False,
        help_text=_("Empty: the category's default handler in the town."),
    )

    def __init__(self, *args, categories, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["handler"].queryset = units


class ReasonForm(StatedLimitsMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=LINE_LENGTH)


class NoteForm(StatedLimitsMixin, forms.Form):
    note = forms.CharField(label=_("Note"), max_length=PARAGRAPH_LENGTH, widget=forms.Textarea)
    photos = MultipleFileField(label=_("Photos"), allow_pdf=False)


class ExtensionForm(StatedLimitsMixin, forms.Form):
    to = forms.DateField(label=_("New deadline"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=LINE_LENGTH)


class AnswerForm(StatedLimitsMixin, forms.Form):
    answer = forms.CharField(
        label=_("Answer to the villager"), max_length=PARAGRAPH_LENGTH, widget=forms.Textarea
    )


class VisitForm(StatedLimitsMixin, forms.Form):
    satisfaction = forms.ChoiceField(label=_("Villager's answer"), choices=Satisfaction.choices)
    handler_caused = forms.BooleanField(
        label=_("Caused by the handler (reopens the wish for a redo)"), required=False, initial=True
    )
    note = forms.CharField(label=_("Note"), max_length=LINE_LENGTH, required=False)


class MergeForm(StatedLimitsMixin, forms.Form):
    into = forms.CharField(label=_("Ticket number of the wish it duplicates"), max_length=20)


class WhistleForm(StatedLimitsMixin, forms.Form):
    tickets = forms.CharField(
        label=_("Ticket numbers"),
        max_length=LINE_LENGTH,
        help_text=_("The wishes of this batch, separated by spaces (other towns' too)."),
    )
    department = forms.ModelChoiceField(label=_("County department summoned"), queryset=None)
    reason = forms.CharField(label=_("Reason"), max_length=PARAGRAPH_LENGTH, widget=forms.Textarea)
    approved_by = forms.CharField(label=_("Approved by (principal leader)"), max_length=40)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class ReportForm(StatedLimitsMixin, forms.Form):
    reporter = forms.CharField(label=_("Person reporting for duty"), max_length=40)


class SolveForm(StatedLimitsMixin, forms.Form):
    visit_note = forms.CharField(
        label=_("Joint visit"), max_length=PARAGRAPH_LENGTH, widget=forms.Textarea
    )
    solution = forms.CharField(
        label=_("Solution"), max_length=PARAGRAPH_LENGTH, widget=forms.Textarea
    )


class TypicalForm(forms.Form):
    consent = forms.BooleanField(label=_("The villager agrees to its publicity"), required=False)
