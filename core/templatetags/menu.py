"""`{% reader_nav %}`: the navigation bar (templates/includes/nav.html, with the menu of
templates/includes/menu.html), which every page shows and which reads nothing but who the reader
is — the rules the menu asks (`user|may:…`), the mechanisms of their county, what the portal
calls itself for them (counties.context_processors.brand) and the language — and the request's
own values, its *holes*: the CSRF token, the path the language switch returns to, the search
text and the unread count. For a signed-in reader it is rendered once per reader, day and
language with each hole a marker, cached (core.cache.reader_cached) until the reader version
moves (their account, posts, zones, person or the counties change) or the mechanisms or the
brand do (they are part of the key, read with the signed-in person), and each request fills in
its holes. Issue 20: a third of what a page of little content cost more than the bare page was
the menu's rules and links (cached since the fifth part); the rest of the bar, its links,
translations and the language switch, was most of the frame's remaining millisecond."""

from __future__ import annotations

import re

from django import template
from django.conf import settings
from django.template import engines
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.cache import reader_cached

register = template.Library()

NAV = "includes/nav.html"
HOLES = ("csrf_input", "next_path", "search_q", "unread_phone", "unread_badge")
# A marker no rendered text contains (a NUL is refused in every query parameter, and escaped
# or absent everywhere else), replaced in one pass so a filled value is never read again.
_MARKER = re.compile("\x00nav:(" + "|".join(HOLES) + ")\x00")

# On a phone the menu is collapsed: the unread count stays in sight beside its button.
_UNREAD_PHONE = engines["django"].from_string(
    """{% load i18n %}<a class="btn btn-sm btn-warning rounded-pill ms-auto me-2 d-xl-none unread-phone" id="unread-count-phone" href="{% url 'notifications:list' %}"
       aria-label="{% blocktranslate count counter=unread trimmed %}{{ counter }} unread notification{% plural %}{{ counter }} unread notifications{% endblocktranslate %}">{% translate "Notifications" %} <span class="badge text-bg-danger">{{ unread }}</span></a>"""
)


def _holes(context) -> dict[str, str]:
    """The request's own values, escaped as the template would have escaped them."""
    request = context.get("request")
    token = context.get("csrf_token")
    unread = context.get("unread_notifications") or 0
    return {
        # as Django's {% csrf_token %} draws it
        "csrf_input": (
            format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
            if token and token != "NOTPROVIDED"
            else ""
        ),
        "next_path": conditional_escape(request.get_full_path()) if request else "",
        "search_q": conditional_escape(request.GET.get("q") or "") if request else "",
        "unread_phone": _UNREAD_PHONE.render({"unread": unread}) if unread else "",
        "unread_badge": (
            format_html(
                '<span class="badge rounded-pill text-bg-warning" id="unread-count">{}</span>',
                unread,
            )
            if unread
            else ""
        ),
    }


@register.simple_tag(takes_context=True)
def reader_nav(context) -> str:
    user = context.get("user")
    mechanisms = tuple(sorted(context.get("reader_mechanisms") or ()))
    brand = context.get("brand")
    language = get_language()
    holes = _holes(context)

    def render(holes) -> str:
        return get_template(NAV).render(
            {
                "user": user,
                "reader_mechanisms": mechanisms,
                "brand": brand,
                "LANGUAGE_CODE": language,
                "portal_languages": settings.LANGUAGES,
                "holes": holes,
            }
        )

    if user is None or not getattr(user, "is_authenticated", False):
        return mark_safe(render(holes))  # noqa: S308 - the template's own output, escaped
    markers = {name: mark_safe(f"\x00nav:{name}\x00") for name in HOLES}  # noqa: S308
    html = reader_cached(
        "nav",
        user,
        lambda: render(markers),
        timezone.localdate().isoformat(),
        language,
        get_script_prefix(),
        ",".join(mechanisms),
        getattr(brand, "title", ""),
    )
    # The holes' values are escaped above; the rest is the template's own output.
    return mark_safe(_MARKER.sub(lambda m: holes[m.group(1)], html))  # noqa: S308
