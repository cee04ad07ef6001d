"""Views of accounts: the second factor (TOTP) pages of a signed-in person."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import user_has_device

from audit.constants import Event, Outcome
from audit.services import audit_record

from . import services
from .forms import OneTimeCodeForm


def _next_url(request) -> str:
    """Where to go after the code: a path of this site, else home (never another site, never a
    URL name)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _code_form(request, check, *, detail: str) -> tuple[OneTimeCodeForm, bool]:
    """The code form, and whether a posted code passed `check(request=, token=)`; each code
    tried is on the audit trail, right or wrong."""
    form = OneTimeCodeForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return form, False
    try:
        check(request=request, token=form.cleaned_data["token"])
    except ValidationError as exc:
        form.add_error("token", exc)
        audit_record(
            event=Event.SECOND_FACTOR, outcome=Outcome.FAILURE, request=request, detail=detail
        )
        return form, False
    audit_record(event=Event.SECOND_FACTOR, outcome=Outcome.SUCCESS, request=request, detail=detail)
    return form, True


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """Asks for a code to confirm this sign-in; sends a person without an authenticator to set
    one up."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(request.user, confirmed=True):
        return redirect("otp_setup")
    form, done = _code_form(request, services.otp_verify, detail="sign-in")
    if done:
        return redirect(_next_url(request))
    return render(
        request, "registration/otp_verify.html", {"form": form, "next": _next_url(request)}
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Sets up an authenticator app: scan the code (or type the key), then give its first code."""
    try:
        device = services.otp_pending_device(user=request.user)
    except ValidationError as exc:
        messages.info(request, exc.messages[0])
        return redirect("home")
    form, done = _code_form(request, services.otp_confirm_device, detail="set-up")
    if done:
        messages.success(
            request, _("Your authenticator app is set up: every sign-in now asks for a code.")
        )
        return redirect(_next_url(request))
    key = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
    return render(
        request,
        "registration/otp_setup.html",
        {"form": form, "key": key, "next": _next_url(request)},
    )


@never_cache
@login_required
@require_GET
def otp_qr(request):
    """The QR code of the authenticator being set up (the person's own, unconfirmed)."""
    try:
        device = services.otp_pending_device(user=request.user)
    except ValidationError:
        return HttpResponse(status=404)
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5)
    return HttpResponse(svg, content_type="image/svg+xml")
