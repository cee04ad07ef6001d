"""The account policy in force: the security administrator's saved `SecurityPolicy`, or the
deployment's settings until one is saved.

Read on every sign-in and on every request of a signed-in person (password age), so the saved
row is kept in the process for `SECURITY_POLICY_CACHE_SECONDS` (30 by default); saving it clears
the copy of the process that saved it, other processes (gunicorn workers, Celery) follow within
that time.
"""

from __future__ import annotations

import datetime
import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.constants import ADMIN_ROLES, Role

from .models import SecurityPolicy

_cached: dict = {}


def stored_policy() -> SecurityPolicy | None:
    """The saved policy, or None while the settings apply."""
    now = time.monotonic()
    if _cached and now - _cached["at"] < getattr(settings, "SECURITY_POLICY_CACHE_SECONDS", 30):
        return _cached["row"]
    row = SecurityPolicy.stored()
    _cached.update(at=now, row=row)
    return row


def policy() -> SecurityPolicy:
    """The policy in force (an unsaved row built from the settings until one is saved)."""
    return stored_policy() or SecurityPolicy(pk=SecurityPolicy.SINGLETON_PK)


def clear_policy_cache(*, assume_none: bool = False) -> None:
    """Forget the saved policy; with `assume_none`, remember that none is saved (the tests' empty
    database) instead of reading it again."""
    _cached.clear()
    if assume_none:
        _cached.update(at=time.monotonic(), row=None)


@receiver(post_save, sender=SecurityPolicy)
@receiver(post_delete, sender=SecurityPolicy)
def _policy_changed(sender, **kwargs):
    clear_policy_cache()


def lockout_failures(request=None, credentials=None) -> int:
    """django-axes' AXES_FAILURE_LIMIT."""
    row = stored_policy()
    return row.lockout_failures if row else settings.PASSWORD_LOCKOUT_FAILURES


def lockout_cooloff(request=None) -> datetime.timedelta:
    """django-axes' AXES_COOLOFF_TIME."""
    row = stored_policy()
    minutes = row.lockout_minutes if row else settings.PASSWORD_LOCKOUT_MINUTES
    return datetime.timedelta(minutes=minutes)


def address_lockout() -> tuple[int, datetime.timedelta]:
    """How many failed sign-ins from one address, over all accounts, within how long, lock
    that address (accounts.lockout)."""
    row = stored_policy()
    if row:
        return row.address_lockout_failures, datetime.timedelta(minutes=row.address_lockout_minutes)
    return settings.ADDRESS_LOCKOUT_FAILURES, datetime.timedelta(
        minutes=settings.ADDRESS_LOCKOUT_MINUTES
    )


def password_max_age() -> datetime.timedelta | None:
    row = stored_policy()
    days = row.max_age_days if row else getattr(settings, "PASSWORD_MAX_AGE_DAYS", 90)
    return datetime.timedelta(days=days) if days else None


def is_administrator(user) -> bool:
    """Whoever can open an admin site: the three administrators, committee staff with admin
    access and the installation superuser."""
    return bool(
        user.is_superuser or user.role in ADMIN_ROLES or (user.role == Role.STAFF and user.is_staff)
    )


def second_factor_required(user) -> bool:
    """Whether this person's sign-in must be confirmed with a one-time code: they set up an
    authenticator themselves, or the policy requires one of administrators."""
    from django_otp import user_has_device

    if user_has_device(user, confirmed=True):
        return True
    row = stored_policy()
    return bool(row and row.require_second_factor and is_administrator(user))
