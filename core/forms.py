from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class StatedLimitsMixin:
    """The portal's forms state every text field's length limit: the browser's `maxlength`
    (which Django sets from `max_length`, so typing stops there) and a help text "At most N
    characters." under the field. A longer text posted anyway is refused by the field's own
    validator with a message naming both lengths, and nothing is saved. The limits come from
    core.constants (or the model's column for a model form); tests/test_input_rules.py checks
    that every text field of every portal form has one and that its form states it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field, forms.CharField) or field.widget.is_hidden:
                continue
            if field.max_length:
                limit = gettext("At most %(limit)d characters.") % {"limit": field.max_length}
                field.help_text = f"{field.help_text} {limit}" if field.help_text else limit


class LoginForm(AuthenticationForm):
    """Django's login form, with the username's length checked before anything is looked up:
    the stock form only sets the HTML maxlength, so a huge username would reach the
    authentication backends and the lockout log."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD).max_length or 150
        self.fields["username"].validators.append(MaxLengthValidator(limit))


class OneTimeCodeForm(forms.Form):
    """A six-digit code from the person's authenticator app (TOTP)."""

    token = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isascii() or not token.isdigit():
            raise forms.ValidationError(_("Enter the digits your authenticator app shows."))
        return token
