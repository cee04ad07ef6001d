"""The reader's county scope around every request (counties.scoping)."""

from __future__ import annotations

from django_scopes import scope

from .scoping import scope_of


class CountyScopeMiddleware:
    """Runs the view (and the rendering of its response) inside the reader's county scope:
    a person of a county sees their county's records only, city staff and the administrators'
    sites every county, anyone else none. Set for every request, so that a test's disabled
    scopes do not reach the pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with scope(county=scope_of(request.user)):
            return self.get_response(request)
