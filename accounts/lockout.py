"""Failed sign-ins (django-axes) locked in a way an attacker cannot turn against others.

- The account limit (`lockout_failures`, 5 by default) counts one username's failures *from one
  address* (AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]): someone guessing a
  password at one address locks that username at that address only; its owner still signs in
  from their own.
- An address alone is locked only after many failures over any accounts within a short window
  (`address_lockout_failures` in `address_lockout_minutes`, 50 in 15 by default: password
  spraying), so a colleague behind the same NAT address is not locked out by someone else's
  typos. Counted from django-axes' failure log (one row per failure, with its time).

Both limits come from the security administrator's policy (accounts.security). A lockout sends
django-axes' `user_locked_out` (audited, and the owner and the security administrators are
notified: notifications.signals)."""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessFailureLog
from axes.signals import user_locked_out
from django.utils import timezone

from core.middleware import client_ip

from .security import address_lockout


def _address(request) -> str | None:
    return getattr(request, "axes_ip_address", None) or client_ip(request)


def address_failures(address: str | None) -> int:
    """Failed sign-ins from `address`, over every account, within the address window."""
    if not address:
        return 0
    _limit, window = address_lockout()
    return AccessFailureLog.objects.filter(
        ip_address=address, attempt_time__gte=timezone.now() - window
    ).count()


def address_locked(request) -> bool:
    limit, _window = address_lockout()
    return address_failures(_address(request)) >= limit


class PortalAxesHandler(AxesDatabaseHandler):
    """django-axes' database handler with the address limit added to the account limit."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        if address_locked(request):
            request.axes_address_locked = True
            return True
        return False

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        limit, _window = address_lockout()
        if address_failures(_address(request)) >= limit:
            request.axes_locked_out = True
            request.axes_address_locked = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=(credentials or {}).get("username"),
                ip_address=_address(request),
            )
