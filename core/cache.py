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
figures are never served to another. A value of every county (city staff without the county
switch) or of several is keyed by the city's versions, which any county's write moves; a scope
of no county has a key of its own ("none"), never every county's. The city's pages (county="city") are bumped by any
county's write and cached for CITY_TIMEOUT at most.

Versions are also per area (issue 20): each app's models are watched under its area
(`watch(Activity, …, area="activities")`; "supervision", "zones"; a mechanism app declares its
own the same way), and a value that reads only some areas says so (`cached(..., areas=("activities",
"zones"))`): a finding's update then leaves the compliance grid cached. A value that names no
areas is keyed by every write in its county, as before; a write under no area (a county, its
mechanisms) moves every value of its county, whatever the areas.

The apps whose models feed these read-outs connect them with `watch()` in their AppConfig.ready.
A cache that does not answer (Redis down) never breaks a page or a save: reads then compute the
figures afresh and a failed bump is logged. A cache that hangs costs one timeout: the breaker in
front of it (core.breaker) then skips it for a few seconds."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import logging
import time
import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import post_delete, post_save

from .breaker import Skipped, cache_breaker
from .release import code_release

log = logging.getLogger(__name__)

VERSION_KEY = "portal:data-version"
# The safety net: cached figures live at most this long whatever happens.
TIMEOUT = 5 * 60
# The city's pages read every county: cached for at most this long.
CITY_TIMEOUT = 2 * 60
CITY = "city"


def county_in_scope():
    """The county of the active query scope (counties.scoping): its id; "all" for every
    county; "none" for a scope of no county (counties.scoping.NO_COUNTY), which must never
    share a key with every county's; the ids joined ("3-7") for a scope of several."""
    from django_scopes import get_scope

    current = get_scope()
    value = current.get("county") if current.get("_enabled", True) else None
    if isinstance(value, int):
        return value
    if value is None:
        return "all"
    ids = sorted({int(v) for v in value})
    return "-".join(map(str, ids)) if ids else "none"


def _version_county(county):
    """Whose versions a value of `county` is keyed by: a county's own, or, for a value of
    every county or of several ("all", "3-7", "none"), the city's, which every county's write
    moves (a value of every county was keyed by the deployment's version alone, which only a
    write of no one county moves: city staff's pages stayed stale up to TIMEOUT after any
    county's write)."""
    return county if isinstance(county, int) or county == CITY else CITY


def _version_key(county) -> str:
    return f"{VERSION_KEY}:{county}"


def _base_key(county) -> str:
    # Moved by a write under no area: part of every area-keyed value's version.
    return f"{VERSION_KEY}:{county}:base"


def _area_key(county, area: str) -> str:
    return f"{VERSION_KEY}:{county}:area:{area}"


# The areas apps declared (watch(..., area=...) or declare_area): a value keyed by an area no
# model is watched under would never be invalidated, so `cached` refuses one.
AREAS: set[str] = set()
# The area of each watched model (its label), None for a write under no area.
_AREA_OF: dict[str, str | None] = {}


def declare_area(area: str) -> str:
    """Declare a data area (an app's, e.g. a mechanism's) that `cached(..., areas=...)` may name."""
    if not area or not area.replace("_", "").isalnum():
        raise ValueError(f"not an area name: {area!r}")
    AREAS.add(area)
    return area


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


def _read_versions(what: str, keys: list[str]) -> list[str]:
    """The versions under `keys`, read in one round trip; a missing one is created."""
    found = _ask(what, "get_many", keys)
    missing = [k for k in keys if found.get(k) is None]
    if missing:
        for key in missing:
            _ask(what, "add", key, _token(), timeout=None)
        found.update(_ask(what, "get_many", missing))
    return [found[k] for k in keys]


def _check_areas(areas) -> tuple[str, ...] | None:
    if areas is None:
        return None
    areas = tuple(sorted(set(areas)))
    unknown = [a for a in areas if a not in AREAS]
    if unknown:
        raise ValueError(f"undeclared data areas {unknown}: declare them with watch(area=...)")
    return areas


def data_version(county=None, areas=None) -> str | None:
    """The current data version of `county` (an id, "city", or None: the active scope's
    county, or "all" when the scope spans every county): the deployment's version and the
    county's (with `areas`: the county's area-less writes' and those areas'); None when the
    cache does not answer."""
    what = "data version not read"
    if _bump_missed:
        bump_data_version()
    county = _version_county(county_in_scope() if county is None else county)
    areas = _check_areas(areas)
    try:
        if areas is None:
            keys = [VERSION_KEY, _version_key(county)]
        else:
            keys = [VERSION_KEY, _base_key(county), *(_area_key(county, a) for a in areas)]
        return ".".join(_read_versions(what, keys))
    except _Unavailable:
        return None


def bump_data_version(county=None, area: str | None = None) -> None:
    """Invalidate the values keyed by `county`'s data version and the city's: with `area`,
    those that name no areas or name that one; without, every value of the county and the
    city. With no county (None, or "all"), every value."""
    global _bump_missed
    try:
        # no one county ("all", several, none): every value
        if county is None or not (isinstance(county, int) or county == CITY):
            _ask("data version not bumped", "set", VERSION_KEY, _token(), timeout=None)
        else:
            keys = [_version_key(county), _version_key(CITY)]
            if area is None:
                keys += [_base_key(county), _base_key(CITY)]
            else:
                keys += [_area_key(county, area), _area_key(CITY, area)]
            _ask(
                "data version not bumped",
                "set_many",
                {key: _token() for key in keys},
                timeout=None,
            )
    except _Unavailable:
        _bump_missed = True
    else:
        _bump_missed = False


def _scheduled(using: str, county, area) -> bool:
    return any(
        isinstance(item[1], _Bump) and (item[1].county, item[1].area) == (county, area)
        for item in connections[using].run_on_commit or ()
    )


class _Bump:
    """bump_data_version(county, area) after commit, recognisable in the on-commit list."""

    def __init__(self, county, area=None):
        self.county = county
        self.area = area

    def __call__(self) -> None:
        bump_data_version(self.county, self.area)


def record_changed(sender=None, raw=False, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_save / post_delete receiver: bump the version of the county in scope (or every
    version, see the module's docstring) now and again when the transaction commits (a page
    computed between the two, from the not yet committed state, is thus not kept)."""
    if raw:  # loaddata restores rows as they were; the cache is cleared with the load
        return
    county = county_in_scope()
    area = _AREA_OF.get(sender._meta.label_lower) if sender is not None else None
    bump_data_version(county, area)
    if connections[using].in_atomic_block and not _scheduled(using, county, area):
        transaction.on_commit(_Bump(county, area), using=using)


def cache_key(name: str, *parts) -> str:
    """`name` and a digest of `parts` (dates, languages, a user's query text …): short, and
    safe for any cache backend whatever the text."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:24]
    return f"{name}:{digest}"


def cached(key: str, compute, *, timeout: int = TIMEOUT, county=None, areas=None):
    """`compute()`'s value, cached under `key`, the county (the active scope's unless given;
    "city" for the city's pages, at most CITY_TIMEOUT) and that county's data version: of every
    area, or (`areas`, e.g. ("activities", "zones")) only of those the value is computed from,
    so a write elsewhere leaves it cached. The shared cache is the only layer: an in-process
    copy of the last values (issue 14) saved a millisecond or two on a hit and nothing on a
    miss, which is what docs/performance.md measures."""
    county = county_in_scope() if county is None else county
    if county == CITY:
        timeout = min(timeout, CITY_TIMEOUT)
    areas = _check_areas(areas)
    version = data_version(county, areas)
    if version is None:
        return compute()
    scope = "" if areas is None else ":a" + "+".join(areas)
    return _stored(key, f"{key}:c{county}{scope}:v{version}", compute, timeout)


def cached_many(entries: dict, compute, *, timeout: int = TIMEOUT, county=None) -> dict:
    """Several values, each cached as `cached(key, …, areas=areas)` caches it (`entries`:
    name → (key, areas); the same keys, so either function finds the other's values), read
    together: every version in one round trip, every value in another, the missing ones
    computed at once by `compute(missing names)` → {name: value} and stored in one write. For
    a page of parts cached apart (each moved by the areas it reads) whose misses one statement
    can read together (the county dashboard: its body and its mechanisms' tiles, issue 20).
    A None value is not stored (it is computed again: `cached` would do as much). When the
    cache does not answer, every value is computed."""
    county = county_in_scope() if county is None else county
    if county == CITY:
        timeout = min(timeout, CITY_TIMEOUT)
    if _bump_missed:
        bump_data_version()
    whose = _version_county(county)
    asked = {}
    for name, (key, areas) in entries.items():
        areas = _check_areas(areas)
        if areas is None:
            keys = [VERSION_KEY, _version_key(whose)]
        else:
            keys = [VERSION_KEY, _base_key(whose), *(_area_key(whose, a) for a in areas)]
        asked[name] = (key, "" if areas is None else ":a" + "+".join(areas), keys)
    every_key = list(dict.fromkeys(k for _key, _scope, keys in asked.values() for k in keys))
    try:
        read = _read_versions("data version not read", every_key)
        versions = dict(zip(every_key, read, strict=True))
        release = code_release()
        full = {
            name: f"{key}:c{county}{scope}:v{'.'.join(versions[k] for k in keys)}:r{release}"
            for name, (key, scope, keys) in asked.items()
        }
        found = _ask("cached values computed afresh", "get_many", list(full.values()))
    except _Unavailable:
        return compute(set(entries))
    values = {name: found.get(full_key) for name, full_key in full.items()}
    missing = {name for name, value in values.items() if value is None}
    if missing:
        computed = compute(missing)
        values.update((name, computed[name]) for name in missing)
        stored = {full[name]: computed[name] for name in missing if computed[name] is not None}
        if stored:
            with contextlib.suppress(_Unavailable):
                _ask("cached values not stored", "set_many", stored, timeout=timeout)
    return values


def _stored(name: str, full_key: str, compute, timeout):
    """The value under `full_key` of this release of the code (core.release), computed and
    stored when missing; computed (and not stored) when the cache does not answer: a page never
    fails for the cache's sake."""
    full_key = f"{full_key}:r{code_release()}"
    try:
        value = _ask(f"{name} computed afresh", "get", full_key)
    except _Unavailable:
        return compute()
    if value is None:
        value = compute()
        with contextlib.suppress(_Unavailable):
            _ask(f"{name} not stored", "set", full_key, value, timeout=timeout)
    return value


def _full_keys(key: str, county, areas) -> tuple[str, str] | None:
    """The key of `key`'s value of the current data version (as `cached` stores it) and the
    key of its last value of any version; None when the cache does not answer."""
    areas = _check_areas(areas)
    version = data_version(county, areas)
    if version is None:
        return None
    scope = "" if areas is None else ":a" + "+".join(areas)
    release = code_release()
    return (
        f"{key}:c{county}{scope}:v{version}:r{release}",
        f"{key}:c{county}{scope}:last:r{release}",
    )


def cached_or_recent(
    key: str, compute, *, recent_for: int, refresh, timeout: int = TIMEOUT, county=None, areas=None
):
    """`cached(key, compute, …)` that may answer a miss with the last value computed under
    `key`, of an older data version, while it is less than `recent_for` seconds old (a write of
    the last seconds not yet in it), calling `refresh()` then (e.g. the worker computes the
    current value: `store_current`): (value, None) for the current version's value, (value,
    the time it was computed) for a recent one. Past `recent_for` the miss is computed here,
    so no write stays out of the answer longer than that."""
    if recent_for <= 0:  # `cached` itself: no last value read or kept
        return cached(key, compute, timeout=timeout, county=county, areas=areas), None
    county = county_in_scope() if county is None else county
    if county == CITY:
        timeout = min(timeout, CITY_TIMEOUT)
    keys = _full_keys(key, county, areas)
    if keys is None:
        return compute(), None
    current, last = keys
    try:
        found = _ask(f"{key} computed afresh", "get_many", [current, last])
    except _Unavailable:
        return compute(), None
    if found.get(current) is not None:
        return found[current], None
    recent = found.get(last)
    if recent is not None and 0 <= time.time() - recent[1] < recent_for:
        refresh()
        return recent[0], datetime.datetime.fromtimestamp(recent[1], tz=datetime.UTC)
    return _compute_and_store(key, compute, current, last, timeout), None


def store_current(key: str, compute, *, timeout: int = TIMEOUT, county=None, areas=None) -> bool:
    """Compute and store `key`'s value of the current data version, as `cached_or_recent`
    does on a miss (the worker's half of it); nothing when it is stored already (another
    run got there first). True when it computed."""
    county = county_in_scope() if county is None else county
    if county == CITY:
        timeout = min(timeout, CITY_TIMEOUT)
    keys = _full_keys(key, county, areas)
    if keys is None:
        return False
    current, last = keys
    try:
        if _ask(f"{key} not refreshed", "get", current) is not None:
            return False
    except _Unavailable:
        return False
    _compute_and_store(key, compute, current, last, timeout)
    return True


def _compute_and_store(name: str, compute, current: str, last: str, timeout: int):
    # the time before computing: every write committed before it is in the value
    started = time.time()
    value = compute()
    with contextlib.suppress(_Unavailable):
        _ask(
            f"{name} not stored",
            "set_many",
            {current: value, last: (value, started)},
            timeout=timeout,
        )
    return value


def watch(*models, area: str | None = None) -> None:
    """Bump the data version whenever one of `models` is saved or deleted: of `area` (declared
    here; values keyed by other areas stay cached), or with no area of every value."""
    if area is not None:
        declare_area(area)
    for model in models:
        label = model._meta.label_lower
        _AREA_OF[label] = area
        post_save.connect(record_changed, sender=model, dispatch_uid=f"data_version_save_{label}")
        post_delete.connect(
            record_changed, sender=model, dispatch_uid=f"data_version_delete_{label}"
        )


# --- The reader's facts (issue 20: the floor every signed-in page pays) ----------------------
#
# What a page's frame knows of its reader — their access scope (zones.selectors.user_scope),
# the navigation the rules give them (core.templatetags.menu) — is read from the posts,
# memberships and people of the register, which change seldom, and not from the records a page
# shows. It is cached per reader and day under the *reader version*, a token apart from the
# data version: a confirmed activity or a closed finding (the data version) leaves it cached; a
# save or delete of a model that says who a reader is (`watch_readers`: accounts, unit posts,
# zone memberships and leaderships, the register's people, the counties) moves it, now and at
# commit. TIMEOUT is the safety net for writes that bypass the model signals.

READER_VERSION_KEY = "portal:reader-version"


def reader_version() -> str | None:
    """The current reader version; None when the cache does not answer."""
    try:
        return _read_version("reader version not read", READER_VERSION_KEY)
    except _Unavailable:
        return None


def bump_reader_version() -> None:
    """Every reader's cached facts are computed afresh at their next request."""
    with contextlib.suppress(_Unavailable):
        _ask("reader version not bumped", "set", READER_VERSION_KEY, _token(), timeout=None)


def reader_changed(sender=None, raw=False, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_save / post_delete receiver of `watch_readers`' models: bump the reader version now
    and again when the transaction commits (facts computed between the two are not kept)."""
    if raw or set(kwargs.get("update_fields") or ()) == {"last_login"}:
        return  # a sign-in's new last_login says nothing about who the reader is
    bump_reader_version()
    if connections[using].in_atomic_block:
        transaction.on_commit(bump_reader_version, using=using)


def watch_readers(*models) -> None:
    """Bump the reader version whenever one of `models` is saved or deleted."""
    for model in models:
        label = model._meta.label_lower
        post_save.connect(reader_changed, sender=model, dispatch_uid=f"reader_version_save_{label}")
        post_delete.connect(
            reader_changed, sender=model, dispatch_uid=f"reader_version_delete_{label}"
        )


def reader_cached(name: str, user, compute, *parts, timeout: int = TIMEOUT):
    """`compute()`'s value for the signed-in `user`, cached under `name`, the user, `parts`
    (the day, the language …) and the reader version; computed afresh when the cache does not
    answer. The version is read once per user object (one request's)."""
    version = getattr(user, "_reader_version", None)
    if version is None:
        version = reader_version()
        if version is None:
            return compute()
        user._reader_version = version
    return _stored(name, cache_key(f"reader:{name}", user.pk, version, *parts), compute, timeout)


# --- A small table's own version (issue 20) ------------------------------------------------
#
# A value read from one small table that no county's write touches (the calendar's completed
# years, which the dashboard asks on every request) is cached under that table's own version,
# bumped by its saves and deletes (`watch_table`), now and at commit: a confirmed activity (the
# data version) leaves it cached. TIMEOUT is the safety net for writes that bypass the signals.


def _table_key(name: str) -> str:
    return f"portal:table-version:{name}"


def bump_table_version(name: str) -> None:
    with contextlib.suppress(_Unavailable):
        _ask(f"{name} version not bumped", "set", _table_key(name), _token(), timeout=None)


def watch_table(name: str, *models) -> None:
    """Bump the version of `name` whenever one of `models` is saved or deleted."""

    def changed(sender=None, raw=False, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
        bump_table_version(name)
        if connections[using].in_atomic_block:
            transaction.on_commit(lambda: bump_table_version(name), using=using)

    _TABLE_RECEIVERS[name] = changed  # the signals hold their receivers weakly
    for model in models:
        label = model._meta.label_lower
        post_save.connect(changed, sender=model, dispatch_uid=f"table_version_save_{label}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"table_version_delete_{label}")


_TABLE_RECEIVERS: dict = {}


def table_cached(name: str, compute, timeout: int = TIMEOUT):
    """`compute()`'s value, cached under `name` and the version of the table `name` watches;
    computed afresh when the cache does not answer."""
    try:
        version = _read_version(f"{name} version not read", _table_key(name))
    except _Unavailable:
        return compute()
    return _stored(name, f"table:{name}:v{version}", compute, timeout)
