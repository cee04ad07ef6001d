"""The six classrooms (六大课堂) of member education: classrooms as a county's data, the study
rules of each year, sessions and who attended them, a unit's party-group meetings (第一议题)
and 双报到 (organ members reporting to a community).

Every model is county-owned and scoped (counties.scoping): an unscoped query raises.
Study hours are never stored: the hours engine (education.hours) computes them from the
sessions and attendances under the rules of the year, so a corrected rule or attendance
changes every figure at once.
"""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.constants import LINE_LENGTH, TEXT_LENGTH
from core.models import StoredFile
from counties.scoping import ScopedManager

from . import constants as c


def _qr_key() -> str:
    return secrets.token_urlsafe(16)


HOURS = {"max_digits": 6, "decimal_places": 1}


class Classroom(models.Model):
    """One of a county's classrooms: the six seeded (education.services.classrooms_ensure),
    renamed or added to by the county's staff. A classroom with sessions is never deleted,
    only retired (`active`)."""

    county = models.ForeignKey(
        "counties.County",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="classrooms",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=c.ClassroomKind.choices)
    name = models.CharField(_("name"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("classroom")
        verbose_name_plural = _("classrooms")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"],
                name="education_classroom_unique_name",
                violation_error_message=_("The county already has a classroom of this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class StudyRules(models.Model):
    """A county's study-hour rules from a year on (versioned by year: the rules of a year are
    the latest row of that year or before; without one, the defaults of education.constants)."""

    county = models.ForeignKey(
        "counties.County",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="study_rules",
    )
    year = models.PositiveSmallIntegerField(
        _("in force from the year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    hours_per_day = models.DecimalField(
        _("study hours per day of off-job training"), default=c.DEFAULT_HOURS_PER_DAY, **HOURS
    )
    hours_per_half_day = models.DecimalField(
        _("study hours per half day"), default=c.DEFAULT_HOURS_PER_HALF_DAY, **HOURS
    )
    hours_per_hour = models.DecimalField(
        _("study hours per hour of branch study or online course"),
        default=c.DEFAULT_HOURS_PER_HOUR,
        **HOURS,
    )
    member_hours = models.DecimalField(
        _("yearly requirement of a member"), default=c.DEFAULT_MEMBER_HOURS, **HOURS
    )
    officer_hours = models.DecimalField(
        _("yearly requirement of a secretary or committee member"),
        default=c.DEFAULT_OFFICER_HOURS,
        **HOURS,
    )
    cadre_hours = models.DecimalField(
        _("yearly requirement of a cadre"), default=c.DEFAULT_CADRE_HOURS, **HOURS
    )
    reregister_months = models.PositiveSmallIntegerField(
        _("months a 双报到 registration holds"),
        default=c.DEFAULT_REREGISTER_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
    external_cap = models.DecimalField(
        _("yearly cap of imported online study hours (0: no cap)"),
        default=c.DEFAULT_EXTERNAL_CAP,
        **HOURS,
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
        verbose_name = _("study rules")
        verbose_name_plural = _("study rules")
        ordering = ["county", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year"],
                name="education_rules_one_per_year",
                violation_error_message=_("The county already has rules from this year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.year}"


class Session(models.Model):
    """A study session (学习教育活动) of a classroom: organized by one or more units (none for
    a county-wide session of the committee's), with the people expected (Attendance rows,
    made when the session is created)."""

    county = models.ForeignKey(
        "counties.County",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="study_sessions",
    )
    classroom = models.ForeignKey(
        Classroom, verbose_name=_("classroom"), on_delete=models.PROTECT, related_name="sessions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=c.SessionKind.choices)
    topic = models.CharField(_("topic"), max_length=LINE_LENGTH)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    duration = models.DecimalField(
        _("duration"),
        validators=[MinValueValidator(Decimal("0.5"))],
        **HOURS,
    )
    duration_unit = models.CharField(
        _("duration in"),
        max_length=10,
        choices=c.DurationUnit.choices,
        default=c.DurationUnit.HOURS,
    )
    place = models.CharField(_("place"), max_length=LINE_LENGTH, blank=True)
    speaker = models.CharField(_("speaker"), max_length=60, blank=True)
    units = models.ManyToManyField(
        "zones.Unit", verbose_name=_("organizing units"), related_name="study_sessions", blank=True
    )
    audience = models.CharField(
        _("people expected"), max_length=10, choices=c.Audience.choices, default=c.Audience.UNITS
    )
    audience_post = models.CharField(_("post"), max_length=20, blank=True)
    # 第一议题: the four things the rules require are the topic, the form (kind), the
    # attendees (the attendances) and this summary.
    summary = models.TextField(_("summary"), max_length=TEXT_LENGTH, blank=True)
    qr_key = models.CharField(max_length=40, default=_qr_key, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("study session")
        verbose_name_plural = _("study sessions")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["county", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="education_session_ends_after_start",
                violation_error_message=_("A session ends after it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.topic

    @property
    def is_first_topic(self) -> bool:
        return self.kind == c.SessionKind.FIRST_TOPIC

    @property
    def first_day(self) -> datetime.date:
        return timezone.localtime(self.starts_at).date()

    @property
    def last_day(self) -> datetime.date:
        return timezone.localtime(self.ends_at).date()

    def sign_in_window(self) -> tuple[datetime.datetime, datetime.datetime]:
        opens = self.starts_at - datetime.timedelta(minutes=c.SIGN_IN_OPENS_BEFORE_MINUTES)
        return opens, self.ends_at


class Attendance(models.Model):
    """An expected person's attendance of a session, with the proof of how it was recorded."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="study_attendances",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=c.Status.choices, default=c.Status.EXPECTED
    )
    proof = models.CharField(_("proof"), max_length=10, choices=c.Proof.choices, blank=True)
    # Hours of leave taken during a multi-day course (not counted; beyond 1/7 flags it).
    leave_hours = models.DecimalField(
        _("hours of leave"), default=Decimal(0), validators=[MinValueValidator(0)], **HOURS
    )
    signed_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedManager(county="session__county")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["session", "person__name_pinyin", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                name="education_attendance_once",
                violation_error_message=_("This person is already on the session's roster."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.session}"


class Attachment(StoredFile):
    """A photo or a document of a session (a sign-in sheet, the minutes), under the upload
    rules of core.uploads; served only to who may read the session."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="education/%Y/%m/", max_length=200)

    objects = ScopedManager(county="session__county")


class Meeting(models.Model):
    """A meeting of a unit's party group or committee (党组（党委）会议). Its first item should be
    theory study (第一议题): `first_topic` is the session that recorded it, empty when the
    meeting had none. Compliance is meetings with a 第一议题 over meetings held."""

    unit = models.ForeignKey(
        "zones.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("meeting"), max_length=LINE_LENGTH)
    first_topic = models.OneToOneField(
        Session,
        verbose_name=_("first agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedManager(county="unit__county")

    class Meta:
        verbose_name = _("party-group meeting")
        verbose_name_plural = _("party-group meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class Community(models.Model):
    """A community (社区) that organ members report to (双报到), with its secretaries' accounts
    (`accounts`): they confirm the registrations and services of the members registered with
    it, and publish its needs (需求清单)."""

    county = models.ForeignKey(
        "counties.County",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="communities",
    )
    name = models.CharField(_("community"), max_length=100)
    accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("the community's accounts"),
        related_name="education_communities",
        blank=True,
    )
    town = models.CharField(_("town or street"), max_length=60, blank=True)
    # A community with registrations is deactivated rather than deleted: its records stay, it is
    # offered for no new registration.
    active = models.BooleanField(_("active"), default=True)

    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"],
                name="education_community_unique_name",
                violation_error_message=_("The county already has a community of this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class CommunityRegistration(models.Model):
    """双报到: a serving member of an organ unit registered with a community (报到单), confirmed
    by the community's account. A registration holds for the county's re-registration period
    (StudyRules.reregister_months, half a year by default); re-registering records a new one."""

    unit = models.ForeignKey(
        "zones.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="community_registrations",
    )
    community = models.ForeignKey(
        Community,
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    registered_on = models.DateField(_("registered on"))
    confirmed = models.BooleanField(_("confirmed by the community"), default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedManager(county="unit__county")

    class Meta:
        verbose_name = _("community registration")
        verbose_name_plural = _("community registrations")
        ordering = ["-registered_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.person} → {self.community}"


class CommunityNeed(models.Model):
    """A need a community publishes (需求清单) for registered members to sign up to."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.CASCADE, related_name="needs"
    )
    title = models.CharField(_("need"), max_length=LINE_LENGTH)
    description = models.TextField(_("description"), max_length=TEXT_LENGTH, blank=True)
    wanted = models.PositiveSmallIntegerField(
        _("people wanted"), default=1, validators=[MinValueValidator(1)]
    )
    published_on = models.DateField(_("published on"))
    closed = models.BooleanField(_("closed"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedManager(county="community__county")

    class Meta:
        verbose_name = _("community need")
        verbose_name_plural = _("community needs")
        ordering = ["closed", "-published_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class NeedClaim(models.Model):
    """A registered member's sign-up to a community's need."""

    need = models.ForeignKey(
        CommunityNeed, verbose_name=_("need"), on_delete=models.CASCADE, related_name="claims"
    )
    registration = models.ForeignKey(
        CommunityRegistration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="claims",
    )
    claimed_at = models.DateTimeField(_("signed up at"), auto_now_add=True)

    objects = ScopedManager(county="need__community__county")

    class Meta:
        verbose_name = _("sign-up to a need")
        verbose_name_plural = _("sign-ups to needs")
        ordering = ["claimed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "registration"],
                name="education_need_claimed_once",
                violation_error_message=_("You have already signed up to this need."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration.person} → {self.need}"


class CommunityService(models.Model):
    """A service a registered member did in their community (双报到), confirmed by the
    community. The deed (when, what, hours, a practical matter or a plain service, who
    confirmed it) is the person's record of service, `people.PracticalMatter`, which this row
    points at: the classrooms' context is the registration it was done under and the need it
    answered."""

    registration = models.ForeignKey(
        CommunityRegistration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="services",
    )
    matter = models.OneToOneField(
        "people.PracticalMatter",
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="community_service",
    )
    need = models.ForeignKey(
        CommunityNeed,
        verbose_name=_("need"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="services",
    )

    objects = ScopedManager(county="registration__unit__county")

    class Meta:
        verbose_name = _("community service")
        verbose_name_plural = _("community services")
        ordering = ["-matter__done_on", "-pk"]

    def __str__(self) -> str:
        return str(self.matter)


class ExternalStudy(models.Model):
    """A person's study hours of a year on an outside platform (学习强国, the online cadre
    college), imported from the platform's Excel export (education.importing) and credited to
    the county's cloud classroom. One row per person, platform and year: a later export of the
    same year replaces the earlier figure. The hours engine caps the year's imported hours at
    the rules' `external_cap`."""

    county = models.ForeignKey(
        "counties.County",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="external_study",
    )
    classroom = models.ForeignKey(
        Classroom, verbose_name=_("classroom"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("platform"), max_length=20, choices=c.ExternalSource.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    hours = models.DecimalField(_("study hours"), validators=[MinValueValidator(0)], **HOURS)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("imported study hours")
        verbose_name_plural = _("imported study hours")
        ordering = ["-year", "person__name_pinyin", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "source", "year"], name="education_external_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_source_display()} {self.year}"


class MentorPair(models.Model):
    """A pair of the party-affairs classroom: 老带新 (an experienced party-affairs worker and a
    new one) or 一帮一 (one helping one), from a day to a day (open while it runs), with the
    meetings of the two logged (PairMeeting)."""

    county = models.ForeignKey(
        "counties.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=c.PairKind.choices)
    mentor = models.ForeignKey(
        "people.Person",
        verbose_name=_("mentor"),
        on_delete=models.PROTECT,
        related_name="mentoring",
    )
    mentee = models.ForeignKey(
        "people.Person",
        verbose_name=_("new member or secretary"),
        on_delete=models.PROTECT,
        related_name="mentored_by",
    )
    effective_from = models.DateField(_("from"))
    effective_to = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=LINE_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("mentoring pair")
        verbose_name_plural = _("mentoring pairs")
        ordering = ["-effective_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=models.F("mentee")),
                name="education_pair_two_people",
                violation_error_message=_("A pair is two people."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee}"

    def runs_on(self, day: datetime.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)


class PairMeeting(models.Model):
    """A meeting of a mentoring pair: when, and what they went through."""

    pair = models.ForeignKey(
        MentorPair, verbose_name=_("pair"), on_delete=models.CASCADE, related_name="meetings"
    )
    held_on = models.DateField(_("held on"))
    summary = models.TextField(_("what was done"), max_length=TEXT_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedManager(county="pair__county")

    class Meta:
        verbose_name = _("pair meeting")
        verbose_name_plural = _("pair meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.pair} {self.held_on}"
