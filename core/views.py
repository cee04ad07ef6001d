"""Views of core: the 400 page, and the pages of the large exports written by the worker."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET, require_POST

from .middleware import ControlCharacterInQuery


def _bad_request_reason(exception) -> str:
    """What was wrong with a refused request, in the user's words: which limit was passed. Never
    what was sent (the request may carry anything)."""
    if isinstance(exception, TooManyFilesSent):
        return _("At most %(limit)d files can be uploaded at once.") % {
            "limit": settings.DATA_UPLOAD_MAX_NUMBER_FILES
        }
    if isinstance(exception, RequestDataTooBig):
        return _("The form's text is larger than the limit of %(limit)s (files not counted).") % {
            "limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        }
    if isinstance(exception, TooManyFieldsSent):
        return _("The form sent more than %(limit)d fields.") % {
            "limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        }
    if isinstance(exception, ControlCharacterInQuery):
        return _("The address contains a control character, which no page accepts.")
    return _("The request could not be understood.")


@requires_csrf_token
def bad_request(request, exception):
    """The 400 page (handler400): Django's own renders without the request, so it could say
    neither who asks nor why."""
    return render(request, "400.html", {"reason": _bad_request_reason(exception)}, status=400)


# --- large exports written by the worker (core.exportjobs, issue 20) --------------------------


def _job(request, pk: int):
    from django.shortcuts import get_object_or_404

    from .exportjobs import jobs_of

    return get_object_or_404(jobs_of(request.user), pk=pk)


@login_required
@require_GET
def export_job(request, pk: int):
    """An export job's page, its requester's only: its progress while the worker writes it
    (core/export_job.js reads the page again every few seconds), the download link when it is
    ready, the reason and a retry button when it failed."""
    job = _job(request, pk)
    return render(
        request,
        "core/export_job.html",
        {"job": job, "refresh": not job.finished, "retention": settings.EXPORT_RETENTION_HOURS},
    )


@login_required
@require_GET
def export_job_download(request, pk: int):
    """The job's file, to its requester only (404 otherwise, and while it is not ready)."""
    from .excel import MIME_TYPES
    from .uploads import serve_upload

    job = _job(request, pk)
    if job.state != job.State.DONE or not job.file:
        raise Http404
    response = serve_upload(
        job.file,
        download_name=str(job),
        mime=MIME_TYPES.get(job.file_format, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def export_job_retry(request, pk: int):
    """Ask again for a job that failed; anything else is left as it is, with a message."""
    from django.contrib import messages

    from .exportjobs import job_retry

    job = _job(request, pk)
    if job_retry(job=job):
        messages.success(request, _("The export was asked for again."))
    else:
        messages.error(request, _("Only a failed export can be asked for again."))
    return redirect("export_job", job.pk)
