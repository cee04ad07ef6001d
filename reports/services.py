"""Requesting, generating, editing and filing roll-up reports."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.periods import Period, period_of
from core.queue import enqueue_on_commit
from counties.scoping import implied_county_id
from zones.models import Zone

from .constants import PeriodKind, ReportState
from .excel import report_workbook
from .figures import report_figures
from .models import RollupReport
from .narrative import draft_narrative

logger = logging.getLogger(__name__)

# A generation that loses its worker this many times (a report that kills the worker?) is
# marked failed rather than tried forever.
MAX_ATTEMPTS = 3


@transaction.atomic
def report_request(
    *, kind: str, day: datetime.date, zone: Zone | None = None, by=None, county=None
) -> RollupReport:
    """Ask for a report of the `kind` period that contains `day`; a new version if one exists.
    The row is written first and the work is queued after commit, so a broker outage loses
    nothing: the sweep picks up reports still waiting. The report is of `zone`'s county, else
    of `county`, else of the county the active scope reads (a county's staff, a task's pass
    over one county)."""
    if kind not in PeriodKind.values:
        raise ValidationError(_("Unknown report period."))
    county_id = zone.county_id if zone is not None else implied_county_id(county=county, by=by)
    if county_id is None:
        raise ValidationError(_("Choose the county of the report."))
    period = period_of(kind, day)
    if period.start > timezone.localdate():
        raise ValidationError(_("That period has not begun."))
    latest = (
        RollupReport.objects.select_for_update()
        .filter(county_id=county_id, kind=kind, period_start=period.start, zone=zone)
        .aggregate(v=Max("version"))["v"]
    )
    report = RollupReport(
        county_id=county_id,
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


def _lease() -> datetime.timedelta:
    from core.queue import lease

    from .tasks import generate_report

    return lease(generate_report)


def _generate(report: RollupReport, today: datetime.date) -> bool:
    """Compute the report and write it in one transaction, only while this run's claim still
    holds: a run that is killed leaves the report as it was (generating, to be claimed again),
    never half-written, and a run whose claim was taken over writes nothing."""
    claim = RollupReport.objects.filter(
        pk=report.pk, state=ReportState.GENERATING, claimed_at=report.claimed_at
    )
    period = Period(report.kind, report.period_start, report.period_end)
    figures = report_figures(period=period, zone=report.zone, today=today)
    claim.update(progress=60)
    narrative = draft_narrative(figures, period_label=report.period_label)
    workbook = report_workbook(figures, title=str(report), narrative=narrative)
    # The file is stored under a name of its own first (storage is not transactional); the row
    # points at it only when the transaction below commits.
    excel = report.excel.storage.save(
        report.excel.field.generate_filename(report, f"report-{report.pk}-v{report.version}.xlsx"),
        ContentFile(workbook),
    )
    with transaction.atomic():
        if not claim.select_for_update().exists():
            report.excel.storage.delete(excel)
            return False
        report.figures = figures
        report.narrative = narrative
        report.excel.name = excel
        report.state = ReportState.READY
        report.progress = 100
        report.generated_at = timezone.now()
        report.save()
    return True


def report_generate(*, report_id: int, today: datetime.date | None = None) -> bool:
    """Generate one requested report. Claimed with a conditional update, so a task delivered
    twice generates it once; a claim whose lease expired (its worker was killed mid-way) is
    claimed again. Returns whether this call did the work."""
    now = timezone.now()
    claimable = Q(state__in=[ReportState.REQUESTED, ReportState.FAILED]) | Q(
        state=ReportState.GENERATING, claimed_at__lt=now - _lease()
    )
    claimed = (
        RollupReport.objects.filter(claimable, pk=report_id)
        .exclude(attempts__gte=MAX_ATTEMPTS, state=ReportState.GENERATING)
        .update(
            state=ReportState.GENERATING,
            progress=5,
            error="",
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
    )
    if claimed != 1:
        return False
    report = RollupReport.objects.select_related("zone").get(pk=report_id)
    today = today or timezone.localdate()
    try:
        # Labels are stored with the figures in the committee's language, so the report reads
        # the same for everyone and forever.
        with translation.override(settings.LANGUAGE_CODE):
            return _generate(report, today)
    except Exception as exc:
        logger.exception("report %s failed", report_id)
        RollupReport.objects.filter(pk=report_id, claimed_at=report.claimed_at).update(
            state=ReportState.FAILED, error=str(exc)[:2000]
        )
        raise


def report_lease_left(*, report_id: int) -> datetime.timedelta | None:
    """How long the generation under way keeps its claim; None when none is under way (the
    report is finished, failed or waiting)."""
    claimed_at = (
        RollupReport.objects.filter(pk=report_id, state=ReportState.GENERATING)
        .values_list("claimed_at", flat=True)
        .first()
    )
    if claimed_at is None:
        return None
    return max(claimed_at + _lease() - timezone.now(), datetime.timedelta(0))


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
    """Queue again the reports that were requested but never picked up (broker down) and those
    whose generation lost its worker (lease expired). One interrupted too often is marked
    failed with the reason instead: staff see it and may generate it again."""
    from core.queue import publish

    from .tasks import generate_report

    now = timezone.now()
    expired = Q(state=ReportState.GENERATING, claimed_at__lt=now - _lease())
    RollupReport.objects.filter(expired, attempts__gte=MAX_ATTEMPTS).update(
        state=ReportState.FAILED,
        error=_("Generation was interrupted %(n)d times (the worker stopped).")
        % {"n": MAX_ATTEMPTS},
    )
    waiting = RollupReport.objects.filter(
        Q(state=ReportState.REQUESTED, requested_at__lt=now - older_than) | expired
    )
    return sum(
        1 for pk in waiting.values_list("pk", flat=True)[:100] if publish(generate_report, pk)
    )
