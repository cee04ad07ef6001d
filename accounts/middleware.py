"""Account protection around every request: how long a session lives, a password that must be
changed first, a sign-in that still needs its one-time code, and the separated administrators
kept on their own sites. (Where a request comes from is `core.middleware.client_ip`.)"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.access import may

from .passwords import must_change_password_now
from .security import lockout_cooloff, lockout_failures
from .signals import SECOND_FACTOR_KEY
from .sites import HOME_SITE

# The session keys keep the names they had in core: sessions open at an upgrade stay valid.
LOGIN_AT_KEY = "core_login_at"
SEEN_AT_KEY = "core_seen_at"


def lockout_response(request, original_response=None, credentials=None):
    """The page django-axes shows instead of signing in a locked-out account (HTTP 429)."""
    cool_off = lockout_cooloff(request)
    context = {
        "address_locked": getattr(request, "axes_address_locked", False),
        "failure_limit": lockout_failures(request, credentials),
        "lockout_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "registration/locked.html", context, status=429)


class SessionLifetimeMiddleware:
    """A signed-in session ends after SESSION_COOKIE_AGE seconds without a request (idle) and
    SESSION_ABSOLUTE_MAX_AGE seconds after signing in, however active its owner is.

    The idle limit slides: the session is saved again (which moves its expiry in the database
    and the cookie's) once SESSION_TOUCH_SECONDS have passed since the last save, instead of on
    every request as SESSION_SAVE_EVERY_REQUEST would (a write per page). The sign-in time and
    the last save are kept in the session; they are written when the session is saved anyway
    (the login view's own response) or by that periodic save. Until then the sign-in time is the
    user's `last_login`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        user_pk = user.pk if user is not None and user.is_authenticated else None
        if user_pk is not None:
            now = time.time()
            session = request.session
            login_at = session.get(LOGIN_AT_KEY)
            if login_at is None and user.last_login is not None:
                login_at = user.last_login.timestamp()
            seen_at = session.get(SEEN_AT_KEY)
            max_age = getattr(settings, "SESSION_ABSOLUTE_MAX_AGE", 12 * 3600)
            idle = settings.SESSION_COOKIE_AGE
            if (login_at is not None and max_age and now - login_at > max_age) or (
                seen_at is not None and now - seen_at > idle
            ):
                logout(request)  # deletes the session row: the cookie is worthless now
                messages.info(request, _("Your session has ended. Please sign in again."))
                return redirect_to_login(request.get_full_path())
            touch = getattr(settings, "SESSION_TOUCH_SECONDS", 60)
            if seen_at is not None and now - seen_at >= touch:
                session[SEEN_AT_KEY] = now  # saved at the end of the request, new expiry
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if session is not None and user is not None and user.is_authenticated and session.modified:
            now = time.time()
            if user.pk != user_pk or LOGIN_AT_KEY not in session:
                session[LOGIN_AT_KEY] = now  # signed in during this request
            session.setdefault(SEEN_AT_KEY, now)
        return response


def _always_allowed(path: str) -> bool:
    """Pages anyone signed in may reach whatever else is asked of them first: logging out,
    switching language, /healthz and static files."""
    allowed = (
        reverse("logout"),
        reverse("set_language"),
        reverse("healthz"),
    )
    return path in allowed or path.startswith(settings.STATIC_URL)


class SignedInMiddleware:
    """Looks at every request of a signed-in person before its view: `intercept` answers
    instead of the view (a redirect, a refusal), or None to let the request through."""

    def __init__(self, get_response):
        self.get_response = get_response

    def intercept(self, request, user):
        return None  # let every request through; subclasses say what they stop

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self.intercept(request, user)
            if response is not None:
                return response
        return self.get_response(request)


class PasswordPolicyMiddleware(SignedInMiddleware):
    """Sends a signed-in person whose password must change (first login, an administrator's
    reset, expired) to the password change page before anything else. Left alone: that page
    and its done page, and what `_always_allowed` lists."""

    def intercept(self, request, user):
        path = request.path_info
        if path in (reverse("password_change"), reverse("password_change_done")):
            return None
        if _always_allowed(path) or not must_change_password_now(user):
            return None
        messages.warning(
            request, _("Please choose a new password before you continue."), fail_silently=True
        )
        return redirect("password_change")


class SecondFactorMiddleware(SignedInMiddleware):
    """A session whose sign-in needs a one-time code (accounts.signals decides at sign-in) reaches
    nothing but the code pages until the code is given (django-otp's `is_verified`)."""

    def intercept(self, request, user):
        path = request.path_info
        if (
            request.session.get(SECOND_FACTOR_KEY)
            and not user.is_verified()
            and not path.startswith(reverse("otp_verify"))
            and not _always_allowed(path)
        ):
            return redirect_to_login(request.get_full_path(), login_url=reverse("otp_verify"))
        return None


class AdministratorMiddleware(SignedInMiddleware):
    """The three separated administrators work on their own admin sites only (三员分立): the
    portal's pages send them home (`/`) or refuse them (403); their account pages stay open."""

    def intercept(self, request, user):
        if may(user, "accounts.work_on_portal"):
            return None
        path = request.path_info
        if path == reverse("home"):
            return redirect(HOME_SITE[user.role])
        own = (
            reverse("admin:index"),
            reverse("security_admin:index"),
            reverse("audit_admin:index"),
            reverse("login").rsplit("/", 2)[0] + "/",  # the account pages
            # Their own large exports' pages and files (core.exportjobs: the audit trail's).
            reverse("export_job", args=[1]).rsplit("/", 2)[0] + "/",
        )
        if not (path.startswith(own) or _always_allowed(path)):
            raise PermissionDenied
        return None
