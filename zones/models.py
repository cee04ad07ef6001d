"""The organization the mechanism runs on: units, their class, zones and who belongs where.

Every relation that changes over time is a row with `effective_from` (inclusive) and
`effective_to` (exclusive; empty while it still holds). Rows are closed and opened by the
services in `services.py`; the past is never rewritten.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.constants import PARAGRAPH_LENGTH
from core.pinyin import name_initials, name_pinyin
from core.text import bracketed
from counties.scoping import ScopedManager

from .constants import Grade, MembershipRole, OrgType, PostKind, UnitKind, WorkCategory


def refuse_across_counties(unit: Unit, zone: Zone) -> None:
    """A zone of one county cannot take a unit of another (issue 15): the one check of a
    membership's counties, asked by `Membership.clean` and the services that place units."""
    if unit.county_id != zone.county_id:
        raise ValidationError(
            _("%(unit)s is of another county than %(zone)s; a zone takes units of its county.")
            % {"unit": unit, "zone": zone}
        )


def refuse_person_of_another_county(person, record) -> None:
    """A person of a county (a leader guiding a zone, a secretary serving a unit) works on
    their own county's records only."""
    if person.county_id != record.county_id:
        raise ValidationError(
            _("%(person)s is not of the county of %(record)s.")
            % {"person": person, "record": record}
        )


def in_force_on(day: datetime.date, prefix: str = "") -> Q:
    """Q for rows whose [effective_from, effective_to) period contains `day`."""
    return Q(**{f"{prefix}effective_from__lte": day}) & (
        Q(**{f"{prefix}effective_to__isnull": True}) | Q(**{f"{prefix}effective_to__gt": day})
    )


class Period(models.Model):
    """A period during which a row holds."""

    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def is_open(self) -> bool:
        return self.effective_to is None

    def holds_on(self, day: datetime.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or self.effective_to > day)


class Unit(models.Model):
    """A party organization (党组织), usually of a county organ (县直机关单位). Partner
    organizations from outside the organ system (a town, a village, an enterprise, a city-level
    unit) are units too, so that chain joint building (链上联建) can name them."""

    county = models.ForeignKey(
        "counties.County",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="units",
    )
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=UnitKind.choices, default=UnitKind.ORGAN
    )
    org_type = models.CharField(
        _("organization type"), max_length=20, choices=OrgType.choices, default=OrgType.BRANCH
    )
    work_category = models.CharField(
        _("nature of work"), max_length=20, choices=WorkCategory.choices, default=WorkCategory.OTHER
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    member_count = models.PositiveIntegerField(_("number of party members"), default=0)
    secretary_name = models.CharField(_("secretary"), max_length=60, blank=True)
    secretary_phone = models.CharField(_("secretary's phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    # Derived from the name on save: sorting by pinyin and search by initials ("nyj").
    name_pinyin = models.CharField(max_length=400, blank=True, editable=False, db_index=True)
    name_initials = models.CharField(max_length=100, blank=True, editable=False, db_index=True)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name_pinyin"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"],
                condition=Q(is_active=True),
                name="zones_unit_unique_active_name_per_county",
                violation_error_message=_(
                    "An active unit with this name already exists in the county."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Cut to their columns: a 100-character name can spell 600 letters of pinyin.
        self.name_pinyin = name_pinyin(self.name)[:400]
        self.name_initials = name_initials(f"{self.name}{self.short_name}")[:100]
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_pinyin", "name_initials"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_partner(self) -> bool:
        """A partner organization from outside the county organs (链上联建)."""
        return self.kind != UnitKind.ORGAN


def partner_units(prefix: str = "") -> Q:
    """Partner organizations (outside the county organs, 链上联建), as a filter on units or,
    with `prefix` ("host_unit__"), on what points at them. The one definition of "partner"."""
    return ~Q(**{f"{prefix}kind": UnitKind.ORGAN})


class UnitGrade(models.Model):
    """One entry of a unit's class history (党组织分类定级: 一类/二类/三类). The unit's class on a
    day is the latest entry that took effect on or before it; it is never stored twice."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="grades"
    )
    grade = models.PositiveSmallIntegerField(_("class"), choices=Grade.choices)
    effective_from = models.DateField(_("effective from"))
    reason = models.CharField(_("reason"), max_length=200)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="unit__county")

    class Meta:
        verbose_name = _("class grade")
        verbose_name_plural = _("class history")
        ordering = ["unit", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "effective_from"],
                name="zones_unitgrade_one_per_day",
                violation_error_message=_(
                    "This unit already has a class taking effect on that day."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.get_grade_display()}{bracketed(self.effective_from)}"


class Zone(models.Model):
    """A zone (片区) of county organ party organizations, drawn by similar work, neighbouring
    location and related service to the county's priorities. Led by one first-class lead unit
    and guided by one work-committee leader, both with history."""

    county = models.ForeignKey(
        "counties.County",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="zones",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=60)
    focus = models.TextField(_("focus"), blank=True, max_length=PARAGRAPH_LENGTH)
    name_initials = models.CharField(max_length=60, blank=True, editable=False)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "number"],
                name="zones_zone_unique_number_per_county",
                violation_error_message=_("The county already has a zone with this number."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_initials = name_initials(self.name)[:60]  # "İ" lowers to two characters
        super().save(*args, **kwargs)


class ZoneLeadership(Period):
    """A work-committee leader guiding a zone (工委领导联片指导) for a period."""

    zone = models.ForeignKey(
        Zone, verbose_name=_("zone"), on_delete=models.CASCADE, related_name="leaderships"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("guiding leader"),
        on_delete=models.PROTECT,
        related_name="zone_leaderships",
    )

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="zone__county")

    class Meta:
        verbose_name = _("guiding leadership")
        verbose_name_plural = _("guiding leaderships")
        ordering = ["zone", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone"],
                condition=Q(effective_to__isnull=True),
                name="zones_leadership_one_open_per_zone",
                violation_error_message=_("This zone already has a guiding leader."),
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gt=models.F("effective_from")),
                name="zones_leadership_period_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.zone}: {self.leader}"

    def clean(self) -> None:
        super().clean()
        if self.zone_id and self.leader_id:
            refuse_person_of_another_county(self.leader, self.zone)


class Membership(Period):
    """A unit's place in a zone for a period (片区成员): either the zone's lead unit
    (牵头单位) or a member unit (成员单位). A unit has at most one open membership and a zone
    at most one open lead; the database enforces both."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships"
    )
    zone = models.ForeignKey(
        Zone, verbose_name=_("zone"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(
        _("role in zone"),
        max_length=10,
        choices=MembershipRole.choices,
        default=MembershipRole.MEMBER,
    )

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="zone__county")

    class Meta:
        verbose_name = _("zone membership")
        verbose_name_plural = _("zone memberships")
        ordering = ["unit", "-effective_from"]
        indexes = [models.Index(fields=["zone", "effective_from", "effective_to"])]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(effective_to__isnull=True),
                name="zones_membership_one_open_per_unit",
                violation_error_message=_("This unit already belongs to a zone."),
            ),
            models.UniqueConstraint(
                fields=["zone"],
                condition=Q(effective_to__isnull=True, role="lead"),
                name="zones_membership_one_open_lead_per_zone",
                violation_error_message=_("This zone already has a lead unit."),
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gt=models.F("effective_from")),
                name="zones_membership_period_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} → {self.zone}{bracketed(self.get_role_display())}"

    def clean(self) -> None:
        super().clean()
        if self.unit_id and self.zone_id:
            refuse_across_counties(self.unit, self.zone)


class UnitPost(models.Model):
    """A user serving a unit as its party secretary (党组织书记) or party-affairs officer
    (党务干部): the unit(s) a user serves."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="unit_posts",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="posts"
    )
    kind = models.CharField(
        _("post"), max_length=20, choices=PostKind.choices, default=PostKind.SECRETARY
    )

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="unit__county")

    class Meta:
        verbose_name = _("unit post")
        verbose_name_plural = _("unit posts")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="zones_unitpost_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit}{bracketed(self.get_kind_display())}"

    def clean(self) -> None:
        super().clean()
        if self.user_id and self.unit_id:
            refuse_person_of_another_county(self.user, self.unit)
