"""`{% if user|may:"activities.read_ledger" %}`: a template asks the named rule the view asks
(core.access.may), never the person's role. A rule about one object is asked by the view,
which hands the answer to the template in its context."""

from __future__ import annotations

from django import template

from core.access import may as _may

register = template.Library()


@register.filter
def may(user, rule: str) -> bool:
    return bool(user) and _may(user, rule)
