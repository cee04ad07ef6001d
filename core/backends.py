"""Permissions that follow from a person's role, kept in one place instead of per-user grants."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from .constants import Role

_STAFF_PERMISSIONS: dict[tuple, frozenset[str]] = {}


def staff_permissions(apps: tuple[str, ...]) -> frozenset[str]:
    """Every permission of the staff's apps. Permissions change only with a deployment
    (migrate), so they are read once per process instead of once per request."""
    cached = _STAFF_PERMISSIONS.get(apps)
    if cached is None:
        rows = Permission.objects.filter(content_type__app_label__in=apps).values_list(
            "content_type__app_label", "codename"
        )
        cached = frozenset(f"{app}.{codename}" for app, codename in rows)
        if cached:  # not before migrate has created them
            _STAFF_PERMISSIONS[apps] = cached
    return cached


class RoleBackend(ModelBackend):
    """Work-committee staff with admin access manage the organization's records in the admin
    (the apps listed in `STAFF_ADMIN_APPS`) without per-user permission grants."""

    def get_role_permissions(self, user_obj) -> set[str]:
        if not user_obj.is_active or not user_obj.is_staff or user_obj.role != Role.STAFF:
            return set()
        return staff_permissions(tuple(settings.STAFF_ADMIN_APPS))

    def get_all_permissions(self, user_obj, obj=None):
        return super().get_all_permissions(user_obj, obj) | self.get_role_permissions(user_obj)

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_role_permissions(user_obj) or super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        return any(p.startswith(f"{app_label}.") for p in self.get_role_permissions(user_obj)) or (
            super().has_module_perms(user_obj, app_label)
        )
