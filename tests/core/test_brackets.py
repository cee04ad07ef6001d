"""One bracket style per language: a label that adds a qualifier in brackets (a unit's zone, a
role, a count) writes full-width （…） in Chinese, never "县司法局 (第十片区（经济开发）)"."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from core.text import bracketed
from zones.models import Membership


def test_brackets_follow_the_language():
    with translation.override("zh-hans"):
        assert bracketed("第十片区（经济开发）") == "（第十片区（经济开发））"
    with translation.override("en"):
        assert bracketed("Zone 10") == " (Zone 10)"


def test_a_finding_names_its_unit_and_zone_in_full_width_brackets(client, county, finding):
    county.zone_a.name = "第一片区（综合）"
    county.zone_a.save()
    client.force_login(county.staff)
    text = client.get(reverse("supervision:finding_detail", args=[finding.pk])).content.decode()
    assert "县司法局（第一片区（综合））" in text
    assert "县司法局 (" not in text


def test_an_english_page_keeps_half_width_brackets(client, county, finding):
    client.force_login(county.staff)
    response = client.get(
        reverse("supervision:finding_detail", args=[finding.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "县司法局 (第一片区)" in response.content.decode()


def test_a_membership_reads_with_full_width_brackets_in_chinese(county):
    membership = Membership.objects.get(unit=county.member_unit)
    with translation.override("zh-hans"):
        assert str(membership) == "县司法局 → 第一片区（成员单位）"


def test_no_template_writes_a_half_width_bracket_around_a_value():
    """A bracket typed next to `{{ … }}` would be half-width in Chinese: use `|bracketed`.
    (Inside a `{% blocktranslate %}` sentence the bracket is the translation's to write, so the
    sentence's own text is not counted.)"""
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"\(\s*\{[{%]", _outside_blocktranslate(line))
    ]
    assert offenders == []


def _outside_blocktranslate(line: str) -> str:
    return re.sub(r"\{% blocktranslate.*?\{% endblocktranslate %\}", "", line)


def test_a_bracket_outside_a_translated_sentence_is_still_found():
    line = "{% blocktranslate %}({{ a }}){% endblocktranslate %} ({{ b }})"
    assert re.search(r"\(\s*\{[{%]", _outside_blocktranslate(line))
    assert not re.search(r"\(\s*\{[{%]", _outside_blocktranslate(line.split(" (")[0]))
