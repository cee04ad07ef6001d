"""Form widgets the portal's forms share: a date input every browser reads in every language,
and widgets that stay fast with long choice lists (a city has ~1,800 units)."""

from __future__ import annotations

from html import escape

from django import forms
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """The attributes as django/forms/widgets/attrs.html writes them: in order, True as a bare
    name, False left out, every value escaped."""
    return "".join(
        f" {escape(str(key))}" if value is True else f' {escape(str(key))}="{escape(str(value))}"'
        for key, value in attrs.items()
        if value is not False and value is not None
    )


def _option(value, label, selected: set[str]) -> str:
    key = "" if value is None else str(value)
    chosen = " selected" if key in selected else ""
    return f'<option value="{escape(key)}"{chosen}>{escape(str(label))}</option>'


def select_html(widget: forms.Select, name, value, attrs=None) -> str:
    """A Select's markup as django/forms/widgets/select.html writes it (a group of choices as an
    <optgroup>), written in Python: Django renders every option through a template include."""
    selected = {str(v) for v in widget.format_value(value)}
    final_attrs = widget.build_attrs(widget.attrs, attrs)
    options = []
    for key, label in widget.choices:
        if isinstance(label, list | tuple):
            group = "".join(_option(v, text, selected) for v, text in label)
            options.append(f'<optgroup label="{escape(str(key))}">{group}</optgroup>')
        else:
            options.append(_option(key, label, selected))
    return mark_safe(  # noqa: S308 - every value and label is escaped above
        f"<select{_attrs({'name': name, **final_attrs})}>{''.join(options)}</select>"
    )


def text_input_html(widget: forms.TextInput, name, value, attrs=None) -> str:
    """A TextInput's (or another input's: a DateInput) markup as django/forms/widgets/input.html
    writes it, written in Python: its value unless None (a DateInput keeps a value of "")."""
    context = widget.get_context(name, value, attrs)["widget"]
    final = {"type": context["type"], "name": name}
    if context["value"] is not None:
        final["value"] = context["value"]
    return mark_safe(f"<input{_attrs({**final, **context['attrs']})}>")  # noqa: S308 - escaped


class FastSelect(forms.Select):
    """A <select> rendered in Python. Django's Select renders every option through a template
    include, which costs milliseconds per hundred options (18 ms for the ledger's 200 zones at
    city scale, on every cache miss: docs/performance.md); the markup here is the same, which
    tests/core/test_hand_rendered_html.py checks against Django's own."""

    def render(self, name, value, attrs=None, renderer=None):
        return select_html(self, name, value, attrs)


class FastTextInput(forms.TextInput):
    """An <input> rendered in Python (Django renders each through three template files): the
    same markup (tests/core/test_hand_rendered_html.py), for forms drawn on every page view
    (the ledger's filters)."""

    def render(self, name, value, attrs=None, renderer=None):
        return text_input_html(self, name, value, attrs)


class DateInput(forms.DateInput):
    """The portal's date field: `<input type="date">`, whose value a browser reads only as an ISO
    date (YYYY-MM-DD). Django's DateInput writes the active language's first input format instead,
    2026/10/15 in Chinese, which the browser cannot read: the field showed empty and a saved
    date had to be typed again. Every form's date field uses this widget (tests/test_input_rules.py
    checks them all); the form field still accepts every format of the language."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 - Django's own argument name
        super().__init__(attrs=attrs, format=format or "%Y-%m-%d")
