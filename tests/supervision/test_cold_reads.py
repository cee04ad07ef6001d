"""The reads rewritten for the cold path (issue 20, second part) give the rows the old queries
gave: the sheets to fill (two id subqueries instead of an OR across joins with DISTINCT) and
the rectification ledger's pages (ids first, then the page's rows)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

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
