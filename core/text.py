"""The portal's rules for text, one definition each: control characters, and brackets.

Control characters (C0 other than tab, line feed and carriage return, and DEL) have no business in
a title, a summary or a name: pasted from Word they arrive as vertical tabs (its manual line
break), and a spreadsheet refuses the cell (openpyxl's IllegalCharacterError made a whole export
fail). They are taken out of every text field of every portal model before it is saved
(`strip_control_characters_before_save`, connected once in core.apps), whether the text came
from a form, the admin, an import or a service; exports apply the same rule to what was stored
before (core.excel.safe_cell)."""

from __future__ import annotations

import re
from functools import cache

from django.apps import apps as django_apps
from django.conf import settings
from django.db import models
from django.utils.translation import get_language

# The line-like controls become a line break (multi-line text) or a space (one line).
LINE_CONTROLS = re.compile(r"[\x0b\x0c]")
OTHER_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def without_control_characters(text: str, *, multiline: bool = True) -> str:
    """`text` with its control characters taken out; tab, line feed and carriage return stay."""
    if not isinstance(text, str):
        return text
    text = OTHER_CONTROLS.sub("", text)
    return LINE_CONTROLS.sub("\n" if multiline else " ", text)


def _is_portal_model(model) -> bool:
    """A model of one of the portal's own apps (not of a library's)."""
    try:
        path = str(django_apps.get_app_config(model._meta.app_label).path)
    except LookupError:
        return False
    return path.startswith(str(settings.BASE_DIR)) and "site-packages" not in path


@cache
def _text_fields(model) -> tuple[tuple[str, bool], ...]:
    """(attribute, multi-line) of each text column of `model` (none for models not the portal's)."""
    if not _is_portal_model(model):
        return ()
    return tuple(
        (field.attname, isinstance(field, models.TextField))
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and not isinstance(field, models.FileField)
    )


def strip_control_characters_before_save(sender, instance, raw=False, **kwargs) -> None:
    """pre_save receiver for every model: the one place text is cleaned on its way in."""
    for attname, multiline in _text_fields(sender):
        value = getattr(instance, attname)
        if value and isinstance(value, str):
            cleaned = without_control_characters(value, multiline=multiline)
            if cleaned != value:
                setattr(instance, attname, cleaned)


def bracketed(text) -> str:
    """`text` in brackets as the active language writes them: full-width （…） in Chinese, a
    space and half-width (…) in English. Every label that adds a qualifier in brackets (a unit's
    zone, a count) goes through here, so a list never mixes the two styles."""
    if (get_language() or "").startswith("zh"):
        return f"（{text}）"
    return f" ({text})"
