"""Supervision (督导): checklists, quarterly mutual checks within a zone (季度互督), half-year
cross-zone patrols (半年交叉巡回督导), what they find and its rectification (问题整改), and the
settings of the class review (争先进位).

A score sheet copies each criterion's text and maximum score into its lines when it is created,
so editing a checklist template later never changes a finished check's score.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.constants import PARAGRAPH_LENGTH, TEXT_LENGTH
from core.periods import half_label, quarter_label
from counties.models import CountySettings
from counties.scoping import ScopedManager
from zones.models import Unit, Zone

from .constants import (
    CheckState,
    FindingState,
    Half,
    RoundState,
    Severity,
    SheetState,
    Source,
)

USER = settings.AUTH_USER_MODEL


class ChecklistTemplate(models.Model):
    """A supervision checklist (督导清单): criteria in groups, following 四看三听两提. Staff edit
    templates in the admin; a new version is a copy (`based_on`) so past checks keep theirs.

    A template is a county's own (its checks use it), or, with no county, the city's default,
    which a county copies with one action (`services.checklist_copy_default`) and then edits;
    a county that starts its first check with none of its own gets that copy."""

    county = models.ForeignKey(
        "counties.County",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the city's default, which a county copies to edit its own."),
    )
    name = models.CharField(_("name"), max_length=100)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_active = models.BooleanField(_("in use for new checks"), default=True)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises. The city's
    # defaults (no county) are read with the scope lifted (`city_defaults`).
    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name", "version"],
                condition=Q(county__isnull=False),
                name="supervision_template_version_per_county",
            ),
            models.UniqueConstraint(
                fields=["name", "version"],
                condition=Q(county__isnull=True),
                name="supervision_template_version_of_city",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @classmethod
    def city_defaults(cls):
        """The city's default templates (no county), whatever the scope."""
        return cls.objects.with_scopes_disabled().filter(county__isnull=True)

    @property
    def max_total(self) -> Decimal:
        return sum((c.max_score for g in self.groups.all() for c in g.criteria.all()), Decimal("0"))


class CriterionGroup(models.Model):
    """A group of criteria, e.g. one of the four "looks" (四看)."""

    template = models.ForeignKey(
        ChecklistTemplate,
        verbose_name=_("template"),
        on_delete=models.CASCADE,
        related_name="groups",
    )
    title = models.CharField(_("title"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="template__county")

    class Meta:
        verbose_name = _("criterion group")
        verbose_name_plural = _("criterion groups")
        ordering = ["template", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    """One item to check, with its maximum score and guidance for the checker."""

    group = models.ForeignKey(
        CriterionGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="criteria"
    )
    text = models.CharField(_("criterion"), max_length=300)
    max_score = models.DecimalField(
        _("maximum score"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    guidance = models.TextField(
        _("guidance for the checker"), blank=True, max_length=PARAGRAPH_LENGTH
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="group__template__county")

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["group__position", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class MutualCheck(models.Model):
    """A zone's quarterly mutual check (季度互督), organized by its lead unit. Its pairing
    (checker → checked) is the set of its score sheets."""

    zone = models.ForeignKey(
        Zone, verbose_name=_("zone"), on_delete=models.PROTECT, related_name="mutual_checks"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("checklist"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=12, choices=CheckState.choices, default=CheckState.DRAFT
    )
    organized_by = models.ForeignKey(
        USER, verbose_name=_("organized by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        USER,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="zone__county")

    class Meta:
        verbose_name = _("quarterly mutual check")
        verbose_name_plural = _("quarterly mutual checks")
        ordering = ["-year", "-quarter", "zone__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "year", "quarter"],
                name="supervision_one_check_per_zone_quarter",
                violation_error_message=_("This zone already has a mutual check that quarter."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.zone} {self.period_label}"

    @property
    def period_label(self) -> str:
        return quarter_label(self.year, self.quarter)

    @property
    def is_published(self) -> bool:
        return self.state == CheckState.PUBLISHED


class PatrolRound(models.Model):
    """A half-year round of cross-zone patrol supervision (半年交叉巡回督导) of one county's
    zones, opened by its staff."""

    county = models.ForeignKey(
        "counties.County",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(_("half-year"), choices=Half.choices)
    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("checklist"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=12, choices=RoundState.choices, default=RoundState.DRAFT
    )
    plan_note = models.TextField(_("notes on the plan"), blank=True, max_length=PARAGRAPH_LENGTH)
    opened_by = models.ForeignKey(
        USER, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("results released at"), null=True, blank=True)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("patrol round")
        verbose_name_plural = _("patrol rounds")
        ordering = ["-year", "-half"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year", "half"],
                name="supervision_one_round_per_half_per_county",
                violation_error_message=_("A patrol round for this half-year already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.period_label

    @property
    def period_label(self) -> str:
        return half_label(self.year, self.half)


class PatrolTeam(models.Model):
    """A patrol team (巡回督导组) visiting one zone: led by a work-committee leader and staffed
    by secretaries of another zone's units. Records the visit and the "three listens" (三听)."""

    round = models.ForeignKey(
        PatrolRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="teams"
    )
    visited_zone = models.ForeignKey(
        Zone, verbose_name=_("zone visited"), on_delete=models.PROTECT, related_name="+"
    )
    from_zone = models.ForeignKey(
        Zone, verbose_name=_("members from zone"), on_delete=models.PROTECT, related_name="+"
    )
    leader = models.ForeignKey(
        USER, verbose_name=_("team leader"), on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField(
        USER,
        verbose_name=pgettext_lazy("patrol team", "members"),
        related_name="patrol_teams",
        blank=True,
    )
    visit_date = models.DateField(_("visit date"), null=True, blank=True)
    # 三听: the secretary's account, the members' views, the service recipients' requests.
    heard_secretary = models.TextField(
        _("the secretary's account"), blank=True, max_length=TEXT_LENGTH
    )
    heard_members = models.TextField(_("the members' views"), blank=True, max_length=TEXT_LENGTH)
    heard_recipients = models.TextField(
        _("the service recipients' requests"), blank=True, max_length=TEXT_LENGTH
    )

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="round__county")

    class Meta:
        verbose_name = _("patrol team")
        verbose_name_plural = _("patrol teams")
        ordering = ["round", "visited_zone__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "visited_zone"], name="supervision_one_team_per_zone_round"
            ),
            models.CheckConstraint(
                condition=~Q(visited_zone=models.F("from_zone")),
                name="supervision_team_not_own_zone",
                violation_error_message=_("A zone does not supervise itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.from_zone} → {self.visited_zone}"


class ScoreSheet(models.Model):
    """A score sheet (评分表) one checker fills for one checked unit: in a mutual check the
    checker is a unit of the zone, in a patrol it is the team."""

    mutual_check = models.ForeignKey(
        MutualCheck,
        verbose_name=_("mutual check"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sheets",
    )
    team = models.ForeignKey(
        PatrolTeam,
        verbose_name=_("patrol team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sheets",
    )
    checker_unit = models.ForeignKey(
        Unit,
        verbose_name=_("checker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_unit = models.ForeignKey(
        Unit, verbose_name=_("checked unit"), on_delete=models.PROTECT, related_name="+"
    )
    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("checklist"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=12, choices=SheetState.choices, default=SheetState.OPEN
    )
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=1, default=0)
    max_total = models.DecimalField(_("maximum"), max_digits=6, decimal_places=1, default=0)
    submitted_by = models.ForeignKey(
        USER,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="checked_unit__county")

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(mutual_check__isnull=False, team__isnull=True, checker_unit__isnull=False)
                )
                | Q(mutual_check__isnull=True, team__isnull=False, checker_unit__isnull=True)
                # a service team's guidance visit (teams.GuidanceVisit points at the sheet)
                | Q(mutual_check__isnull=True, team__isnull=True, checker_unit__isnull=True),
                name="supervision_sheet_one_source",
            ),
            models.UniqueConstraint(
                fields=["mutual_check", "checked_unit"], name="supervision_checked_once_per_check"
            ),
            models.UniqueConstraint(
                fields=["mutual_check", "checker_unit"], name="supervision_checks_once_per_check"
            ),
            models.UniqueConstraint(
                fields=["team", "checked_unit"], name="supervision_one_sheet_per_team_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.checker_unit or self.team} → {self.checked_unit}"

    @property
    def source(self) -> str:
        if self.mutual_check_id:
            return Source.MUTUAL_CHECK
        return Source.PATROL if self.team_id else Source.GUIDANCE

    @property
    def is_open(self) -> bool:
        return self.state == SheetState.OPEN

    @property
    def percent(self) -> Decimal | None:
        if not self.max_total:
            return None
        return (self.total * 100 / self.max_total).quantize(Decimal("0.1"))


class ScoreLine(models.Model):
    """A criterion as it stood when the sheet was created, and the score given against it."""

    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("score sheet"), on_delete=models.CASCADE, related_name="lines"
    )
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("criterion"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    group_title = models.CharField(_("group"), max_length=100)
    text = models.CharField(_("criterion"), max_length=300)
    guidance = models.TextField(
        _("guidance for the checker"), blank=True, max_length=PARAGRAPH_LENGTH
    )
    max_score = models.DecimalField(_("maximum score"), max_digits=5, decimal_places=1)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="sheet__checked_unit__county")

    class Meta:
        verbose_name = _("score line")
        verbose_name_plural = _("score lines")
        ordering = ["sheet", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=models.F("max_score")),
                name="supervision_score_within_max",
                violation_error_message=_("A score must lie between 0 and the maximum."),
            )
        ]

    def __str__(self) -> str:
        return self.text


def _evidence_path(instance, filename: str) -> str:
    return f"supervision/{filename}"


class Evidence(models.Model):
    """A photo or PDF kept as evidence (佐证材料), checked by `core.uploads` and served only
    through views that check who asks."""

    file = models.FileField(_("file"), upload_to=_evidence_path)
    original_name = models.CharField(_("file name"), max_length=200)
    mime = models.CharField(_("type"), max_length=60)
    uploaded_by = models.ForeignKey(
        USER, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class SheetEvidence(Evidence):
    """Evidence attached to a score sheet (评分佐证材料)."""

    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("score sheet"), on_delete=models.CASCADE, related_name="evidence"
    )

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="sheet__checked_unit__county")

    class Meta(Evidence.Meta):
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")


class SeverityPolicy(models.Model):
    """How many working days a unit of a county has to rectify a finding of a severity: the
    county's own rows, edited by its staff (the admin shows a county's three rows, made with the
    defaults the first time); a severity without a row takes `DEFAULT_RECTIFY_WORKDAYS`. Read
    through `supervision.selectors.rectify_workdays`."""

    county = models.ForeignKey(
        "counties.County",
        verbose_name=_("county"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    severity = models.CharField(_("severity"), max_length=12, choices=Severity.choices)
    workdays = models.PositiveSmallIntegerField(
        _("working days to rectify"), validators=[MinValueValidator(1)]
    )

    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("rectification deadline")
        verbose_name_plural = _("rectification deadlines")
        ordering = ["workdays"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "severity"], name="severity_policy_one_per_county"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_severity_display()}: {self.workdays}"


class Finding(models.Model):
    """A problem found by a check (发现问题), which becomes a rectification item (整改事项) with
    a responsible unit and a deadline in working days once the check's results are released
    (`raised_on`). A closed finding is never edited: a correction is a new finding that
    names it in `corrects`. Overdue is derived (see selectors), never stored."""

    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("score sheet"), on_delete=models.PROTECT, related_name="findings"
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    responsible_unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )
    # Empty for a service team's finding in a county that runs no zones (the teams app).
    zone = models.ForeignKey(
        Zone,
        verbose_name=_("zone"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    description = models.TextField(_("problem"), max_length=PARAGRAPH_LENGTH)
    suggestion = models.TextField(_("suggestion"), blank=True, max_length=PARAGRAPH_LENGTH)
    severity = models.CharField(
        _("severity"), max_length=12, choices=Severity.choices, default=Severity.GENERAL
    )
    state = models.CharField(
        _("state"), max_length=12, choices=FindingState.choices, default=FindingState.OPEN
    )
    raised_on = models.DateField(_("raised on"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    created_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # The working days (core.workdays: holidays and 调休) between the dates, kept as facts of
    # the raising and the closing so "5 working days from when?" can be checked on every page
    # and export without reading the calendar again: the policy's allowance that set the
    # deadline, and the working days from raising to closing.
    workdays_allowed = models.PositiveSmallIntegerField(
        _("working days to rectify"), null=True, blank=True
    )
    workdays_taken = models.PositiveSmallIntegerField(
        _("working days taken"), null=True, blank=True
    )

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="responsible_unit__county")

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["state", "deadline"]),
            # The findings raised in a period, each problem once (a correction is a finding of
            # its own): the city's and the reports' figures read a half-year of 25,000 findings
            # at 20 counties, which without it is a scan of every year's (issue 20).
            models.Index(
                fields=["raised_on"],
                condition=Q(corrects__isnull=True),
                name="finding_raised_uncorrected",
            ),
            # The same for one county's units (the county dashboard's raised and rectified
            # counts): without it PostgreSQL read every county's findings of the year by date
            # and joined them to the county's units, a cost that grew with the city.
            models.Index(
                fields=["responsible_unit", "raised_on"],
                condition=Q(corrects__isnull=True),
                name="finding_unit_raised",
            ),
            # The findings of a county's units still open, by deadline (the county dashboard's
            # open and overdue counts): without it PostgreSQL read every finding its units were
            # ever given and kept the few not closed, a cost that grew with the years.
            models.Index(
                fields=["responsible_unit", "deadline"],
                condition=Q(corrects__isnull=True) & ~Q(state=FindingState.CLOSED),
                name="finding_unit_open",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:40]

    @property
    def is_closed(self) -> bool:
        return self.state == FindingState.CLOSED


class FindingEvent(models.Model):
    """One step of a finding's life: who moved it from which state to which, when and why."""

    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), on_delete=models.CASCADE, related_name="events"
    )
    from_state = models.CharField(
        _("from"), max_length=12, choices=FindingState.choices, blank=True
    )
    to_state = models.CharField(_("to"), max_length=12, choices=FindingState.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(USER, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="finding__responsible_unit__county")

    class Meta:
        verbose_name = _("finding event")
        verbose_name_plural = _("finding history")
        ordering = ["finding", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class FindingEvidence(Evidence):
    """Evidence of a finding's rectification (整改佐证)."""

    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), on_delete=models.CASCADE, related_name="evidence"
    )

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="finding__responsible_unit__county")

    class Meta(Evidence.Meta):
        verbose_name = _("rectification evidence")
        verbose_name_plural = _("rectification evidence")


class ClassReviewThreshold(CountySettings):
    """The thresholds of the class review (争先进位): a county's own row, edited by its staff in
    the admin; the defaults until it saves one (`for_county`).

    A unit is suggested first class when its average score reaches `first_min_score` percent
    and it has no more than `first_max_overdue` overdue findings; second class at
    `second_min_score` and `second_max_overdue`; third class otherwise."""

    first_min_score = models.DecimalField(
        _("first class: minimum average score (%)"), max_digits=4, decimal_places=1, default=90
    )
    first_max_overdue = models.PositiveSmallIntegerField(
        _("first class: most overdue findings"), default=0
    )
    second_min_score = models.DecimalField(
        _("second class: minimum average score (%)"), max_digits=4, decimal_places=1, default=75
    )
    second_max_overdue = models.PositiveSmallIntegerField(
        _("second class: most overdue findings"), default=2
    )

    class Meta:
        verbose_name = _("class review thresholds")
        verbose_name_plural = _("class review thresholds")
