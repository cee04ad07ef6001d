"""Fixed personas, as healthchecks' Alice/Bob/Charlie: a small county of two zones.

- `staff`: work-committee staff (sees and does everything)
- `leader`: the work-committee leader guiding zone A
- `lead_secretary`: secretary of zone A's lead unit
- `secretary`: secretary of a member unit of zone A
- `other_secretary`: secretary of a member unit of zone B
- `outsider`: signed in, serves no unit, holds no committee role
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django_scopes import scope, scopes_disabled
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from core.constants import Role
from tests.factories import (
    UnitPostFactory,
    UserFactory,
    ZoneFactory,
    ZoneLeadershipFactory,
    unit_in_zone,
)

# Property tests check what holds, never how fast: no per-example deadline and no health check
# on slow input generation (both are timings, and fail on a loaded machine, not on a bug).
hypothesis_settings.register_profile(
    "portal", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("portal")


@pytest.fixture(autouse=True, scope="session")
def _county_scopes_disabled():
    """Tests (and their module- and session-wide data) read and write across counties freely
    (django-scopes disabled), except those marked `scoped`, which check the scoping itself. A
    request made with the test client runs in the middleware's real scope all the same
    (counties.middleware)."""
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _county_scopes_enabled_when_marked(request):
    if request.node.get_closest_marker("scoped"):
        with scope():  # enabled, and no county chosen: a query must choose one
            yield
    else:
        yield


@dataclass
class County:
    zone_a: object
    zone_b: object
    lead_unit: object
    member_unit: object
    member_unit_2: object
    other_lead_unit: object
    other_unit: object
    staff: object
    leader: object
    lead_secretary: object
    secretary: object
    other_secretary: object
    outsider: object


@pytest.fixture
def county(db) -> County:
    zone_a = ZoneFactory(number=1, name="第一片区")
    zone_b = ZoneFactory(number=2, name="第二片区")
    lead_unit = unit_in_zone(zone_a, lead=True, name="县委办公室")
    member_unit = unit_in_zone(zone_a, name="县司法局")
    member_unit_2 = unit_in_zone(zone_a, name="县财政局")
    other_lead_unit = unit_in_zone(zone_b, lead=True, name="县农业农村局")
    other_unit = unit_in_zone(zone_b, name="县林业局")
    staff = UserFactory(username="staff", role=Role.STAFF, is_staff=True)
    leader = UserFactory(username="leader", role=Role.LEADER)
    ZoneLeadershipFactory(zone=zone_a, leader=leader)
    lead_secretary = UserFactory(username="lead")
    UnitPostFactory(user=lead_secretary, unit=lead_unit)
    secretary = UserFactory(username="secretary")
    UnitPostFactory(user=secretary, unit=member_unit)
    other_secretary = UserFactory(username="other")
    UnitPostFactory(user=other_secretary, unit=other_unit)
    outsider = UserFactory(username="outsider")
    return County(
        zone_a=zone_a,
        zone_b=zone_b,
        lead_unit=lead_unit,
        member_unit=member_unit,
        member_unit_2=member_unit_2,
        other_lead_unit=other_lead_unit,
        other_unit=other_unit,
        staff=staff,
        leader=leader,
        lead_secretary=lead_secretary,
        secretary=secretary,
        other_secretary=other_secretary,
        outsider=outsider,
    )


@pytest.fixture(autouse=True)
def _no_saved_security_policy():
    """Each test starts without a saved security policy (the settings apply), as its database."""
    from accounts.security import clear_policy_cache

    clear_policy_cache(assume_none=True)
    yield
    clear_policy_cache(assume_none=True)


@pytest.fixture(autouse=True, scope="session")
def _role_permissions_read(django_db_setup, django_db_blocker):
    """The roles' permissions are read once per process (accounts.backends._permissions_of):
    read them before the first test, so that a pinned query count is every request's, never
    one more when its test happens to be the process's first to ask (it was order-dependent)."""
    from accounts.backends import _permissions_of

    with django_db_blocker.unblock():
        _permissions_of([])


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Each test has its own empty in-memory cache: no cached dashboard or grid leaks between
    tests, nor between test runs sharing var/cache or a Redis."""
    from django.core.cache import cache

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff_client(client, county):
    """The test client, signed in as work-committee staff."""
    client.force_login(county.staff)
    return client


@pytest.fixture
def fixed_today(monkeypatch):
    """Pin the portal's idea of today (services refuse dates too far ahead of it)."""

    def pin(day: datetime.date):
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day)
        return day

    return pin


# The supervision fixtures (a pinned today, zone A's mutual check, a published check with a
# finding) are used across modules: make them available everywhere.
from tests.supervision.conftest import (  # noqa: E402, F401
    check_a,
    finding,
    published_check,
    sheet_by_secretary,
    sheet_of_secretary,
    today,
)


@dataclass
class Administrators:
    """The three separated administrators (三员分立), outside the mechanism: none serves a
    unit or guides a zone."""

    system: object
    security: object
    audit: object


@pytest.fixture
def administrators(db) -> Administrators:
    return Administrators(
        system=UserFactory(username="sysadmin", role=Role.SYSTEM_ADMIN),
        security=UserFactory(username="secadmin", role=Role.SECURITY_ADMIN),
        audit=UserFactory(username="auditor", role=Role.AUDIT_ADMIN),
    )


@pytest.fixture
def auditor(administrators):
    """The audit administrator (审计管理员): reads and exports the audit trail, nothing else."""
    return administrators.audit


@pytest.fixture(autouse=True)
def _closed_breakers():
    """A Redis that did not answer in one test is not skipped in the next (core.breaker)."""
    from core.breaker import breakers_reset

    breakers_reset()
    yield
    breakers_reset()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts and ends in the site's language (settings.LANGUAGE_CODE): a request
    made in another (Accept-Language: en, LocaleMiddleware) or a translation.activate() would
    otherwise leave it active in the thread for the tests after it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
