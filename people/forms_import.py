"""Forms of the register's import and retention pages (people.views_import)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .importing import FORMATS
from .models import RETENTION_MAX_YEARS

MAX_SHEET_BYTES = 5 * 1024 * 1024


class SheetUploadForm(forms.Form):
    sheet = forms.FileField(
        label=_("Member sheet (.xlsx or .csv)"),
        help_text=_("The national system's export, or the template filled in."),
    )

    def clean_sheet(self):
        upload = self.cleaned_data["sheet"]
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in FORMATS:
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx) or a CSV file."))
        if upload.size > MAX_SHEET_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        upload.sheet_format = extension
        return upload


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class RetentionForm(forms.Form):
    years = forms.IntegerField(
        label=_("Years the personal data of a person who left is kept"),
        min_value=1,
        max_value=RETENTION_MAX_YEARS,
    )
