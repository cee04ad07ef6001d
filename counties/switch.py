"""The county a page reads (`?county=<GB/T 2260 code>`): city staff read every county's pages
read-only and choose one with the switch (the city dashboard's links carry it); a person of a
county may name only their own. A county the reader may not read, or a code of no county,
answers 404, as any page outside the reader's scope does.

`request.county_read` is the county named (None without the switch); the county scope of the
request's queries (counties.scoping, set by CountyScopeMiddleware before this one) narrows to
it, so a city reader's grid, ledger or finding list shows that county alone."""

from __future__ import annotations

import functools
import html
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

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
    read), runs the view in that county's scope, and keeps the county in every link of the
    page it answers (`keep_county`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.county_read = county_asked(request)
        if request.county_read is None:
            return self.get_response(request)
        with county_scope(request.county_read):
            response = self.get_response(request)
        return keep_county(response, request.county_read.code)


# --- staying in the county: every link of a county's page keeps `?county=` ------------------
#
# A city reader who follows a figure into a county's grid, dashboard or ledger stays in that
# county while they read on: every link and GET form of the page they read keeps the switch.
# It is added here, once, to the page as it is sent, rather than by each template: the pages'
# bodies are cached and shared by every reader of the county (core.cache), so they cannot
# carry one reader's switch, and a link a template forgets (or a new mechanism's page) would
# drop the reader back into no county. Links out of the county's pages (the city's own pages,
# the accounts, the administrators' sites, static files) are left as they are.

_LINK = re.compile(r'(?P<attr>\b(?:href|action)=")(?P<url>[^"]*)"')
_GET_FORM = re.compile(r"<form\b(?P<attrs>[^>]*)>", re.IGNORECASE)
_METHOD = re.compile(r'\bmethod="(?P<method>[^"]*)"', re.IGNORECASE)
_ACTION = re.compile(r'\baction="(?P<url>[^"]*)"', re.IGNORECASE)


@functools.cache
def _outside_prefixes() -> tuple[str, ...]:
    """The paths whose pages are not a county's: a link there leaves the county as it is."""
    from django.conf import settings
    from django.urls import reverse

    return (
        reverse("portal:city_dashboard"),
        reverse("reports:city_list"),
        "/accounts/",
        reverse("set_language"),
        reverse("healthz"),
        reverse("admin:index"),
        "/security-admin/",
        "/audit-admin/",
        settings.STATIC_URL,
        settings.MEDIA_URL,
    )


def in_county(url: str, code: str) -> str:
    """`url` (a path on this site or `?query`, as an HTML attribute writes it) with
    `county=<code>` in its query; unchanged when it leaves the county's pages, is not on this
    site, or names a county already."""
    raw = html.unescape(url)
    if raw.startswith("//") or not (raw == "" or raw[0] in "/?"):
        return url  # another site, a fragment, mailto:, javascript:, a relative path
    parts = urlsplit(raw)
    if parts.path and parts.path.startswith(_outside_prefixes()):
        return url
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(name == PARAMETER for name, _value in query):
        return url
    query.append((PARAMETER, code))
    return html.escape(urlunsplit(parts._replace(query=urlencode(query))), quote=True)


def _keep_in_form(match: re.Match, code: str) -> str:
    """A GET form (a filter, a search, the year's navigation) sends the county too."""
    tag = match.group(0)
    method = _METHOD.search(match.group("attrs"))
    if method is not None and method.group("method").lower() != "get":
        return tag
    action = _ACTION.search(match.group("attrs"))
    if action is not None and in_county(action.group("url"), code) == action.group("url"):
        return tag  # a form out of the county's pages (the city's, the accounts')
    field = f'<input type="hidden" name="{PARAMETER}" value="{html.escape(code)}">'
    return tag + field


def keep_county(response, code: str):
    """The page `response` with every link, GET form and redirect in county `code`."""
    location = response.get("Location")
    if location is not None:
        response["Location"] = html.unescape(in_county(html.escape(location), code))
        return response
    content_type = response.get("Content-Type", "")
    if (
        getattr(response, "streaming", False)
        or response.status_code != 200
        or not content_type.startswith("text/html")
    ):
        return response
    charset = response.charset or "utf-8"
    text = response.content.decode(charset)
    text = _GET_FORM.sub(lambda m: _keep_in_form(m, code), text)
    text = _LINK.sub(lambda m: f'{m.group("attr")}{in_county(m.group("url"), code)}"', text)
    response.content = text.encode(charset)
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))
    return response
