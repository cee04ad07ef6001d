"""Queries of county-owned records are scoped (django-scopes): the default manager of every
model that belongs to a county is a `ScopedManager(county=<path to its county>)`, which refuses
(raises `django_scopes.ScopeError`) a query made while no county scope is active, instead of
leaking another county's records.

Who activates the scope:

- a request: `counties.middleware.CountyScopeMiddleware`, from the reader (`scope_of`): a person
  of a county reads their county, city staff and the administrators every county, anyone else
  none;
- a Celery task or a management command: explicitly, with `each_county()` (one pass per county:
  reminders, reports, sweeps) or `every_county()` (one pass over all: the system's own jobs).

Tests run with scopes disabled (tests/conftest.py) except where they check the scoping; a
request made with the test client runs with the middleware's real scope."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from django.db.models import Q
from django_scopes import ScopedManager, get_scope, scope, scopes_disabled

from core.constants import ADMIN_ROLES, Role

__all__ = [
    "ANY_MECHANISM",
    "ScopedManager",
    "county_scope",
    "each_county",
    "every_county",
    "implied_county_id",
    "in_county_of",
    "in_scope",
    "over_each_county",
    "scope_of",
    "scoped_county_id",
    "scopes_disabled",
]

NO_COUNTY: list[int] = []  # a scope that matches no county: its queries return nothing


def scope_of(user) -> int | None | list[int]:
    """The value of the `county` scope for `user`: their county's id; None (every county) for
    city staff, the superuser and the three administrators; no county for anyone else."""
    if not getattr(user, "is_authenticated", False):
        return NO_COUNTY
    if user.is_superuser or user.role == Role.CITY_STAFF or user.role in ADMIN_ROLES:
        return None
    if user.county_id is not None:
        return user.county_id
    return NO_COUNTY


@contextlib.contextmanager
def county_scope(county) -> Iterator[None]:
    """Queries inside see only `county` (a County or its id)."""
    with scope(county=getattr(county, "pk", county)):
        yield


@contextlib.contextmanager
def every_county() -> Iterator[None]:
    """Queries inside see every county: a job of the whole deployment."""
    with scope(county=None):
        yield


ANY_MECHANISM = "*"  # `running=ANY_MECHANISM`: the counties that run at least one mechanism


def each_county(*, running: str | None = None) -> Iterator:
    """Yield each county in turn (only those that run the mechanism `running` today, when
    given; any mechanism with ANY_MECHANISM), with queries scoped to it while the loop body
    runs."""
    from .models import County
    from .selectors import counties_running, counties_running_any

    if running == ANY_MECHANISM:
        counties = counties_running_any()
    else:
        counties = counties_running(running) if running else County.objects.all()
    for county in list(counties.order_by("code")):
        with county_scope(county):
            yield county


def scoped_county_id() -> int | None:
    """The one county the active scope reads (a request of a county's person, a task's pass
    over one county); None when the scope spans every county or none."""
    value = get_scope().get("county")
    return value if isinstance(value, int) else None


def implied_county_id(*, county=None, by=None) -> int | None:
    """The county a new county-wide record (a report, a patrol round) goes into: `county` if
    given, else the one the active scope reads, else the county of the person acting, else
    the only county of a county-only installation."""
    if county is not None:
        return county.pk
    found = scoped_county_id() or getattr(by, "county_id", None)
    if found is None:
        from .selectors import the_only_county

        only = the_only_county()
        found = only.pk if only is not None else None
    return found


def in_scope(field: str = "county") -> Q:
    """A filter on `field` (a foreign key to County) by the active scope, for what is not
    scoped itself (accounts): the scope's county, every county, or none."""
    current = get_scope()
    if not current.get("_enabled", True) or "county" not in current:
        return Q()
    value = current["county"]
    if value is None:
        return Q()
    if isinstance(value, (list, tuple)):
        return Q(**{f"{field}__in": value})
    return Q(**{field: value})


def over_each_county(run: Callable[[], int | None], *, running: str | None = None) -> int:
    """Call `run` once per county (per county that runs the mechanism `running`, when given),
    scoped to it, and add up what it returns (a job done per county: reminders, due reports,
    next year's rotation)."""
    return sum(run() or 0 for _county in each_county(running=running))


def in_county_of(model, pk: int):
    """The scope of the county a row of `model` (scoped by its own `county` field) belongs
    to: a task given a row's id works in that row's county only."""
    with every_county():
        county_id = model.objects.filter(pk=pk).values_list("county_id", flat=True).first()
    return county_scope(county_id if county_id is not None else NO_COUNTY)
