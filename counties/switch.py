"""The county a page reads (`?county=<GB/T 2260 code>`): city staff read every county's pages
read-only and choose one with the switch (the city dashboard's links carry it); a person of a
county may name only their own. A county the reader may not read, or a code of no county,
answers 404, as any page outside the reader's scope does.

`request.county_read` is the county named (None without the switch); the county scope of the
request's queries (counties.scoping, set by CountyScopeMiddleware before this one) narrows to
it, so a city reader's grid, ledger or finding list shows that county alone."""

from __future__ import annotations

from django.http import Http404

from .models import County
from .rules import may_read_county
from .scoping import county_scope

PARAMETER = "county"


def county_asked(request) -> County | None:
    """The county `?county=` names, None without it; 404 when the reader may not read it."""
    code = request.GET.get(PARAMETER)
    if code is None or not getattr(request.user, "is_authenticated", False):
        return None
    county = County.objects.filter(code=code.strip()[:6]).first() if code.strip() else None
    if county is None or not may_read_county(request.user, county):
        raise Http404
    return county


class CountySwitchMiddleware:
    """Sets `request.county_read` from `?county=` (404 for a county the reader may not
    read) and runs the view in that county's scope."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.county_read = county_asked(request)
        if request.county_read is None:
            return self.get_response(request)
        with county_scope(request.county_read):
            return self.get_response(request)
