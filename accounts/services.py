"""Services of accounts: second factors (django-otp's TOTP devices) and the administrators' accounts."""

from __future__ import annotations

import secrets
import string

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.constants import Role

from .signals import SECOND_FACTOR_KEY


def otp_pending_device(*, user) -> TOTPDevice:
    """The authenticator being set up (unconfirmed), made on first use. Refuses when one is
    already confirmed: replacing it is the security administrator's work (a lost phone)."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(_("You already use an authenticator app."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def otp_confirm_device(*, request, token: str) -> TOTPDevice:
    """Confirms the pending authenticator with its first code; from now on every sign-in of
    this person asks for a code. A wrong code changes nothing."""
    from django_otp import login as otp_login

    device = otp_pending_device(user=request.user)
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(token):
        raise ValidationError(_("That code is not right. Check your phone's clock and try again."))
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    request.session[SECOND_FACTOR_KEY] = True
    return device


def otp_verify(*, request, token: str):
    """Confirms this session's sign-in with a code from any of the person's authenticators."""
    from django_otp import login as otp_login
    from django_otp import match_token

    device = match_token(request.user, token)
    if device is None:
        raise ValidationError(_("That code is not right. Check your phone's clock and try again."))
    otp_login(request, device)
    return device


ADMINISTRATOR_ROLES = (
    ("sysadmin", Role.SYSTEM_ADMIN),
    ("secadmin", Role.SECURITY_ADMIN),
    ("auditor", Role.AUDIT_ADMIN),
)


@transaction.atomic
def administrators_create(*, names: dict[str, str]) -> dict[str, str]:
    """Creates the three separated administrators at installation (三员分立), each with a
    one-time random password that must be changed at the first sign-in. `names` maps a role to
    a username. Refuses, creating none, when a username is taken. Returns username → password."""
    User = get_user_model()
    taken = sorted(
        User.objects.filter(username__in=names.values()).values_list("username", flat=True)
    )
    if taken:
        raise ValidationError(
            _("These usernames are taken: %(names)s.") % {"names": ", ".join(taken)}
        )
    if len(set(names.values())) != len(names):
        raise ValidationError(_("The three administrators need three different usernames."))
    passwords = {}
    for role, username in names.items():
        password = generated_password()
        user = User(username=username, role=role, must_change_password=True)
        user.set_password(password)
        user.save()
        user.must_change_password = True  # saving the password cleared it
        user.save(update_fields=["must_change_password"])
        passwords[username] = password
    return passwords


def generated_password() -> str:
    """A random password that satisfies any policy the security administrator can set."""
    alphabet = string.ascii_letters + string.digits
    body = "".join(secrets.choice(alphabet) for _ in range(16))
    return f"{body}-{secrets.choice(string.ascii_uppercase)}{secrets.choice(string.digits)}a"
