"""Writing the audit trail. Text from users cannot forge lines: newlines and control
characters are escaped before they are stored."""

from __future__ import annotations

import re

from core.middleware import client_ip

from .models import AuditEvent

__all__ = ["audit_record", "client_ip", "escape_line"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def escape_line(text: str, *, limit: int = 2000) -> str:
    """`a\\nb` stays one line: control characters become visible escapes."""
    text = str(text or "")[:limit]
    return _CONTROL.sub(
        lambda m: {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(
            m.group(), f"\\x{ord(m.group()):02x}"
        ),
        text,
    )


def audit_record(
    *, event: str, outcome: str, request=None, user=None, username: str = "", detail: str = ""
) -> AuditEvent:
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    return AuditEvent.objects.create(
        user=user,
        username=escape_line(username or (user.get_username() if user else ""), limit=150),
        ip=client_ip(request),
        event=event,
        outcome=outcome,
        path=escape_line(request.get_full_path() if request is not None else "", limit=300),
        detail=escape_line(detail),
    )
