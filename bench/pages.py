"""The main pages and the persona who uses each, and how their SQL queries are counted. Shared
by `make bench` and the query-budget tests."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from bench.loadgen import CITY_USERNAME, FIRST_COUNTY_CODE, staff_username
from bench.loadgen_more import AUDITOR_USERNAME
from core.cache import bump_data_version
from counties.models import County
from people.models import Person
from zones.constants import MembershipRole
from zones.models import Membership, UnitPost

QUERY_BUDGET = 15

# (name, URL pattern or URL name, persona). A county's pages are county 1's, as its staff (or
# a secretary of its zone 1); the city's pages are read by the city staff (`gen_city`). A page
# named by a URL name that does not resolve (not built yet) is skipped, with a note.
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
    ("city dashboard", "portal:city_dashboard", "city"),
]
# Issue 20: the pages of the three new mechanisms (county 1 runs them all in the generated
# city) and the villagers' public pages, read by nobody signed in ("public").
NEW_PAGES = [
    ("activity detail", "/activities/{activity}/", "staff"),
    ("service teams", "teams:index", "staff"),
    ("team page", "/teams/{team}/", "staff"),
    ("six classrooms", "education:index", "staff"),
    ("study sessions", "education:sessions", "staff"),
    ("micro-wishes", "wishes:index", "staff"),
    ("wish page", "/wishes/{wish}/", "staff"),
    ("wish intake (public)", "/wish/{token}/", "public"),
    ("wish status (public)", "/wish/status/", "public"),
]
# Issue 20's heavy pages, which its goals hold to the cold goal too: the class review (50
# units a page) as the committee staff who review classes (`supervision.review_classes`), and
# the audit trail, whole and searched by the beginning of a username (indexed), as the audit
# administrator past the second factor (`clients_of`). Not in the business-hours mix.
HEAVY_PAGES = [
    ("class review", "supervision:class_review", "staff"),
    ("audit trail", "audit_admin:audit_auditevent_changelist", "auditor"),
    ("audit trail, searched", "/audit-admin/audit/auditevent/?q={staff_name}", "auditor"),
]
LOADED_PAGES = ["county dashboard", "compliance grid", "activity ledger"]
# The city's pages: a city of one county (scale 1) has none (they answer 404), so their queries
# are compared with the budget at the larger scale only (`one_county` marks the scale-1 row).
CITY_PAGES = {"city dashboard"}


@dataclass
class Personas:
    staff: object  # county 1's staff
    secretary: object  # the secretary of county 1's zone 1's lead unit
    city: object  # the city staff
    zone_id: int
    unit_id: int
    person_id: int = 0  # the lead unit's secretary in the member register
    activity_id: int = 0  # county 1's latest confirmed activity
    team_id: int = 0  # county 1's first service team
    wish_id: int = 0  # county 1's latest wish closed after its return visit (see personas)
    token: str = ""  # the link of county 1's first villagers' group
    public: object = None  # nobody signed in
    auditor: object = None  # the audit administrator, with an authenticator app


def personas(code: str = FIRST_COUNTY_CODE) -> Personas:
    """A county's generated staff account (county 1's unless `code` names another), its zone 1,
    that zone's lead unit and the unit's secretary, and the city staff account."""
    lead = (
        Membership.objects.filter(
            zone__county__code=code,
            zone__number=1,
            role=MembershipRole.LEAD,
            effective_to__isnull=True,
        )
        .select_related("unit")
        .get()
    )
    post = UnitPost.objects.filter(unit=lead.unit).select_related("user").order_by("pk").first()
    users = get_user_model().objects
    from activities.models import Activity
    from teams.models import Team
    from wishes.constants import State as WishState
    from wishes.models import Group, Wish
    from wishes.services import group_token

    county = County.objects.get(code=code)
    group = Group.objects.filter(village__town__county=county).order_by("pk").first()
    return Personas(
        staff=users.get(username=staff_username(code)),
        secretary=post.user,
        city=users.get(username=CITY_USERNAME),
        zone_id=lead.zone_id,
        unit_id=lead.unit_id,
        person_id=Person.objects.filter(user=post.user).values_list("pk", flat=True).first() or 0,
        activity_id=Activity.objects.filter(zone__county=county, state="confirmed")
        .order_by("-date", "-pk")
        .values_list("pk", flat=True)
        .first()
        or 0,
        team_id=Team.objects.filter(county=county)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
        or 0,
        # a wish through its whole course (dispatched, handled, resolved, visited): the same
        # state at every scale, so its page's queries compare like with like (the latest
        # wish's state followed the generator's draw: 9 queries returned, 7 handling)
        wish_id=Wish.objects.filter(county=county, state=WishState.CLOSED)
        .order_by("-received_on", "-pk")
        .values_list("pk", flat=True)
        .first()
        or 0,
        token=group_token(group) if group else "",
        auditor=users.filter(username=AUDITOR_USERNAME).first(),
    )


def page_url(pattern: str, who: Personas) -> str | None:
    """The page's URL; None when it is named by a URL name that does not resolve."""
    if pattern.startswith("/"):
        return pattern.format(
            zone=who.zone_id,
            unit=who.unit_id,
            person=who.person_id,
            activity=who.activity_id,
            team=who.team_id,
            wish=who.wish_id,
            token=who.token,
            staff_name=who.staff.username,
        )
    try:
        return reverse(pattern)
    except NoReverseMatch:
        return None


def clients_of(who: Personas) -> dict[str, Client]:
    """A signed-in test client per persona, and one of nobody signed in ("public"); the
    auditor's (when the database has one) past the second factor (`second_factor_pass`)."""
    clients = {"public": Client()}
    for persona in ("staff", "secretary", "city", "auditor"):
        user = getattr(who, persona)
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        if persona == "auditor":
            second_factor_pass(client, user)
        clients[persona] = client
    return clients


def second_factor_pass(client: Client, user) -> None:
    """Give the sign-in page's code as the person's authenticator app shows it (as the tests
    of the second factor do), so the session is verified (django-otp) and every request of it
    reads the device as a real one does. The code is the first the device still takes: a code
    once taken is refused, and a second client within the same 30 s takes the next step's
    (the device then syncs its drift to it, as it would to a phone's clock)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now = totp.t()
    totp.drift += max(now - device.tolerance, device.last_t + 1) - now
    response = client.post(reverse("otp_verify"), {"token": f"{totp.token():0{device.digits}d}"})
    if response.status_code != 302 or response["Location"].startswith(reverse("otp_verify")):
        raise RuntimeError(f"{user.username}'s code was refused")


def count_queries(who: Personas | None = None, pages=None) -> dict[str, dict]:
    """Each page's status and SQL query count as its persona, after one warm-up request. The
    count is of a cache miss (the data version bumped first, as any saved record does): the
    budget holds when the cached figures are computed afresh; `queries_cached` is the next
    request's, served from the cache. A page whose URL name does not resolve is reported as
    skipped (`skipped` says why; no status, no counts) and a note is printed."""
    who = who or personas()
    one_county = County.objects.count() == 1
    results = {}
    clients = clients_of(who)
    for name, pattern, persona in PAGES if pages is None else pages:
        client, url = clients.get(persona), page_url(pattern, who)
        if url is None or client is None:
            note = (
                f"{name}: URL name {pattern} does not resolve (not built yet): skipped"
                if url is None
                else f"{name}: the database has no {persona} (generated before it): skipped"
            )
            print(note, flush=True)
            results[name] = {
                "url": None,
                "persona": persona,
                "status": None,
                "queries": None,
                "queries_cached": None,
                "sql": [],
                "skipped": note,
            }
            continue
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
        if name in CITY_PAGES and one_county:
            results[name]["one_county"] = "a city of one county has no city pages (404)"
    return results


def session_cookie(user) -> str:
    """A signed-in session for the load test, as the login view would leave it."""
    client = Client()
    client.force_login(user)
    client.get("/bench/bare/")  # the first response records the sign-in time in the session
    return client.cookies["sessionid"].value
