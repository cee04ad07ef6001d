"""The unit page's one statement (portal.selectors._unit_records_sql, issue 20) gives what its
querysets (`unit_page` and `unit_sections`, the definition) give, for every persona, on data
where every part has rows and rows it must leave out: an ended and a current membership in two
zones, grades set by an account and by nobody, two accounts serving the unit, activities it
hosted and joined in every state with ties on the date (one of another zone, one of a unit it
has nothing to do with), findings overdue, due later, without a deadline, closed and not yet
raised with ties on the raising day, and another county's id."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django_scopes import scope

from activities.constants import ActivityState
from portal.selectors import _unit_records_sql, unit_page, unit_sections
from supervision.constants import FindingState
from supervision.models import Finding
from tests.activities.factories import make_activity
from tests.factories import MembershipFactory, UnitGradeFactory, UnitPostFactory, UserFactory
from tests.supervision.conftest import (  # noqa: F401 - the fixtures the data is built from
    check_a,
    finding,
    published_check,
    today,
)
from zones.constants import Grade, PostKind

pytestmark = pytest.mark.django_db

D = datetime.date


def facts(records: dict) -> tuple:
    """Everything portal/unit_detail.html prints of the page's reads, in their order."""
    state = records["state"]
    return (
        (state.zone_id_on, state.zone_name_on),
        [
            (m.pk, m.zone_id, m.zone.name, m.role_label, m.from_text, m.to_text, m.reason)
            for m in records["memberships"]
        ],
        [
            (g.pk, g.grade_label, g.from_text, g.reason, str(g.set_by or ""))
            for g in records["grades"]
        ],
        [(p.pk, str(p.user), p.get_kind_display()) for p in records["posts"]],
        [
            (a.pk, a.date_text, a.url, a.title, a.host_unit.name, a.form_label, a.state_label)
            for a in records["activities"]
        ],
        [
            (f.pk, f.url, f.summary, f.responsible_unit.name, f.deadline_text, f.is_overdue)
            + (f.state_label,)
            for f in records["findings"]
        ],
    )


def by_querysets(user, unit) -> tuple:
    return facts({**unit_page(unit), **unit_sections(user, unit)})


@pytest.fixture
def every_state(county, finding):  # noqa: F811 - the imported fixtures
    """The member unit with something in every part of the page."""
    unit = county.member_unit
    MembershipFactory(
        unit=unit,
        zone=county.zone_b,
        effective_from=D(2021, 1, 1),
        effective_to=D(2025, 1, 1),
        reason="调整",
    )
    UnitGradeFactory(unit=unit, grade=Grade.THIRD, effective_from=D(2022, 12, 1), reason="初评")
    UnitGradeFactory(
        unit=unit, grade=Grade.FIRST, effective_from=D(2025, 12, 1), set_by=county.staff
    )
    UnitPostFactory(
        unit=unit, user=UserFactory(username="officer", full_name="干部"), kind=PostKind.OFFICER
    )
    for day, state in (
        (D(2026, 11, 3), ActivityState.SUBMITTED),
        (D(2026, 10, 9), ActivityState.RETURNED),
        (D(2026, 10, 9), ActivityState.CONFIRMED),  # a tie on the date
        (D(2026, 11, 9), ActivityState.DRAFT),
    ):
        make_activity(
            unit=unit, by=county.secretary, date=day, state=state, reviewer=county.lead_secretary
        )
    joined = make_activity(unit=county.member_unit_2, by=county.staff, date=D(2026, 10, 9))
    joined.participants.set([unit, county.lead_unit])
    elsewhere = make_activity(unit=county.other_unit, by=county.other_secretary, date=D(2026, 9, 1))
    elsewhere.participants.set([unit])  # another zone's: the secretary reads it, the lead does not
    make_activity(unit=county.other_unit, by=county.other_secretary, date=D(2026, 11, 4))
    for deadline, state, raised in (
        (D(2026, 11, 1), FindingState.OPEN, True),  # overdue
        (D(2026, 12, 20), FindingState.OPEN, True),
        (None, FindingState.OPEN, True),
        (D(2026, 11, 1), FindingState.CLOSED, True),
        (D(2026, 12, 20), FindingState.OPEN, False),  # not raised yet: staff reads it
    ):
        clone = Finding.objects.get(pk=finding.pk)
        clone.pk = None
        clone.deadline, clone.state = deadline, state
        clone.raised_on = clone.raised_on if raised else None
        clone.save()
    return unit


PERSONAS = ["staff", "leader", "lead_secretary", "secretary", "other_secretary", "outsider"]


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize("which", ["member_unit", "other_unit", "lead_unit"])
def test_the_statement_reads_what_the_querysets_read(county, every_state, who, which):
    user, unit = getattr(county, who), getattr(county, which)
    county_id = county.zone_a.county_id
    with scope(county=county_id):
        assert facts(_unit_records_sql(user, unit, county_id)) == by_querysets(user, unit)


def test_the_data_has_rows_in_every_part_and_rows_each_part_leaves_out(county, every_state):
    with scope(county=county.zone_a.county_id):
        staff = by_querysets(county.staff, every_state)
        secretary = by_querysets(county.secretary, every_state)
        lead = by_querysets(county.lead_secretary, every_state)
    state, memberships, grades, posts, activities, findings = staff
    assert state[0] == county.zone_a.pk and len(memberships) == 2
    assert [m[5] for m in memberships].count("") == 1  # one open
    assert len(grades) == 3 and "" in [g[4] for g in grades] and len(posts) == 2
    assert len(activities) == 6 and len({a[1] for a in activities}) < 6  # ties on the date
    assert len(secretary[4]) == 6 and len(lead[4]) == 5  # the other zone's one left out
    overdue = [f[5] for f in findings]  # overdue, not, and no deadline (None) among them
    assert overdue.count(True) >= 1 and overdue.count(None) >= 1
    assert len(findings) == 6 and len(secretary[5]) == 5  # the unraised one for staff only


def test_another_countys_statement_reads_nothing_of_this_county(county, every_state):
    with scope(county=county.zone_a.county_id):
        records = _unit_records_sql(county.staff, every_state, county.zone_a.county_id + 1000)
    assert facts(records) == ((None, None), [], [], [], [], [])


def test_the_page_of_a_countys_reader_is_read_by_the_statement(client, county, every_state):
    client.force_login(county.secretary)
    with scope(county=county.zone_a.county_id):
        expected = by_querysets(county.secretary, every_state)
    response = client.get(reverse("unit_detail", args=[every_state.pk]))
    assert facts(response.context) == expected
