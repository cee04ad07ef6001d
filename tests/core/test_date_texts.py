"""A page's dates written once per format (core.display.date_formatter, DateTexts): the text
Django's `{{ value|date }}` filter and `dateformat.format` give, in both languages, for every
day of two years (a leap day among them), years of fewer than four digits, and formats of
every character written by hand and others left to Django, escaped characters among them."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.utils import dateformat, translation

from core.display import DateTexts, date_formatter

pytestmark = pytest.mark.django_db

DAYS = [datetime.date(2023, 12, 25) + datetime.timedelta(days=n) for n in range(740)] + [
    datetime.date(1, 1, 1),
    datetime.date(999, 12, 31),
]
FORMATS = ["N j, Y", "Y年n月j日", "d/m/y", r"F jS, Y \o\n D", "b M m", r"\Y Y", "l, E w"]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_dates_are_the_date_filters(language):
    with translation.override(language):
        dates = DateTexts()
        filtered = Template("{% for d in days %}{{ d|date }}|{% endfor %}").render(
            Context({"days": DAYS})
        )
        assert "".join(f"{dates(d)}|" for d in DAYS) == filtered
        assert dates(None) == ""
        for format_string in FORMATS:
            write = date_formatter(format_string)
            assert [write(d) for d in DAYS] == [dateformat.format(d, format_string) for d in DAYS]


def test_a_page_of_two_languages_writes_each_in_its_own():
    dates = DateTexts()
    day = datetime.date(2026, 11, 2)
    with translation.override("en"):
        assert dates(day) == "Nov. 2, 2026"
    with translation.override("zh-hans"):
        assert DateTexts()(day) == "2026年11月2日"
