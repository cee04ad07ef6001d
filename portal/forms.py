from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StatedLimitsMixin
from core.uploads import DataFileField

from .city import period_choices

SNAPSHOT_MAX_BYTES = 1_000_000


class SnapshotImportForm(forms.Form):
    """A county's snapshot file and the period the city expects it for. Sent twice, the second
    is refused (the snapshot is already imported): no token needed."""

    period = forms.ChoiceField(label=_("Period"))
    file = DataFileField(
        label=_("Snapshot file (.json)"),
        max_bytes=SNAPSHOT_MAX_BYTES,
        too_large=_("The file is too large to be a county snapshot."),
    )

    def __init__(self, *args, day, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices(day)


class SnapshotReturnForm(StatedLimitsMixin, forms.Form):
    reason = forms.CharField(
        label=_("What the county is to correct"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
