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
import json

from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .constants import Role
from .events import admin_action_done

# Buttons of an action's intermediate page that mean "do it" (zones' dated actions, Django's
# delete confirmation): a page that comes back after one of them was pressed is a refusal.
SUBMIT_KEYS = ("apply", "post", "confirm")


def _audited_action(func, name: str):
    """`func` (an admin action), reporting what it did through `admin_action_done`: who, which
    objects, which action, the reason typed on its page, and whether it was applied or refused.
    Showing the action's intermediate page changes nothing and is not reported."""

    @functools.wraps(func)
    def run(modeladmin, request, queryset):
        objects = list(queryset)  # before the action (a deletion empties the queryset)
        response = func(modeladmin, request, queryset)
        submitted = any(key in request.POST for key in SUBMIT_KEYS)
        if isinstance(response, TemplateResponse):
            if not submitted:
                return response  # the page asking for the target, date and reason
            errors = (response.context_data or {}).get("errors") or []
            outcome, detail = "failure", "; ".join(str(e) for e in errors)
        else:
            outcome, detail = "success", ""
            if name != "delete_selected" and (
                response is None or isinstance(response, HttpResponseRedirect)
            ):
                _log_entries(request, objects, name)
        admin_action_done.send(
            sender=type(modeladmin),
            request=request,
            model_admin=modeladmin,
            action=name,
            objects=objects,
            reason=request.POST.get("reason", ""),
            outcome=outcome,
            detail=detail,
        )
        return response

    return run


def _log_entries(request, objects, action: str) -> None:
    """Django's own admin history (django_admin_log) for an action's objects, as for a change
    through a form. Written in bulk, so it sends no post_save: the action is audited once, by
    `admin_action_done`."""
    message = json.dumps(
        [{"changed": {"fields": [action]}, "reason": request.POST.get("reason", "")[:500]}]
    )
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                user_id=request.user.pk,
                content_type_id=ContentType.objects.get_for_model(obj, for_concrete_model=False).pk,
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                action_flag=CHANGE,
                change_message=message,
            )
            for obj in objects
        ]
    )


class AuditedModelAdmin:
    """Mixed into every ModelAdmin registered on the portal's admin sites: each action is
    audited (changes through the add/change/delete forms are audited through Django's LogEntry,
    see audit.signals)."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        return {
            name: (_audited_action(func, name), action_name, description)
            for name, (func, action_name, description) in actions.items()
        }


class RoleAdminSite(admin.AdminSite):
    """An admin site for the installation superuser and the holders of `role`."""

    role: str | None = None

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every ModelAdmin of every site gets the audited actions."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedModelAdmin):
            admin_class = type(admin_class.__name__, (AuditedModelAdmin, admin_class), {})
        return super().register(model_or_iterable, admin_class, **options)

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
