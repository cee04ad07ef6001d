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
from counties.models import City
from counties.scoping import implied_county_id
from zones.models import Zone

from .constants import PeriodKind, ReportState
from .document import city_report_title
from .excel import city_workbook, report_workbook
from .figures import city_figures, report_figures
from .models import CityReport, RollupReport
from .narrative import draft_city_narrative, draft_narrative

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


def _lease(task=None) -> datetime.timedelta:
    from core.queue import lease

    from .tasks import generate_report

    return lease(task or generate_report)


def _write_generated(claim, report, *, figures: dict, narrative: str, workbook: bytes) -> bool:
    """Write what was computed in one transaction, only while this run's claim still holds: a
    run that is killed leaves the report as it was (generating, to be claimed again), never
    half-written, and a run whose claim was taken over writes nothing."""
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


def _generate(report: RollupReport, today: datetime.date) -> bool:
    claim = RollupReport.objects.filter(
        pk=report.pk, state=ReportState.GENERATING, claimed_at=report.claimed_at
    )
    period = Period(report.kind, report.period_start, report.period_end)
    figures = report_figures(period=period, zone=report.zone, county=report.county, today=today)
    claim.update(progress=60)
    narrative = draft_narrative(figures, period_label=report.period_label)
    workbook = report_workbook(figures, title=str(report), narrative=narrative)
    return _write_generated(claim, report, figures=figures, narrative=narrative, workbook=workbook)


def _claim(model, report_id: int, lease: datetime.timedelta) -> bool:
    """Claim the generation of a report of `model` (a county or a city report) with a
    conditional update, so a task delivered twice generates it once; a claim whose lease
    expired (its worker was killed mid-way) is claimed again."""
    now = timezone.now()
    claimable = Q(state__in=[ReportState.REQUESTED, ReportState.FAILED]) | Q(
        state=ReportState.GENERATING, claimed_at__lt=now - lease
    )
    claimed = (
        model.objects.filter(claimable, pk=report_id)
        .exclude(attempts__gte=MAX_ATTEMPTS, state=ReportState.GENERATING)
        .update(
            state=ReportState.GENERATING,
            progress=5,
            error="",
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
    )
    return claimed == 1


def _run_claimed(report, generate) -> bool:
    """Run `generate()` for the claimed `report` in the committee's language; a failure marks
    the report failed with the reason (while this run still holds the claim) and is raised."""
    try:
        # Labels are stored with the figures in the committee's language, so the report reads
        # the same for everyone and forever.
        with translation.override(settings.LANGUAGE_CODE):
            return generate()
    except Exception as exc:
        logger.exception("%s %s failed", report._meta.model_name, report.pk)
        type(report).objects.filter(pk=report.pk, claimed_at=report.claimed_at).update(
            state=ReportState.FAILED, error=str(exc)[:2000]
        )
        raise


def report_generate(*, report_id: int, today: datetime.date | None = None) -> bool:
    """Generate one requested report (claimed as `_claim` says). Returns whether this call did
    the work."""
    if not _claim(RollupReport, report_id, _lease()):
        return False
    report = RollupReport.objects.select_related("zone", "county").get(pk=report_id)
    today = today or timezone.localdate()
    return _run_claimed(report, lambda: _generate(report, today))


def _lease_left(model, report_id: int, lease: datetime.timedelta) -> datetime.timedelta | None:
    claimed_at = (
        model.objects.filter(pk=report_id, state=ReportState.GENERATING)
        .values_list("claimed_at", flat=True)
        .first()
    )
    if claimed_at is None:
        return None
    return max(claimed_at + lease - timezone.now(), datetime.timedelta(0))


def report_lease_left(*, report_id: int) -> datetime.timedelta | None:
    """How long the generation under way keeps its claim; None when none is under way (the
    report is finished, failed or waiting)."""
    return _lease_left(RollupReport, report_id, _lease())


@transaction.atomic
def report_narrative_save(
    *, report: RollupReport | CityReport, narrative: str, by=None
) -> RollupReport | CityReport:
    """Save the edited narrative of a generated report (a county's or the city's) that is not
    filed yet."""
    report = type(report).objects.select_for_update().get(pk=report.pk)
    if report.state != ReportState.READY:
        raise ValidationError(_("Only a generated report that is not filed yet can be edited."))
    text = (narrative or "").strip()
    if not text:
        raise ValidationError(_("The narrative cannot be empty."))
    report.narrative = text[:20000]
    report.save(update_fields=["narrative"])
    return report


@transaction.atomic
def report_file(*, report: RollupReport | CityReport, by) -> RollupReport | CityReport:
    """File the report (a county's or the city's): from now on it is read-only; a correction
    is a new version. Filing a filed report changes nothing."""
    report = type(report).objects.select_for_update().get(pk=report.pk)
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
    """Queue again the reports (county and city) that were requested but never picked up
    (broker down) and those whose generation lost its worker (lease expired). One interrupted
    too often is marked failed with the reason instead: staff see it and may generate it
    again."""
    from .tasks import generate_city_report, generate_report

    return _sweep(RollupReport, generate_report, older_than) + _sweep(
        CityReport, generate_city_report, older_than
    )


def _sweep(model, task, older_than: datetime.timedelta) -> int:
    from core.queue import publish

    now = timezone.now()
    expired = Q(state=ReportState.GENERATING, claimed_at__lt=now - _lease(task))
    model.objects.filter(expired, attempts__gte=MAX_ATTEMPTS).update(
        state=ReportState.FAILED,
        error=_("Generation was interrupted %(n)d times (the worker stopped).")
        % {"n": MAX_ATTEMPTS},
    )
    waiting = model.objects.filter(
        Q(state=ReportState.REQUESTED, requested_at__lt=now - older_than) | expired
    )
    return sum(1 for pk in waiting.values_list("pk", flat=True)[:100] if publish(task, pk))


# --- city reports -------------------------------------------------------------------------------


@transaction.atomic
def city_report_request(
    *, kind: str, day: datetime.date, by=None, city: City | None = None
) -> CityReport:
    """Ask for the city report of the `kind` period that contains `day` (of `city`, else the
    deployment's one city); a new version if one exists. Written first and queued after
    commit, as a county report is."""
    if kind not in PeriodKind.values:
        raise ValidationError(_("Unknown report period."))
    city = city or City.objects.order_by("code").first()
    if city is None:
        raise ValidationError(_("There is no city to report on."))
    period = period_of(kind, day)
    if period.start > timezone.localdate():
        raise ValidationError(_("That period has not begun."))
    latest = (
        CityReport.objects.select_for_update()
        .filter(city=city, kind=kind, period_start=period.start)
        .aggregate(v=Max("version"))["v"]
    )
    report = CityReport(
        city=city,
        kind=kind,
        period_start=period.start,
        period_end=period.end,
        version=(latest or 0) + 1,
        requested_by=by,
    )
    report.full_clean()
    report.save()
    from .tasks import generate_city_report

    enqueue_on_commit(generate_city_report, report.pk)
    return report


def _city_lease() -> datetime.timedelta:
    from .tasks import generate_city_report

    return _lease(generate_city_report)


def _generate_city(report: CityReport, today: datetime.date) -> bool:
    claim = CityReport.objects.filter(
        pk=report.pk, state=ReportState.GENERATING, claimed_at=report.claimed_at
    )
    figures = city_figures(city=report.city, period=report.period, today=today)
    claim.update(progress=60)
    narrative = draft_city_narrative(figures, period_label=report.period_label)
    workbook = city_workbook(figures, title=city_report_title(report), narrative=narrative)
    return _write_generated(claim, report, figures=figures, narrative=narrative, workbook=workbook)


def city_report_generate(*, report_id: int, today: datetime.date | None = None) -> bool:
    """Generate one requested city report: claimed, leased and written exactly as a county
    report (`report_generate`). Returns whether this call did the work."""
    if not _claim(CityReport, report_id, _city_lease()):
        return False
    report = CityReport.objects.select_related("city").get(pk=report_id)
    today = today or timezone.localdate()
    return _run_claimed(report, lambda: _generate_city(report, today))


def city_report_lease_left(*, report_id: int) -> datetime.timedelta | None:
    """How long the city report's generation under way keeps its claim (None: none is)."""
    return _lease_left(CityReport, report_id, _city_lease())


def city_reports_due(*, today: datetime.date) -> list[CityReport]:
    """After each period closes, request the city's report of it once (the scheduled run, as
    `reports_due` for the counties): a version already requested for that period — by city
    staff or an earlier run — means nothing to do. Only a city of several counties has city
    reports (counties.rules.hosts_several_counties)."""
    from counties.models import County

    if County.objects.count() < 2:
        return []
    created = []
    for city in City.objects.order_by("code"):
        for kind in PeriodKind.values:
            period = period_of(kind, today).previous()
            if CityReport.objects.filter(city=city, kind=kind, period_start=period.start).exists():
                continue
            created.append(city_report_request(kind=kind, day=period.start, city=city))
    return created
