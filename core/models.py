from __future__ import annotations

from typing import Self

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
    # Set by the password policy (accounts.passwords) whenever the password changes; empty when the
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


class Singleton(models.Model):
    """A settings row of which there is exactly one (the security policy, the reminder settings,
    the class review thresholds): stored with primary key 1, never deleted, edited in the admin
    through `core.admin.SingletonAdmin`.

    `load()` is the row in force: the saved one, or — until one is saved — an unsaved row with
    the fields' defaults (reading never writes). A caller that reads it on every request keeps
    its own copy (`accounts.security.stored_policy`)."""

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


class StoredFile(models.Model):
    """The shape of a file a portal record keeps (an activity's or a session's photo or
    document): what core.uploads checked (its content type, name and size) and who uploaded
    it when. A concrete model adds its `file` field (its own folder) and its record; it is served
    only by a view that checks the reader may see that record."""

    mime = models.CharField(_("content type"), max_length=50)
    original_name = models.CharField(_("original name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")


class ExportJob(models.Model):
    """A large export written by the Celery worker instead of in the request (issue 20): who
    asked, which export (a name of `core.excel.EXPORTS` with a worker builder,
    `core.exportjobs.builder`), the filter it was asked with (the page's query string, or the
    selected records of an admin action), the county scope the request read, its progress and
    the file once written. Its file is the requester's only (404 for anyone else) and is deleted
    after `EXPORT_RETENTION_HOURS` by the sweep."""

    class State(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("export job", "Waiting")
        RUNNING = "running", pgettext_lazy("export job", "Being written")
        DONE = "done", pgettext_lazy("export job", "Ready")
        FAILED = "failed", pgettext_lazy("export job", "Failed")
        EXPIRED = "expired", pgettext_lazy("export job", "Expired")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    export = models.CharField(_("export"), max_length=100)
    title = models.CharField(_("file name"), max_length=200)
    file_format = models.CharField(_("format"), max_length=10, default="xlsx")
    query = models.TextField(_("filter"), blank=True)
    selected = models.JSONField(_("selected records"), null=True, blank=True)
    # The county scope of the request (django-scopes' `county`): an id, null for every county,
    # [] for none. The worker writes the file in that scope.
    scope = models.JSONField(_("county scope"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/", blank=True, max_length=200)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True, db_index=True)
    claimed_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title}.{self.file_format}"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(99, self.rows_done * 100 // self.rows_total) if self.rows_total else 0

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED, self.State.EXPIRED)
