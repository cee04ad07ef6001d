"""The reader's county scope around every request (counties.scoping)."""

from __future__ import annotations

from django.http import Http404
from django_scopes import scope

from .mechanisms import SHARED_PAGES, URL_NAMESPACES, reader_runs
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

    def process_view(self, request, view_func, view_args, view_kwargs):
        """The pages of a mechanism the reader's county does not run answer 404 to its
        people: the county has not switched it on (or has switched it off)."""
        match = getattr(request, "resolver_match", None)
        mechanism = URL_NAMESPACES.get(match.namespaces[0]) if match and match.namespaces else None
        opened_by = SHARED_PAGES.get(match.view_name) if match else None
        if opened_by is None:
            opened_by = {mechanism} if mechanism is not None else set()
        authenticated = request.user.is_authenticated
        if opened_by and authenticated and not any(reader_runs(request.user, m) for m in opened_by):
            raise Http404
        return None
