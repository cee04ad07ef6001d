"""Service teams (党建工作服务队, 双带): teams of cadres from the register's pool, anchored "一类+"
by a first-class organization, the organizations each guides over time, their guidance visits
(四看三听两提, on a supervision checklist; the problems raised are supervision findings), the
yearly rotation, small practical matters (微实事) and reminder talks (谈话提醒).

Every relation that changes over time (a member on a team, an organization with a team) is a
row with `effective_from` (inclusive) and `effective_to` (exclusive, empty while it holds),
as the zones' memberships: reassigning closes one row and opens the next, never rewriting the
past, so results are credited to the team of their date.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.constants import PARAGRAPH_LENGTH, TEXT_LENGTH
from counties.scoping import ScopedManager
from zones.models import Period

from .constants import (
    DEFAULT_CONTACT_EVERY_DAYS,
    DEFAULT_THRESHOLD,
    DEFAULT_VISIT_EVERY_DAYS,
    DEFAULT_WEIGHTS,
    BrandLevel,
    ContactWay,
    Prize,
    RotationState,
    TeamRole,
    TrainingKind,
)

USER = settings.AUTH_USER_MODEL


class Team(models.Model):
    """A service team (服务队), anchored by a first-class organization ("一类+")."""

    county = models.ForeignKey(
        "counties.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=60)
    anchor_unit = models.ForeignKey(
        "zones.Unit",
        verbose_name=_("anchor organization (first class)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    formed_on = models.DateField(_("formed on"))
    created_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("service team")
        verbose_name_plural = _("service teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"],
                name="teams_team_unique_name",
                violation_error_message=_("The county already has a team of this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(Period):
    """A person of the register on a team for a period, as its captain or a member."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=10, choices=TeamRole.choices)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="team__county")

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team", "role", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(effective_to__isnull=True),
                name="teams_member_one_open_team_per_person",
                violation_error_message=_("This person is already on a team."),
            ),
            models.UniqueConstraint(
                fields=["team"],
                condition=Q(effective_to__isnull=True, role=TeamRole.CAPTAIN),
                name="teams_member_one_open_captain",
                violation_error_message=_("This team already has a captain."),
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gt=models.F("effective_from")),
                name="teams_member_period_positive",
                violation_error_message=_("A membership ends after it begins."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.team}"


class Assignment(Period):
    """An organization guided by a team for a period. One open row per organization; the
    history of rows, never an "active" flag, says which team guided it on a day."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="assignments"
    )
    unit = models.ForeignKey(
        "zones.Unit", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="team__county")

    class Meta:
        verbose_name = _("team assignment")
        verbose_name_plural = _("team assignments")
        ordering = ["unit", "-effective_from"]
        indexes = [models.Index(fields=["unit", "effective_from", "effective_to"])]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(effective_to__isnull=True),
                name="teams_assignment_one_open_per_unit",
                violation_error_message=_("This organization is already guided by a team."),
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gt=models.F("effective_from")),
                name="teams_assignment_period_positive",
                violation_error_message=_("An assignment ends after it begins."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} → {self.team}"


class GuidanceVisit(models.Model):
    """A team's guidance visit (下沉指导) of an organization by 四看三听两提: what it looked at
    and heard, on a supervision checklist's sheet (`sheet`); the problems it raised are that
    sheet's findings, in the supervision app's rectification flow."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="visits"
    )
    unit = models.ForeignKey(
        "zones.Unit", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    visited_on = models.DateField(_("visited on"))
    sheet = models.OneToOneField(
        "supervision.ScoreSheet",
        verbose_name=_("checklist"),
        on_delete=models.PROTECT,
        related_name="guidance_visit",
    )
    went = models.ManyToManyField(
        "people.Person", verbose_name=_("members who went"), related_name="+", blank=True
    )
    # 四看: responsibility, organizational life, venues, member education and management
    looked = models.TextField(_("what we looked at (四看)"), blank=True, max_length=TEXT_LENGTH)
    # 三听
    heard_secretary = models.TextField(
        _("the secretary's account"), blank=True, max_length=TEXT_LENGTH
    )
    heard_members = models.TextField(_("the members' views"), blank=True, max_length=TEXT_LENGTH)
    heard_recipients = models.TextField(
        _("the service recipients' requests"), blank=True, max_length=TEXT_LENGTH
    )
    # 两提: the problems are findings; the suggestions are said here
    suggestions = models.TextField(_("suggestions"), blank=True, max_length=PARAGRAPH_LENGTH)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="team__county")

    class Meta:
        verbose_name = _("guidance visit")
        verbose_name_plural = _("guidance visits")
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["team", "visited_on"])]

    def __str__(self) -> str:
        return f"{self.team} → {self.unit} ({self.visited_on})"


class Contact(models.Model):
    """A contact of a team with an organization it guides (联系记录): a call, a WeChat message
    or a word on site, and a line of what about. The county's contact rule
    (`TeamPolicy.contact_every_days`) counts these and the guidance visits."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="contacts"
    )
    unit = models.ForeignKey(
        "zones.Unit", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    contacted_on = models.DateField(_("contacted on"))
    way = models.CharField(_("way"), max_length=10, choices=ContactWay.choices)
    what = models.CharField(_("what about"), max_length=200)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="team__county")

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-contacted_on", "-pk"]
        indexes = [models.Index(fields=["team", "unit", "contacted_on"])]

    def __str__(self) -> str:
        return f"{self.team} → {self.unit} ({self.contacted_on})"


class Rotation(models.Model):
    """The yearly rotation (每年轮换一次): a proposed organization ↔ team map for `year`,
    confirmed by staff on `effective_on`, when it closes the assignments and opens new ones."""

    county = models.ForeignKey(
        "counties.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(
        _("state"), max_length=10, choices=RotationState.choices, default=RotationState.PROPOSED
    )
    effective_on = models.DateField(_("effective from"))
    notes = models.JSONField(_("rules not kept"), default=list, blank=True)
    proposed_by = models.ForeignKey(
        USER, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        USER,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("rotation")
        verbose_name_plural = _("rotations")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year"],
                name="teams_one_rotation_per_year",
                violation_error_message=_("A rotation of this year already exists."),
            )
        ]

    def __str__(self) -> str:
        return str(self.year)


class RotationLine(models.Model):
    """One organization of a rotation: its team now and the one proposed."""

    rotation = models.ForeignKey(
        Rotation, verbose_name=_("rotation"), on_delete=models.CASCADE, related_name="lines"
    )
    unit = models.ForeignKey(
        "zones.Unit", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    previous_team = models.ForeignKey(
        Team,
        verbose_name=_("team now"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    team = models.ForeignKey(
        Team, verbose_name=_("proposed team"), on_delete=models.PROTECT, related_name="+"
    )
    kept = models.BooleanField(_("keeps its team (in rectification)"), default=False)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="rotation__county")

    class Meta:
        verbose_name = _("rotation line")
        verbose_name_plural = _("rotation lines")
        ordering = ["rotation", "team__name", "unit__name_pinyin"]
        constraints = [
            models.UniqueConstraint(fields=["rotation", "unit"], name="teams_rotation_unit_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.previous_team} → {self.team}"


class MicroMatter(models.Model):
    """A small practical matter (微实事) a team member did for people, credited to their team; the
    captain confirms. The deed itself (who, when, what, hours, people served, confirmation) is
    the person's record of service, `people.PracticalMatter`, which this row points at: the
    teams' context is the team the matter was logged for."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="matters"
    )
    matter = models.OneToOneField(
        "people.PracticalMatter",
        verbose_name=_("small practical matter"),
        on_delete=models.CASCADE,
        related_name="team_matter",
    )

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="team__county")

    class Meta:
        verbose_name = _("small practical matter")
        verbose_name_plural = _("small practical matters")
        ordering = ["-matter__done_on", "-pk"]

    def __str__(self) -> str:
        return str(self.matter)


class ReminderTalk(models.Model):
    """A reminder talk (谈话提醒) held with a member flagged below the county's threshold."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="talks"
    )
    year = models.PositiveSmallIntegerField(_("year assessed"))
    held_on = models.DateField(_("held on"))
    outcome = models.CharField(_("outcome"), max_length=300)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="team__county")

    class Meta:
        verbose_name = _("reminder talk")
        verbose_name_plural = _("reminder talks")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.person} ({self.held_on})"


class TeamPolicy(models.Model):
    """A county's settings of its service teams: the scorecard's weights, the threshold under
    which a member is flagged for a reminder talk, and how often each organization is to be
    visited (the contact rule)."""

    county = models.OneToOneField(
        "counties.County",
        verbose_name=_("county"),
        on_delete=models.CASCADE,
        # the team page reads the policy with the team (Team.county.team_policy)
        related_name="team_policy",
    )
    weight_visit = models.PositiveSmallIntegerField(
        _("points per visit"), default=DEFAULT_WEIGHTS["visit"]
    )
    weight_rectified = models.PositiveSmallIntegerField(
        _("points per problem rectified"), default=DEFAULT_WEIGHTS["rectified"]
    )
    weight_promoted = models.PositiveSmallIntegerField(
        _("points per organization moved up"), default=DEFAULT_WEIGHTS["promoted"]
    )
    weight_matter = models.PositiveSmallIntegerField(
        _("points per small practical matter"), default=DEFAULT_WEIGHTS["matter"]
    )
    weight_activity = models.PositiveSmallIntegerField(
        _("points per joint activity of a guided organization"),
        default=DEFAULT_WEIGHTS["activity"],
    )
    weight_brand = models.PositiveSmallIntegerField(
        _("points per brand of a guided organization"), default=DEFAULT_WEIGHTS["brand"]
    )
    weight_training = models.PositiveSmallIntegerField(
        _("points per training or contest taken part in"), default=DEFAULT_WEIGHTS["training"]
    )
    weight_prize = models.PositiveSmallIntegerField(
        _("points per prize won"), default=DEFAULT_WEIGHTS["prize"]
    )
    threshold = models.PositiveSmallIntegerField(
        _("a member below this score gets a reminder talk"), default=DEFAULT_THRESHOLD
    )
    visit_every_days = models.PositiveSmallIntegerField(
        _("visit each organization every (days)"),
        default=DEFAULT_VISIT_EVERY_DAYS,
        validators=[MinValueValidator(1)],
    )
    # the weekly contact (每周联系) besides the visit: a contact log entry or a visit counts
    contact_every_days = models.PositiveSmallIntegerField(
        _("contact each organization every (days)"),
        default=DEFAULT_CONTACT_EVERY_DAYS,
        validators=[MinValueValidator(1)],
    )

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("service team settings")
        verbose_name_plural = _("service team settings")

    def __str__(self) -> str:
        return str(self.county)


class Brand(models.Model):
    """A party-building brand (党建品牌) an organization was recognized for, on a day: it
    counts for the team that guided the organization that day."""

    unit = models.ForeignKey(
        "zones.Unit", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("brand"), max_length=100)
    level = models.CharField(
        _("recognized by"), max_length=10, choices=BrandLevel.choices, default=BrandLevel.COUNTY
    )
    recognized_on = models.DateField(_("recognized on"))
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="unit__county")

    class Meta:
        verbose_name = _("party-building brand")
        verbose_name_plural = _("party-building brands")
        ordering = ["-recognized_on", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="teams_brand_unique_per_unit",
                violation_error_message=_("This organization already has a brand of this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Training(models.Model):
    """A training class, seminar or knowledge contest (培训班、研讨、知识竞赛) for the teams'
    people, with its participants and their results."""

    county = models.ForeignKey(
        "counties.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=TrainingKind.choices)
    title = models.CharField(_("title"), max_length=120)
    held_on = models.DateField(_("date held"))
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("training or contest")
        verbose_name_plural = _("trainings and contests")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class TrainingEntry(models.Model):
    """A person who took part in a training or contest, with their result and prize."""

    training = models.ForeignKey(
        Training, verbose_name=_("training"), on_delete=models.CASCADE, related_name="entries"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("participant"), on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(_("result"), max_length=100, blank=True)
    prize = models.CharField(
        _("prize"), max_length=10, choices=Prize.choices, default=Prize.NONE, blank=True
    )

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="training__county")

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["training", "person__name_pinyin"]
        constraints = [
            models.UniqueConstraint(
                fields=["training", "person"],
                name="teams_training_person_once",
                violation_error_message=_("This person is already a participant."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.training}"
