"""Issue 20: the class review lists a page of units at a time, at the same queries whatever the
number of units; the rectification ledger filters zones and units by text (no option per unit
or zone rendered on every view)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervision.selectors import ClassSuggestion, class_review_rows_html
from supervision.views import CLASS_REVIEW_PAGE_SIZE
from tests.factories import UnitFactory, ZoneFactory, unit_in_zone
from zones.models import Unit

REVIEW = reverse("supervision:class_review")
CONFIRM = reverse("supervision:class_review_confirm")
LEDGER = reverse("supervision:finding_list")


def _units_in_a_new_zone(n: int, number: int = 9):
    zone = ZoneFactory(number=number, name=f"第{number}片区")
    return [unit_in_zone(zone, name=f"测试单位{i:03d}") for i in range(n)]


def _review(client, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(REVIEW, {"year": 2026, "half": 2, **params})
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


def test_the_class_review_lists_a_page_of_units_and_the_next_page_the_rest(
    client, county, published_check
):
    _units_in_a_new_zone(CLASS_REVIEW_PAGE_SIZE)
    total = Unit.objects.filter(memberships__effective_to__isnull=True).distinct().count()
    client.force_login(county.staff)
    first, _ = _review(client)
    second, _ = _review(client, page=2)
    assert len(first.context["rows"]) == CLASS_REVIEW_PAGE_SIZE
    assert len(second.context["rows"]) == total - CLASS_REVIEW_PAGE_SIZE
    listed = {r.unit.pk for r in first.context["rows"]} | {
        r.unit.pk for r in second.context["rows"]
    }
    assert len(listed) == total
    html = first.content.decode()
    assert 'id="review-pages"' in html and "page=2" in html
    assert html.count('name="grade"') == CLASS_REVIEW_PAGE_SIZE  # one form a row, not all
    # the scores of the released check still reach their unit, on whichever page it is
    rows = {r.unit.pk: r for r in first.context["rows"] + second.context["rows"]}
    assert rows[county.member_unit.pk].findings == 1


def test_the_class_review_costs_the_same_queries_at_any_number_of_units(
    client, county, published_check
):
    client.force_login(county.staff)
    _review(client)
    _, small = _review(client)
    _units_in_a_new_zone(3 * CLASS_REVIEW_PAGE_SIZE)
    _, large = _review(client)
    _, last_page = _review(client, page=4)
    assert small == large == last_page


def test_a_confirmation_returns_to_the_page_it_was_made_on(client, county, published_check):
    client.force_login(county.staff)
    response = client.post(
        CONFIRM,
        {
            "unit": county.member_unit.pk,
            "suggested": 2,
            "grade": 2,
            "effective_on": "2026-11-28",
            "year": 2026,
            "half": 2,
            "page": 3,
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("&page=3")
    bad = client.post(
        CONFIRM, {"unit": county.member_unit.pk, "year": 2026, "half": 2, "page": "x"}
    )
    assert "page" not in bad["Location"]


def test_an_out_of_range_review_page_shows_the_last_one(client, county, published_check):
    client.force_login(county.staff)
    response, _ = _review(client, page=999)
    assert response.context["page"].number == response.context["page"].paginator.num_pages


def test_the_ledger_filters_zone_and_unit_as_texts_without_options(client, county, finding):
    for i in range(30):
        UnitFactory(name=f"无关单位{i:02d}")
    client.force_login(county.staff)
    html = client.get(LEDGER).content.decode()
    assert 'name="responsible_unit"' in html and 'name="zone"' in html
    assert "无关单位" not in html  # no unit listed as an option
    assert '<select name="zone"' not in html and '<select name="responsible_unit"' not in html


def _count(client, **params) -> int:
    response = client.get(LEDGER, params)
    assert response.status_code == 200
    return response.context["page"].paginator.count


def test_the_ledger_finds_by_unit_name_initials_or_id_and_zone_name_or_id(client, county, finding):
    client.force_login(county.staff)
    unit = finding.responsible_unit
    assert _count(client, responsible_unit=unit.name) == 1
    assert _count(client, responsible_unit=unit.name[:2]) == 1
    assert _count(client, responsible_unit=unit.name_initials) == 1
    assert _count(client, responsible_unit=str(unit.pk)) == 1  # older links carry the id
    assert _count(client, responsible_unit=county.other_unit.name) == 0
    assert _count(client, zone=finding.zone.name) == 1
    assert _count(client, zone=str(finding.zone.pk)) == 1
    assert _count(client, zone=county.zone_b.name) == 0
    assert _count(client, responsible_unit="不存在的单位") == 0


def test_an_overlong_filter_text_is_refused_with_a_message(client, county, finding):
    client.force_login(county.staff)
    response = client.get(LEDGER, {"responsible_unit": "长" * 101})
    assert response.status_code == 200
    form = response.context["filter"].form
    assert "responsible_unit" in form.errors
    assert "100" in str(form.errors["responsible_unit"])


# The class review's rows as the template's loop wrote them before
# `supervision.selectors.class_review_rows_html` (issue 20), between `<tbody>` and `</tbody>`.
_OLD_REVIEW_ROWS = """{% load i18n %}  {% for row in rows %}
  <tr{% if row.moves %} class="table-warning"{% endif %}>
    <td>{{ row.zone_name }}</td><td>{{ row.unit.name }}</td>
    <td class="text-end">{{ row.score_percent|default:"—" }}</td>
    <td class="text-end">{{ row.closed }} / {{ row.findings }}</td><td class="text-end">{{ row.overdue }}</td>
    <td>{{ row.current|default:"—" }}</td><td>{{ row.suggested|default:"—" }}</td>
    <td>
      <form method="post" action="{% url 'supervision:class_review_confirm' %}" class="d-flex flex-wrap gap-1">{% csrf_token %}
        <input type="hidden" name="unit" value="{{ row.unit.pk }}"><input type="hidden" name="suggested" value="{{ row.suggested|default_if_none:'' }}">
        <input type="hidden" name="year" value="{{ year }}"><input type="hidden" name="half" value="{{ half }}"><input type="hidden" name="page" value="{{ page.number }}">
        <select name="grade" class="form-select form-select-sm w-auto" aria-label="{% translate 'Class' %}">{% for value in "123" %}<option value="{{ value }}"{% if row.suggested|stringformat:"s" == value %} selected{% endif %}>{{ value }}</option>{% endfor %}</select>
        <input type="date" name="effective_on" value="{{ today|date:'Y-m-d' }}" class="form-control form-control-sm w-auto" aria-label="{% translate 'Effective from' %}">
        <input type="text" name="reason" maxlength="200" class="form-control form-control-sm w-auto" placeholder="{% translate 'Reason (needed to override)' %}">
        <button type="submit" class="btn btn-sm btn-outline-primary">{% translate "Confirm" %}</button>
      </form>
    </td>
  </tr>
  {% empty %}<tr><td colspan="8">{% translate "No units." %}</td></tr>
  {% endfor %}
"""  # noqa: E501


@pytest.mark.parametrize("thousands", [False, True])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_class_reviews_rows_are_the_markup_the_template_wrote(
    language, thousands, settings, db
):
    """Every kind of row: a class that moves and one that stays, no score, a score of zero (the
    template's `default` shows a dash), no suggestion, no class yet, a name to escape, keys and a
    year past a thousand; with and without thousands grouping; no rows; no CSRF token."""
    settings.USE_THOUSAND_SEPARATOR = thousands
    from django.template import engines
    from django.utils import translation

    def row(pk, name, zone, score, current, suggested, **counts):
        found = {"findings": 0, "closed": 0, "overdue": 0, **counts}
        return ClassSuggestion(
            unit=Unit(pk=pk, name=name), zone_name=zone, current=current, score_percent=score,
            sheet_count=1, suggested=suggested, **found,
        )  # fmt: skip

    rows = [
        row(7, '县委<办公室> & "机关"', "第1片区", Decimal("92.5"), 2, 1, findings=3, closed=2),
        row(12345, "县教育局", "第2片区 <b>", Decimal("0.0"), 1, 3, findings=1200, overdue=1001),
        row(8, "县财政局", "第2片区", None, None, None),
        row(9, "县审计局", "第3片区", Decimal("75"), 3, 3, closed=1, findings=1),
    ]
    template = engines["django"].from_string(_OLD_REVIEW_ROWS)
    day = datetime.date(2026, 11, 28)
    with translation.override(language):
        for token, listed, number in [("tok3n", rows, 1), (None, rows, 1234), ("t", [], 2)]:
            page = type("Page", (), {"number": number})()
            context = {"rows": listed, "year": 2026, "half": 2, "page": page, "today": day}
            old = template.render({**context, "csrf_token": token})
            new = class_review_rows_html(
                listed, csrf_token=token, year=2026, half=2, page_number=number, day=day
            )
            assert "  " + str(new) + "\n" == old
