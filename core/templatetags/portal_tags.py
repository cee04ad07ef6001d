from __future__ import annotations

from django import template

from core import periods
from core.text import bracketed as _bracketed

register = template.Library()


@register.filter
def mask_phone(value: str) -> str:
    """13891500001 → 138****0001: lists show enough to recognise a number, not to use it."""
    text = str(value or "")
    if len(text) < 7:
        return "*" * len(text)
    return f"{text[:3]}{'*' * (len(text) - 7)}{text[-4:]}"


@register.filter
def month_label(value) -> str:
    """A month as people write it (2026年11月): core.periods.month_label in a template."""
    return periods.month_label(value) if value else ""


@register.filter
def year_label(value) -> str:
    """A year as the committee writes it: 2026年 (core.periods.year_label)."""
    return periods.year_label(int(value))


@register.filter
def month_in_year(value) -> str:
    """A month under a heading that names its year (11月): core.periods.month_in_year_label."""
    return periods.month_in_year_label(value) if value else ""


@register.filter(is_safe=True)
def bracketed(value) -> str:
    """`{{ zone|bracketed }}`, or `{% filter bracketed %}…{% endfilter %}` around composed text:
    brackets as the active language writes them (core.text.bracketed)."""
    return _bracketed(value)


@register.filter
def filter_field(field):
    """A list page's filter field as `|as_crispy_field` draws it, written in Python
    (core.filter_fields: the same markup, without crispy's template includes)."""
    from core.filter_fields import crispy_field_html

    return crispy_field_html(field)


@register.filter
def crispy_form(form):
    """`{{ form|crispy }}` of a form of text, date and select fields, written in Python
    (core.filter_fields.crispy_form_html: the same markup, without crispy's includes)."""
    from core.filter_fields import crispy_form_html

    return crispy_form_html(form)


@register.filter
def filter_control(field):
    """A filter field's widget as `{{ field }}` draws it, written in Python (core.filter_fields)."""
    from core.filter_fields import control_html

    return control_html(field)
