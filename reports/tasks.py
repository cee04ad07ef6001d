from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="reports.generate", soft_time_limit=600, time_limit=900, max_retries=2)
def generate_report(report_id: int) -> bool:
    return services.report_generate(report_id=report_id)


@shared_task(name="reports.request_due", soft_time_limit=120, time_limit=300)
def request_due_reports() -> int:
    """Daily: request the reports of periods that have just closed."""
    return len(services.reports_due(today=timezone.localdate()))


@shared_task(name="reports.sweep", soft_time_limit=60, time_limit=120)
def sweep_reports() -> int:
    return services.reports_sweep()
