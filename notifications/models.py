from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from counties.models import CountySettings
from counties.scoping import ScopedManager

from .constants import Kind


class Notification(models.Model):
    """A reminder, escalation or digest for one person (通知提醒). The key (recipient, kind,
    subject, period) is unique in the database, so a beat tick run twice or a task delivered twice
    sends nothing twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # The county of its subject (a finding, an activity, a zone-month); empty for what is the
    # deployment's (a sign-in lockout told to a security administrator).
    county = models.ForeignKey(
        "counties.County",
        verbose_name=_("county"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    subject = models.CharField(
        _("subject"), max_length=80, help_text=_("What it is about, e.g. finding:12")
    )
    period = models.CharField(
        _("period"), max_length=40, help_text=_("e.g. 2026-10, 2026-W44, 2026-10-10")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    in_app = models.BooleanField(_("shown in the portal"), default=True)
    email_wanted = models.BooleanField(_("email wanted"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_queued_at = models.DateTimeField(_("email queued at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject", "period"],
                name="notifications_once_per_period",
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.title}"

    def save(self, *args, **kwargs):
        # Written without a county (not through notifications_send, which names the subject's):
        # the recipient's, so a county's person still sees it in their county's scope.
        if self.county_id is None and self.recipient_id is not None:
            self.county_id = self.recipient.county_id
        super().save(*args, **kwargs)


class Preference(models.Model):
    """A person's channel choice for one kind of notification (通知方式). Without a row, the
    default applies: in the portal yes, email no."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    in_app = models.BooleanField(_("in the portal"), default=True)
    email = models.BooleanField(_("by email"), default=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notifications_pref_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()}"


class ReminderSettings(CountySettings):
    """Lead times of the reminders, in working days (提醒设置): a county's own row, edited by its
    staff in the admin; the defaults until it saves one (`for_county`)."""

    host_days_before_month = models.PositiveSmallIntegerField(
        _("remind the host unit this many working days before its month"), default=5
    )
    host_last_days_of_month = models.PositiveSmallIntegerField(
        _("remind the host unit in the month's last working days"), default=3
    )
    confirmation_wait_days = models.PositiveSmallIntegerField(
        _("remind the lead unit when an activity waits this many working days"), default=3
    )
    visit_days_before = models.PositiveSmallIntegerField(
        _("remind checkers this many working days before a visit"), default=2
    )
    finding_days_before_deadline = models.PositiveSmallIntegerField(
        _("remind the responsible unit this many working days before a deadline"), default=3
    )
    digest_weekday = models.PositiveSmallIntegerField(
        _("weekday of the staff digest (0 = Monday)"), default=0
    )

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")


class Heartbeat(models.Model):
    """Last sign of life of a background process (worker, beat, sweep), for /healthz."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.at:%Y-%m-%d %H:%M:%S}"
