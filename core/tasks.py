"""Core's Celery tasks: the large exports written in the worker (core.exportjobs)."""

from __future__ import annotations

from celery import shared_task

from . import exportjobs


@shared_task(bind=True, name="core.export_job", soft_time_limit=600, time_limit=900, max_retries=3)
def export_job_run(self, job_id: int) -> bool:
    """Write an export job's file. Delivered again while another run holds the claim (the pool
    child was killed and the message came back at once), it comes back when that lease expires
    and then writes the file itself."""
    if exportjobs.job_run(job_id):
        return True
    left = exportjobs.job_lease_left(job_id)
    if left is not None:
        raise self.retry(countdown=left.total_seconds() + 1)
    return False


@shared_task(name="core.export_jobs_sweep", soft_time_limit=120, time_limit=300)
def export_jobs_sweep() -> dict[str, int]:
    """Every 10 minutes: expired files deleted, jobs never picked up republished."""
    return exportjobs.jobs_sweep()
