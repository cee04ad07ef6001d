"""The city and its counties: the tenants of one deployment (issue 15).

One deployment holds one city (市) and any number of its counties (县/区/市). Every record of the
organization belongs to exactly one county (`zones.Unit.county`, `zones.Zone.county`, and what
hangs from them); a person of the mechanism (county staff, a leader, a secretary) belongs to one
county (`core.User.county`), city staff and the three administrators to none.

Each county runs the mechanisms it chose (`CountyMechanism`): a row per period it ran one, so
that switching a mechanism off hides it and keeps its history and its data.
"""

from __future__ import annotations

import datetime
from typing import Self

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import Mechanism
from .scoping import ScopedManager

# GB/T 2260: six digits, two of the province, two of the city, two of the county.
division_code = RegexValidator(
    r"^[1-9]\d{5}$",
    _("Enter the six-digit administrative division code (GB/T 2260), e.g. 610922."),
)


class City(models.Model):
    """A prefecture-level city (地级市), e.g. 安康市 610900: the city a deployment serves."""

    name = models.CharField(_("name"), max_length=60)
    short_name = models.CharField(_("short name"), max_length=20, blank=True)
    code = models.CharField(
        _("division code"),
        max_length=6,
        unique=True,
        validators=[division_code],
        help_text=_("Six digits of GB/T 2260 ending in 00, e.g. 610900 for 安康市."),
    )

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.code and division_code.regex.match(self.code) and not self.code.endswith("00"):
            raise ValidationError({"code": _("A city's division code ends in 00 (e.g. 610900).")})

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class County(models.Model):
    """A county (县、区或县级市) of the city, e.g. 石泉县 610922: one work committee's tenancy.
    Its people see only its records; city staff read every county."""

    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="counties"
    )
    name = models.CharField(_("name"), max_length=60)
    short_name = models.CharField(_("short name"), max_length=20, blank=True)
    code = models.CharField(
        _("division code"),
        max_length=6,
        unique=True,
        validators=[division_code],
        help_text=_("Six digits of GB/T 2260, e.g. 610922 for 石泉县."),
    )

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "name"],
                name="counties_county_unique_name_per_city",
                violation_error_message=_("The city already has a county of this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if not self.code or not division_code.regex.match(self.code):
            return  # the field's validator says why
        if self.code.endswith("00"):
            raise ValidationError({"code": _("A code ending in 00 is a city's, not a county's.")})
        if self.city_id is not None and self.code[:4] != self.city.code[:4]:
            raise ValidationError(
                {
                    "code": _(
                        "A county's code begins with its city's first four digits (%(prefix)s)."
                    )
                    % {"prefix": self.city.code[:4]}
                }
            )

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def runs(self, mechanism: str, *, day: datetime.date | None = None) -> bool:
        """Whether the county runs `mechanism` on `day` (today). Reads the prefetched
        `mechanisms` when there (`prefetch_related("mechanisms")`: no query), else asks."""
        day = day or timezone.localdate()
        prefetched = getattr(self, "_prefetched_objects_cache", {})
        if "mechanisms" in prefetched:
            # the prefetched rows themselves: `self.mechanisms.all()` would build and clone a
            # queryset at each question (a city's dashboard asks hundreds, issue 20)
            return any(
                row.mechanism == mechanism and row.holds_on(day) for row in prefetched["mechanisms"]
            )
        return self.mechanisms.filter(
            CountyMechanism.in_force_on(day), mechanism=mechanism
        ).exists()

    def mechanisms_run(self, *, day: datetime.date | None = None) -> list[str]:
        """The mechanisms the county runs on `day`, in the order of `Mechanism`."""
        return [m for m in Mechanism.values if self.runs(m, day=day)]


class CountyMechanism(models.Model):
    """A period during which a county ran a mechanism: from `since` (inclusive) to `until`
    (exclusive; empty while it still runs). Switching off closes the row; the records the
    mechanism made stay."""

    county = models.ForeignKey(
        County, verbose_name=_("county"), on_delete=models.CASCADE, related_name="mechanisms"
    )
    mechanism = models.CharField(_("mechanism"), max_length=20, choices=Mechanism.choices)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("mechanism of a county")
        verbose_name_plural = _("mechanisms of counties")
        ordering = ["county", "mechanism", "-since"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "mechanism"],
                condition=Q(until__isnull=True),
                name="counties_mechanism_one_open_per_county",
                violation_error_message=_("The county already runs this mechanism."),
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gt=models.F("since")),
                name="counties_mechanism_period_positive",
                violation_error_message=_("A mechanism is switched off after it was switched on."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.county}: {self.get_mechanism_display()}"

    @staticmethod
    def in_force_on(day: datetime.date) -> Q:
        return Q(since__lte=day) & (Q(until__isnull=True) | Q(until__gt=day))

    def holds_on(self, day: datetime.date) -> bool:
        return self.since <= day and (self.until is None or self.until > day)


class CountySettings(models.Model):
    """The shape of a county's settings row (本县设置: the reminders' lead times, the class
    review's thresholds): one row per county, owned by it (scoped), edited by its staff in the
    admin (`counties.admin.CountySettingsAdmin`). Until a county saves its row, the fields'
    defaults apply (`for_county` returns an unsaved row: reading never writes)."""

    county = models.OneToOneField(
        County, verbose_name=_("county"), on_delete=models.CASCADE, related_name="+"
    )

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="county")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}: {self.county}"

    @classmethod
    def for_county(cls, county) -> Self:
        """The row in force for `county` (a County or its id): the saved one, or an unsaved one
        with the defaults. One query; none when `county` is None (the defaults)."""
        county_id = getattr(county, "pk", county)
        row = cls.objects.filter(county_id=county_id).first() if county_id else None
        return row if row is not None else cls(county_id=county_id)

    @classmethod
    def by_county(cls) -> dict[int, Self]:
        """Every saved row of the counties in scope, by county id (one query): a page over
        several counties (the city reading the class review) applies each county's own."""
        return {row.county_id: row for row in cls.objects.all()}


class CalendarOverride(models.Model):
    """A day a county sets apart from the shared calendar (本县调整的工作日): an extra
    non-working day (a local holiday, a county-wide closure) or an extra working day. It applies
    to that county's working-day deadlines and reminders only; the statutory calendar
    (`chinesecalendar` and the days staff enter in `core.CalendarDay`) stays shared."""

    county = models.ForeignKey(
        County, verbose_name=_("county"), on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField(_("date"))
    is_workday = models.BooleanField(
        _("working day"),
        help_text=_("Ticked: an extra working day in this county. Unticked: a day off."),
    )
    note = models.CharField(_("note"), max_length=100, blank=True)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("county calendar day")
        verbose_name_plural = _("county calendar days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "date"],
                name="counties_calendar_one_override_per_day",
                violation_error_message=_("The county has already set this day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.county}: {self.date} {self.note}".strip()
