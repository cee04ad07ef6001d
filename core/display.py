"""A page's display values computed once per page instead of once per row in its template
(issue 20, "every page fast on a cold cache"): under cProfile a list's template spent most of
its time in per-row `{{ value|date }}` (a date format parsed and applied for every cell),
`{% url %}` (a full reverse() for every link) and `get_FOO_display` (the field's lazy choices
rebuilt and hashed on every call). The selectors of those pages put the finished texts on their
rows with these helpers; the template prints them. Each gives exactly what the template tag or
filter it replaces gives, in the language active for the request. A number printed as
`{{ value }}` is localized too (`formats.localize`: three formats looked up in the active
language for every cell): `number_text` looks them up once."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.db.models import Model
from django.urls import reverse
from django.utils import formats, numberformat, translation
from django.utils.text import Truncator

# A primary key no row has, reversed once and replaced by each row's (the URL patterns of a
# detail page take the key as `<int:pk>`, which this number matches).
_SENTINEL = 987654321


def choice_labels(model: type[Model], name: str) -> dict[Any, str]:
    """The field's choices as translated labels by value: what `get_<name>_display` gives, read
    once per page."""
    field = cast(Any, model._meta.get_field(name))
    return {value: str(label) for value, label in field.flatchoices}


def label_of(labels: dict[Any, str], value: Any) -> str:
    """`get_FOO_display`'s answer from `choice_labels`: the value itself when not a choice."""
    label = labels.get(value)
    return str(value) if label is None else label


def pk_url(viewname: str) -> Callable[[Any], str]:
    """The URL of `viewname` for a primary key, reversed once: `{% url viewname pk %}` for each
    row of a page (the pattern's text around the key is the same for every key)."""
    head, tail = reverse(viewname, args=[_SENTINEL]).split(str(_SENTINEL))
    return lambda pk: f"{head}{pk}{tail}"


class DateTexts:
    """`{{ value|date }}` (the locale's DATE_FORMAT) for the dates of one page, each distinct
    date formatted once: a page's rows share few dates. "" for no date, as the filter gives."""

    def __init__(self) -> None:
        self._texts: dict[datetime.date, str] = {}

    def __call__(self, value: datetime.date | None) -> str:
        if value is None:
            return ""
        text = self._texts.get(value)
        if text is None:
            text = self._texts[value] = formats.date_format(value)
        return text


def number_text() -> Callable[[int | Decimal], str]:
    """`{{ value }}` of an int or Decimal (`formats.localize`: the active language's decimal
    separator, and its grouping where USE_THOUSAND_SEPARATOR is set), the language's formats
    read once for every number of a page."""
    language = translation.get_language()
    decimal_sep = formats.get_format("DECIMAL_SEPARATOR", language)
    grouping = formats.get_format("NUMBER_GROUPING", language)
    thousand_sep = formats.get_format("THOUSAND_SEPARATOR", language)
    # numberformat's own shortcut, decided once: an int ungrouped is its digits
    ungrouped = not (settings.USE_THOUSAND_SEPARATOR and grouping != 0)

    def text(value: int | Decimal) -> str:
        if ungrouped and type(value) is int:
            return str(value)
        return numberformat.format(value, decimal_sep, None, grouping, thousand_sep, use_l10n=True)

    return text


def truncated(text: str, length: int) -> str:
    """`{{ text|truncatechars:length }}`."""
    return Truncator(text).chars(length)
