from __future__ import annotations

from django.conf import settings


def portal(request):
    """Values every page's base template needs."""
    return {"portal_languages": settings.LANGUAGES}
