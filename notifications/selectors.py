from __future__ import annotations

from django.db.models import QuerySet

from .constants import Kind
from .models import Notification, Preference


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, in_app=True)


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return notifications_for(user).filter(read_at__isnull=True).count()


def preferences_for(user) -> dict[str, tuple[bool, bool]]:
    """{kind: (in_app, email)} for every kind, defaults filled in."""
    saved = {p.kind: (p.in_app, p.email) for p in Preference.objects.filter(user=user)}
    return {kind: saved.get(kind, (True, False)) for kind in Kind.values}
