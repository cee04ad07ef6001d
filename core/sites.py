"""The shape of the separated administrators' admin sites (三员分立): `RoleAdminSite` lets in only
the installation superuser and the holders of its role (everyone else signed in gets 403,
anonymous visitors the portal's own login page), and every action of every ModelAdmin registered
on it is reported through `core.events.admin_action_done` (the audit trail records it).

The sites themselves belong to the apps whose people use them: the system administrator's
default site (`/admin/`) and the security administrator's (`/security-admin/`) to `accounts`
(accounts.sites), the audit administrator's (`/audit-admin/`) to `audit` (audit.sites).
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
