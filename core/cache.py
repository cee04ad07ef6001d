"""A data version for cached read-outs (the county dashboard, the compliance grid): one token in Django's cache that
changes whenever a record those read-outs are computed from is saved or deleted. Cached values
are keyed by it, so a confirmation or a closed finding shows on the next page load; a short
timeout is the safety net for changes that bypass the model signals (queryset.update(),
bulk_create, raw SQL).

Versions are per county (issue 15): a record saved in a county's scope (counties.scoping: the
request of a county's person, a task's pass over one county) bumps that county's version and
the city's, so a write in county A leaves county B's cached pages valid; a write with no one
county in scope (city staff, an administrator, a job over every county) bumps the deployment's
version, which every cached value is keyed by too. A cached value is keyed by the county of the
scope it is computed in (`cached(..., county=...)`, the active scope's by default): one county's
figures are never served to another. The city's pages (county="city") are bumped by any
county's write and cached for CITY_TIMEOUT at most.

The apps whose models feed these read-outs connect them with `watch()` in their AppConfig.ready.
A cache that does not answer (Redis down) never breaks a page or a save: reads then compute the
figures afresh and a failed bump is logged. A cache that hangs costs one timeout: the breaker in
front of it (core.breaker) then skips it for a few seconds."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import post_delete, post_save

from .breaker import Skipped, cache_breaker

log = logging.getLogger(__name__)

VERSION_KEY = "portal:data-version"
# The safety net: cached figures live at most this long whatever happens.
TIMEOUT = 5 * 60
# The city's pages read every county: cached for at most this long.
CITY_TIMEOUT = 2 * 60
CITY = "city"


def _county_in_scope():
    """The county of the active query scope (counties.scoping): its id, or "all"."""
    from django_scopes import get_scope

    current = get_scope()
    value = current.get("county") if current.get("_enabled", True) else None
    return value if isinstance(value, int) else "all"


def _version_key(county) -> str:
    return f"{VERSION_KEY}:{county}"


class _Unavailable(Exception):
    """The cache did not answer, or the breaker skipped it."""


def _ask(what: str, method: str, *args, **kwargs):
    """`cache.<method>(*args)` through the breaker; _Unavailable when it gives no answer."""
    try:
        return cache_breaker.call(getattr(cache, method), *args, **kwargs)
    except Skipped:
        raise _Unavailable from None
    except Exception as exc:  # noqa: BLE001 - a cache outage must not break a page or a save
        log.warning("cache unavailable: %s", what, exc_info=True)
        raise _Unavailable from exc


def _token() -> str:
    # A fresh random token rather than a counter: after an eviction or a restart a new token
    # can never coincide with the one older cached values were stored under.
    return uuid.uuid4().hex[:16]


# A bump that could not be written (the cache did not answer) is written at the next chance:
# values cached before the outage must not outlive the changes made during it.
_bump_missed = False


def _read_version(what: str, key: str) -> str:
    version = _ask(what, "get", key)
    if version is None:
        _ask(what, "add", key, _token(), timeout=None)
        version = _ask(what, "get", key)
    return version


def data_version(county=None) -> str | None:
    """The current data version of `county` (an id, "city", or None: the active scope's
    county, or "all" when the scope spans every county): the deployment's version and the
    county's; None when the cache does not answer."""
    what = "data version not read"
    if _bump_missed:
        bump_data_version()
    county = _county_in_scope() if county is None else county
    try:
        deployment = _read_version(what, VERSION_KEY)
        if county == "all":
            return deployment
        return f"{deployment}.{_read_version(what, _version_key(county))}"
    except _Unavailable:
        return None


def bump_data_version(county=None) -> None:
    """Invalidate the values keyed by `county`'s data version and the city's; with no county
    (None, or "all"), every value."""
    global _bump_missed
    try:
        if county is None or county == "all":
            _ask("data version not bumped", "set", VERSION_KEY, _token(), timeout=None)
        else:
            _ask(
                "data version not bumped",
                "set_many",
                {_version_key(county): _token(), _version_key(CITY): _token()},
                timeout=None,
            )
    except _Unavailable:
        _bump_missed = True
    else:
        _bump_missed = False


def _scheduled(using: str, county) -> bool:
    return any(
        getattr(item[1], "county", object()) == county
        for item in connections[using].run_on_commit or ()
    )


class _Bump:
    """bump_data_version(county) after commit, recognisable in the on-commit list."""

    def __init__(self, county):
        self.county = county

    def __call__(self) -> None:
        bump_data_version(self.county)


def record_changed(sender=None, raw=False, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_save / post_delete receiver: bump the version of the county in scope (or every
    version, see the module's docstring) now and again when the transaction commits (a page
    computed between the two, from the not yet committed state, is thus not kept)."""
    if raw:  # loaddata restores rows as they were; the cache is cleared with the load
        return
    county = _county_in_scope()
    bump_data_version(county)
    if connections[using].in_atomic_block and not _scheduled(using, county):
        transaction.on_commit(_Bump(county), using=using)


def cache_key(name: str, *parts) -> str:
    """`name` and a digest of `parts` (dates, languages, a user's query text …): short, and
    safe for any cache backend whatever the text."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:24]
    return f"{name}:{digest}"


# A value stored under a given key and data version never changes, so each process also keeps
# the last ones it read: a page then asks the shared cache only for the data version.
_LOCAL: dict[str, tuple[float, object]] = {}
LOCAL_ENTRIES = 64


def _remember(full_key: str, value, timeout: int) -> None:
    if len(_LOCAL) >= LOCAL_ENTRIES:
        _LOCAL.pop(next(iter(_LOCAL)))  # the oldest
    _LOCAL[full_key] = (time.monotonic() + timeout, value)


def cached(key: str, compute, *, timeout: int = TIMEOUT, county=None):
    """`compute()`'s value, cached under `key`, the county (the active scope's unless given;
    "city" for the city's pages, at most CITY_TIMEOUT) and that county's data version."""
    county = _county_in_scope() if county is None else county
    if county == CITY:
        timeout = min(timeout, CITY_TIMEOUT)
    version = data_version(county)
    if version is None:
        return compute()
    full_key = f"{key}:c{county}:v{version}"
    local = _LOCAL.get(full_key)
    if local is not None and local[0] > time.monotonic():
        return local[1]
    try:
        value = _ask(f"{key} computed afresh", "get", full_key)
    except _Unavailable:
        return compute()
    if value is None:
        value = compute()
        with contextlib.suppress(_Unavailable):
            _ask(f"{key} not stored", "set", full_key, value, timeout=timeout)
    _remember(full_key, value, timeout)
    return value


def watch(*models) -> None:
    """Bump the data version whenever one of `models` is saved or deleted."""
    for model in models:
        label = model._meta.label_lower
        post_save.connect(record_changed, sender=model, dispatch_uid=f"data_version_save_{label}")
        post_delete.connect(
            record_changed, sender=model, dispatch_uid=f"data_version_delete_{label}"
        )
