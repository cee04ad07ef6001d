"""Permissions that follow from a person's role, kept in one place instead of per-user grants."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from .constants import Role


class RoleBackend(ModelBackend):
    """Work-committee staff with admin access manage the organization's records in the admin
    (the apps listed in `STAFF_ADMIN_APPS`) without per-user permission grants."""

    def get_role_permissions(self, user_obj) -> set[str]:
        if not user_obj.is_active or not user_obj.is_staff or user_obj.role != Role.STAFF:
            return set()
        if not hasattr(user_obj, "_role_perm_cache"):
            perms = Permission.objects.filter(
                content_type__app_label__in=settings.STAFF_ADMIN_APPS
            ).values_list("content_type__app_label", "codename")
            user_obj._role_perm_cache = {f"{app}.{codename}" for app, codename in perms}
        return user_obj._role_perm_cache

    def get_all_permissions(self, user_obj, obj=None):
        return super().get_all_permissions(user_obj, obj) | self.get_role_permissions(user_obj)

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_role_permissions(user_obj) or super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        return any(p.startswith(f"{app_label}.") for p in self.get_role_permissions(user_obj)) or (
            super().has_module_perms(user_obj, app_label)
        )
