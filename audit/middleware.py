"""Audit what a view's response says about the request: permission denials and exports, and
every request of the installation superuser."""

from __future__ import annotations

from urllib.parse import unquote

from .constants import Event, Outcome
from .services import audit_record

EXPORT_TYPES = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "text/csv",
    "application/vnd.ms-excel",
)


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_superuser:
            # The superuser exists for installation only: every use of it is on record.
            audit_record(
                event=Event.SUPERUSER,
                outcome=Outcome.SUCCESS if response.status_code < 400 else Outcome.FAILURE,
                request=request,
                detail=f"{request.method} {request.path} → {response.status_code}",
            )
        if response.status_code == 403:
            audit_record(
                event=Event.PERMISSION_DENIED,
                outcome=Outcome.DENIED,
                request=request,
                detail=f"{request.method} {request.path}",
            )
        elif (
            response.status_code == 200
            and response.get("Content-Type", "").split(";")[0] in EXPORT_TYPES
        ):
            audit_record(
                event=Event.EXPORT,
                outcome=Outcome.SUCCESS,
                request=request,
                # The file's name as the auditor reads it (exports are named in Chinese, RFC 5987).
                detail=unquote(response.get("Content-Disposition", "")),
            )
        return response
