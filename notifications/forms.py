from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import Kind


class PreferencesForm(forms.Form):
    """Two tick boxes per kind: in the portal, by email."""

    def __init__(self, *args, initial_choices: dict[str, tuple[bool, bool]], **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = []
        for kind, label in Kind.choices:
            in_app, email = initial_choices.get(kind, (True, False))
            self.fields[f"{kind}__in_app"] = forms.BooleanField(
                label=_("In the portal"), required=False, initial=in_app
            )
            self.fields[f"{kind}__email"] = forms.BooleanField(
                label=_("By email"), required=False, initial=email
            )
            self.kinds.append((kind, label, self[f"{kind}__in_app"], self[f"{kind}__email"]))

    def clean(self):
        data = super().clean()
        data["choices"] = {
            kind: (bool(data.get(f"{kind}__in_app")), bool(data.get(f"{kind}__email")))
            for kind in Kind.values
        }
        return data
