"""Form widgets the portal's forms share: a date input every browser reads in every language,
and widgets that stay fast with long choice lists (a city has ~1,800 units)."""

from __future__ import annotations

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A <select> rendered in Python. Django's Select renders every option through a template
    include, which costs milliseconds per hundred options; the markup here is the same."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in self.format_value(value)}
        final_attrs = self.build_attrs(self.attrs, attrs)
        options = []
        for key, label in self.choices:
            # a group lists its options (flattened, as Django's markup renders them here)
            pairs = label if isinstance(label, list | tuple) else [(key, label)]
            for option_value, option_label in pairs:
                key_text = "" if option_value is None else str(option_value)
                options.append(
                    f'<option value="{escape(key_text)}"'
                    f"{' selected' if key_text in selected else ''}>"
                    f"{escape(str(option_label))}</option>"
                )
        return mark_safe(  # noqa: S308 - every value and label is escaped above
            f"<select{flatatt({**final_attrs, 'name': name})}>{''.join(options)}</select>"
        )


class FastTextInput(forms.TextInput):
    """An <input> rendered in Python (Django renders each through three template files): the
    same markup, for forms drawn on every page view (the ledger's filters)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        attrs = {"type": widget["type"], "name": name, **widget["attrs"]}
        if widget["value"] not in (None, ""):
            attrs["value"] = widget["value"]
        return format_html("<input{}>", flatatt(attrs))


class DateInput(forms.DateInput):
    """The portal's date field: `<input type="date">`, whose value a browser reads only as an ISO
    date (YYYY-MM-DD). Django's DateInput writes the active language's first input format instead,
    2026/10/15 in Chinese, which the browser cannot read: the field showed empty and a saved
    date had to be typed again. Every form's date field uses this widget (tests/test_input_rules.py
    checks them all); the form field still accepts every format of the language."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 - Django's own argument name
        super().__init__(attrs=attrs, format=format or "%Y-%m-%d")
