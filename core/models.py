from __future__ import annotations

from typing import Self

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from .constants import ADMIN_ROLES, Role


class User(AbstractUser):
    """A person who signs in to the portal (用户): committee staff, a committee leader, or a
    unit's secretary or party-affairs officer. The units a secretary serves are recorded in
    zones (UnitPost), so that this app knows nothing of the organization above it."""

    full_name = models.CharField(_("full name"), max_length=60, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.SECRETARY)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # The county a person of the mechanism belongs to (counties.County, named by string so that
    # core imports nothing above it); empty for city staff and the three administrators.
    # Read through counties.selectors.county_of.
    county = models.ForeignKey(
        "counties.County",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    # Set by the password policy (core.passwords) whenever the password changes; empty when the
    # password was written outside the portal's password forms (the demo loader).
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_(
            "Ticked: the person must choose a new password when they next sign in. Set when an "
            "administrator creates the account or resets its password."
        ),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    @property
    def is_committee(self) -> bool:
        """Staff and leaders of the work committee (工委), and city staff (市级), who read what
        the committee reads (every county's, in their scope) and change nothing."""
        return self.role in (Role.STAFF, Role.LEADER, Role.CITY_STAFF) or self.is_superuser

    @property
    def is_separated_admin(self) -> bool:
        """One of the three separated administrators (三员分立), who work on their own admin
        sites only."""
        return self.role in ADMIN_ROLES and not self.is_superuser

    @property
    def is_committee_staff(self) -> bool:
        return self.role == Role.STAFF or self.is_superuser


class CalendarYear(models.Model):
    """A year whose holidays and adjusted working days (节假日与调休) staff have entered by hand,
    for years the `chinesecalendar` package does not know yet. When `complete` is set, the days
    entered for that year are the whole schedule: the calendar no longer warns about the year."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    complete = models.BooleanField(
        _("schedule complete"),
        default=False,
        help_text=_("Tick once every holiday and adjusted working day of the year is entered."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day whose status staff set by hand (法定节假日 or 调休上班日): it overrides the package
    and the Monday–Friday fallback."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(
        _("working day"),
        help_text=_("Ticked: an adjusted working day (调休上班). Unticked: a holiday."),
    )
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date}: {self.note}"


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


class Singleton(models.Model):
    """A settings row of which there is exactly one (the security policy, the reminder settings,
    the class review thresholds): stored with primary key 1, never deleted, edited in the admin
    through `core.admin.SingletonAdmin`.

    `load()` is the row in force: the saved one, or — until one is saved — an unsaved row with
    the fields' defaults (reading never writes). A caller that reads it on every request keeps
    its own copy (`core.security.stored_policy`)."""

    SINGLETON_PK = 1

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        # Always row 1: saving an unsaved copy updates (or first creates) the one row; a second
        # row (`objects.create()` while one exists) is refused by the primary key.
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(
            _("%(name)s cannot be deleted; change its values instead.")
            % {"name": self._meta.verbose_name}
        )

    @classmethod
    def stored(cls) -> Self | None:
        """The saved row, or None while the defaults apply."""
        return cls.objects.filter(pk=cls.SINGLETON_PK).first()

    @classmethod
    def load(cls) -> Self:
        """The row in force: the saved one, or an unsaved one with the defaults."""
        row = cls.stored()
        return row if row is not None else cls(pk=cls.SINGLETON_PK)


class SecurityPolicy(Singleton):
    """The account policy the security administrator sets (安全策略): password strength and age,
    lockout after failed logins, and whether administrators need a second factor. One row; until
    it is saved the deployment's settings apply (core.security)."""

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


class FormSubmission(models.Model):
    """One sending of a create form (一次性表单令牌): the token the form carried when it was
    rendered, who sent it and where its result is. The unique token turns a second sending of
    the same form (a double tap, a phone retrying on a weak connection) into the first one's
    answer instead of a second record; see core.once."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey(
        "core.User", verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    path = models.CharField(_("form address"), max_length=300)
    result_url = models.CharField(_("result address"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return f"{self.path} → {self.result_url}"


class ScheduledRun(models.Model):
    """One run of a daily or weekly job (定时任务运行记录) for its due slot: the job (its Celery
    task) and the day it runs for. Unique, so a tick that comes twice runs once; a slot that beat
    never delivered (Redis down at the tick) or whose run was cut short (its worker killed) is
    found and run by the schedule sweep (notifications.schedule.schedule_sweep; the ledger itself is core.scheduled, so any app's
    daily job keeps it)."""

    job = models.CharField(_("job"), max_length=100)
    slot = models.DateField(_("due day"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    result = models.IntegerField(_("new records"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-slot", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="core_run_once_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.slot:%Y-%m-%d}"
