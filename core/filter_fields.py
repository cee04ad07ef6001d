"""The list pages' filter fields, written in Python (issue 20).

A filter form is drawn on every view of the portal's main lists (the rectification ledger, the
member register, the activity ledgers), and Django draws each field through template includes:
every <option> of a select is one (the register's ~100 units were 249 includes, 38% of its cold
page), and crispy's `as_crispy_field` adds its field, help and error templates to each field
(15% of the rectification ledger). Here the same markup is written in Python, with Django's
escaping: `control_html` is `{{ field }}` (the widget, as BoundField.as_widget draws it) and
`crispy_field_html` is `{{ field|as_crispy_field }}` in the Bootstrap 5 pack (label, control,
errors, help). tests/core/test_filter_fields.py renders every list page's filter fields both
ways, bound and unbound, with errors, in both languages, and compares them. A widget or field
kind not written here is drawn by Django or crispy as before. `crispy_form_html` is
`{{ form|crispy }}` of such fields (the team page's forms, drawn on its every view;
tests/teams/test_team_page_forms.py compares it with crispy's).
"""

from __future__ import annotations

from django import forms
from django.forms.boundfield import BoundField
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from core.widgets import DateInput, FastSelect, FastTextInput, select_html, text_input_html

# Exact widget classes (a subclass may draw other markup: a NullBooleanSelect, an EmailInput).
_DRAWERS = {
    forms.Select: select_html,
    FastSelect: select_html,
    forms.TextInput: text_input_html,
    FastTextInput: text_input_html,
    DateInput: text_input_html,  # the portal's <input type="date">: an input as a TextInput
}


def _drawer(widget):
    """The function drawing `widget` here, or None: an exact class of `_DRAWERS`, or a
    FastSelect under another name that draws as FastSelect does (teams.forms.Select)."""
    draw = _DRAWERS.get(type(widget))
    if draw is None and isinstance(widget, FastSelect) and type(widget).render is FastSelect.render:
        return select_html
    return draw


def control_html(field: BoundField, attrs: dict | None = None) -> SafeString:
    """The field's widget as BoundField.as_widget draws it (`{{ field }}`)."""
    widget = field.field.widget
    draw = _drawer(widget)
    if draw is None or field.field.localize:
        return field.as_widget(attrs=attrs)
    final = field.build_widget_attrs(dict(attrs or {}), widget)
    if field.auto_id and "id" not in widget.attrs:
        final.setdefault("id", field.auto_id)
    return draw(widget, field.html_name, field.value(), final)


def _crispy_class(field: BoundField, extra: str) -> str:
    """The widget's class as crispy's {% crispy_field %} makes it: its own classes, the widget
    class's name in lower case unless already there, then Bootstrap's classes."""
    widget = field.field.widget
    name = type(widget).__name__.lower()
    css = widget.attrs.get("class", "")
    css = (css if name in css else f"{css} {name}") if css else name
    for word in extra.split():
        if word not in css.split():
            css += f" {word}"
    return css


def crispy_field_html(field: BoundField) -> SafeString:
    """`{{ field|as_crispy_field }}` of crispy's Bootstrap 5 pack, for a text or select field
    of a form without a crispy helper (the filter forms); any other field is left to crispy."""
    widget = field.field.widget
    if _drawer(widget) is None or field.is_hidden or getattr(field.form, "helper", None):
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(field)
    required = field.field.required
    parts = []
    if field.label:
        label_for = format_html(' for="{}"', field.id_for_label) if field.id_for_label else ""
        star = '<span class="asteriskField">*</span>' if required else ""
        parts.append(
            f'<label{label_for} class="form-label{" requiredField" if required else ""}">'
            f"{conditional_escape(field.label)}{star}</label>"
        )
    bootstrap = "form-select" if isinstance(widget, forms.Select) else "form-control"
    if field.errors:
        bootstrap += " is-invalid"
    parts.append(control_html(field, {"class": _crispy_class(field, bootstrap)}))
    if field.errors:
        errors = "".join(
            format_html('<p id="error_{}_{}"><strong>{}</strong></p>', n, field.auto_id, error)
            for n, error in enumerate(field.errors, start=1)
        )
        parts.append(
            format_html('<div id="{}_error" class="invalid-feedback">', field.errors.field_id)
            + errors
            + "</div>"
        )
    if field.help_text:
        help_id = format_html('id="{}_helptext" ', field.auto_id) if field.auto_id else ""
        parts.append(f'<div {help_id}class="form-text">{field.help_text}</div>')
    css_classes = field.css_classes()
    wrapper = format_html(
        '<div id="div_{}" class="mb-3{}">', field.auto_id, f" {css_classes}" if css_classes else ""
    )
    return mark_safe(wrapper + "".join(parts) + "</div>")  # noqa: S308 - escaped above


def crispy_form_html(form: forms.Form) -> SafeString:
    """`{{ form|crispy }}` of crispy's Bootstrap 5 pack for a form without a helper or errors
    of its own whose visible fields are text, date or select fields: each field as
    `crispy_field_html` draws it, a hidden one as `{{ field }}`. Any other form is left to
    crispy."""
    fields = list(form)
    # crispy's filter draws no media; the form's own errors are drawn by crispy
    drawn_here = not getattr(form, "helper", None) and not form.non_field_errors()
    if not drawn_here or any(not f.is_hidden and _drawer(f.field.widget) is None for f in fields):
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form

        return as_crispy_form(form)
    return mark_safe(  # noqa: S308 - each field escaped as it is drawn
        "".join(str(f) if f.is_hidden else crispy_field_html(f) for f in fields)
    )
