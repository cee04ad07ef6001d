"""The accounts' own records: the security administrator's policy and the authenticator apps.

The user model stays `core.User` (AUTH_USER_MODEL): every app's migrations and every content
type and permission row point at it, and Django has no supported way to move it to another app
on an existing installation (docs/architecture.md). These two moved here from core with their
tables (`core_securitypolicy`; the authenticators are django-otp's own table), see
migrations/0001_from_core.py."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import Singleton


def _setting(name: str, default: int) -> int:
    from django.conf import settings

    return getattr(settings, name, default)


def default_min_length() -> int:
    return _setting("PASSWORD_MIN_LENGTH", 8)


def default_min_classes() -> int:
    return _setting("PASSWORD_MIN_CHARACTER_CLASSES", 3)


def default_max_age_days() -> int:
    return _setting("PASSWORD_MAX_AGE_DAYS", 90)


def default_lockout_failures() -> int:
    return _setting("PASSWORD_LOCKOUT_FAILURES", 5)


def default_lockout_minutes() -> int:
    return _setting("PASSWORD_LOCKOUT_MINUTES", 30)


def default_address_lockout_failures() -> int:
    return _setting("ADDRESS_LOCKOUT_FAILURES", 50)


def default_address_lockout_minutes() -> int:
    return _setting("ADDRESS_LOCKOUT_MINUTES", 15)


class SecurityPolicy(Singleton):
    """The account policy the security administrator sets (安全策略): password strength and age,
    lockout after failed logins, and whether administrators need a second factor. One row; until
    it is saved the deployment's settings apply (accounts.security)."""

    min_length = models.PositiveSmallIntegerField(
        _("minimum password length"),
        default=default_min_length,
        validators=[MinValueValidator(8), MaxValueValidator(64)],
    )
    min_classes = models.PositiveSmallIntegerField(
        _("character classes required"),
        default=default_min_classes,
        validators=[MinValueValidator(3), MaxValueValidator(4)],
        help_text=_("Of: lower-case letters, upper-case letters, digits, other characters."),
    )
    max_age_days = models.PositiveSmallIntegerField(
        _("password lifetime (days)"),
        default=default_max_age_days,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("A password older than this must be changed at the next sign-in."),
    )
    lockout_failures = models.PositiveSmallIntegerField(
        _("failed sign-ins before lockout"),
        default=default_lockout_failures,
        validators=[MinValueValidator(3), MaxValueValidator(10)],
    )
    lockout_minutes = models.PositiveSmallIntegerField(
        _("lockout duration (minutes)"),
        default=default_lockout_minutes,
        validators=[MinValueValidator(5), MaxValueValidator(1440)],
    )
    address_lockout_failures = models.PositiveSmallIntegerField(
        _("failed sign-ins from one address before it is locked"),
        default=default_address_lockout_failures,
        validators=[MinValueValidator(20), MaxValueValidator(1000)],
        help_text=_(
            "Counted over every account tried from that address (a whole office may sign in "
            "behind one address, so keep this well above the per-account limit)."
        ),
    )
    address_lockout_minutes = models.PositiveSmallIntegerField(
        _("window for the address limit (minutes)"),
        default=default_address_lockout_minutes,
        validators=[MinValueValidator(1), MaxValueValidator(1440)],
        help_text=_("The address is locked while this many minutes hold that many failures."),
    )
    require_second_factor = models.BooleanField(
        _("administrators need a second factor"),
        default=False,
        help_text=_(
            "Ticked: administrators (the three administrators and committee staff with admin "
            "access) confirm every sign-in with a code from an authenticator app (TOTP)."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        db_table = "core_securitypolicy"  # the table it had in core, rows and all
        verbose_name = _("security policy")
        verbose_name_plural = _("security policy")

    def __str__(self) -> str:
        return str(_("Security policy"))


class Authenticator(TOTPDevice):
    """A person's authenticator app (django-otp's TOTP device), as the security administrator
    lists and removes them (a lost phone)."""

    class Meta:
        proxy = True
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")
