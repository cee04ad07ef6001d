"""The organization's rules, kept by the services: each change is atomic, refuses bad input with
a clear message and changes nothing when it refuses."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.constants import Role
from tests.factories import UnitFactory, UnitGradeFactory, UserFactory, ZoneFactory, unit_in_zone
from zones import services
from zones.constants import Grade, MembershipRole
from zones.models import Membership, UnitGrade, ZoneLeadership
from zones.selectors import unit_grade_on, unit_zone_on, zone_lead_on, zone_leader_on

D = datetime.date


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in their English source form here."""
    with translation.override("en"):
        yield


def snapshot():
    return (
        sorted(
            Membership.objects.values_list(
                "unit_id", "zone_id", "role", "effective_from", "effective_to"
            )
        ),
        sorted(UnitGrade.objects.values_list("unit_id", "grade", "effective_from")),
        sorted(
            ZoneLeadership.objects.values_list(
                "zone_id", "leader_id", "effective_from", "effective_to"
            )
        ),
    )


@pytest.fixture
def refused(county):
    """Assert that a service call is refused with a message containing `text` and that
    nothing in the organization changed."""

    def check(call, text):
        before = snapshot()
        with pytest.raises(ValidationError) as exc:
            call()
        assert any(text in message for message in exc.value.messages), exc.value.messages
        assert snapshot() == before

    return check


def test_reassign_closes_old_membership_and_opens_new_one(county):
    services.unit_reassign(
        unit=county.member_unit,
        zone=county.zone_b,
        effective_on=D(2026, 3, 1),
        by=county.staff,
        reason="调整",
    )
    rows = list(Membership.objects.filter(unit=county.member_unit).order_by("effective_from"))
    assert [(r.zone, r.effective_from, r.effective_to) for r in rows] == [
        (county.zone_a, D(2025, 1, 1), D(2026, 3, 1)),
        (county.zone_b, D(2026, 3, 1), None),
    ]
    assert rows[1].created_by == county.staff
    assert rows[1].reason == "调整"


def test_selectors_answer_for_dates_before_and_after_a_reassignment(county):
    services.unit_reassign(
        unit=county.member_unit, zone=county.zone_b, effective_on=D(2026, 3, 1), reason="工作需要"
    )
    assert unit_zone_on(unit=county.member_unit, day=D(2024, 12, 31)) is None
    assert unit_zone_on(unit=county.member_unit, day=D(2026, 2, 28)) == county.zone_a
    assert unit_zone_on(unit=county.member_unit, day=D(2026, 3, 1)) == county.zone_b
    from zones.selectors import zone_members_on

    assert county.member_unit in zone_members_on(zone=county.zone_a, day=D(2026, 2, 28))
    assert county.member_unit not in zone_members_on(zone=county.zone_a, day=D(2026, 3, 1))
    assert county.member_unit in zone_members_on(zone=county.zone_b, day=D(2026, 3, 1))


def test_reassigning_a_unit_without_zone_opens_its_first_membership(county):
    unit = UnitFactory(name="县新设局")
    services.unit_reassign(
        unit=unit, zone=county.zone_a, effective_on=D(2026, 1, 1), reason="工作需要"
    )
    assert unit_zone_on(unit=unit, day=D(2026, 1, 1)) == county.zone_a


def test_reassign_refuses_the_zone_the_unit_is_in(county, refused):
    refused(
        lambda: services.unit_reassign(
            unit=county.member_unit,
            zone=county.zone_a,
            effective_on=D(2026, 3, 1),
            reason="工作需要",
        ),
        "already in",
    )


def test_reassign_refuses_a_date_before_the_current_membership_began(county, refused):
    refused(
        lambda: services.unit_reassign(
            unit=county.member_unit,
            zone=county.zone_b,
            effective_on=D(2024, 6, 1),
            reason="工作需要",
        ),
        "must take effect after",
    )
    refused(
        lambda: services.unit_reassign(
            unit=county.member_unit,
            zone=county.zone_b,
            effective_on=D(2025, 1, 1),
            reason="工作需要",
        ),
        "must take effect after",
    )


def test_reassign_refuses_a_date_in_the_far_future(county, refused, fixed_today):
    fixed_today(D(2026, 11, 28))
    refused(
        lambda: services.unit_reassign(
            unit=county.member_unit,
            zone=county.zone_b,
            effective_on=D(2028, 1, 1),
            reason="工作需要",
        ),
        "too far in the future",
    )


def test_reassign_refuses_the_lead_unit(county, refused):
    refused(
        lambda: services.unit_reassign(
            unit=county.lead_unit, zone=county.zone_b, effective_on=D(2026, 3, 1), reason="工作需要"
        ),
        "appoint another lead unit first",
    )


def test_reassign_refuses_a_dissolved_unit(county, refused):
    county.member_unit.is_active = False
    county.member_unit.save()
    refused(
        lambda: services.unit_reassign(
            unit=county.member_unit,
            zone=county.zone_b,
            effective_on=D(2026, 3, 1),
            reason="工作需要",
        ),
        "dissolved",
    )


def test_reassigning_many_units_is_all_or_nothing(county, refused):
    # The member unit could move, but the lead unit cannot: neither moves, both are named.
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.units_reassign(
            units=[county.member_unit, county.lead_unit],
            zone=county.zone_b,
            effective_on=D(2026, 3, 1),
            reason="工作需要",
        )
    assert snapshot() == before
    assert any(county.lead_unit.name in m for m in exc.value.messages)


def test_set_lead_swaps_roles_and_keeps_the_old_lead_as_member(county):
    UnitGradeFactory(unit=county.member_unit, grade=Grade.FIRST, effective_from=D(2026, 1, 1))
    services.zone_set_lead(
        zone=county.zone_a, unit=county.member_unit, effective_on=D(2026, 4, 1), reason="工作需要"
    )
    assert zone_lead_on(zone=county.zone_a, day=D(2026, 3, 31)) == county.lead_unit
    assert zone_lead_on(zone=county.zone_a, day=D(2026, 4, 1)) == county.member_unit
    old = Membership.objects.get(unit=county.lead_unit, effective_to__isnull=True)
    assert (old.zone, old.role, old.effective_from) == (
        county.zone_a,
        MembershipRole.MEMBER,
        D(2026, 4, 1),
    )


def test_set_lead_refuses_a_unit_that_is_not_first_class_on_that_day(county, refused):
    # First class only from 1 May: appointing it from 1 April is refused.
    UnitGradeFactory(unit=county.member_unit, grade=Grade.FIRST, effective_from=D(2026, 5, 1))
    refused(
        lambda: services.zone_set_lead(
            zone=county.zone_a,
            unit=county.member_unit,
            effective_on=D(2026, 4, 1),
            reason="工作需要",
        ),
        "must be first class",
    )


def test_set_lead_refuses_a_unit_of_another_zone(county, refused):
    refused(
        lambda: services.zone_set_lead(
            zone=county.zone_a,
            unit=county.other_lead_unit,
            effective_on=D(2026, 4, 1),
            reason="工作需要",
        ),
        "not a member of",
    )


def test_set_lead_refuses_the_current_lead(county, refused):
    refused(
        lambda: services.zone_set_lead(
            zone=county.zone_a, unit=county.lead_unit, effective_on=D(2026, 4, 1), reason="工作需要"
        ),
        "already the lead unit",
    )


def test_set_grade_records_who_why_and_when_and_the_current_class_is_derived(county):
    services.unit_set_grade(
        unit=county.member_unit,
        grade=Grade.FIRST,
        effective_on=D(2026, 1, 1),
        by=county.staff,
        reason="进位",
    )
    assert unit_grade_on(unit=county.member_unit, day=D(2025, 12, 31)) == Grade.SECOND
    assert unit_grade_on(unit=county.member_unit, day=D(2026, 1, 1)) == Grade.FIRST
    latest = UnitGrade.objects.get(unit=county.member_unit, effective_from=D(2026, 1, 1))
    assert (latest.set_by, latest.reason) == (county.staff, "进位")


def test_set_grade_refuses_without_reason(county, refused):
    refused(
        lambda: services.unit_set_grade(
            unit=county.member_unit, grade=Grade.FIRST, effective_on=D(2026, 1, 1), reason=" "
        ),
        "Say why",
    )


def test_set_grade_refuses_to_rewrite_the_past(county, refused):
    refused(
        lambda: services.unit_set_grade(
            unit=county.member_unit, grade=Grade.FIRST, effective_on=D(2024, 11, 1), reason="补录"
        ),
        "must take effect after",
    )


def test_set_grade_refuses_the_same_class(county, refused):
    refused(
        lambda: services.unit_set_grade(
            unit=county.member_unit, grade=Grade.SECOND, effective_on=D(2026, 1, 1), reason="x"
        ),
        "already",
    )


def test_set_grade_refuses_to_downgrade_a_sitting_lead_unit(county, refused):
    refused(
        lambda: services.unit_set_grade(
            unit=county.lead_unit, grade=Grade.SECOND, effective_on=D(2026, 1, 1), reason="x"
        ),
        "must stay first class",
    )


def test_set_leader_hands_over_the_zone(county):
    new_leader = UserFactory(username="leader2", role=Role.LEADER)
    services.zone_set_leader(zone=county.zone_a, leader=new_leader, effective_on=D(2026, 2, 1))
    assert zone_leader_on(zone=county.zone_a, day=D(2026, 1, 31)) == county.leader
    assert zone_leader_on(zone=county.zone_a, day=D(2026, 2, 1)) == new_leader


def test_set_leader_refuses_someone_who_is_not_a_committee_leader(county, refused):
    refused(
        lambda: services.zone_set_leader(
            zone=county.zone_a, leader=county.secretary, effective_on=D(2026, 2, 1)
        ),
        "not an active work-committee leader",
    )


def test_set_leader_refuses_the_current_leader(county, refused):
    refused(
        lambda: services.zone_set_leader(
            zone=county.zone_a, leader=county.leader, effective_on=D(2026, 2, 1)
        ),
        "already guides",
    )


def test_zones_do_not_assume_ten(db):
    zones = [ZoneFactory(number=n) for n in range(1, 15)]
    unit = unit_in_zone(zones[13], lead=True)
    assert zone_lead_on(zone=zones[13], day=D(2026, 1, 1)) == unit


def test_user_scope_follows_posts_leadership_and_memberships(county):
    from zones.selectors import user_scope

    day = D(2026, 6, 1)
    assert user_scope(county.staff, day=day).is_staff
    lead = user_scope(county.lead_secretary, day=day)
    assert lead.led_zone_ids == {county.zone_a.pk} and lead.unit_ids == {county.lead_unit.pk}
    secretary = user_scope(county.secretary, day=day)
    assert secretary.led_zone_ids == frozenset() and secretary.member_zone_ids == {county.zone_a.pk}
    assert user_scope(county.leader, day=day).guided_zone_ids == {county.zone_a.pk}
    outsider = user_scope(county.outsider, day=day)
    assert not outsider.is_staff and not outsider.unit_ids and not outsider.readable_zone_ids
    # After the lead changes hands, the old lead's secretary no longer leads the zone.
    UnitGradeFactory(unit=county.member_unit, grade=Grade.FIRST, effective_from=D(2026, 1, 1))
    services.zone_set_lead(
        zone=county.zone_a, unit=county.member_unit, effective_on=D(2026, 7, 1), reason="工作需要"
    )
    assert user_scope(county.lead_secretary, day=D(2026, 7, 1)).led_zone_ids == frozenset()
    assert user_scope(county.secretary, day=D(2026, 7, 1)).led_zone_ids == {county.zone_a.pk}
