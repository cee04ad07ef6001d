from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.constants import DOCUMENT_LENGTH
from core.periods import Period, period_label
from counties.scoping import ScopedManager
from zones.models import Zone

from .constants import PeriodKind, ReportState


class RollupReport(models.Model):
    """A roll-up report (汇总报表) of one period, for the county or one zone. Its figures are
    kept as of generation, so later corrections never rewrite a report already produced;
    regenerating makes a new version."""

    county = models.ForeignKey(
        "counties.County",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    zone = models.ForeignKey(
        Zone,
        verbose_name=_("zone"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    state = models.CharField(
        _("state"), max_length=12, choices=ReportState.choices, default=ReportState.REQUESTED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    narrative = models.TextField(_("narrative"), blank=True, max_length=DOCUMENT_LENGTH)
    excel = models.FileField(_("Excel file"), upload_to="reports/%Y/", blank=True, max_length=200)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    # The lease of the generation under way: a report still generating long after it was
    # claimed lost its worker (killed) and is claimed again (reports.services.report_generate).
    claimed_at = models.DateTimeField(_("generation started at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("generation attempts"), default=0)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("roll-up report")
        verbose_name_plural = _("roll-up reports")
        ordering = ["-period_start", "kind", "zone__number", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period_start", "zone", "version"],
                name="reports_zone_version_unique",
            ),
            # NULL zone (the county report) would not collide above; this one covers it.
            models.UniqueConstraint(
                fields=["county", "kind", "period_start", "version"],
                condition=models.Q(zone__isnull=True),
                name="reports_county_version_unique_per_county",
            ),
        ]

    def __str__(self) -> str:
        scope = self.zone.name if self.zone_id else _("County")
        return f"{scope} {self.period_label} v{self.version}"

    @property
    def period(self) -> Period:
        return Period(self.kind, self.period_start, self.period_end)

    @property
    def period_label(self) -> str:
        return period_label(self.period)

    @property
    def is_editable(self) -> bool:
        return self.state == ReportState.READY
