from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class LoginForm(AuthenticationForm):
    """Django's login form, with the username's length checked before anything is looked up:
    the stock form only sets the HTML maxlength, so a huge username would reach the
    authentication backends and the lockout log."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD).max_length or 150
        self.fields["username"].validators.append(MaxLengthValidator(limit))
