from __future__ import annotations

from django import forms
from django.forms.forms import NON_FIELD_ERRORS
from django.utils.translation import gettext


class StatedLimitsMixin:
    """The portal's forms state every text field's length limit: the browser's `maxlength`
    (which Django sets from `max_length`, so typing stops there) and a help text "At most N
    characters." under the field. A longer text posted anyway is refused by the field's own
    validator with a message naming both lengths, and nothing is saved. The limits come from
    core.constants (or the model's column for a model form); tests/test_input_rules.py checks
    that every text field of every portal form has one and that its form states it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field, forms.CharField) or field.widget.is_hidden:
                continue
            if field.max_length:
                limit = gettext("At most %(limit)d characters.") % {"limit": field.max_length}
                field.help_text = f"{field.help_text} {limit}" if field.help_text else limit


def error_lines(form) -> list[str]:
    """Each error of a refused form as a line a page message can show, where the form itself
    is not shown again (a form posted from a page that redirects back): a field's error after
    its label ("Date: This field is required.", three of them told apart), the form's own
    errors as they are."""
    lines = []
    for name, errors in form.errors.items():
        label = form[name].label if name != NON_FIELD_ERRORS and name in form.fields else ""
        for error in errors:
            lines.append(
                gettext("%(field)s: %(error)s") % {"field": label, "error": error}
                if label
                else str(error)
            )
    return lines
