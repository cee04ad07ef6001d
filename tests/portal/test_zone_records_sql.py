"""The zone page's one statement (portal.selectors._zone_records_sql, issue 20) gives what its
querysets (`zone_page` and `zone_sections`, the definition) give, for every persona, on data
where every part has rows and rows it must leave out: current and ended memberships (a unit
graded after today), an ended and a current guiding leader, the year's host months and last
year's, activities in every state with ties on the date (one of another zone), a draft and a
published mutual check with their sheets, findings overdue, due later, without a deadline,
closed and not yet raised, and another county's id."""

from __future__ import annotations

import datetime
import random

import pytest
from django.urls import reverse
from django_scopes import scope

from activities.models import HostSlot
from portal.selectors import _zone_records_sql, zone_page, zone_sections
from supervision import services
from tests.factories import MembershipFactory, UnitGradeFactory, UserFactory, ZoneLeadershipFactory
from tests.portal.test_unit_records_sql import every_state  # noqa: F401 - the data of the unit page
from tests.supervision.conftest import (  # noqa: F401 - the fixtures the data is built from
    check_a,
    finding,
    published_check,
    today,
)
from zones.constants import Grade
from zones.models import ZoneLeadership

pytestmark = pytest.mark.django_db

D = datetime.date


def facts(records: dict) -> tuple:
    """Everything portal/zone_detail.html prints of the page's reads, in their order."""

    def membership(m):
        return (m.pk, m.unit_id, m.unit.name, m.role_label, m.from_text, m.to_text, m.reason)

    lead = records["lead"]
    return (
        [(*membership(m), m.grade) for m in records["members"]],
        lead and lead.pk,
        str(records["leader"] or ""),
        [(r.pk, str(r.leader), r.from_text, r.to_text) for r in records["leaderships"]],
        [membership(m) for m in records["changes"]],
        [(s.pk, s.month, s.month_text, s.unit.name, s.swapped) for s in records["rotation"]],
        [
            (a.pk, a.date_text, a.url, a.title, a.host_unit.name, a.form_label, a.state_label)
            for a in records["activities"]
        ],
        [(c.pk, c.url, c.period_label, c.state_label) for c in records["checks"]],
        [
            (f.pk, f.url, f.summary, f.responsible_unit.name, f.deadline_text, f.is_overdue)
            + (f.state_label,)
            for f in records["findings"]
        ],
    )


def by_querysets(user, zone) -> tuple:
    return facts({**zone_page(zone), **zone_sections(user, zone)})


@pytest.fixture
def zone_data(county, every_state):  # noqa: F811 - the imported fixture
    zone = county.zone_a
    ZoneLeadership.objects.filter(zone=zone).update(effective_from=D(2024, 1, 1))
    ZoneLeadershipFactory(
        zone=zone,
        leader=UserFactory(username="former", full_name="前任"),
        effective_from=D(2021, 1, 1),
        effective_to=D(2024, 1, 1),
    )
    MembershipFactory(
        unit=county.other_unit, zone=zone, effective_from=D(2020, 1, 1), effective_to=D(2021, 1, 1)
    )
    UnitGradeFactory(unit=county.member_unit_2, grade=Grade.FIRST, effective_from=D(2027, 1, 1))
    for month, unit in ((D(2026, 1, 1), county.lead_unit), (D(2026, 2, 1), county.member_unit)):
        HostSlot.objects.create(zone=zone, month=month, unit=unit, swapped=unit == county.lead_unit)
    HostSlot.objects.create(zone=zone, month=D(2025, 12, 1), unit=county.member_unit_2)
    services.mutual_check_create(
        zone=zone, year=2026, quarter=2, by=county.lead_secretary, rng=random.Random(5)
    )
    return zone


PERSONAS = ["staff", "leader", "lead_secretary", "secretary", "other_secretary", "outsider"]


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize("which", ["zone_a", "zone_b"])
def test_the_statement_reads_what_the_querysets_read(county, zone_data, who, which):
    user, zone = getattr(county, who), getattr(county, which)
    county_id = county.zone_a.county_id
    with scope(county=county_id):
        assert facts(_zone_records_sql(user, zone, county_id)) == by_querysets(user, zone)


def test_the_data_has_rows_in_every_part_and_rows_each_part_leaves_out(county, zone_data):
    with scope(county=county.zone_a.county_id):
        staff = by_querysets(county.staff, zone_data)
        other = by_querysets(county.other_secretary, zone_data)
    members, lead, leader, leaderships, changes, rotation, activities, checks, findings = staff
    assert len(members) == 3 and lead and [m[-1] for m in members] == [2, 1, 1]  # not 2027's
    assert leader and len(leaderships) == 2 and len(changes) > len(members)
    assert len(rotation) == 2 and True in [s[4] for s in rotation]
    assert len(activities) >= 5 and len({a[1] for a in activities}) < len(activities)
    assert len(checks) == 2 and len({c[3] for c in checks}) == 2
    overdue = [f[5] for f in findings]  # overdue, not, and no deadline (None) among them
    assert overdue.count(True) >= 1 and overdue.count(None) >= 1
    assert len(other[6]) < len(activities) and len(other[8]) < len(findings)


def test_another_countys_statement_reads_nothing_of_this_county(county, zone_data):
    with scope(county=county.zone_a.county_id):
        records = _zone_records_sql(county.staff, zone_data, county.zone_a.county_id + 1000)
    assert facts(records) == ([], None, "", [], [], [], [], [], [])


def test_the_page_of_a_countys_reader_is_read_by_the_statement(client, county, zone_data):
    client.force_login(county.lead_secretary)
    with scope(county=county.zone_a.county_id):
        expected = by_querysets(county.lead_secretary, zone_data)
    response = client.get(reverse("zone_detail", args=[zone_data.pk]))
    assert facts(response.context) == expected
