from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import Event, Outcome


class AuditEvent(models.Model):
    """One line of the security audit trail (安全审计记录): a login, logout, failed login,
    lockout, permission denial, export or administrator action, with time, user, source address,
    event and outcome. Append-only: on PostgreSQL a trigger refuses UPDATE and DELETE, and
    nobody edits it through the portal. The user is kept by id and name, without a foreign-key
    constraint, so that deleting an account never touches its audit lines."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # Indexed for the audit admin's search (issue 20): an exact address, the beginning of a
    # username or of a path (PostgreSQL's pattern index, which Django adds to a CharField's).
    username = models.CharField(_("username"), max_length=150, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("source address"), null=True, blank=True, db_index=True)
    event = models.CharField(_("event"), max_length=20, choices=Event.choices, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    path = models.CharField(_("path"), max_length=300, blank=True, db_index=True)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.event} {self.outcome}"


class RequestInfo(models.Model):
    """Fields every historical record carries besides simple-history's own: where the change
    came from."""

    ip_address = models.GenericIPAddressField(_("source address"), null=True, blank=True)

    class Meta:
        abstract = True
