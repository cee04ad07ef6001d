"""Who belongs to a zone changes through the zones services only, and they say so: they send
`zones.signals.membership_changed`, to which activities replans the rotations. A Membership row
written past the services tells no one."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from activities import services
from tests.activities.factories import hosts
from tests.factories import unit_in_zone
from zones import services as zone_services
from zones.constants import Grade, MembershipRole
from zones.models import Membership
from zones.signals import membership_changed

DECEMBER = datetime.date(2026, 12, 1)


@pytest.fixture
def replanned(monkeypatch) -> list[int]:
    """The zones activities replans, in order (activities.services.membership_changed)."""
    zones: list[int] = []
    monkeypatch.setattr(services, "membership_changed", lambda *, zone_id: zones.append(zone_id))
    return zones


def test_activities_listens_to_the_zones_services():
    assert membership_changed.has_listeners()


def test_a_reassignment_replans_the_zone_left_and_the_zone_joined(county, replanned):
    zone_services.unit_reassign(
        unit=county.other_unit, zone=county.zone_a, effective_on=DECEMBER, reason="工作需要"
    )
    assert replanned == [county.zone_b.pk, county.zone_a.pk]


def test_a_unit_placed_in_its_first_zone_replans_that_zone(county, replanned):
    newcomer = unit_in_zone(county.zone_b)
    Membership.objects.filter(unit=newcomer).delete()
    zone_services.unit_reassign(
        unit=newcomer, zone=county.zone_a, effective_on=DECEMBER, reason="新成立"
    )
    assert replanned == [county.zone_a.pk]


def test_a_new_lead_unit_replans_its_zone_once(county, replanned):
    first_class = unit_in_zone(county.zone_a, grade=Grade.FIRST)
    zone_services.zone_set_lead(
        zone=county.zone_a, unit=first_class, effective_on=DECEMBER, reason="换届"
    )
    assert replanned == [county.zone_a.pk]


def test_a_refused_reassignment_replans_nothing(county, replanned):
    with pytest.raises(ValidationError):
        zone_services.unit_reassign(
            unit=county.lead_unit, zone=county.zone_b, effective_on=DECEMBER, reason="工作需要"
        )
    assert replanned == []


def test_a_membership_row_saved_past_the_services_replans_nothing(county):
    services.rotation_generate_year(zone=county.zone_a, year=2027)
    before = hosts(county.zone_a)
    Membership.objects.filter(unit=county.other_unit).update(effective_to=DECEMBER)
    Membership.objects.create(
        unit=county.other_unit,
        zone=county.zone_a,
        role=MembershipRole.MEMBER,
        effective_from=DECEMBER,
        reason="直接写表",
    )
    assert hosts(county.zone_a) == before


def test_the_same_move_through_the_service_replans_the_rotation(county):
    services.rotation_generate_year(zone=county.zone_a, year=2027)
    zone_services.unit_reassign(
        unit=county.other_unit, zone=county.zone_a, effective_on=DECEMBER, reason="工作需要"
    )
    assert county.other_unit.pk in hosts(county.zone_a).values()
