"""My work's one statement (portal.dashboard._my_work_sql, issue 20) gives what its querysets
(`_my_work_querysets`, the definition) give, for every persona, on data where every part has
rows and rows it must leave out: hosting months logged and not, returned activities and drafts
with ties on the date, submitted ones to confirm, open and submitted sheets of a draft and a
published mutual check and of a published patrol round's team, findings overdue, due later,
without a deadline, closed and not yet raised, and another county's records."""

from __future__ import annotations

import datetime
import random

import pytest
from django.urls import reverse
from django_scopes import scope

from activities.constants import ActivityState
from activities.models import HostSlot
from portal.dashboard import _my_work_querysets, _my_work_sql
from supervision import services
from supervision.constants import FindingState, SheetState
from supervision.models import Finding, ScoreSheet
from tests.activities.factories import make_activity
from tests.supervision.conftest import (  # noqa: F401 - the fixtures the data is built from
    check_a,
    finding,
    patrol_round,
    published_check,
    today,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def facts(work) -> tuple:
    """Everything portal/my_work.html prints of the page's reads, in their order."""
    return (
        [(u.pk, u.name) for u in work.units],
        [(s.pk, s.zone_id, s.zone.name, s.month, s.logged, s.is_current) for s in work.hosting],
        [(a.pk, a.title, a.date, a.return_reason) for a in work.returned],
        [(a.pk, a.title, a.date) for a in work.drafts],
        work.to_review,
        [(s.pk, s.checked_unit.pk, s.checked_unit.name) for s in work.sheets],
        [(f.pk, f.description, f.deadline, f.state, f.is_overdue) for f in work.findings],
    )


@pytest.fixture
def every_state(county, finding, patrol_round):  # noqa: F811 - the imported fixtures
    """The member unit (persona `secretary`) with something in every part of the page."""
    for month in (D(2026, 11, 1), D(2026, 12, 1)):
        HostSlot.objects.create(zone=county.zone_a, month=month, unit=county.member_unit)
    for day, state in (
        (D(2026, 11, 3), ActivityState.SUBMITTED),  # logs November, waits for confirmation
        (D(2026, 10, 9), ActivityState.RETURNED),
        (D(2026, 10, 9), ActivityState.RETURNED),  # a tie on the date
        (D(2026, 9, 9), ActivityState.RETURNED),
        (D(2026, 11, 9), ActivityState.DRAFT),
        (D(2026, 11, 9), ActivityState.DRAFT),
        (D(2026, 8, 9), ActivityState.CONFIRMED),
    ):
        make_activity(
            unit=county.member_unit,
            by=county.secretary,
            date=day,
            state=state,
            reviewer=county.lead_secretary,
        )
    make_activity(unit=county.other_unit, by=county.other_secretary, date=D(2026, 11, 4))
    # a draft mutual check of the last quarter: the secretary's unit checks with it
    services.mutual_check_create(
        zone=county.zone_a, year=2026, quarter=3, by=county.lead_secretary, rng=random.Random(3)
    )
    services.patrol_round_publish(round_=patrol_round, by=county.staff)
    team = patrol_round.teams.first()
    ScoreSheet.objects.filter(pk=team.sheets.first().pk).update(state=SheetState.SUBMITTED)
    # findings of every kind the page orders or leaves out
    for deadline, state, raised in (
        (D(2026, 11, 1), FindingState.OPEN, True),  # overdue
        (D(2026, 12, 20), FindingState.OPEN, True),
        (None, FindingState.OPEN, True),
        (D(2026, 11, 1), FindingState.CLOSED, True),
        (D(2026, 12, 20), FindingState.OPEN, False),  # not raised yet
        (D(2026, 12, 20), FindingState.OPEN, True),  # a tie on the deadline
    ):
        clone = Finding.objects.get(pk=finding.pk)
        clone.pk = None
        clone.deadline, clone.state = deadline, state
        clone.raised_on = clone.raised_on if raised else None
        clone.save()
    return team


@pytest.mark.parametrize(
    "who",
    ["staff", "leader", "lead_secretary", "secretary", "other_secretary", "outsider", "member"],
)
def test_the_statement_reads_what_the_querysets_read(county, every_state, who):
    user = every_state.members.first() if who == "member" else getattr(county, who)
    with scope(county=county.zone_a.county_id):
        assert facts(_my_work_sql(user, county.zone_a.county_id)) == facts(_my_work_querysets(user))


def test_the_data_has_rows_in_every_part_and_rows_each_part_leaves_out(county, every_state):
    with scope(county=county.zone_a.county_id):
        secretary = facts(_my_work_querysets(county.secretary))
        lead = facts(_my_work_querysets(county.lead_secretary))
        member = facts(_my_work_querysets(every_state.members.first()))
    units, hosting, returned, drafts, _n, sheets, findings = secretary
    assert units and len(returned) == 3 and len(drafts) == 2 and sheets
    assert [(s[3], s[4]) for s in hosting] == [(D(2026, 11, 1), True), (D(2026, 12, 1), False)]
    assert [f[4] for f in findings].count(True) >= 1 and None in [f[2] for f in findings]
    assert FindingState.CLOSED not in [f[3] for f in findings]
    assert lead[4] == 1 and member[5]
    open_sheets = set(
        ScoreSheet.objects.filter(team=every_state, state=SheetState.OPEN).values_list(
            "pk", flat=True
        )
    )
    assert {s[0] for s in member[5]} >= open_sheets


def test_another_countys_statement_reads_nothing_of_this_county(county, every_state):
    with scope(county=county.zone_a.county_id):
        work = _my_work_sql(county.secretary, county.zone_a.county_id + 1000)
    assert facts(work) == ([], [], [], [], 0, [], [])


def test_the_page_of_a_countys_reader_is_read_by_the_statement(client, county, every_state):
    client.force_login(county.secretary)
    work = client.get(reverse("my_work")).context["work"]
    with scope(county=county.zone_a.county_id):
        assert facts(work) == facts(_my_work_querysets(county.secretary))
