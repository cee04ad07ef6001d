"""The snapshots a county that runs its own server sends the city (县级数据快照), and the key
each such county signs them with. The file's format: portal.snapshots."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from counties.scoping import ScopedManager


class SnapshotKey(models.Model):
    """The secret the city gives a county that runs its own server (快照密钥): the county signs
    its snapshots with it (HMAC-SHA256), the city checks them with it. A county with a key is
    self-hosted: its figures on the city's pages come from its snapshots."""

    county = models.OneToOneField(
        "counties.County",
        verbose_name=_("county"),
        on_delete=models.CASCADE,
        related_name="snapshot_key",
    )
    key = models.CharField(
        _("key"),
        max_length=128,
        help_text=_("Give it to the county's system administrator over a safe channel."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("snapshot key")
        verbose_name_plural = _("snapshot keys")

    def __str__(self) -> str:
        return str(self.county)


class SnapshotState(models.TextChoices):
    CURRENT = "current", _("Imported")  # 已导入: the city's pages show it
    RETURNED = "returned", _("Returned for correction")  # 已退回修改


class CountySnapshot(models.Model):
    """One county's figures for one period as its own server sent them (县级数据快照), imported
    by the city. Never overwritten: a snapshot returned for correction stays in the history,
    and the corrected one imported after it supersedes it."""

    county = models.ForeignKey(
        "counties.County",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="snapshots",
    )
    period = models.CharField(
        _("period"), max_length=7, help_text=_("2026-H2, 2026-Q4, 2026-10, 2026")
    )
    figures = models.JSONField(_("figures"))
    document = models.JSONField(_("file as sent"))
    generated_at = models.DateTimeField(_("generated at"))
    responsible = models.CharField(_("responsible person"), max_length=60, blank=True)
    preparer = models.CharField(_("prepared by"), max_length=60, blank=True)
    checksum = models.CharField(_("checksum"), max_length=64)
    state = models.CharField(
        _("state"), max_length=10, choices=SnapshotState.choices, default=SnapshotState.CURRENT
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("returned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.TextField(_("reason for return"), blank=True, max_length=2000)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("county snapshot")
        verbose_name_plural = _("county snapshots")
        ordering = ["county", "-period", "-imported_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "period"],
                condition=Q(state="current"),
                name="portal_one_current_snapshot_per_county_period",
                violation_error_message=_(
                    "The county's snapshot of this period is already imported."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.period}"
