"""Forms of accounts: the sign-in form and the one-time code."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


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
