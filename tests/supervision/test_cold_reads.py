"""The reads rewritten for the cold path (issue 20, second part) give the rows the old queries
gave: the sheets to fill (two id subqueries instead of an OR across joins with DISTINCT) and
the rectification ledger's pages (ids first, then the page's rows)."""

from __future__ import annotations

import datetime

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from supervision import services
from supervision.constants import CheckState, FindingState, RoundState, SheetState
from supervision.models import Finding, ScoreSheet
from supervision.selectors import (
    LEDGER_ORDER,
    findings_visible_to,
    ledger_page,
    sheets_to_fill,
    with_overdue,
)
from zones.selectors import user_scope

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _expected_sheets(user, unit_ids) -> list[int]:
    """The sheets to fill, worked out row by row in Python (the rule the query encodes)."""
    out = []
    for sheet in ScoreSheet.objects.select_related("mutual_check", "team__round"):
        if sheet.state != SheetState.OPEN:
            continue
        mutual = (
            sheet.mutual_check is not None
            and sheet.mutual_check.state == CheckState.DRAFT
            and sheet.checker_unit_id in unit_ids
        )
        patrol = (
            sheet.team is not None
            and sheet.team.round.state == RoundState.PUBLISHED
            and (sheet.team.leader_id == user.pk or sheet.team.members.filter(pk=user.pk).exists())
        )
        if mutual or patrol:
            out.append(sheet.pk)
    return sorted(out)


def test_sheets_to_fill_lists_each_sheet_once_for_a_leader_who_is_also_a_member(
    county, check_a, patrol_round
):
    services.patrol_round_publish(round_=patrol_round, by=county.staff)
    team = patrol_round.teams.get(visited_zone=county.zone_b)
    member = team.members.first()
    # The team's leader also serves on it: the old OR across the members' join listed each
    # of the team's sheets once per way in (DISTINCT hid it); the id subqueries never do.
    team.leader = member
    team.save()
    got = list(sheets_to_fill(member).values_list("pk", flat=True))
    assert got == _expected_sheets(member, set(user_scope(member).unit_ids))
    assert len(got) == len(set(got))
    assert set(team.sheets.values_list("pk", flat=True)) <= set(got)


def test_sheets_to_fill_gives_a_checker_their_draft_checks_sheets_and_drops_submitted_ones(
    county, check_a, sheet_by_secretary
):
    user = county.secretary
    units = set(user_scope(user).unit_ids)
    got = list(sheets_to_fill(user).values_list("pk", flat=True))
    assert sheet_by_secretary.pk in got
    assert got == _expected_sheets(user, units)
    ScoreSheet.objects.filter(pk=sheet_by_secretary.pk).update(state=SheetState.SUBMITTED)
    assert sheet_by_secretary.pk not in list(sheets_to_fill(user).values_list("pk", flat=True))


def test_my_work_shows_the_sheets_to_fill(client, county, check_a, sheet_by_secretary):
    client.force_login(county.secretary)
    work = client.get(reverse("my_work")).context["work"]
    assert [s.pk for s in work.sheets] == list(
        sheets_to_fill(county.secretary).values_list("pk", flat=True)[:20]
    )
    assert sheet_by_secretary.pk in [s.pk for s in work.sheets]


def _many_findings(county, published_check) -> None:
    """Findings of every kind the ledger orders: overdue, due later, closed past their deadline,
    no deadline, and ties on the deadline."""
    sheet = published_check.sheets.get(checked_unit=county.member_unit)
    base = Finding.objects.get(sheet=sheet)
    days = [-9, -3, -3, 0, 2, 2, 5, None, -20, 7, -1, None]
    states = [FindingState.OPEN, FindingState.IN_PROGRESS, FindingState.CLOSED]
    for i, offset in enumerate(days):
        Finding.objects.create(
            sheet=sheet,
            source=base.source,
            responsible_unit=base.responsible_unit,
            zone=base.zone,
            description=f"问题{i}",
            severity=base.severity,
            created_by=base.created_by,
            state=states[i % 3],
            raised_on=TODAY - datetime.timedelta(days=30),
            deadline=None if offset is None else TODAY + datetime.timedelta(days=offset),
        )


def test_the_ledgers_pages_keep_the_overdue_order_with_no_row_dropped_or_repeated(
    county, published_check
):
    _many_findings(county, published_check)
    findings = findings_visible_to(county.staff).filter(raised_on__isnull=False)
    expected = list(
        with_overdue(Finding.objects.filter(raised_on__isnull=False))
        .order_by(*LEDGER_ORDER)
        .values_list("pk", "is_overdue")
    )
    assert len(expected) == 13
    pages = []
    for number in (1, 2, 3, 4):
        page = ledger_page(findings, str(number), 4)
        pages += [(f.pk, f.is_overdue) for f in page.object_list]
        assert page.paginator.count == 13
    assert pages == expected
    flags = [bool(overdue) for _pk, overdue in pages]  # None: no deadline (SQLite)
    assert flags == sorted(flags, reverse=True) and sum(flags) == 3  # overdue first


def test_the_ledger_page_lists_the_page_with_its_zone_and_unit(client, county, published_check):
    _many_findings(county, published_check)
    client.force_login(county.staff)
    response = client.get(reverse("supervision:finding_list"), {"state": FindingState.OPEN})
    page = response.context["page"]
    assert {f.state for f in page.object_list} == {FindingState.OPEN}
    assert page.paginator.count == Finding.objects.filter(state=FindingState.OPEN).count()
    html = response.content.decode()
    assert county.member_unit.name in html
    assert f"<td>{FindingState.OPEN.label}" in html  # the state's label, translated per page


@pytest.mark.parametrize(
    "number", [None, "", "1", "2", "4", "5", "999", "0", "-1", "abc", "2.0", 3, 2.5, 3.0]
)
def test_a_ledger_page_is_the_paginators_page_with_its_count_read_with_its_rows(
    county, published_check, number, django_assert_num_queries
):
    """`ledger_page` answers what `Paginator(...).get_page(number)` answers (the page's number,
    the count, the rows in order) for a page in range, past the last, below the first and not
    a number; a page in range is one query (the count a subquery of the rows'), a page out of
    range the paginator's own count and page besides."""
    _many_findings(county, published_check)
    findings = findings_visible_to(county.staff).filter(raised_on__isnull=False)
    ids = findings.order_by(*LEDGER_ORDER).values_list("pk", flat=True)
    expected = Paginator(ids, 4).get_page(number)
    # past the last: the rows' query finds none; below the first: the paginator's reads alone
    queries = {"5": 3, "999": 3, "0": 2, "-1": 2}.get(number, 1)  # type: ignore[call-overload]
    with django_assert_num_queries(queries):
        page = ledger_page(findings, number, 4)
    assert (page.number, page.paginator.count, page.paginator.num_pages) == (
        expected.number,
        expected.paginator.count,
        4,
    )
    assert [f.pk for f in page.object_list] == list(expected.object_list)
    assert page.has_next() == expected.has_next() and page.has_previous() == expected.has_previous()


@pytest.mark.parametrize("number", [None, "1", "3"])
def test_an_empty_ledgers_page_is_the_paginators_empty_first_page(
    county, published_check, number, django_assert_num_queries
):
    _many_findings(county, published_check)
    findings = findings_visible_to(county.staff).filter(description="无此问题")
    with django_assert_num_queries(1 if number != "3" else 2):
        page = ledger_page(findings, number, 4)
    assert (page.number, page.paginator.count, list(page.object_list)) == (1, 0, [])
    assert page.rows_html == ""


# The ledger's rows as templates/supervision/finding_list.html wrote them in a loop before
# (commit b6d805c), the tbody's text around them included.
OLD_LEDGER_BODY = """{% load i18n %}  <tbody>
  {% for finding in page %}
  <tr{% if finding.is_overdue %} class="table-danger"{% endif %}>
    <td>{{ finding.zone_text|default:"—" }}</td><td>{{ finding.unit_text }}</td><td>{{ finding.source_label }}</td>
    <td>{{ finding.severity_label }}</td>
    <td><a href="{{ finding.url }}">{{ finding.summary }}</a></td>
    <td>{{ finding.state_label }}{% if finding.is_overdue %} <span class="badge text-bg-danger">{% translate "Overdue" %}</span>{% endif %}</td>
    <td class="text-nowrap">{{ finding.raised_on_text|default:"—" }}</td>
    <td class="text-nowrap">{{ finding.deadline_text|default:"—" }}{% if finding.allowed_text %}<div class="small">{{ finding.allowed_text }}</div>{% endif %}</td>
    <td class="text-nowrap">{{ finding.closed_on_text|default:"—" }}{% if finding.taken_text %}<div class="small">{{ finding.taken_text }}</div>{% endif %}</td>
  </tr>
  {% empty %}<tr><td colspan="9">{% translate "No findings." %}</td></tr>
  {% endfor %}
  </tbody>"""  # noqa: E501


def _body(html: str) -> str:
    return html[html.index("  <tbody>") : html.index("  </tbody>") + len("  </tbody>")]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_ledger_rows_written_once_are_what_the_templates_loop_wrote(
    client, county, published_check, language
):
    """The ledger's rows (`ledger_table`) character for character as the template's loop
    wrote them, in both languages: overdue rows and others, a row with no zone, no deadline,
    a closed one with its working days, texts that need escaping; and the empty list's row."""
    _many_findings(county, published_check)
    hostile = "<b>\"县&委'</b>"
    county.member_unit.name = f"单位{hostile}"
    county.member_unit.save()
    rows = list(Finding.objects.order_by("pk"))
    for i, f in enumerate(rows):
        f.description = f"问题{hostile}" + "整改" * (i * 5)
        f.workdays_allowed = [None, 1, 10][i % 3]
        if f.state == FindingState.CLOSED:
            f.closed_on, f.workdays_taken = TODAY, i % 2 or 3
        if i == 4:
            f.zone = None
        f.save()
    client.force_login(county.staff)
    url = reverse("supervision:finding_list")
    seen: set = set()
    queries = [{"page": 1}, {"page": 2}, {"state": FindingState.CLOSED}, {"zone": "无此片区"}]
    with translation.override(language):
        for query in queries:
            response = client.get(url, query, HTTP_ACCEPT_LANGUAGE=language)
            page = response.context["page"]
            expected = Template(OLD_LEDGER_BODY).render(Context({"page": page}))
            assert _body(response.content.decode()) == expected
            seen |= {(bool(f.is_overdue), bool(f.zone_id), bool(f.taken_text)) for f in page}
            seen.add(len(page.object_list))
            if query == queries[0]:
                assert "&lt;b&gt;&quot;县&amp;委&#x27;&lt;/b&gt;" in expected  # escaped
    assert {(True, True, False), (False, True, False), (False, False, False)} <= seen
    assert (False, True, True) in seen and 0 in seen  # a closed row, the empty list
