from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(bind=True, name="reports.generate", soft_time_limit=600, time_limit=900, max_retries=3)
def generate_report(self, report_id: int) -> bool:
    """Generate the report. Delivered again while another run holds the claim (the pool child
    was killed and the message came back at once), it comes back when that lease expires and
    then finishes the report itself."""
    if services.report_generate(report_id=report_id):
        return True
    left = services.report_lease_left(report_id=report_id)
    if left is not None:
        raise self.retry(countdown=left.total_seconds() + 1)
    return False


@shared_task(name="reports.request_due", soft_time_limit=120, time_limit=300)
def request_due_reports() -> int:
    """Daily: request the reports of periods that have just closed."""
    return len(services.reports_due(today=timezone.localdate()))


@shared_task(name="reports.sweep", soft_time_limit=60, time_limit=120)
def sweep_reports() -> int:
    return services.reports_sweep()
