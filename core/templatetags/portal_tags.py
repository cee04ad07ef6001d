from __future__ import annotations

from django import template

from core.text import bracketed as _bracketed

register = template.Library()


@register.filter
def mask_phone(value: str) -> str:
    """13891500001 → 138****0001: lists show enough to recognise a number, not to use it."""
    text = str(value or "")
    if len(text) < 7:
        return "*" * len(text)
    return f"{text[:3]}{'*' * (len(text) - 7)}{text[-4:]}"


@register.filter(is_safe=True)
def bracketed(value) -> str:
    """`{{ zone|bracketed }}`, or `{% filter bracketed %}…{% endfilter %}` around composed text:
    brackets as the active language writes them (core.text.bracketed)."""
    return _bracketed(value)
