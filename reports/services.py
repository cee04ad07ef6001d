"""Requesting, generating, editing and filing roll-up reports."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.periods import Period, period_of
from core.queue import enqueue_on_commit
from zones.models import Zone

from .constants import PeriodKind, ReportState
from .excel import report_workbook
from .figures import report_figures
from .models import RollupReport
from .narrative import draft_narrative

logger = logging.getLogger(__name__)


@transaction.atomic
def report_request(
    *, kind: str, day: datetime.date, zone: Zone | None = None, by=None
) -> RollupReport:
    """Ask for a report of the `kind` period that contains `day`; a new version if one exists.
    The row is written first and the work is queued after commit, so a broker outage loses
    nothing: the sweep picks up reports still waiting."""
    if kind not in PeriodKind.values:
        raise ValidationError(_("Unknown report period."))
    period = period_of(kind, day)
    if period.start > timezone.localdate():
        raise ValidationError(_("That period has not begun."))
    latest = (
        RollupReport.objects.select_for_update()
        .filter(kind=kind, period_start=period.start, zone=zone)
        .aggregate(v=Max("version"))["v"]
    )
    report = RollupReport(
        kind=kind,
        period_start=period.start,
        period_end=period.end,
        zone=zone,
        version=(latest or 0) + 1,
        requested_by=by,
    )
    report.full_clean()
    report.save()
    from .tasks import generate_report

    enqueue_on_commit(generate_report, report.pk)
    return report


def _generate(report: RollupReport, today: datetime.date) -> None:
    period = Period(report.kind, report.period_start, report.period_end)
    figures = report_figures(period=period, zone=report.zone, today=today)
    RollupReport.objects.filter(pk=report.pk).update(progress=60)
    narrative = draft_narrative(figures, period_label=report.period_label)
    workbook = report_workbook(figures, title=str(report), narrative=narrative)
    report.figures = figures
    report.narrative = narrative
    report.excel.save(
        f"report-{report.pk}-v{report.version}.xlsx", ContentFile(workbook), save=False
    )
    report.state = ReportState.READY
    report.progress = 100
    report.generated_at = timezone.now()
    report.save()


def report_generate(*, report_id: int, today: datetime.date | None = None) -> bool:
    """Generate one requested report. Claimed with a conditional update, so a task delivered
    twice generates it once. Returns whether this call did the work."""
    claimed = RollupReport.objects.filter(
        pk=report_id, state__in=[ReportState.REQUESTED, ReportState.FAILED]
    ).update(state=ReportState.GENERATING, progress=5, error="")
    if claimed != 1:
        return False
    report = RollupReport.objects.select_related("zone").get(pk=report_id)
    today = today or timezone.localdate()
    try:
        # Labels are stored with the figures in the committee's language, so the report reads
        # the same for everyone and forever.
        with translation.override(settings.LANGUAGE_CODE):
            _generate(report, today)
    except Exception as exc:
        logger.exception("report %s failed", report_id)
        RollupReport.objects.filter(pk=report_id).update(
            state=ReportState.FAILED, error=str(exc)[:2000]
        )
        raise
    return True


@transaction.atomic
def report_narrative_save(*, report: RollupReport, narrative: str, by=None) -> RollupReport:
    report = RollupReport.objects.select_for_update().get(pk=report.pk)
    if report.state != ReportState.READY:
        raise ValidationError(_("Only a generated report that is not filed yet can be edited."))
    text = (narrative or "").strip()
    if not text:
        raise ValidationError(_("The narrative cannot be empty."))
    report.narrative = text[:20000]
    report.save(update_fields=["narrative"])
    return report


@transaction.atomic
def report_file(*, report: RollupReport, by) -> RollupReport:
    """File the report: from now on it is read-only; a correction is a new version."""
    report = RollupReport.objects.select_for_update().get(pk=report.pk)
    if report.state == ReportState.FILED:
        return report
    if report.state != ReportState.READY:
        raise ValidationError(_("Only a generated report can be filed."))
    report.state = ReportState.FILED
    report.filed_by = by
    report.filed_at = timezone.now()
    report.save(update_fields=["state", "filed_by", "filed_at"])
    return report


def reports_due(*, today: datetime.date) -> list[RollupReport]:
    """After each period closes, request the county report and each zone's report once (the
    scheduled run; a version already requested for that period means nothing to do)."""
    created = []
    for kind in PeriodKind.values:
        period = period_of(kind, today).previous()
        for zone in [None, *Zone.objects.order_by("number")]:
            if RollupReport.objects.filter(
                kind=kind, period_start=period.start, zone=zone
            ).exists():
                continue
            created.append(report_request(kind=kind, day=period.start, zone=zone))
    return created


def reports_sweep(*, older_than: datetime.timedelta = datetime.timedelta(minutes=10)) -> int:
    """Queue again the reports that were requested but never picked up (broker down)."""
    from core.queue import publish

    from .tasks import generate_report

    cutoff = timezone.now() - older_than
    waiting = RollupReport.objects.filter(state=ReportState.REQUESTED, requested_at__lt=cutoff)
    return sum(
        1 for pk in waiting.values_list("pk", flat=True)[:100] if publish(generate_report, pk)
    )
