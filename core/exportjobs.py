"""Large exports in the Celery worker (issue 20): no request holds a web worker for seconds.

An export that may be large registers a *builder* under its `EXPORTS` name (`@builder("…")`):
`build(user, query, selected) -> Made`, the sheets (a `core.excel.StreamedSheet` for a ledger),
the file's name and format, and how many rows it will write. Its view answers with
`offer(request, name)`: the builder runs in the request; up to `EXPORT_WORKER_ROWS` rows the file
is streamed at once, as before (`core.excel.download`); beyond, an `ExportJob` row is written (who,
which export, the query string or the admin's selected records, the request's county scope, the
row count) and the task `core.export_job` is published after commit, and the reader is sent to
the job's page, which refreshes itself while the worker writes (rows done of the total) and shows
the download link when it is ready.

The task runs the same builder, in the job's county scope and the requester's name, and writes
the same file to the default storage (where the reports' files are). It claims the job with a
conditional update, so a task delivered twice, or retried while another run holds the job,
writes the file once; a run whose worker was killed leaves its claim to lapse after the lease
(`core.queue.lease`), and the task comes back (or the sweep republishes it) and writes it again.
A failure is on the job's page with the reason, and its requester may ask again (`job_retry`).

A job's file is its requester's only (`jobs_of`: anyone else gets 404), is served as the reports'
files are (`core.uploads.serve_upload`, so the audit trail records the download as an export),
and is deleted `EXPORT_RETENTION_HOURS` after it was written (`jobs_sweep`, run by beat).

Core imports no app: the county scope is django-scopes' value as the request left it, and the
builders are found by importing each installed app's `exports` module."""

from __future__ import annotations

import datetime
import logging
import tempfile
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.http import HttpResponseBase, QueryDict
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext
from django_scopes import get_scope, scope

from .excel import AnySheet, Sheet, StreamedSheet, download, write_file
from .models import ExportJob

logger = logging.getLogger(__name__)

State = ExportJob.State

# A run cut short this many times (its worker killed each time) is marked failed.
MAX_ATTEMPTS = 3


@dataclass
class Made:
    """What a builder gives: the sheets, the file's name (no extension) and format, and the
    number of rows it will write (a callable: one COUNT query, asked only by `offer`)."""

    sheets: AnySheet | Sequence[AnySheet]
    name: str
    rows: Callable[[], int]
    file_format: Literal["xlsx", "csv"] = "xlsx"


Builder = Callable[[Any, QueryDict, Any], Made]
BUILDERS: dict[str, Builder] = {}
_discovered = False


def builder(name: str) -> Callable[[Builder], Builder]:
    """Register the builder of the export `name` (its `EXPORTS` name)."""

    def register(build: Builder) -> Builder:
        BUILDERS[name] = build
        return build

    return register


def builder_of(name: str) -> Builder:
    """The builder of `name`; the worker finds it by importing each app's `exports` module."""
    global _discovered
    if name not in BUILDERS and not _discovered:
        autodiscover_modules("exports")
        _discovered = True
    return BUILDERS[name]


def threshold() -> int:
    return settings.EXPORT_WORKER_ROWS


def _request_scope() -> Any:
    """The request's county scope as JSON: an id, None (every county) or [] (none)."""
    current = get_scope()
    return current.get("county") if current.get("_enabled", True) else None


def offer(
    request, name: str, *, selected: Any = None, query: QueryDict | None = None
) -> HttpResponseBase:
    """The export `name` for the request: streamed at once up to the threshold, else a job for
    the worker and a redirect to its page. `selected`: the records an admin action was given
    (their ids), for an export of a selection rather than of a filter."""
    query = request.GET if query is None else query
    made = builder_of(name)(request.user, query, selected)
    rows = made.rows()
    if rows <= threshold():
        return download(made.sheets, name=made.name, file_format=made.file_format)
    job = job_request(
        user=request.user,
        export=name,
        title=made.name,
        file_format=made.file_format,
        query=query.urlencode(),
        selected=selected,
        scope=_request_scope(),
        rows=rows,
    )
    return redirect("export_job", job.pk)


# --- selectors --------------------------------------------------------------------------------


def jobs_of(user) -> QuerySet[ExportJob]:
    """The export jobs `user` may see: their own only (anyone else's is a 404)."""
    if not getattr(user, "is_authenticated", False):
        return ExportJob.objects.none()
    return ExportJob.objects.filter(user=user)


# --- services ---------------------------------------------------------------------------------


def _publish(job_id: int) -> None:
    from .queue import enqueue_on_commit
    from .tasks import export_job_run

    enqueue_on_commit(export_job_run, job_id)


@transaction.atomic
def job_request(
    *,
    user,
    export: str,
    title: str,
    file_format: str,
    query: str = "",
    selected: Any = None,
    scope: Any = None,
    rows: int = 0,
) -> ExportJob:
    """Write the job, then publish its task after commit (the sweep republishes a job the
    broker never took)."""
    job = ExportJob.objects.create(
        user=user,
        export=export,
        title=title[:200],
        file_format=file_format,
        query=query,
        selected=selected,
        scope=scope,
        rows_total=rows,
    )
    _publish(job.pk)
    return job


def job_retry(*, job: ExportJob) -> bool:
    """Ask again for a job that failed: it waits for the worker again, its attempts counted
    anew. Anything else (waiting, being written, ready, expired) changes nothing."""
    with transaction.atomic():
        again = ExportJob.objects.filter(pk=job.pk, state=State.FAILED).update(
            state=State.QUEUED, attempts=0, error="", rows_done=0, finished_at=None
        )
        if again:
            _publish(job.pk)
    return bool(again)


def lease() -> datetime.timedelta:
    from .queue import lease as task_lease
    from .tasks import export_job_run

    return task_lease(export_job_run)


def _claim(job_id: int, now: datetime.datetime) -> bool:
    """Claim the job with a conditional update: a waiting job, or one whose run lost its
    worker (its claim older than the lease) and has attempts left."""
    claimable = Q(state=State.QUEUED) | Q(
        state=State.RUNNING, claimed_at__lt=now - lease(), attempts__lt=MAX_ATTEMPTS
    )
    return bool(
        ExportJob.objects.filter(claimable, pk=job_id).update(
            state=State.RUNNING, claimed_at=now, attempts=F("attempts") + 1, rows_done=0, error=""
        )
    )


def _sheets(made: Made) -> list[AnySheet]:
    sheets = made.sheets
    return [sheets] if isinstance(sheets, Sheet | StreamedSheet) else list(sheets)


def job_run(job_id: int) -> bool:
    """Write the job's file if this call claims it (see the module's docstring). Returns
    whether this call wrote it. A failure marks the job failed with its reason and is raised."""
    now = timezone.now()
    if not _claim(job_id, now):
        return False
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    mine = ExportJob.objects.filter(pk=job_id, state=State.RUNNING, claimed_at=now)
    stored = ""
    try:
        with scope(county=job.scope):
            query = QueryDict(job.query)
            made = builder_of(job.export)(job.user, query, job.selected)
            counts: dict[int, int] = {}
            for index, sheet in enumerate(_sheets(made)):
                if isinstance(sheet, StreamedSheet):

                    def tell(done: int, index: int = index) -> None:
                        counts[index] = done
                        mine.update(rows_done=sum(counts.values()))

                    sheet.progress = tell
            with tempfile.TemporaryFile() as out:
                write_file(made.sheets, out, made.file_format)
                out.seek(0)
                stored = default_storage.save(
                    f"exports/{now:%Y}/{uuid.uuid4().hex}.{job.file_format}", File(out)
                )
    except Exception as exc:
        logger.exception("export job %s failed", job_id)
        mine.update(state=State.FAILED, error=str(exc)[:2000] or type(exc).__name__)
        if stored:
            default_storage.delete(stored)
        raise
    done = mine.update(
        state=State.DONE, file=stored, finished_at=timezone.now(), rows_done=F("rows_total")
    )
    if not done:  # the claim lapsed and another run took the job: its file is the one kept
        default_storage.delete(stored)
    return bool(done)


def job_lease_left(job_id: int) -> datetime.timedelta | None:
    """How long the run under way keeps its claim; None when none is under way."""
    claimed_at = (
        ExportJob.objects.filter(pk=job_id, state=State.RUNNING)
        .values_list("claimed_at", flat=True)
        .first()
    )
    if claimed_at is None:
        return None
    return max(claimed_at + lease() - timezone.now(), datetime.timedelta(0))


def _stopped() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("The worker stopped while writing the file, %(n)d times.") % {
            "n": MAX_ATTEMPTS
        }


def jobs_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Beat's pass (every 10 minutes): delete the files kept past the retention period (the job
    stays, expired, for its requester to read what it was); republish the jobs the broker never
    took; mark failed a job whose every run lost its worker."""
    now = now or timezone.now()
    expired = 0
    old = ExportJob.objects.filter(
        state=State.DONE,
        finished_at__lt=now - datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS),
    )
    for job in old.only("pk", "file"):
        if job.file:
            default_storage.delete(job.file.name)
        # The selection's ids (up to 300,000 of the audit trail's) go with the file.
        expired += ExportJob.objects.filter(pk=job.pk, state=State.DONE).update(
            state=State.EXPIRED, file="", selected=None
        )
    lapsed = now - lease()
    failed = ExportJob.objects.filter(
        state=State.RUNNING, claimed_at__lt=lapsed, attempts__gte=MAX_ATTEMPTS
    ).update(state=State.FAILED, error=_stopped())
    republished = 0
    waiting = ExportJob.objects.filter(
        Q(state=State.QUEUED, created_at__lt=now - datetime.timedelta(minutes=2))
        | Q(state=State.RUNNING, claimed_at__lt=lapsed)
    ).values_list("pk", flat=True)
    from .queue import publish
    from .tasks import export_job_run

    for job_id in waiting:
        republished += publish(export_job_run, job_id)
    return {"expired": expired, "failed": failed, "republished": republished}
