"""Receivers that write the audit trail: logins, logouts, failed logins, lockouts, and who made
each recorded change from which address."""

from __future__ import annotations

from django.contrib.admin.models import LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from .constants import Event, Outcome
from .services import audit_record, client_ip


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


@receiver(pre_create_historical_record)
def _where_from(sender, history_instance, **kwargs):
    request = getattr(HistoricalRecords.context, "request", None)
    history_instance.ip_address = client_ip(request)


try:  # django-axes, when installed, tells of lockouts
    from axes.signals import user_locked_out

    @receiver(user_locked_out)
    def _locked_out(sender, request, username, ip_address, **kwargs):
        audit_record(
            event=Event.LOCKOUT, outcome=Outcome.DENIED, request=request, username=username
        )

except ImportError:  # pragma: no cover
    pass
