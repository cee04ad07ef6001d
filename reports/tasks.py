from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from counties.scoping import every_county, in_county_of, over_each_county

from . import services
from .models import RollupReport


@shared_task(bind=True, name="reports.generate", soft_time_limit=600, time_limit=900, max_retries=3)
def generate_report(self, report_id: int) -> bool:
    """Generate the report. Delivered again while another run holds the claim (the pool child
    was killed and the message came back at once), it comes back when that lease expires and
    then finishes the report itself."""
    with in_county_of(RollupReport, report_id):  # the report's county's figures only
        if services.report_generate(report_id=report_id):
            return True
        left = services.report_lease_left(report_id=report_id)
    if left is not None:
        raise self.retry(countdown=left.total_seconds() + 1)
    return False


@shared_task(
    bind=True, name="reports.generate_city", soft_time_limit=600, time_limit=900, max_retries=3
)
def generate_city_report(self, report_id: int) -> bool:
    """Generate the city report, each county's figures in that county's scope
    (reports.figures.city_figures); redelivered while another run holds the claim, it comes
    back when that lease expires, as `generate_report` does."""
    with every_county():  # the city's own rows; each county's figures in its own scope
        if services.city_report_generate(report_id=report_id):
            return True
        left = services.city_report_lease_left(report_id=report_id)
    if left is not None:
        raise self.retry(countdown=left.total_seconds() + 1)
    return False


@shared_task(name="reports.request_due", soft_time_limit=120, time_limit=300)
def request_due_reports(day: str | None = None) -> int | None:
    """Daily: request the reports of periods that have just closed, each county's and the
    city's. Recorded in the schedule's ledger (notifications.schedule), so a tick lost while
    Redis was down is made up."""
    import datetime

    from core.scheduled import slot_run

    slot = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return slot_run(
        job="reports.request_due",
        slot=slot,
        run=lambda d: _due(d),
    )


def _due(day) -> int:
    """Each county's due reports in its own scope, then the city's across them."""
    counties = over_each_county(lambda: len(services.reports_due(today=day)))
    with every_county():
        return counties + len(services.city_reports_due(today=day))


@shared_task(name="reports.sweep", soft_time_limit=60, time_limit=120)
def sweep_reports() -> int:
    with every_county():
        return services.reports_sweep()
