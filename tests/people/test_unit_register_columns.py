"""The unit page reads the register's secretary and member count with the unit
(people.selectors.unit_register_columns, issue 20): the same answer as unit_register, the
definition, for a unit with members and a secretary, one with members only and one with none."""

from __future__ import annotations

import datetime

import pytest

from people import selectors, services
from people.constants import PostKind
from tests.people.factories import person_in
from zones.models import Unit

pytestmark = pytest.mark.django_db


def test_the_units_columns_are_unit_register(county):
    secretary = person_in(county.member_unit, name="书记甲")
    for i in range(3):
        person_in(county.member_unit, name=f"成员{i}")
    person_in(county.other_unit, name="成员乙")
    services.post_assign(
        person=secretary,
        unit=county.member_unit,
        kind=PostKind.SECRETARY,
        on=datetime.date(2025, 2, 1),
        actor=None,
    )
    units = Unit.objects.annotate(**selectors.unit_register_columns()).order_by("pk")
    seen = {}
    for unit in units:
        read = selectors.unit_register_of(unit)
        assert read == selectors.unit_register(unit), unit.name
        seen[unit.pk] = read
    member = seen[county.member_unit.pk]
    assert member["register_member_count"] == 4
    assert member["register_secretary"].pk == secretary.pk
    assert member["register_secretary"].name == "书记甲"
    other = seen[county.other_unit.pk]
    assert other["register_member_count"] == 1 and other["register_secretary"] is None
    assert seen[county.lead_unit.pk] == {"register_secretary": None, "register_member_count": None}


def test_a_day_before_anyone_joined(county):
    person_in(county.member_unit, name="成员")
    day = datetime.date(2000, 1, 1)
    unit = Unit.objects.annotate(**selectors.unit_register_columns(day)).get(
        pk=county.member_unit.pk
    )
    assert selectors.unit_register_of(unit) == selectors.unit_register(unit, day)
    assert selectors.unit_register_of(unit)["register_member_count"] is None
