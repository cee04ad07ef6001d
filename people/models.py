"""The member register (党员名册): people, the unit each belongs to over time, their posts and the
cadre profile of the service-team pool.

- A person belongs to one county, the county of their unit (`Person.county`, kept by the
  services); a move to a unit of another county is a leaving (transferred out) there and a new
  person here.
- `Membership` rows carry a person's unit over time (组织关系转接 closes one row and opens the
  next; the past is never rewritten), as `zones.Membership` carries a unit's zone: at most one
  open row per person, which the database enforces.
- The ID number is never stored in plain: `id_number_token` holds its Fernet token and
  `id_number_digest` its keyed digest (people.crypto), by which it is found and kept unique. It
  is optional, since the secretaries moved from the units' free-text `secretary_name` have none.
- Nothing here shows a full ID or phone number: `__str__` is the name, and the masked forms are
  people.masking's.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.pinyin import name_initials, name_pinyin
from core.text import bracketed
from counties.scoping import ScopedManager
from zones.models import Period

from . import crypto
from .constants import (
    Category,
    ConfirmedVia,
    Education,
    Ethnicity,
    LeavingReason,
    MatterCategory,
    MatterSource,
    PostKind,
    Sex,
)


class Person(models.Model):
    """A party member or cadre (党员/干部) of a county's register."""

    county = models.ForeignKey(
        "counties.County",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="register",
    )
    name = models.CharField(_("name"), max_length=60)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    ethnicity = models.CharField(
        _("ethnicity"), max_length=2, choices=Ethnicity.choices, blank=True
    )
    education = models.CharField(
        _("education"), max_length=30, choices=Education.choices, blank=True
    )
    # Fernet token and keyed digest of the ID number (people.crypto); both empty without one.
    id_number_token = models.TextField(blank=True, editable=False)
    id_number_digest = models.CharField(max_length=64, blank=True, editable=False)
    mobile = models.CharField(_("mobile phone"), max_length=20, blank=True)
    category = models.CharField(
        pgettext_lazy("party membership", "category"),
        max_length=20,
        choices=Category.choices,
        default=Category.FULL,
    )
    joined_on = models.DateField(_("joined the party on"), null=True, blank=True)
    full_member_on = models.DateField(_("full member since"), null=True, blank=True)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    # The account of a person who also signs in (a unit secretary): set by the services.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    leaving_reason = models.CharField(
        _("reason for leaving"), max_length=20, choices=LeavingReason.choices, blank=True
    )
    # When the personal fields were erased after the retention period (people.retention).
    erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True)
    name_pinyin = models.CharField(max_length=300, blank=True, editable=False, db_index=True)
    name_initials = models.CharField(max_length=60, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name_pinyin", "pk"]
        # The register's order within a county: a page of a county's register reads its rows
        # in order, not a walk through every county's names (issue 20).
        indexes = [models.Index(fields=["county", "name_pinyin", "id"], name="people_county_order")]
        constraints = [
            models.UniqueConstraint(
                # Per county: a person transferred out of one county stays in its register
                # (until the retention erasure) while the next county registers them.
                fields=["county", "id_number_digest"],
                condition=~Q(id_number_digest=""),
                name="people_person_unique_id_number",
                violation_error_message=_(
                    "A person with this ID number is already registered in the county."
                ),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True, leaving_reason="")
                | (Q(left_on__isnull=False) & ~Q(leaving_reason="")),
                name="people_person_left_with_reason",
                violation_error_message=_("A person who left has both a date and a reason."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_pinyin = name_pinyin(self.name)[:300]
        self.name_initials = name_initials(self.name)[:60]
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_pinyin", "name_initials"}
        super().save(*args, **kwargs)

    @property
    def id_number(self) -> str:
        """The plain ID number (decrypted on each access), or "" without one. Show it only
        through people.masking, or on the audited page."""
        return crypto.decrypt(self.id_number_token) if self.id_number_token else ""

    def set_id_number(self, number: str) -> None:
        """Store a validated, normalized number (people.idnumber) encrypted, with its digest."""
        self.id_number_token = crypto.encrypt(number) if number else ""
        self.id_number_digest = crypto.digest(number) if number else ""

    @property
    def has_left(self) -> bool:
        return self.left_on is not None


class Membership(Period):
    """A person's party organization (组织关系) for a period: from `effective_from` (inclusive) to
    `effective_to` (exclusive; empty while it holds). A transfer closes one row and opens the
    next; at most one row is open per person."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        "zones.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="person_memberships",
    )

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="person__county")

    class Meta:
        verbose_name = _("unit membership")
        verbose_name_plural = _("unit memberships")
        ordering = ["person", "-effective_from"]
        indexes = [models.Index(fields=["unit", "effective_from", "effective_to"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(effective_to__isnull=True),
                name="people_membership_one_open_per_person",
                violation_error_message=_("This person already belongs to a unit."),
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gt=models.F("effective_from")),
                name="people_membership_period_positive",
                violation_error_message=_("A membership ends after it begins."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.unit}"


class Post(Period):
    """A person's post in a unit's party organization for a period (书记, 副书记, 委员,
    党务工作者). A unit has at most one open secretary."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="posts"
    )
    unit = models.ForeignKey(
        "zones.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="person_posts"
    )
    kind = models.CharField(_("post"), max_length=20, choices=PostKind.choices)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="person__county")

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["unit", "kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(effective_to__isnull=True, kind=PostKind.SECRETARY),
                name="people_post_one_open_secretary_per_unit",
                violation_error_message=_("This unit already has a secretary."),
            ),
            models.UniqueConstraint(
                fields=["person", "unit", "kind"],
                condition=Q(effective_to__isnull=True),
                name="people_post_one_open_per_person_unit_kind",
                violation_error_message=_("This person already holds this post in the unit."),
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gt=models.F("effective_from")),
                name="people_post_period_positive",
                violation_error_message=_("A post ends after it begins."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.unit}{bracketed(self.get_kind_display())}"


class CadreProfile(models.Model):
    """A cadre's entry in the service-team pool (干部动态信息库): what they bring to a team."""

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="cadre_profile"
    )
    years_of_party_work = models.PositiveSmallIntegerField(
        _("years of party-affairs experience"), default=0
    )
    # people.constants.Strength values, several.
    strengths = models.JSONField(_("strengths"), default=list, blank=True)
    training = models.TextField(_("training received"), blank=True, max_length=2000)
    available = models.BooleanField(_("available for a service team"), default=False)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="person__county")

    class Meta:
        verbose_name = _("cadre profile")
        verbose_name_plural = _("cadre profiles")

    def __str__(self) -> str:
        return str(self.person)


# How long the personal fields of a person who left are kept (people.retention): ten years,
# the shorter fixed retention period (定期10年) of a party organ's records
# (《机关文件材料归档范围和文书档案保管期限规定》, 国家档案局令第8号). The member's own file
# (党员档案) is kept by the organization department under its own rules; the portal holds a
# working copy, which it needs no longer than the records of the work it counted.
RETENTION_DEFAULT_YEARS = 10
RETENTION_MAX_YEARS = 30


class RetentionPolicy(models.Model):
    """A county's retention period for the personal fields of people who left (set by its
    staff; without a row, `RETENTION_DEFAULT_YEARS`)."""

    county = models.OneToOneField(
        "counties.County",
        verbose_name=_("county"),
        on_delete=models.CASCADE,
        related_name="register_retention",
    )
    years = models.PositiveSmallIntegerField(
        _("years kept after leaving"),
        default=RETENTION_DEFAULT_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(RETENTION_MAX_YEARS)],
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")

    def __str__(self) -> str:
        return f"{self.county}: {self.years}"


class PracticalMatter(models.Model):
    """A person's record of service (服务记录): one small practical matter (微实事) or service they
    did for people, logged once through whichever mechanism it came from (`source`: a service
    team's matter, a 双报到 service, a fulfilled micro-wish claim), which keeps its own context
    row pointing here (teams.MicroMatter, education.CommunityService, wishes.Claim). It counts
    in every mechanism's figure the person falls under once it is confirmed (`confirmed_at`),
    by whichever route (`confirmed_via`): a deed is one row, counted by each figure once."""

    person = models.ForeignKey(
        Person, verbose_name=_("done by"), on_delete=models.PROTECT, related_name="matters"
    )
    done_on = models.DateField(_("done on"))
    category = models.CharField(
        _("category"),
        max_length=12,
        choices=MatterCategory.choices,
        default=MatterCategory.OTHER,
    )
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0)], default=0
    )
    people_served = models.PositiveIntegerField(_("people served"), default=0)
    description = models.CharField(_("what was done"), max_length=300)
    place = models.CharField(_("where"), max_length=100, blank=True)
    unit = models.ForeignKey(
        "zones.Unit",
        verbose_name=_("organization served"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(_("logged through"), max_length=12, choices=MatterSource.choices)
    # None only for a record migrated from a claim, which kept no recorder.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_via = models.CharField(
        _("confirmed"), max_length=12, choices=ConfirmedVia.choices, blank=True
    )

    objects = ScopedManager(county="person__county")

    class Meta:
        verbose_name = _("small practical matter")
        verbose_name_plural = _("small practical matters")
        ordering = ["-done_on", "-pk"]
        indexes = [models.Index(fields=["done_on"], name="people_matter_done_on")]

    def __str__(self) -> str:
        return self.description

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None
