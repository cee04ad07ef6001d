"""Receivers that turn events of the apps below into notifications."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.constants import Role

from .constants import Kind
from .services import Message, notifications_send


@receiver(user_locked_out)
def _notify_lockout(sender, request, username, ip_address, **kwargs):
    """A lockout is told to the account's owner (someone may be guessing their password) and to
    every security administrator (who may lift it or block the address). Once per username,
    address and day: further failures during the lockout send nothing new."""
    User = get_user_model()
    day = timezone.localdate().isoformat()
    address = ip_address or "?"
    subject = f"lockout:{username or ''}@{address}"[:80]
    owner = User.objects.filter(username=username, is_active=True).first() if username else None
    messages = []
    if owner is not None:
        messages.append(
            Message(
                owner.pk,
                Kind.SIGN_IN_LOCKOUT,
                subject,
                day,
                _("Signing in to your account was locked after failed attempts from %(ip)s")
                % {"ip": address},
                _(
                    "If this was not you, someone may be guessing your password: you can still "
                    "sign in from your usual address; change your password and tell the "
                    "security administrator."
                ),
            )
        )
    url = reverse("security_admin:axes_accessattempt_changelist")
    title = _("Sign-in lockout: %(username)s from %(ip)s") % {
        "username": username or "—",
        "ip": address,
    }
    for admin_id in User.objects.filter(role=Role.SECURITY_ADMIN, is_active=True).values_list(
        "pk", flat=True
    ):
        messages.append(Message(admin_id, Kind.SIGN_IN_LOCKOUT, subject, day, title, "", url))
    notifications_send(messages)
