"""The main pages and the persona who uses each, and how their SQL queries are counted. Shared
by `make bench` and the query-budget tests."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.loadgen import STAFF_USERNAME
from core.cache import bump_data_version
from people.models import Person
from zones.constants import MembershipRole
from zones.models import Membership, UnitPost

QUERY_BUDGET = 15

# (name, URL pattern, persona)
PAGES = [
    ("county dashboard", "/dashboard/", "staff"),
    ("compliance grid", "/activities/grid/", "staff"),
    ("activity ledger", "/activities/ledger/", "staff"),
    ("rectification ledger", "/supervision/findings/", "staff"),
    ("zone page", "/zones/{zone}/", "staff"),
    ("unit page", "/units/{unit}/", "staff"),
    ("my work", "/my-work/", "secretary"),
    ("report list", "/reports/", "staff"),
    ("member register", "/people/", "staff"),
    ("member register, filtered", "/people/?post=secretary&q=z", "staff"),
    ("member register of a unit", "/people/", "secretary"),
    ("person page", "/people/{person}/", "staff"),
]
LOADED_PAGES = ["county dashboard", "compliance grid", "activity ledger"]


@dataclass
class Personas:
    staff: object
    secretary: object  # the secretary of zone 1's lead unit
    zone_id: int
    unit_id: int
    person_id: int = 0  # the lead unit's secretary in the member register


def personas() -> Personas:
    """The generated staff account, zone 1, its lead unit and that unit's secretary."""
    lead = (
        Membership.objects.filter(
            zone__number=1, role=MembershipRole.LEAD, effective_to__isnull=True
        )
        .select_related("unit")
        .get()
    )
    post = UnitPost.objects.filter(unit=lead.unit).select_related("user").order_by("pk").first()
    return Personas(
        staff=get_user_model().objects.get(username=STAFF_USERNAME),
        secretary=post.user,
        zone_id=lead.zone_id,
        unit_id=lead.unit_id,
        person_id=Person.objects.filter(user=post.user).values_list("pk", flat=True).first() or 0,
    )


def page_url(pattern: str, who: Personas) -> str:
    return pattern.format(zone=who.zone_id, unit=who.unit_id, person=who.person_id)


def count_queries(who: Personas | None = None) -> dict[str, dict]:
    """Each page's status and SQL query count as its persona, after one warm-up request. The
    count is of a cache miss (the data version bumped first, as any saved record does): the
    budget holds when the cached figures are computed afresh; `queries_cached` is the next
    request's, served from the cache."""
    who = who or personas()
    results = {}
    clients = {}
    for persona in ("staff", "secretary"):
        client = Client()
        client.force_login(getattr(who, persona))
        clients[persona] = client
    for name, pattern, persona in PAGES:
        client, url = clients[persona], page_url(pattern, who)
        client.get(url)  # warm-up: caches, the session's first save
        bump_data_version()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        with CaptureQueriesContext(connection) as cached_ctx:
            client.get(url)
        results[name] = {
            "url": url,
            "persona": persona,
            "status": response.status_code,
            "queries": len(ctx.captured_queries),
            "queries_cached": len(cached_ctx.captured_queries),
            "sql": [q["sql"][:300] for q in ctx.captured_queries],
        }
    return results


def session_cookie(user) -> str:
    """A signed-in session for the load test, as the login view would leave it."""
    client = Client()
    client.force_login(user)
    client.get("/bench/bare/")  # the first response records the sign-in time in the session
    return client.cookies["sessionid"].value
