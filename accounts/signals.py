"""Receivers of accounts: what a sign-in decides for the rest of the session."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .security import second_factor_required

# The session key keeps the name it had in core: sessions open at an upgrade stay valid.
SECOND_FACTOR_KEY = "core_second_factor"


@receiver(user_logged_in)
def _decide_second_factor(sender, request, user, **kwargs):
    """Whether this session must be confirmed with a one-time code, decided once at sign-in so
    that later requests ask the session rather than the database."""
    if request is not None and hasattr(request, "session"):
        request.session[SECOND_FACTOR_KEY] = second_factor_required(user)
