"""The system and the security administrators' admin sites (三员分立).

- `/admin/`, the default site: the system administrator (accounts, units, zones) and committee
  staff with admin access (the mechanism's records: checklists, calendar, schedules).
- `/security-admin/`: the security administrator (roles, lockouts, password policy, second
  factors).

The audit administrator's site (`/audit-admin/`) is audit's (audit.sites). Each lets in only its
own people (core.sites.RoleAdminSite); the installation superuser passes every site, and every
request it makes is on the audit trail (audit.middleware).
"""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import re_path, reverse
from django.utils.translation import gettext_lazy as _

from core.constants import Role
from core.sites import RoleAdminSite


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

    # Models that moved from core to accounts (issue 14): their pages kept their old addresses
    # (`/security-admin/core/securitypolicy/…`) as redirects, for bookmarks and the history's links.
    MOVED_FROM_CORE = ("securitypolicy", "authenticator")

    def get_urls(self):
        moved = "|".join(self.MOVED_FROM_CORE)
        old = re_path(
            rf"^core/(?P<model>{moved})/(?P<rest>.*)$", self.admin_view(self._moved_from_core)
        )
        return [old, *super().get_urls()]

    def _moved_from_core(self, request, model: str, rest: str):
        target = f"{reverse(f'{self.name}:index')}accounts/{model}/{rest}"
        query = request.META.get("QUERY_STRING", "")
        return redirect(f"{target}?{query}" if query else target, permanent=True)


security_site = SecurityAdminSite(name="security_admin")

# Where `/` sends each administrator.
HOME_SITE = {
    Role.SYSTEM_ADMIN: "admin:index",
    Role.SECURITY_ADMIN: "security_admin:index",
    Role.AUDIT_ADMIN: "audit_admin:index",
}
