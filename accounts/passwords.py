"""The password policy (密码策略, 等保 2.0 身份鉴别): how strong a password must be, when it
expires, and when its owner must change it.

- Strength: `PasswordPolicyValidator` in `AUTH_PASSWORD_VALIDATORS` (at least `min_length`
  characters from at least `min_classes` of the four classes: lower case, upper case, digits,
  other characters); Django's `CommonPasswordValidator` refuses common passwords.
- Age: the same validator records *when* a password changes (`User.password_changed_at`), through
  Django's `password_changed` hook, which `AbstractBaseUser.save()` calls after every
  `set_password()`: a change on the password change page, an administrator's reset,
  `createsuperuser`, a factory in the tests. A password written straight into the column (the demo
  loader shares one hash between its accounts) leaves `password_changed_at` empty.
- `must_change_password_now(user)` answers whether a signed-in person must change their password
  before doing anything else; `accounts.middleware.PasswordPolicyMiddleware` enforces it.
"""

from __future__ import annotations

import datetime
import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .security import password_max_age, stored_policy

CHARACTER_CLASSES = (
    set(string.ascii_lowercase),
    set(string.ascii_uppercase),
    set(string.digits),
)


def character_classes(password: str) -> int:
    """How many of the four classes the password uses; anything that is not an ASCII letter or
    digit (punctuation, a space, a Chinese character) counts as "other"."""
    used = sum(1 for chars in CHARACTER_CLASSES if any(c in chars for c in password))
    if any(not any(c in chars for chars in CHARACTER_CLASSES) for c in password):
        used += 1
    return used


class PasswordPolicyValidator:
    """At least `min_length` characters from at least `min_classes` of the four character
    classes. Also records the moment a password changes (see the module's docstring)."""

    def __init__(self, min_length: int = 8, min_classes: int = 3):
        self.min_length = min_length
        self.min_classes = min(max(min_classes, 0), 4)

    def _limits(self) -> tuple[int, int]:
        """The security administrator's saved policy, else this validator's options."""
        row = stored_policy()
        if row is None:
            return self.min_length, self.min_classes
        return row.min_length, min(max(row.min_classes, 0), 4)

    def validate(self, password: str, user=None) -> None:
        min_length, min_classes = self._limits()
        errors = []
        if len(password) < min_length:
            errors.append(
                ValidationError(
                    ngettext(
                        "This password is too short. It must contain at least %(min_length)d character.",
                        "This password is too short. It must contain at least %(min_length)d characters.",
                        min_length,
                    ),
                    code="password_too_short",
                    params={"min_length": min_length},
                )
            )
        if character_classes(password) < min_classes:
            errors.append(
                ValidationError(
                    _(
                        "This password must mix at least %(min_classes)d of: lower-case letters, "
                        "upper-case letters, digits and other characters."
                    ),
                    code="password_too_simple",
                    params={"min_classes": min_classes},
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        min_length, min_classes = self._limits()
        return _(
            "Your password must contain at least %(min_length)d characters and mix at least "
            "%(min_classes)d of: lower-case letters, upper-case letters, digits and other characters."
        ) % {"min_length": min_length, "min_classes": min_classes}

    def password_changed(self, password: str, user=None) -> None:
        """Called by Django after a new password is saved: the password's age starts now, and a
        change demanded by an administrator or by the first login is done. An administrator's
        reset sets `must_change_password` again after this (accounts.admin)."""
        if user is None or user.pk is None or not hasattr(user, "password_changed_at"):
            return
        now = timezone.now()
        type(user)._default_manager.filter(pk=user.pk).update(
            password_changed_at=now, must_change_password=False
        )
        user.password_changed_at = now
        user.must_change_password = False


def password_expired(user, *, now: datetime.datetime | None = None) -> bool:
    """Whether the password is older than the policy allows. A password whose change was never
    recorded (`password_changed_at` empty: written outside the portal's password forms, as the
    demo loader does) counts as expired: its owner sets a new one at the next sign-in. While
    `DEBUG` is on, such accounts (the demo accounts) are exempt."""
    if user.password_changed_at is None:
        return not settings.DEBUG
    max_age = password_max_age()
    if max_age is None:
        return False
    return (now or timezone.now()) - user.password_changed_at > max_age


def must_change_password_now(user) -> bool:
    """Whether this signed-in person must change their password before anything else: an
    administrator created the account or reset its password, or the password has expired."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.must_change_password) or password_expired(user)
