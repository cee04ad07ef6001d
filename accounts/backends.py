"""Permissions that follow from a person's role, kept in one place instead of per-user grants.

- Committee staff with admin access: the mechanism's records (`STAFF_ADMIN_APPS`), not accounts
  or security.
- The three separated administrators (三员分立), each on their own admin site (accounts.sites, audit.sites):
  the system administrator accounts, units and zones; the security administrator roles,
  lockouts, the password policy and second factors; the audit administrator reads the audit
  trail. None holds another's permissions, and none can grant any (their user forms have no
  permission fields: accounts.admin).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from core.constants import Role

# Accounts and security: never the staff's, whatever apps they manage.
SEPARATED = frozenset(
    {
        "core.add_user",
        "core.change_user",
        "core.delete_user",
        "core.view_user",
        "accounts.add_securitypolicy",
        "accounts.change_securitypolicy",
        "accounts.delete_securitypolicy",
        "accounts.view_securitypolicy",
        "accounts.add_authenticator",
        "accounts.change_authenticator",
        "accounts.delete_authenticator",
        "accounts.view_authenticator",
    }
)
SYSTEM_ADMIN_PERMISSIONS = frozenset({"core.add_user", "core.change_user", "core.view_user"})
SECURITY_ADMIN_PERMISSIONS = frozenset(
    {
        "core.view_user",
        "core.change_user",
        "accounts.add_securitypolicy",
        "accounts.change_securitypolicy",
        "accounts.view_securitypolicy",
        "accounts.view_authenticator",
        "accounts.delete_authenticator",
    }
)

_ALL: dict[str, frozenset[str]] = {}


def _permissions_of(apps) -> frozenset[str]:
    """Every permission of `apps`. Permissions change only with a deployment (migrate), so
    they are read once per process instead of once per request."""
    if not _ALL:
        rows = Permission.objects.values_list("content_type__app_label", "codename")
        found: dict[str, set[str]] = {}
        for app, codename in rows:
            found.setdefault(app, set()).add(f"{app}.{codename}")
        if found:  # not before migrate has created them
            _ALL.update({app: frozenset(perms) for app, perms in found.items()})
    return frozenset().union(*(_ALL.get(app, frozenset()) for app in apps))


def role_permissions(user) -> frozenset[str]:
    if not user.is_active:
        return frozenset()
    role = user.role
    if role == Role.STAFF and user.is_staff:
        # and, of the counties app, only their county's own calendar days (never a county, the
        # city or the mechanisms: the system administrator's)
        own_days = frozenset(p for p in _permissions_of(["counties"]) if "calendaroverride" in p)
        return (_permissions_of(settings.STAFF_ADMIN_APPS) | own_days) - SEPARATED
    if role == Role.SYSTEM_ADMIN:
        # the organization: the city, its counties and the mechanisms they run (a new county
        # comes with its first staff account, counties.services.county_create), the zones and
        # units; and the snapshot keys of the counties that run their own server
        snapshot_keys = frozenset(p for p in _permissions_of(["portal"]) if "snapshotkey" in p)
        # and the member register, administered as the units are (people.admin: masked)
        organization = _permissions_of(["counties", "zones", "people"])
        return organization | snapshot_keys | SYSTEM_ADMIN_PERMISSIONS
    if role == Role.SECURITY_ADMIN:
        return _permissions_of(["axes"]) | SECURITY_ADMIN_PERMISSIONS
    if role == Role.AUDIT_ADMIN:
        return frozenset(p for p in _permissions_of(["audit"]) if ".view_" in p)
    return frozenset()


class RoleBackend(ModelBackend):
    """Django's backend plus the permissions of the person's role (see the module)."""

    def get_all_permissions(self, user_obj, obj=None):
        return super().get_all_permissions(user_obj, obj) | role_permissions(user_obj)

    def has_perm(self, user_obj, perm, obj=None):
        return perm in role_permissions(user_obj) or super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        return any(p.startswith(f"{app_label}.") for p in role_permissions(user_obj)) or (
            super().has_module_perms(user_obj, app_label)
        )
