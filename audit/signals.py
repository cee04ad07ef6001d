"""Receivers that write the audit trail: logins, logouts, failed logins, lockouts, and who made
each recorded change from which address."""

from __future__ import annotations

from django.contrib.admin.models import LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from core.events import admin_action_done, out_of_scope

from .constants import Event, Outcome
from .services import audit_record, client_ip, escape_line


@receiver(user_logged_in)
def _login(sender, request, user, **kwargs):
    audit_record(event=Event.LOGIN, outcome=Outcome.SUCCESS, request=request, user=user)


@receiver(user_logged_out)
def _logout(sender, request, user, **kwargs):
    audit_record(event=Event.LOGOUT, outcome=Outcome.SUCCESS, request=request, user=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    audit_record(
        event=Event.LOGIN_FAILED,
        outcome=Outcome.FAILURE,
        request=request,
        username=str(credentials.get("username", "")),
    )


@receiver(post_save, sender=LogEntry)
def _admin_action(sender, instance, created, **kwargs):
    """Every change made in the admin site (Django writes a LogEntry for each)."""
    if not created:
        return
    request = (
        HistoricalRecords.context.request if hasattr(HistoricalRecords.context, "request") else None
    )
    audit_record(
        event=Event.ADMIN_ACTION,
        outcome=Outcome.SUCCESS,
        request=request,
        user=instance.user,
        detail=f"{instance.get_action_flag_display()} {instance.content_type} #{instance.object_id}: "
        f"{instance.object_repr} {instance.get_change_message()}",
    )


@receiver(admin_action_done)
def _admin_action_run(sender, request, model_admin, action, objects, reason, outcome, detail, **kw):
    """Every action of every admin site: who, on which objects, which action, with what reason,
    applied or refused (and why)."""
    names = ", ".join(f"#{obj.pk} {obj}" for obj in objects[:50])
    if len(objects) > 50:
        names += f" … (+{len(objects) - 50})"
    audit_record(
        event=Event.ADMIN_ACTION,
        outcome=Outcome.SUCCESS if outcome == "success" else Outcome.FAILURE,
        request=request,
        detail=f"{model_admin.admin_site.name}: {action} {model_admin.opts.label} "
        f"[{len(objects)}] {names}; reason: {reason or '—'}"
        + (f"; refused: {detail}" if detail else ""),
    )


@receiver(out_of_scope)
def _out_of_scope(sender, request, model, lookup, **kwargs):
    """An object that exists outside the reader's scope was asked for: answered 404 like a
    missing one, and recorded as a denial (a missing object is not)."""
    what = ", ".join(f"{key}={value}" for key, value in lookup.items())
    audit_record(
        event=Event.PERMISSION_DENIED,
        outcome=Outcome.DENIED,
        request=request,
        detail=f"{request.method if request else ''} {request.path if request else ''} → 404: "
        f"{model._meta.label} {what} outside the reader's scope",
    )


@receiver(pre_create_historical_record)
def _where_from(sender, instance, history_instance, **kwargs):
    """From which address, and why: the reason the record carries itself (a membership's, a
    class's, a returned activity's) or the one typed on the page that made the change (an admin
    action's intermediate page)."""
    request = getattr(HistoricalRecords.context, "request", None)
    history_instance.ip_address = client_ip(request)
    if not history_instance.history_change_reason:
        reason = getattr(instance, "reason", "") or ""
        if not reason and request is not None and request.method == "POST":
            reason = request.POST.get("reason", "")
        if reason:
            history_instance.history_change_reason = escape_line(str(reason), limit=100)


try:  # django-axes, when installed, tells of lockouts
    from axes.signals import user_locked_out

    @receiver(user_locked_out)
    def _locked_out(sender, request, username, ip_address, **kwargs):
        audit_record(
            event=Event.LOCKOUT, outcome=Outcome.DENIED, request=request, username=username
        )

except ImportError:  # pragma: no cover
    pass
