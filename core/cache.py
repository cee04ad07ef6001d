"""A data version for cached read-outs (the county dashboard, the compliance grid): one token in Django's cache that
changes whenever a record those read-outs are computed from is saved or deleted. Cached values
are keyed by it, so a confirmation or a closed finding shows on the next page load; a short
timeout is the safety net for changes that bypass the model signals (queryset.update(),
bulk_create, raw SQL).

The apps whose models feed these read-outs connect them with `watch()` in their AppConfig.ready.
A cache that does not answer (Redis down) never breaks a page or a save: reads then compute the
figures afresh and a failed bump is logged. A cache that hangs costs one timeout: the breaker in
front of it (core.breaker) then skips it for a few seconds."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import post_delete, post_save

from .breaker import Skipped, cache_breaker

log = logging.getLogger(__name__)

VERSION_KEY = "portal:data-version"
# The safety net: cached figures live at most this long whatever happens.
TIMEOUT = 5 * 60


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


def data_version() -> str | None:
    """The current data version; None when the cache does not answer."""
    what = "data version not read"
    if _bump_missed:
        bump_data_version()
    try:
        version = _ask(what, "get", VERSION_KEY)
        if version is None:
            _ask(what, "add", VERSION_KEY, _token(), timeout=None)
            version = _ask(what, "get", VERSION_KEY)
        return version
    except _Unavailable:
        return None


def bump_data_version() -> None:
    """Invalidate every value keyed by the data version."""
    global _bump_missed
    try:
        _ask("data version not bumped", "set", VERSION_KEY, _token(), timeout=None)
    except _Unavailable:
        _bump_missed = True
    else:
        _bump_missed = False


def _scheduled(using: str) -> bool:
    return any(item[1] is bump_data_version for item in connections[using].run_on_commit or ())


def record_changed(sender=None, raw=False, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_save / post_delete receiver: bump now and again when the transaction commits (a
    page computed between the two, from the not yet committed state, is thus not kept)."""
    if raw:  # loaddata restores rows as they were; the cache is cleared with the load
        return
    bump_data_version()
    if connections[using].in_atomic_block and not _scheduled(using):
        transaction.on_commit(bump_data_version, using=using)


def cache_key(name: str, *parts) -> str:
    """`name` and a digest of `parts` (dates, languages, a user's query text …): short, and
    safe for any cache backend whatever the text."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:24]
    return f"{name}:{digest}"


def cached(key: str, compute, *, timeout: int = TIMEOUT):
    """`compute()`'s value, cached under `key` and the current data version. The shared cache
    is the only layer: an in-process copy of the last values (issue 14) saved a millisecond or
    two on a hit and nothing on a miss, which is what docs/performance.md measures."""
    version = data_version()
    if version is None:
        return compute()
    full_key = f"{key}:v{version}"
    try:
        value = _ask(f"{key} computed afresh", "get", full_key)
    except _Unavailable:
        return compute()
    if value is None:
        value = compute()
        with contextlib.suppress(_Unavailable):
            _ask(f"{key} not stored", "set", full_key, value, timeout=timeout)
    return value


def watch(*models) -> None:
    """Bump the data version whenever one of `models` is saved or deleted."""
    for model in models:
        label = model._meta.label_lower
        post_save.connect(record_changed, sender=model, dispatch_uid=f"data_version_save_{label}")
        post_delete.connect(
            record_changed, sender=model, dispatch_uid=f"data_version_delete_{label}"
        )
