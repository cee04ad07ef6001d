"""The city dashboard's body (市级概览's table and chart): the same for every city reader,
rendered once per day, period, language and the city's data version (core.cache: any county's
write moves it).

Twenty counties write through the day, so the body is often a miss. A miss within
settings.CITY_BODY_RECENT_SECONDS of the last body rendered serves that body, the page saying
"as of" its time, and hands the rendering to the worker (`schedule_refresh`: once per
`DEBOUNCE` seconds and body, `portal.tasks.city_body_refresh`); past that the request renders
it itself, so no write stays off the city's page longer (issue 20)."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.cache import CITY, cache_key, cached_or_recent, store_current
from core.queue import publish

from . import city

# How often one body's rendering is handed to the worker at most (seconds). How old a body
# the page may serve while the worker renders the current one: settings.CITY_BODY_RECENT_SECONDS
# (0: every miss is rendered by its request).
DEBOUNCE = 3

# The county page behind each figure of the city dashboard: its URL name, and whether the
# period's year goes with it.
FIGURE_PAGES = {
    "units": ("people:register", False),  # the county's units, with their members (the register)
    "zones": ("activities:grid", True),  # every zone of the county, month by month (the grid)
    "zone_months": ("activities:grid", True),
    "checks": ("supervision:check_list", False),
    "rounds": ("supervision:round_list", False),
    "attendance": ("education:index", True),  # 六大课堂: the county's education page
    "first_topic": ("education:index", True),
    "teams_visited": ("teams:index", False),  # 双带服务队: the county's league table
    "teams_rectified": ("teams:index", False),
    "wishes_resolved": ("wishes:figures", True),  # 群众微心愿: the county's figures
    "wishes_satisfied": ("wishes:figures", True),
}


def figure_links(period):
    """`links(county, key)`: the county page behind a figure of the city dashboard, read
    through the county switch (counties.switch); the findings' list for any other figure.
    Each page reversed once per body, each county's link written once (a city's table has
    hundreds of links)."""
    paths: dict[str, str] = {}
    found: dict[tuple, str] = {}  # (page, county): its link

    def link(county, key: str) -> str:
        page = FIGURE_PAGES.get(key, ("supervision:finding_list", False))
        if (page, county.code) not in found:
            name, with_year = page
            if name not in paths:
                paths[name] = reverse(name)
            year = f"&year={period.start.year}" if with_year else ""
            found[page, county.code] = f"{paths[name]}?{urlencode({'county': county.code})}{year}"
        return found[page, county.code]

    return link


def _key(period, day: datetime.date, language: str) -> str:
    return cache_key("city:body", period.key, day, language)


def render_body(period, day: datetime.date, *, into: dict | None = None) -> str:
    """The body of `period` as of `day` in the active language; its figures put in `into`
    ("d") for the page's context."""
    data = city.city_dashboard(period=period, day=day, links=figure_links(period))
    if into is not None:
        into["d"] = data
    return render_to_string("portal/_city_body.html", {"d": data, "chart": data.chart()})


def body(period, day: datetime.date, *, into: dict | None = None):
    """(the body, None) of the current data version, or (the last body, its time) while it is
    less than settings.CITY_BODY_RECENT_SECONDS old and the worker renders the current one."""
    language = translation.get_language()
    return cached_or_recent(
        _key(period, day, language),
        lambda: render_body(period, day, into=into),
        recent_for=settings.CITY_BODY_RECENT_SECONDS,
        refresh=lambda: schedule_refresh(period, day, language),
        county=CITY,  # the city's version: moved by any county's write
    )


def schedule_refresh(period, day: datetime.date, language: str) -> bool:
    """Hand the body's rendering to the worker, once per DEBOUNCE seconds and body (the
    readers of the next seconds are served the recent body meanwhile). True when handed."""
    from .tasks import city_body_refresh

    flag = f"{_key(period, day, language)}:refreshing"
    try:
        first = cache.add(flag, 1, timeout=DEBOUNCE)
    except Exception:  # noqa: BLE001 - a cache outage: the readers render the body themselves
        return False
    return bool(first) and publish(city_body_refresh, period.key, day.isoformat(), language)


def refresh(period_key: str, day: str, language: str) -> bool:
    """Render and store the current body of the period (the worker's task): nothing when it
    is stored already. True when it rendered."""
    period = city.period_from_key(period_key)
    on = datetime.date.fromisoformat(day)
    if period is None:
        return False
    with translation.override(language):
        return store_current(
            _key(period, on, language), lambda: render_body(period, on), county=CITY
        )
