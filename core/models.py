from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import Role


class User(AbstractUser):
    """A person who signs in to the portal (用户): committee staff, a committee leader, or a
    unit's secretary or party-affairs officer. The units a secretary serves are recorded in
    zones (UnitPost), so that this app knows nothing of the organization above it."""

    full_name = models.CharField(_("full name"), max_length=60, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.SECRETARY)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
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
        """Staff and leaders of the work committee (工委)."""
        return self.role in (Role.STAFF, Role.LEADER) or self.is_superuser

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
