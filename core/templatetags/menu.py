"""`{% reader_menu %}`: the navigation's menu (templates/includes/menu.html), which every
signed-in page shows and which reads nothing but who the reader is: the rules the menu asks
(`user|may:…`), the mechanisms of their county and the language. Rendered once per reader, day
and language and then taken from the cache (core.cache.reader_cached), until the reader version
moves (their account, posts, zones, person or the counties change) or the mechanisms do (they
are part of the key, read with the signed-in person). Issue 20: a third of what a page of
little content costs more than the bare page was this menu's rules and links."""

from __future__ import annotations

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.cache import reader_cached

register = template.Library()

MENU = "includes/menu.html"


@register.simple_tag(takes_context=True)
def reader_menu(context) -> str:
    user = context.get("user")
    mechanisms = tuple(sorted(context.get("reader_mechanisms") or ()))

    def render() -> str:
        return get_template(MENU).render({"user": user, "reader_mechanisms": mechanisms})

    if user is None or not getattr(user, "is_authenticated", False):
        return render()
    html = reader_cached(
        "menu",
        user,
        render,
        timezone.localdate().isoformat(),
        get_language(),
        get_script_prefix(),
        ",".join(mechanisms),
    )
    return mark_safe(html)  # noqa: S308 - the menu template's own output, escaped as it rendered
