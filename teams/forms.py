"""Forms of the service teams' pages; the services keep the rules, the forms the shapes."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.constants import PARAGRAPH_LENGTH, TEXT_LENGTH
from core.forms import StatedLimitsMixin
from core.once import OnceFormMixin
from core.widgets import DateInput, FastSelect
from people.constants import MatterCategory
from supervision.constants import Severity

from .constants import BrandLevel, ContactWay, Prize, TrainingKind


class Select(FastSelect):
    """core.widgets' FastSelect under the name of Django's Select: crispy writes a widget's class
    name, lowercased, into the field's CSS classes (`select`), so the markup stays Django's."""


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
    """An organization for the team from a day. Its select offers every active unit of the
    county (~90), drawn on every view of the team page: a FastSelect (`Select`) (the same markup as
    Django's, without a template include per option; tests/teams/test_team_page_forms.py)."""

    unit = forms.ModelChoiceField(label=_("Organization"), queryset=None, widget=Select)
    on = forms.DateField(label=_("From"), widget=DateInput())

    def __init__(self, *args, units, day: datetime.date, **kwargs):
        """`units`: a queryset (a posted form validates against it) or, to show the form, the
        units already read or their (id, name) pairs (their choices without a cursor of their
        own)."""
        super().__init__(*args, **kwargs)
        _offer(self.fields["unit"], units)
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


class BuilderStartForm(StatedLimitsMixin, forms.Form):
    """The team builder's question: teams of how many people, formed on which day."""

    size = forms.IntegerField(
        label=_("People per team (captain included)"), min_value=2, max_value=20, initial=4
    )
    formed_on = forms.DateField(label=_("Formed on"), widget=DateInput())


class BuilderForm(forms.Form):
    """The builder's proposal as staff adjust it: each team's name and captain, each cadre's
    team (or none), each organization's team."""

    def __init__(self, *args, built: dict, **kwargs):
        super().__init__(*args, **kwargs)
        build = built["build"]
        self.built = built
        self.count = len(build.teams)
        people = built["people"]
        numbers = [(str(i), _("Team %(n)s") % {"n": i + 1}) for i in range(self.count)]
        none = [("", _("not on a team"))]
        committee = [("", "—")] + [
            (str(c.key), str(people[c.key])) for c in built["cadres"] if c.committee
        ]
        for i, draft in enumerate(build.teams):
            self.fields[f"name_{i}"] = forms.CharField(
                label=_("Name"), max_length=60, initial=_("Team %(n)s") % {"n": i + 1}
            )
            self.fields[f"captain_{i}"] = forms.ChoiceField(
                label=_("Captain"),
                choices=committee,
                required=False,
                initial=str(draft.captain) if draft.captain is not None else "",
            )
        team_of = {k: i for i, d in enumerate(build.teams) for k in d.people}
        for cadre in built["cadres"]:
            self.fields[f"cadre_{cadre.key}"] = forms.ChoiceField(
                label=str(people[cadre.key]),
                choices=none + numbers,
                required=False,
                initial=str(team_of[cadre.key]) if cadre.key in team_of else "",
            )
        for unit in built["units"]:
            self.fields[f"unit_{unit.pk}"] = forms.ChoiceField(
                label=str(unit),
                choices=[("", _("no team yet"))] + numbers,
                required=False,
                initial=str(build.guided[unit.pk]) if unit.pk in build.guided else "",
            )

    def clean(self):
        data = super().clean()
        chosen = [data.get(f"captain_{i}") for i in range(self.count)]
        chosen = [c for c in chosen if c]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError(_("One person captains one team, not two."))
        return data

    def rows(self):
        """(team index, its name and captain fields) for the template."""
        return [(i, self[f"name_{i}"], self[f"captain_{i}"]) for i in range(self.count)]

    def cadre_rows(self):
        """(cadre, its team field, its strengths in words) for the template."""
        from people.constants import Strength

        def words(strengths):
            return "、".join(
                str(Strength(s).label) for s in sorted(strengths) if s in Strength.values
            )

        return [(c, self[f"cadre_{c.key}"], words(c.strengths)) for c in self.built["cadres"]]

    def unit_rows(self):
        return [(u, self[f"unit_{u.pk}"]) for u in self.built["units"]]

    def arrangement(self):
        """(drafts of teams.builder, organization pk → team index) as adjusted."""
        from .builder import Draft

        data = self.cleaned_data
        drafts = []
        captains = set()
        for i in range(self.count):
            captain = data.get(f"captain_{i}")
            captain = int(captain) if captain else None
            captains.add(captain)
            drafts.append(Draft(captain=captain, people=[captain] if captain else []))
        for cadre in self.built["cadres"]:
            chosen = data.get(f"cadre_{cadre.key}")
            if chosen != "" and chosen is not None and cadre.key not in captains:
                drafts[int(chosen)].people.append(cadre.key)
        guided = {
            unit.pk: int(data[f"unit_{unit.pk}"])
            for unit in self.built["units"]
            if data.get(f"unit_{unit.pk}")
        }
        return drafts, guided


class TrainingForm(OnceFormMixin, StatedLimitsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TrainingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    held_on = forms.DateField(label=_("Date held"), widget=DateInput())


class TrainingEntryForm(OnceFormMixin, StatedLimitsMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("Participant"), queryset=None)
    result = forms.CharField(label=_("Result"), max_length=100, required=False)
    prize = forms.ChoiceField(label=_("Prize"), choices=Prize.choices, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class BrandForm(OnceFormMixin, StatedLimitsMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Organization"), queryset=None)
    name = forms.CharField(label=_("Brand"), max_length=100)
    level = forms.ChoiceField(label=_("Recognized by"), choices=BrandLevel.choices)
    recognized_on = forms.DateField(label=_("Recognized on"), widget=DateInput())

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ContactForm(OnceFormMixin, StatedLimitsMixin, forms.Form):
    """A contact with an organization the team guides (每周联系): when, how, a line of what."""

    unit = forms.ModelChoiceField(label=_("Organization"), queryset=None, widget=Select)
    contacted_on = forms.DateField(label=_("Contacted on"), widget=DateInput())
    way = forms.ChoiceField(label=_("Way"), choices=ContactWay.choices, widget=Select)
    what = forms.CharField(label=_("What about"), max_length=200)

    def __init__(self, *args, units, **kwargs):
        """`units`: the organizations one may pick, a queryset (a posted form validates
        against it) or, to show the form, the units already read (the team page's guided
        organizations, in their order): their choices without a query of their own."""
        super().__init__(*args, **kwargs)
        _offer(self.fields["unit"], units)


def _offer(field: forms.ModelChoiceField, units) -> None:
    """The units `field` offers: a queryset to validate a posted form against, or a list of
    units already read, whose choices (as the field labels them) need no query of their own,
    or of their (id, name) pairs (the field's label of a unit is its name: str(unit))."""
    if isinstance(units, QuerySet):
        field.queryset = units
    else:
        empty = [] if field.empty_label is None else [("", field.empty_label)]
        field.choices = [
            *empty,
            *(u if isinstance(u, tuple) else (u.pk, field.label_from_instance(u)) for u in units),
        ]
