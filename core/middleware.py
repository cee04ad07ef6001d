"""What every request passes before any view: where it comes from (behind reverse proxies) and
a query string no page accepts."""

from __future__ import annotations

import ipaddress
import re

from django.conf import settings
from django.core.exceptions import BadRequest


def client_ip(request) -> str | None:
    """The client's address. Each of the `TRUSTED_PROXY_COUNT` reverse proxies in front of the
    portal appends the address it received the request from to X-Forwarded-For, so the client is
    the entry that many places from the right; whatever stands left of it came from the client
    and may be forged. With no trusted proxy the header is ignored. Used by django-axes."""
    if request is None:  # work done outside a request (commands, tasks)
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


# A control character (C0 or DEL), raw or percent-encoded, anywhere in a query string.
CONTROL_IN_QUERY = re.compile(r"[\x00-\x1f\x7f]|%(?:[01][0-9a-fA-F]|7[fF])")


class ControlCharacterInQuery(BadRequest):
    """A query parameter carrying a NUL or another control character: no page of the portal
    takes one, and passed on they break queries (PostgreSQL refuses NUL) or exports."""


class QueryStringMiddleware:
    """Refuses, for every page at once, a query string with a control character (`?kind=%00`)
    with a 400 (templates/400.html says why), before any view or admin filter reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if CONTROL_IN_QUERY.search(request.META.get("QUERY_STRING", "")):
            raise ControlCharacterInQuery("control character in the query string")
        return self.get_response(request)
