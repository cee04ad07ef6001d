"""A data version for cached read-outs (the county dashboard, the compliance grid): one token in Django's cache that
changes whenever a record those read-outs are computed from is saved or deleted. Cached values
are keyed by it, so a confirmation or a closed finding shows on the next page load; a short
timeout is the safety net for changes that bypass the model signals (queryset.update(),
bulk_create, raw SQL).

The apps whose models feed these read-outs connect them with `watch()` in their AppConfig.ready.
A cache that does not answer (Redis down) never breaks a page or a save: reads then compute the
figures afresh and a failed bump is logged."""

from __future__ import annotations

import hashlib
import logging
import time
import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import post_delete, post_save

log = logging.getLogger(__name__)

VERSION_KEY = "portal:data-version"
# The safety net: cached figures live at most this long whatever happens.
TIMEOUT = 5 * 60


def _token() -> str:
    # A fresh random token rather than a counter: after an eviction or a restart a new token
    # can never coincide with the one older cached values were stored under.
    return uuid.uuid4().hex[:16]


def data_version() -> str | None:
    """The current data version; None when the cache does not answer."""
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, _token(), timeout=None)
            version = cache.get(VERSION_KEY)
        return version
    except Exception:  # noqa: BLE001 - a cache outage must not break the page
        log.warning("cache unavailable: data version not read", exc_info=True)
        return None


def bump_data_version() -> None:
    """Invalidate every value keyed by the data version."""
    try:
        cache.set(VERSION_KEY, _token(), timeout=None)
    except Exception:  # noqa: BLE001 - a cache outage must not break a save
        log.warning("cache unavailable: data version not bumped", exc_info=True)


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


# A value stored under a given key and data version never changes, so each process also keeps
# the last ones it read: a page then asks the shared cache only for the data version.
_LOCAL: dict[str, tuple[float, object]] = {}
LOCAL_ENTRIES = 64


def _remember(full_key: str, value, timeout: int) -> None:
    if len(_LOCAL) >= LOCAL_ENTRIES:
        _LOCAL.pop(next(iter(_LOCAL)))  # the oldest
    _LOCAL[full_key] = (time.monotonic() + timeout, value)


def cached(key: str, compute, *, timeout: int = TIMEOUT):
    """`compute()`'s value, cached under `key` and the current data version."""
    version = data_version()
    if version is None:
        return compute()
    full_key = f"{key}:v{version}"
    local = _LOCAL.get(full_key)
    if local is not None and local[0] > time.monotonic():
        return local[1]
    try:
        value = cache.get(full_key)
    except Exception:  # noqa: BLE001
        log.warning("cache unavailable: %s computed afresh", key, exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(full_key, value, timeout=timeout)
        except Exception:  # noqa: BLE001
            log.warning("cache unavailable: %s not stored", key, exc_info=True)
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
