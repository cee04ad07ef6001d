"""The three separated administrators' admin sites (三员分立).

- `/admin/`, the default site: the system administrator (accounts, units, zones) and committee
  staff with admin access (the mechanism's records: checklists, calendar, schedules).
- `/security-admin/`: the security administrator (roles, lockouts, password policy, second
  factors).
- `/audit-admin/`: the audit administrator (the audit trail and record history, read and export).

Each site lets in only its own people; everyone else signed in gets 403 (audited), anonymous
visitors the portal's own login page. The installation superuser passes every site, and every
request it makes is on the audit trail (audit.middleware).
"""

from __future__ import annotations

import functools

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .constants import Role


class RoleAdminSite(admin.AdminSite):
    """An admin site for the installation superuser and the holders of `role`."""

    role: str | None = None

    def allows(self, user) -> bool:
        return user.is_superuser or (self.role is not None and user.role == self.role)

    def has_permission(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_authenticated and self.allows(user)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @functools.wraps(inner)
        def guarded(request, *args, **kwargs):
            user = request.user
            if user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return guarded

    def login(self, request, extra_context=None):
        """One sign-in page for the whole portal (lockout, password policy, second factor)."""
        if request.user.is_authenticated and not self.has_permission(request):
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or reverse(f"{self.name}:index"))


class SystemAdminSite(RoleAdminSite):
    site_header = _("System administration")
    site_title = _("System administration")
    index_title = _("Accounts, units and zones")
    role = Role.SYSTEM_ADMIN

    # The mechanism's records first, in the order its people think of them; the scheduler's
    # tables (django-celery-beat) last, under a name that says they are the system's.
    APP_ORDER = ("zones", "activities", "supervision", "core", "notifications", "reports")
    SCHEDULER_APP = "django_celery_beat"

    def allows(self, user) -> bool:
        """Also committee staff with admin access, for the mechanism's records."""
        return super().allows(user) or (user.role == Role.STAFF and user.is_staff)

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)

        def rank(app) -> tuple[int, int]:
            label = app["app_label"]
            if label == self.SCHEDULER_APP:
                return (2, 0)
            if label in self.APP_ORDER:
                return (0, self.APP_ORDER.index(label))
            return (1, 0)

        for app in apps:
            if app["app_label"] == self.SCHEDULER_APP:
                app["name"] = _("Scheduled tasks (system)")
        return sorted(apps, key=rank)  # stable: the others keep Django's alphabetical order


class SecurityAdminSite(RoleAdminSite):
    site_header = _("Security administration")
    site_title = _("Security administration")
    index_title = _("Roles, lockouts and password policy")
    role = Role.SECURITY_ADMIN


class AuditAdminSite(RoleAdminSite):
    site_header = _("Audit administration")
    site_title = _("Audit administration")
    index_title = _("Audit trail")
    role = Role.AUDIT_ADMIN


security_site = SecurityAdminSite(name="security_admin")
audit_site = AuditAdminSite(name="audit_admin")

# Where `/` sends each administrator.
HOME_SITE = {
    Role.SYSTEM_ADMIN: "admin:index",
    Role.SECURITY_ADMIN: "security_admin:index",
    Role.AUDIT_ADMIN: "audit_admin:index",
}
