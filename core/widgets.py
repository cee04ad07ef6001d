"""Form widgets that stay fast with long choice lists (a city has ~1,800 units)."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class FastSelect(forms.Select):
    """A <select> rendered in Python. Django's Select renders every option through a template
    include, which costs milliseconds per hundred options; the markup here is the same."""

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        widget = context["widget"]
        selected = {str(v) for v in widget["value"]}
        options = []
        for _group_name, group_choices, _index in widget["optgroups"]:
            for option in group_choices:
                options.append(
                    (
                        option["value"] if option["value"] is not None else "",
                        " selected" if str(option["value"]) in selected else "",
                        option["label"],
                    )
                )
        body = format_html_join("", '<option value="{}"{}>{}</option>', options)
        return format_html(
            "<select{}>{}</select>", flatatt({**widget["attrs"], "name": name}), body
        )
